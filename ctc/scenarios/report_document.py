"""The scenario report as a document, in Swedish: the "Ekonomiska konsekvenser" section.

`scenario_document` writes the section of a tjänsteskrivelse: a lead
paragraph with the totals, how the measured unit costs were raised to the base
year and how central costs are split into a fixed part and a part per area,
the cost per year, committee and cost type, the financing (within the frame
or added kommunbidrag, with the full-year effect), the assumptions with their
sources, and the sensitivity table. Municipalities are named as written
(`Linköping`, from the ledger's `custom "municipality"` register). It builds a
`ctc.scenarios.document.Document`; the writers decide the format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.accounts import COST_TYPES
from ctc.numbers import format_number, format_sek
from ctc.reports.labels import label
from ctc.reports.result import Report
from ctc.scenarios.costs import ScenarioRow, scenario_records
from ctc.scenarios.document import (
    SYNTHETIC,
    Cell,
    Column,
    Document,
    Table,
    as_report,
    money_columns,
    provenance,
    total_of,
)
from ctc.scenarios.draft import NOTE_LABELS
from ctc.scenarios.model import (
    ASSUMPTION_NAMES_SV,
    FINANCING,
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    Scenario,
)
from ctc.scenarios.report import ScenarioReport, scenario_report

if TYPE_CHECKING:
    from ctc.ledger import Ledger

UNIT_WORDS = {"kr": "kronor", "tkr": "tusental kronor (tkr)", "mnkr": "miljoner kronor (mnkr)"}
"""How the footnote names the unit the tables are in."""


def _mnkr(amount: Decimal) -> str:
    """Millions of kronor, as the lead paragraph states totals."""
    return f"{format_sek(amount, 'mnkr')} mnkr"


def _committee(short: str, names: Mapping[str, str]) -> str:
    """A committee as running text names it: `kommunstyrelsen (KS)`, or its short name."""
    name = names.get(short)
    return f"{name.lower()} ({short})" if name else short


CostCells = dict[tuple[int, str, str], Decimal]
"""(year, committee, cost type) -> the scenario's figure."""


def _cost_line(
    lead: str, who: str, cells: CostCells, keys: Sequence[tuple[int, str]]
) -> tuple[Cell, ...]:
    """A row of the cost table: each cost type summed over the (year, committee) keys, and in all."""
    values = [total_of([cells.get((y, c, t), Decimal(0)) for y, c in keys]) for t in COST_TYPES]
    return (lead, who, *values, total_of(values))


def cost_table(rows: Sequence[ScenarioRow], scenario: Scenario, unit: str) -> Table:
    """Year × committee rows, a column per cost type, sums per year and over the span."""
    cells: CostCells = {(r.year, r.committee, r.cost_type): r.amount for r in rows}
    committees = [c for c in scenario.committee_names if any(r.committee == c for r in rows)]
    body: list[tuple[Cell, ...]] = []
    totals: set[int] = set()
    for year in scenario.years:
        body += [_cost_line(str(year), c, cells, [(year, c)]) for c in committees]
        totals.add(len(body))
        body.append(_cost_line(f"Summa {year}", "", cells, [(year, c) for c in committees]))
    span = f"{scenario.first_year}–{scenario.last_year}"
    if len(scenario.years) > 1:
        body += [_cost_line(span, c, cells, [(y, c) for y in scenario.years]) for c in committees]
    totals.add(len(body))
    everything = [(y, c) for y in scenario.years for c in committees]
    body.append(_cost_line(f"Totalt {span}", "", cells, everything))
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


