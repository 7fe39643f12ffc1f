"""Scenario and forecast panels: what a programme would cost, and how a forecast held.

Scenarios are files of their own beside the ledger (`scenarios/*.beancount`),
so these panels are computed from the whole ledger, once per load, through
the same functions `ctc report scenario` and `ctc report forecast` print from.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from ctc.errors import UserError
from ctc.fava import svg
from ctc.fava.dashboard import Cell, Panel, PanelTable, journal_link
from ctc.numbers import format_number, format_sek
from ctc.reports.forecast import ForecastResult, forecast_against_outcome
from ctc.reports.labels import label
from ctc.reports.scenario import ScenarioReport, scenario_report

ZERO = Decimal(0)
UNIT = "tkr"


def scenario_files(ledger_path: Path) -> list[Path]:
    """The scenario files beside the ledger, in name order."""
    folder = ledger_path.parent / "scenarios"
    return sorted(folder.glob("*.beancount")) if folder.is_dir() else []


def _money(value: Decimal, href: str | None = None) -> Cell:
    return Cell(format_sek(value, UNIT), value, href)


def scenario_panel(report: ScenarioReport, key: str) -> Panel:
    """A scenario's cost per year stacked by committee, its table and its sensitivity."""
    costs = report.costs
    scenario = costs.scenario
    years = list(range(scenario.first_year, scenario.last_year + 1))
    committees = list(dict.fromkeys(row.committee for row in costs.rows))
    cells: dict[tuple[int, str], Decimal] = {}
    for row in costs.rows:
        cells[(row.year, row.committee)] = cells.get((row.year, row.committee), ZERO) + row.amount
    series = [svg.Series(c, tuple(cells.get((y, c), ZERO) for y in years)) for c in committees]
    title = f"Scenario: {scenario.name}"
    chart = svg.stacked_bars(title, [str(y) for y in years], series)
    rows = [
        (
            Cell(str(y), header=True),
            *(_money(cells.get((y, c), ZERO)) for c in committees),
            _money(costs.year_total(y)),
        )
        for y in years
    ]
    rows.append(
        (
            Cell(label("total"), header=True),
            *(_money(sum((cells.get((y, c), ZERO) for y in years), ZERO)) for c in committees),
            _money(costs.total),
        )
    )
    header = ("År", *committees, label("total"))
    table = PanelTable(
        f"{title}, tkr (uppskattning)", header, tuple(rows), frozenset({len(rows) - 1})
    )
    sensitivity = PanelTable(
        "Känslighet: totalen med ett antagande ändrat, tkr",
        ("Ändrat antagande", "Totalt", "Skillnad"),
        tuple(
            (Cell(s.label, header=True), _money(s.total), _money(s.difference))
            for s in report.sensitivity
        ),
    )
    estimate = "en uppskattning" if scenario.estimate else "ett scenario"
    caption = (
        f"{scenario.name} är {estimate}: {format_sek(costs.total, 'mnkr')} mnkr "
        f"{years[0]}–{years[-1]} ({format_sek(costs.total, UNIT)} tkr), i {scenario.municipality}."
    )
    if scenario.synthetic:
        caption += " Syntetiska exempeldata."
    return Panel(key, title, (chart,), caption, (table, sensitivity))


def forecast_panel(result: ForecastResult, key: str, programme: str) -> Panel:
    """Forecast against outcome per committee: bars side by side and the deviation table."""
    per_committee = result.by_committee()
    committees = [row.committee for row in per_committee]
    series = [
        svg.Series("Prognos", tuple(row.forecast for row in per_committee)),
        svg.Series("Utfall", tuple(row.outcome for row in per_committee)),
    ]
    span = f"{result.years[0]}–{result.years[-1]}"
    title = f"Prognos mot utfall {span}: {result.scenario.name}"
    chart = svg.grouped_bars(title, committees, series)
    rows = []
    for row in result.by_committee_and_type():
        percent = row.deviation_percent
        rows.append(
            (
                Cell(row.committee, header=True),
                Cell(label(row.cost_type)),
                _money(row.forecast),
                _money(
                    row.outcome,
                    journal_link(
                        f"^Expenses:[^:]+:{row.committee}:{programme}:", span.replace("–", " - ")
                    ),
                ),
                Cell(format_sek(row.deviation, "kr"), row.deviation),
                Cell(f"{format_number(percent, 1)} %" if percent is not None else "–"),
            )
        )
    forecast = sum((r.forecast for r in per_committee), ZERO)
    outcome = sum((r.outcome for r in per_committee), ZERO)
    deviation = outcome - forecast
    percent = deviation / forecast * 100 if forecast else None
    rows.append(
        (
            Cell(label("total"), header=True),
            Cell(""),
            _money(forecast),
            _money(outcome),
            Cell(format_sek(deviation, "kr"), deviation),
            Cell(f"{format_number(percent, 1)} %" if percent is not None else "–"),
        )
    )
    header = (
        "Nämnd",
        "Kostnadstyp",
        "Prognos (tkr)",
        "Utfall (tkr)",
        "Avvikelse (kr)",
        "Avvikelse (%)",
    )
    table = PanelTable(
        f"{title}, utfall minus prognos", header, tuple(rows), frozenset({len(rows) - 1})
    )
    caption = (
        f"Utfallet {span} blev {format_sek(outcome, 'kr')} kr mot prognosen {format_sek(forecast, 'kr')} kr: "
        f"{format_sek(deviation, 'kr')} kr ({format_number(percent or ZERO, 1)} %)."
    )
    return Panel(key, title, (chart,), caption, (table,))


def scenario_panels(
    entries: Sequence[data.Directive], ledger_path: Path, programme: str
) -> tuple[Panel, ...]:
    """A panel per scenario beside the ledger, and a forecast panel for each whose years have passed."""
    panels: list[Panel] = []
    for index, path in enumerate(scenario_files(ledger_path)):
        try:
            report = scenario_report(entries, path)
        except UserError:
            continue
        panels.append(scenario_panel(report, f"scenario-{index + 1}"))
        try:
            result = forecast_against_outcome(entries, path)
        except UserError:
            continue
        if result.years:
            panels.append(forecast_panel(result, f"forecast-{index + 1}", programme))
    return tuple(panels)
