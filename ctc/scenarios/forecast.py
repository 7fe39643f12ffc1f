"""Forecast against outcome: a scenario for years that have passed, held against the books.

The forecast is the scenario's figures (whole thousands of kronor per year,
committee and cost type, see `ctc.scenarios.costs`); the outcome is the
programme's booked cost for the scenario's municipality, read from the loaded
ledger's Frame (`Frame.of_municipality`, `Frame.within`), exact to the öre. The deviation is outcome
minus forecast: positive when it cost more than forecast. A year has passed
when the ledger books the municipality's programme cost in its December or
later.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.accounts import COST_TYPES
from ctc.errors import UserError
from ctc.reports.frame import CostLine, Frame
from ctc.reports.result import Column, Kind, Row, Table
from ctc.scenarios.check import load_scenario
from ctc.scenarios.costs import ScenarioCosts, costs_of
from ctc.scenarios.model import Scenario

if TYPE_CHECKING:
    from ctc.ledger import Ledger

CSV_HEADER = (
    "year",
    "committee",
    "cost_type",
    "forecast_sek",
    "outcome_sek",
    "deviation_sek",
    "deviation_pct",
)


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """Forecast and outcome for one year (or span), committee and cost type."""

    year: int | None
    """None in a row summed over the result's years."""
    committee: str
    cost_type: str
    forecast: Decimal
    outcome: Decimal

    @property
    def deviation(self) -> Decimal:
        """Outcome minus forecast: positive when it cost more than forecast."""
        return self.outcome - self.forecast

    @property
    def deviation_percent(self) -> Decimal | None:
        """The deviation as a percentage of the forecast; None when nothing was forecast."""
        return self.deviation / self.forecast * 100 if self.forecast else None


@dataclass(frozen=True, slots=True)
class ForecastResult:
    """A scenario's forecast against the ledger's outcome over some passed years."""

    scenario: Scenario
    years: tuple[int, ...]
    rows: tuple[ForecastRow, ...]
    committees: tuple[str, ...]
    """The committees in report order: the scenario's first, then others with outcome."""

    def by_committee_and_type(self) -> tuple[ForecastRow, ...]:
        """The rows summed over the years, one per committee and cost type."""
        return _summed(self.rows, lambda row: (row.committee, row.cost_type))

    def by_committee(self) -> tuple[ForecastRow, ...]:
        """The rows summed over the years and cost types, one per committee."""
        return _summed(self.rows, lambda row: (row.committee, "*"))


RowKey = Callable[[ForecastRow], tuple[str, str]]
"""What rows are summed by: (committee, cost type), with `*` for all."""


def _summed(rows: Sequence[ForecastRow], key: RowKey) -> tuple[ForecastRow, ...]:
    """The rows summed over the years by `key`, in the order the keys first occur."""
    forecast: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    outcome: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        forecast[key(row)] += row.forecast
        outcome[key(row)] += row.outcome
    return tuple(ForecastRow(None, c, t, forecast[(c, t)], outcome[(c, t)]) for c, t in forecast)


def passed_years(lines: Sequence[CostLine], scenario: Scenario) -> tuple[int, ...]:
    """The scenario's years whose December (or later) the ledger has booked."""
    if not lines:
        return ()
    last = max(line.date for line in lines)
    return tuple(y for y in scenario.years if last >= datetime.date(y, 12, 1))


def _check_passed(scenario: Scenario, passed: Sequence[int], years: range) -> None:
    """Refuse a year asked for that is not the scenario's or has not passed."""
    for year in years:
        if year not in scenario.years:
            raise UserError(
                f"{year} ligger utanför scenariots år {scenario.first_year}–{scenario.last_year}."
            )
        if year not in passed:
            raise UserError(
                f"{year} har inte passerat: huvudboken har inget helt års utfall för "
                f"{scenario.municipality} det året."
            )