def basics_table(report: ScenarioReport, unit: str, municipality: str = "") -> Table:
    """What the scenario is: municipality, years, areas, base year, unit cost per area."""
    scenario = report.costs.scenario
    unit_cost = report.unit_cost_per_area
    rows: list[tuple[Cell, ...]] = [
        ("Scenario", scenario.name),
        ("Kommun", municipality or scenario.municipality),
        ("Program", scenario.programme or ""),
        ("År", f"{scenario.first_year}–{scenario.last_year}"),
        ("Antal områden", str(scenario.areas)),
        ("Basår (beloppens prisnivå)", str(scenario.base_year)),
        ("Nämnder", ", ".join(scenario.committee_names)),
        ("Upprättat", scenario.written.isoformat()),
        ("Uppskattning", "ja" if scenario.estimate else "nej"),
        ("Källa", scenario.source),
    ]
    if scenario.financing:
        rows.append(("Finansiering", FINANCING[scenario.financing]))
    if unit_cost is not None:
        rows.append(
            (
                "Kostnad per område och år i basårets priser (fasta delar fördelade lika)",
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
    """The text with its first letter in capitals, for a table's first column."""
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
    """How often a cost item recurs, in words."""
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
    """The lead paragraphs: what the scenario costs in all, per year and per committee."""
    costs = report.costs
    scenario = costs.scenario
    span = f"{scenario.first_year}–{scenario.last_year}"
    years = ", ".join(f"{_mnkr(costs.year_total(y))} {y}" for y in scenario.years)
    per_committee = ", ".join(
        f"{_committee(c, names)} {_mnkr(total_of([r.amount for r in costs.rows if r.committee == c]))}"
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
    notes = scenario.notes
    if notes.get("uprating"):
        paragraphs.append(f"Uppräkning till basåret {scenario.base_year}: {notes['uprating']}")
    if notes.get("central_share"):
        paragraphs.append(f"Gemensamma kostnader: {notes['central_share']}.")
    once = [c for c in scenario.costs if c.every == 0]
    if once:
        listed = "; ".join(f"{c.text} ({_mnkr(c.amount)} {c.first_year})" for c in once)
        paragraphs.append(f"Engångskostnader: {listed}.")
    return tuple(paragraphs)


def financing_table(report: ScenarioReport, names: Mapping[str, str], unit: str) -> Table:
    """What has to be financed per committee and year, and the full-year effect.

    The full-year effect is the last scenario year's cost without one-off
    items: what the programme costs a year once it runs, for the budget years
    after the scenario.
    """
    costs = report.costs
    scenario = costs.scenario
    last = scenario.last_year
    figures: dict[str, list[Decimal]] = {}
    for committee in scenario.committee_names:
        figures[committee] = [
            *(
                total_of([r.amount for r in costs.rows if (r.year, r.committee) == (y, committee)])
                for y in scenario.years
            ),
            full_year_effect(report, committee),
        ]
    columns = (
        Column("Nämnd"),
        *money_columns([str(y) for y in scenario.years]),
        Column(f"Helårseffekt efter {last}", "money"),
    )
    sums = [total_of(list(column)) for column in zip(*figures.values(), strict=True)]
    rows: list[tuple[Cell, ...]] = [
        (_committee(c, names), *values) for c, values in figures.items()
    ]
    rows.append(("Summa", *sums))
    return Table(
        f"Finansiering: belopp att finansiera per nämnd och år ({unit})",
        "Finansiering",
        columns,
        tuple(rows),
        frozenset({len(rows) - 1}),
    )


def full_year_effect(report: ScenarioReport, committee: str) -> Decimal:
    """A committee's cost in the scenario's last year, one-off items left out."""
    scenario = report.costs.scenario
    once = [c for c in scenario.costs if c.every == 0 and c.committee == committee]
    last = scenario.last_year
    total = total_of(
        [r.amount for r in report.costs.rows if (r.year, r.committee) == (last, committee)]
    )
    return total - total_of([c.amount for c in once if c.first_year == last])


def financing_text(report: ScenarioReport, names: Mapping[str, str]) -> str:
    """How the cost is to be financed, or the two ways when the scenario does not say."""
    scenario = report.costs.scenario
    who = " och ".join(_committee(c, names) for c in scenario.committee_names)
    effect = total_of([full_year_effect(report, c) for c in scenario.committee_names])
    level = f"helårseffekten efter {scenario.last_year} är {_mnkr(effect)} per år"
    if scenario.financing == "kommunbidrag":
        return (
            f"Finansiering: kostnaden finansieras med utökat kommunbidrag till {who} med "
            f"beloppen i tabellen; {level}, som ska ligga i budgeten för åren därefter."
        )
    if scenario.financing == "ram":
        return (
            f"Finansiering: kostnaden ska rymmas inom {who}s befintliga ramar; nämnderna "
            f"behöver omprioritera motsvarande belopp varje år ({level})."
        )
    return (
        "Finansiering: scenariot anger inte hur kostnaden ska finansieras. Antingen ryms den "
        f"inom {who}s befintliga ramar, och nämnderna omprioriterar motsvarande belopp, eller så "
        f"krävs utökat kommunbidrag med beloppen i tabellen; {level}."
    )


def _footnotes(scenario: Scenario, unit: str) -> tuple[str, ...]:
    """How the figures were computed and rounded, and the file they stand on."""
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
        "(löneökning och PO-sats ±1 procentenhet varje år, start tre månader senare eller "
        "tidigare, ett område fler eller färre, FTE ±0,5 per område, gemensam bemanning ±0,5 "
        "FTE, enkätkostnad ±25 %). Negativa tal skrivs med minustecken (-).",
        f"Källa: scenariofilen {scenario.path.name}.",
    ]
    return tuple(notes)


def scenario_document(
    report: ScenarioReport,
    unit: str,
    committee_names: Mapping[str, str],
    synthetic: bool,
    municipality: str = "",
) -> Document:
    """`ctc report scenario` as the "Ekonomiska konsekvenser" section of a tjänsteskrivelse."""
    scenario = report.costs.scenario
    tables = [
        cost_table(report.costs.rows, scenario, unit),
        financing_table(report, committee_names, unit),
        basics_table(report, unit, municipality),
        assumptions_table(scenario),
    ]
    if scenario.positions:
        tables.append(positions_table(scenario))
    if scenario.costs:
        tables.append(costs_table(scenario))
    tables.append(sensitivity_table(report, unit))
    return Document(
        "Ekonomiska konsekvenser",
        (*_lead(report, committee_names, synthetic), financing_text(report, committee_names)),
        tuple(tables),
        _footnotes(scenario, unit),
        unit,
    )


def build_scenario_report(ledger: Ledger, path: Path, unit: str) -> Report:
    """`ctc report scenario` in the shared result shape, ready for any writer."""
    report = scenario_report(ledger, path)
    municipality = report.costs.scenario.municipality
    names = ledger.registers.committee_names(municipality)
    document = scenario_document(
        report,
        unit,
        names,
        ledger.options.synthetic,
        ledger.registers.municipality_name(municipality),
    )
    records = scenario_records(report.costs.rows)
    return as_report(document, "scenario", records, provenance(ledger.path, path))
