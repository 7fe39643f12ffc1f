"""Scenario and forecast panels: what a programme would cost, and how a forecast held.

Scenarios are files of their own beside the ledger (`scenarios/*.beancount`),
so these panels are computed from the whole ledger, once per load, through
the same functions `ctc report scenario` and `ctc report forecast` print from
(`ctc.scenarios`). This module only draws: it turns their results into panels.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ctc.errors import UserError
from ctc.fava import svg
from ctc.fava.dashboard import Cell, Panel, PanelTable, journal_link
from ctc.numbers import format_number, format_sek
from ctc.reports.labels import label
from ctc.scenarios.forecast import ForecastResult, forecast_against_outcome
from ctc.scenarios.parse import scenario_files
from ctc.scenarios.report import ScenarioReport, scenario_report

if TYPE_CHECKING:
    from ctc.ledger import Ledger

ZERO = Decimal(0)
UNIT = "tkr"


def _money(value: Decimal, href: str | None = None) -> Cell:
    """A cell in thousands of kronor, keeping the exact value for sorting and links."""
    return Cell(format_sek(value, UNIT), value, href)


def _year_committee_cells(report: ScenarioReport) -> dict[tuple[int, str], Decimal]:
    """The scenario's cost per (year, committee), summed over cost types."""
    cells: dict[tuple[int, str], Decimal] = {}
    for row in report.costs.rows:
        cells[(row.year, row.committee)] = cells.get((row.year, row.committee), ZERO) + row.amount
    return cells


def _cost_table(report: ScenarioReport, title: str, committees: list[str]) -> PanelTable:
    """Year × committee in tkr, a total per year and a total row."""
    costs = report.costs
    years = list(costs.scenario.years)
    cells = _year_committee_cells(report)
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
    return PanelTable(
        f"{title}, tkr (uppskattning)", header, tuple(rows), frozenset({len(rows) - 1})
    )


def _sensitivity_table(report: ScenarioReport) -> PanelTable:
    """Each sensitivity variant's total and its difference from the base scenario."""
    return PanelTable(
        "Känslighet: totalen med ett antagande ändrat, tkr",
        ("Ändrat antagande", "Totalt", "Skillnad"),
        tuple(
            (Cell(s.label, header=True), _money(s.total), _money(s.difference))
            for s in report.sensitivity
        ),
    )


def _scenario_caption(report: ScenarioReport, municipality: str = "") -> str:
    """What the scenario costs in all, and whether it is an estimate or synthetic."""
    costs = report.costs
    scenario = costs.scenario
    estimate = "en uppskattning" if scenario.estimate else "ett scenario"
    caption = (
        f"{scenario.name} är {estimate}: {format_sek(costs.total, 'mnkr')} mnkr "
        f"{scenario.first_year}–{scenario.last_year} ({format_sek(costs.total, UNIT)} tkr), "
        f"i {municipality or scenario.municipality}."
    )
    if scenario.synthetic:
        caption += " Syntetiska exempeldata."
    return caption


def scenario_panel(report: ScenarioReport, key: str, municipality: str = "") -> Panel:
    """A scenario's cost per year stacked by committee, its table and its sensitivity.

    `municipality` is the scenario's municipality as written (`Linköping`).
    """
    scenario = report.costs.scenario
    years = list(scenario.years)
    committees = list(dict.fromkeys(row.committee for row in report.costs.rows))
    cells = _year_committee_cells(report)
    series = [svg.Series(c, tuple(cells.get((y, c), ZERO) for y in years)) for c in committees]
    title = f"Scenario: {scenario.name}"
    chart = svg.stacked_bars(title, [str(y) for y in years], series)
    tables = (_cost_table(report, title, committees), _sensitivity_table(report))
    return Panel(key, title, (chart,), _scenario_caption(report, municipality), tables)


def _percent_cell(percent: Decimal | None) -> Cell:
    """A deviation in per cent; a dash when nothing was forecast."""
    return Cell(f"{format_number(percent, 1)} %" if percent is not None else "–")


def _forecast_rows(result: ForecastResult, span: str, programme: str) -> list[tuple[Cell, ...]]:
    """A row per committee and cost type; the outcome links to its postings in the journal."""
    rows: list[tuple[Cell, ...]] = []
    for row in result.by_committee_and_type():
        link = journal_link(
            f"^Expenses:[^:]+:{row.committee}:{programme}:", span.replace("–", " - ")
        )
        rows.append(
            (
                Cell(row.committee, header=True),
                Cell(label(row.cost_type)),
                _money(row.forecast),
                _money(row.outcome, link),
                Cell(format_sek(row.deviation, "kr"), row.deviation),
                _percent_cell(row.deviation_percent),
            )
        )
    return rows


FORECAST_HEADER = (
    "Nämnd",
    "Kostnadstyp",
    "Prognos (tkr)",
    "Utfall (tkr)",
    "Avvikelse (kr)",
    "Avvikelse (%)",
)


def forecast_panel(result: ForecastResult, key: str, programme: str) -> Panel:
    """Forecast against outcome per committee: bars side by side and the deviation table."""
    per_committee = result.by_committee()
    series = [
        svg.Series("Prognos", tuple(row.forecast for row in per_committee)),
        svg.Series("Utfall", tuple(row.outcome for row in per_committee)),
    ]
    span = f"{result.years[0]}–{result.years[-1]}"
    title = f"Prognos mot utfall {span}: {result.scenario.name}"
    chart = svg.grouped_bars(title, [row.committee for row in per_committee], series)
    forecast = sum((r.forecast for r in per_committee), ZERO)
    outcome = sum((r.outcome for r in per_committee), ZERO)
    deviation = outcome - forecast
    percent = deviation / forecast * 100 if forecast else None
    rows = _forecast_rows(result, span, programme)
    rows.append(
        (
            Cell(label("total"), header=True),
            Cell(""),
            _money(forecast),
            _money(outcome),
            Cell(format_sek(deviation, "kr"), deviation),
            _percent_cell(percent),
        )
    )
    table = PanelTable(
        f"{title}, utfall minus prognos", FORECAST_HEADER, tuple(rows), frozenset({len(rows) - 1})
    )
    caption = (
        f"Utfallet {span} blev {format_sek(outcome, 'kr')} kr mot prognosen {format_sek(forecast, 'kr')} kr: "
        f"{format_sek(deviation, 'kr')} kr ({format_number(percent or ZERO, 1)} %)."
    )
    return Panel(key, title, (chart,), caption, (table,))


def scenario_panels(ledger: Ledger) -> tuple[Panel, ...]:
    """A panel per scenario beside the ledger, and a forecast panel for each whose years have passed.

    A scenario file with a mistake gets no panel: `ctc report scenario` names
    the mistake; the dashboard must still open.
    """
    panels: list[Panel] = []
    programme = ledger.options.programme  # not the frame: without scenarios, none is built
    for index, path in enumerate(scenario_files(ledger.path)):
        try:
            report = scenario_report(ledger, path)
        except UserError:
            continue
        name = ledger.registers.municipality_name(report.costs.scenario.municipality)
        panels.append(scenario_panel(report, f"scenario-{index + 1}", name))
        try:
            result = forecast_against_outcome(ledger, path)
        except UserError:
            continue
        if result.years:
            panels.append(forecast_panel(result, f"forecast-{index + 1}", programme))
    return tuple(panels)