def _years(
    scenario: Scenario, passed: Sequence[int], from_year: int | None, to_year: int | None
) -> tuple[int, ...]:
    """The years to compare: every passed one, or those asked for (each must have passed)."""
    if from_year is None and to_year is None:
        if not passed:
            raise UserError(
                f"Inget av scenariots år {scenario.first_year}–{scenario.last_year} har passerat: "
                f"huvudboken har inget helt års utfall för {scenario.municipality} än."
            )
        return tuple(passed)
    first = from_year if from_year is not None else scenario.first_year
    last = to_year if to_year is not None else scenario.last_year
    if first > last:
        raise UserError(f"Året {first} ligger efter {last}; ange det tidigaste året först.")
    _check_passed(scenario, passed, range(first, last + 1))
    return tuple(range(first, last + 1))


def compare(
    costs: ScenarioCosts,
    lines: Sequence[CostLine],
    years: Sequence[int],
    committee_order: Sequence[str] = (),
) -> ForecastResult:
    """Forecast and outcome per year, committee and cost type for the given years."""
    forecast: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    outcome: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for row in costs.rows:
        if row.year in years:
            forecast[(row.year, row.committee, row.cost_type)] += row.amount
    for line in lines:
        if line.year in years:
            outcome[(line.year, line.committee, line.cost_type)] += line.amount
    committees = list(costs.scenario.committee_names)
    seen = {key[1] for key in (*forecast, *outcome)}
    committees += [c for c in committee_order if c in seen and c not in committees]
    committees += sorted(seen - set(committees))
    keys = sorted(
        set(forecast) | set(outcome),
        key=lambda k: (k[0], committees.index(k[1]), COST_TYPES.index(k[2])),
    )
    rows = tuple(
        ForecastRow(*key, forecast.get(key, Decimal(0)), outcome.get(key, Decimal(0)))
        for key in keys
    )
    return ForecastResult(costs.scenario, tuple(years), rows, tuple(committees))


def _outcome(ledger: Ledger, scenario: Scenario) -> Frame:
    """The ledger's figures for the scenario's municipality, from the loaded ledger's Frame.

    The Frame holds the ledger's own programme; a scenario about another
    programme has no outcome in this ledger to be held against.
    """
    frame = ledger.frame
    if scenario.programme != frame.programme:
        raise UserError(
            f"Scenariot gäller programmet {scenario.programme}, men huvudboken redovisar "
            f"{frame.programme}; utfallet finns inte i den här huvudboken."
        )
    return frame.of_municipality(scenario.municipality)


def forecast_against_outcome(
    ledger: Ledger,
    path: Path,
    from_year: int | None = None,
    to_year: int | None = None,
) -> ForecastResult:
    """Load a scenario and hold it against the ledger's outcome for passed years.

    Without years, every scenario year that has passed; with them, each must
    be a scenario year that has passed. Pure: no printing; `UserError` on a
    bad file or year.
    """
    scenario = load_scenario(path, ledger.registers)
    outcome = _outcome(ledger, scenario)
    years = _years(scenario, passed_years(outcome.costs, scenario), from_year, to_year)
    # A scenario states what things cost: each committee's forecast is held against its
    # own gross cost (no income; its internal purchases are real cost to it).
    lines = [line for line in outcome.within(years[0], years[-1]).costs if not line.is_income]
    order = list(ledger.registers.committee_names(scenario.municipality))
    return compare(costs_of(scenario), lines, years, order)


def forecast_records(rows: Sequence[ForecastRow]) -> Table:
    """The CSV form: one row per year, committee and cost type; no totals."""
    kinds: tuple[Kind, ...] = ("int", "text", "text", "exact", "exact", "exact", "exact")
    columns = tuple(Column(key, key, kind) for key, kind in zip(CSV_HEADER, kinds, strict=True))
    body = tuple(
        Row(
            (
                r.year,
                r.committee,
                r.cost_type,
                r.forecast,
                r.outcome,
                r.deviation,
                r.deviation_percent,
            )
        )
        for r in rows
    )
    return Table("records", "records", columns, body)
