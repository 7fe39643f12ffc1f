"""The scenario and forecast reports as documents, in Swedish.

`scenario_document` writes the "Ekonomiska konsekvenser" section of a
tjänsteskrivelse: a lead paragraph with the totals, the cost per year,
committee and cost type, the assumptions with their sources, and the
sensitivity table. `forecast_document` sets forecast against outcome. Both
build a `Document`; the writers decide the format.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from ctc.accounts import COST_TYPES
from ctc.numbers import format_number, format_sek
from ctc.reports.draft import NOTE_LABELS
from ctc.reports.forecast import ForecastResult, ForecastRow
from ctc.reports.labels import label
from ctc.reports.result import Provenance
from ctc.reports.scenario import ScenarioReport, ScenarioRow
from ctc.reports.scenario_document import Cell, Column, Document, Table, money_columns
from ctc.scenario import PO_RATE, PRICE_INDEX, SALARY_INCREASE, Scenario
from ctc.scenario_check import ASSUMPTION_NAMES_SV

SYNTHETIC = "OBS: Huvudboken innehåller syntetiska exempeldata, inte verkliga belopp."
UNIT_WORDS = {"kr": "kronor", "tkr": "tusental kronor (tkr)", "mnkr": "miljoner kronor (mnkr)"}


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, so a reader can check which file a report stands on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(ledger: Path, scenario: Path) -> Provenance:
    """The files a report was computed from, each with its SHA-256, and the scenario asked for."""
    return Provenance(
        ledger=str(ledger),
        files=((str(ledger), sha256_of(ledger)), (str(scenario), sha256_of(scenario))),
        filters=(("--scenario", str(scenario)),),
    )


def _sum(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _mnkr(amount: Decimal) -> str:
    return f"{format_sek(amount, 'mnkr')} mnkr"


def _committee(short: str, names: Mapping[str, str]) -> str:
    name = names.get(short)
    return f"{name.lower()} ({short})" if name else short


def cost_table(rows: Sequence[ScenarioRow], scenario: Scenario, unit: str) -> Table:
    """Year × committee rows, a column per cost type, sums per year and over the span."""
    cells = {(r.year, r.committee, r.cost_type): r.amount for r in rows}
    committees = [c for c in scenario.committee_names if any(r.committee == c for r in rows)]
    body: list[tuple[Cell, ...]] = []
    totals: set[int] = set()

    def line(lead: str, who: str, keys: Sequence[tuple[int, str]]) -> tuple[Cell, ...]:
        values = [_sum([cells.get((y, c, t), Decimal(0)) for y, c in keys]) for t in COST_TYPES]
        return (lead, who, *values, _sum(values))

    for year in scenario.years:
        for committee in committees:
            body.append(line(str(year), committee, [(year, committee)]))
        totals.add(len(body))
        body.append(line(f"Summa {year}", "", [(year, c) for c in committees]))
    span = f"{scenario.first_year}–{scenario.last_year}"
    if len(scenario.years) > 1:
        for committee in committees:
            body.append(line(span, committee, [(y, committee) for y in scenario.years]))
    totals.add(len(body))
    body.append(line(f"Totalt {span}", "", [(y, c) for y in scenario.years for c in committees]))
    columns = (
        Column("År"),
        Column("Nämnd"),
        *money_columns([label(t) for t in COST_TYPES]),
        Column("Totalt", "money"),
    )
    return Table(
        f"Kostnad per år, nämnd och kostnadstyp ({unit})",
        "Kostnad",
        columns,
        tuple(body),
        frozenset(totals),
    )


def basics_table(report: ScenarioReport, unit: str) -> Table:
    """What the scenario is: municipality, years, areas, base year, unit cost per area."""
    scenario = report.costs.scenario
    unit_cost = report.unit_cost_per_area
    rows: list[tuple[Cell, ...]] = [
        ("Scenario", scenario.name),
        ("Kommun", scenario.municipality),
        ("Program", scenario.programme or ""),
        ("År", f"{scenario.first_year}–{scenario.last_year}"),
        ("Antal områden", str(scenario.areas)),
        ("Basår (beloppens prisnivå)", str(scenario.base_year)),
        ("Nämnder", ", ".join(scenario.committee_names)),
        ("Upprättat", scenario.written.isoformat()),
        ("Uppskattning", "ja" if scenario.estimate else "nej"),
        ("Källa", scenario.source),
    ]
    if unit_cost is not None:
        rows.append(
            (
                "Kostnad per område och år, basårets priser (före uppräkning)",
                f"{format_sek(unit_cost, 'kr')} kr",
            )
        )
    for key, value in scenario.notes.items():
        text = (
            value
            if not isinstance(value, Decimal)
            else format_number(value, 0 if value == value.to_integral_value() else 2)
        )
        rows.append((NOTE_LABELS.get(key, key), str(text)))
    return Table("Scenariot", "Scenario", (Column("Uppgift"), Column("Värde")), tuple(rows))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def assumptions_table(scenario: Scenario) -> Table:
    """Each yearly assumption with its value and source."""
    rows = [
        (
            _capital(ASSUMPTION_NAMES_SV[a.name]),
            str(a.year),
            a.percent,
            a.source if a.location is not None else f"{a.source} (ur huvudboken)",
        )
        for a in scenario.assumptions
    ]
    columns = (
        Column("Antagande"),
        Column("År"),
        Column("Procent", "number", 2),
        Column("Källa", "note"),
    )
    return Table("Antaganden per år", "Antaganden", columns, tuple(rows))


def positions_table(scenario: Scenario) -> Table:
    """The positions: role, committee, FTE, per area or not, start, salary, source."""
    rows = [
        (
            p.role,
            p.committee,
            p.fte,
            "ja" if p.per_area else "nej",
            p.start.strftime("%Y-%m"),
            p.monthly_salary,
            p.source,
        )
        for p in scenario.positions
    ]
    columns = (
        Column("Roll"),
        Column("Nämnd"),
        Column("FTE", "number", 2),
        Column("Per område"),
        Column("Från"),
        Column(f"Månadslön {scenario.base_year} (kr)", "number", 0),
        Column("Källa", "note"),
    )
    return Table("Tjänster", "Tjänster", columns, tuple(rows))


def _recurrence(every: int) -> str:
    return {0: "en gång", 1: "varje år", 2: "vartannat år"}.get(every, f"vart {every}:e år")


def costs_table(scenario: Scenario) -> Table:
    """The other cost items: kind, text, committee, amount, recurrence, source."""
    rows = [
        (
            label(c.kind),
            c.text,
            c.committee,
            c.amount,
            "ja" if c.per_area else "nej",
            f"{_recurrence(c.every)} från {c.first_year}",
            c.source,
        )
        for c in scenario.costs
    ]
    columns = (
        Column("Slag"),
        Column("Beskrivning"),
        Column("Nämnd"),
        Column(f"Belopp {scenario.base_year} (kr)", "number", 0),
        Column("Per område"),
        Column("Återkommer"),
        Column("Källa", "note"),
    )
    return Table("Övriga kostnader", "Övriga kostnader", columns, tuple(rows))


def sensitivity_table(report: ScenarioReport, unit: str) -> Table:
    """The total of each sensitivity variant, per year and in all, against the base."""
    scenario = report.costs.scenario
    rows = []
    for row in report.sensitivity:
        base = report.sensitivity[0].total
        share = row.difference / base * 100 if base else None
        rows.append(
            (
                row.label,
                *(amount for _, amount in row.year_totals),
                row.total,
                row.difference,
                share,
            )
        )
    columns = (
        Column("Antagande som ändras"),
        *money_columns([str(y) for y in scenario.years]),
        Column("Totalt", "money"),
        Column("Skillnad mot grundscenariot", "money"),
        Column("Skillnad (%)", "number", 1),
    )
    return Table(
        f"Känslighetsanalys: totalkostnad ({unit})",
        "Känslighet",
        columns,
        tuple(rows),
    )


def _lead(report: ScenarioReport, names: Mapping[str, str], synthetic: bool) -> tuple[str, ...]:
    costs = report.costs
    scenario = costs.scenario
    span = f"{scenario.first_year}–{scenario.last_year}"
    years = ", ".join(f"{_mnkr(costs.year_total(y))} {y}" for y in scenario.years)
    per_committee = ", ".join(
        f"{_committee(c, names)} {_mnkr(_sum([r.amount for r in costs.rows if r.committee == c]))}"
        for c in scenario.committee_names
    )
    kind = "uppskattas" if scenario.estimate else "beräknas"
    paragraphs = []
    if synthetic or scenario.synthetic:
        paragraphs.append(SYNTHETIC)
    paragraphs.append(
        f"Kostnaden för scenariot ”{scenario.name}” {kind} till {_mnkr(costs.total)} för {span} "
        f"({format_sek(costs.total, 'kr')} kr): {years}. Den fördelas på {per_committee}."
    )
    paragraphs.append(
        f"Beräkningen gäller {scenario.areas} områden och bygger på: {scenario.source}. "
        "Antagandena och deras källor står i tabellerna nedan; känslighetsanalysen visar hur "
        "totalen ändras när ett antagande ändras."
    )
    return tuple(paragraphs)


def _footnotes(scenario: Scenario, unit: str) -> tuple[str, ...]:
    notes = []
    if scenario.estimate:
        notes.append("Scenariot är en uppskattning, inte ett beslut eller ett utfall.")
    notes += [
        f"Belopp i löpande priser: beloppen anges i {scenario.base_year} års priser; lönerna räknas "
        f"upp med antagen {ASSUMPTION_NAMES_SV[SALARY_INCREASE]} och övriga kostnader med "
        f"{ASSUMPTION_NAMES_SV[PRICE_INDEX]} för varje år efter {scenario.base_year}. "
        f"PO beräknas på lönen med årets {ASSUMPTION_NAMES_SV[PO_RATE]}.",
        "Beloppen är beräknade exakt och avrundade en gång till hela tusental kronor per år, "
        "nämnd och kostnadstyp (en uppskattning har inte kronors precision); alla summor är "
        f"summor av dessa. Tabellerna visar {UNIT_WORDS[unit]}.",
        "Känslighetsanalysen räknar om hela scenariot med ett antagande ändrat i taget "
        "(löneökning ±1 procentenhet varje år, FTE ±0,5 per område, enkätkostnad ±25 %).",
        f"Källa: scenariofilen {scenario.path.name}.",
    ]
    return tuple(notes)


def scenario_document(
    report: ScenarioReport,
    unit: str,
    committee_names: Mapping[str, str],
    synthetic: bool,
) -> Document:
    """`ctc report scenario` as the "Ekonomiska konsekvenser" section of a tjänsteskrivelse."""
    scenario = report.costs.scenario
    tables = [
        cost_table(report.costs.rows, scenario, unit),
        basics_table(report, unit),
        assumptions_table(scenario),
    ]
    if scenario.positions:
        tables.append(positions_table(scenario))
    if scenario.costs:
        tables.append(costs_table(scenario))
    tables.append(sensitivity_table(report, unit))
    return Document(
        "Ekonomiska konsekvenser",
        _lead(report, committee_names, synthetic),
        tuple(tables),
        _footnotes(scenario, unit),
        unit,
    )


# --- Forecast against outcome -------------------------------------------------------


def _forecast_row(lead: Sequence[str], row: ForecastRow) -> tuple[Cell, ...]:
    return (*lead, row.forecast, row.outcome, row.deviation, row.deviation_percent)


def forecast_table(result: ForecastResult, unit: str) -> Table:
    """Per year: committee × cost type rows, a sum per committee and per year."""
    body: list[tuple[Cell, ...]] = []
    totals: set[int] = set()

    def add_sum(lead: Sequence[str], rows: Sequence[ForecastRow], total: bool) -> None:
        summed = ForecastRow(
            None,
            "",
            "",
            _sum([r.forecast for r in rows]),
            _sum([r.outcome for r in rows]),
        )
        if total:
            totals.add(len(body))
        body.append(_forecast_row(lead, summed))

    for year in result.years:
        year_rows = [r for r in result.rows if r.year == year]
        for committee in result.committees:
            rows = [r for r in year_rows if r.committee == committee]
            for row in rows:
                body.append(_forecast_row((str(year), committee, label(row.cost_type)), row))
            if len(rows) > 1:
                add_sum((str(year), committee, "Summa"), rows, False)
        add_sum((f"Summa {year}", "", ""), year_rows, True)
    if len(result.years) > 1:
        span = f"{result.years[0]}–{result.years[-1]}"
        for row in result.by_committee():
            body.append(_forecast_row((span, row.committee, "Summa"), row))
        add_sum((f"Totalt {span}", "", ""), list(result.rows), True)
    columns = (
        Column("År"),
        Column("Nämnd"),
        Column("Kostnadstyp"),
        Column("Prognos", "money"),
        Column("Utfall", "money"),
        Column("Avvikelse", "money"),
        Column("Avvikelse (%)", "number", 1),
    )
    return Table(
        f"Prognos mot utfall ({unit})",
        "Prognos mot utfall",
        columns,
        tuple(body),
        frozenset(totals),
    )


def forecast_document(
    result: ForecastResult,
    unit: str,
    synthetic: bool,
) -> Document:
    """`ctc report forecast`: forecast against outcome with the deviation in kronor and per cent."""
    scenario = result.scenario
    forecast = _sum([r.forecast for r in result.rows])
    outcome = _sum([r.outcome for r in result.rows])
    deviation = outcome - forecast
    span = (
        f"{result.years[0]}–{result.years[-1]}" if len(result.years) > 1 else str(result.years[0])
    )
    percent = f" ({format_number(deviation / forecast * 100, 1)} %)" if forecast else ""
    paragraphs = []
    if synthetic or scenario.synthetic:
        paragraphs.append(SYNTHETIC)
    paragraphs.append(
        f"Prognosen ”{scenario.name}” (upprättad {scenario.written}) räknade med "
        f"{format_sek(forecast, 'kr')} kr för {span}; utfallet i huvudboken blev "
        f"{format_sek(outcome, 'kr')} kr, en avvikelse på {format_sek(deviation, 'kr')} kr{percent}."
    )
    footnotes = (
        "Avvikelse = utfall minus prognos: positiv när det kostade mer än prognosen. "
        "Avvikelse i procent av prognosen; tom när inget var prognostiserat.",
        "Prognosen är scenariots belopp i hela tusental kronor per år, nämnd och kostnadstyp; utfallet "
        "är bokförd kostnad i huvudboken, exakt till öret.",
        f"Källa: scenariofilen {scenario.path.name} och huvudbokens bokförda kostnader.",
    )
    return Document(
        "Prognos mot utfall",
        tuple(paragraphs),
        (forecast_table(result, unit),),
        footnotes,
        unit,
    )
