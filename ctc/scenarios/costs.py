"""What a scenario costs: exact arithmetic per year, committee and cost type, rounded once.

The arithmetic is exact (`Decimal`) until the very end: a position's salary
for a year is its base-year monthly salary, grown by each year's salary
increase after the base year, times FTE, months funded and (for a position
per area) the number of areas; PO is the salary times the year's PO rate;
another cost item is its base-year amount grown by the price index. Each
year × committee × cost type is then rounded once, half away from zero, to
whole kronor: those are the scenario's figures, and every total is a sum of
them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import COST_TYPES
from ctc.numbers import round_half_away
from ctc.reports.result import Column, Kind, Row, Table
from ctc.scenarios.model import (
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    Scenario,
    ScenarioCost,
    ScenarioPosition,
)

CSV_HEADER = ("year", "committee", "cost_type", "amount_sek")
HUNDRED = Decimal(100)


QUANTUM = Decimal(1000)
"""The scenario's figures are whole thousands of kronor."""


def round_figure(amount: Decimal) -> Decimal:
    """Round an exact amount once, half away from zero, to the scenario's precision (tkr)."""
    return round_half_away(amount / QUANTUM) * QUANTUM


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """The scenario's cost for one year, committee and cost type, in whole thousands of kronor."""

    year: int
    committee: str
    cost_type: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ScenarioCosts:
    """A checked scenario and its cost per year, committee and cost type."""

    scenario: Scenario
    rows: tuple[ScenarioRow, ...]

    @property
    def total(self) -> Decimal:
        """The cost over all the scenario's years."""
        return sum((row.amount for row in self.rows), Decimal(0))

    def year_total(self, year: int) -> Decimal:
        """The cost of one year: the sum of its committee rows."""
        return sum((row.amount for row in self.rows if row.year == year), Decimal(0))


# --- The arithmetic ------------------------------------------------------------


def growth(scenario: Scenario, name: str, year: int) -> Decimal:
    """The factor from base-year prices to `year`: the product of each later year's rate."""
    factor = Decimal(1)
    for later in range(scenario.base_year + 1, year + 1):
        assumption = scenario.assumption(name, later)
        factor *= 1 + (assumption.percent if assumption else Decimal(0)) / HUNDRED
    return factor


def months_funded(position: ScenarioPosition, year: int) -> int:
    """Months of `year` from the position's start month on."""
    if position.start.year > year:
        return 0
    return 13 - position.start.month if position.start.year == year else 12


def po_fraction(scenario: Scenario, year: int) -> Decimal:
    """The year's PO rate as a fraction (0 when the scenario needs none that year)."""
    rate = scenario.assumption(PO_RATE, year)
    return rate.percent / HUNDRED if rate else Decimal(0)


def _count(scenario: Scenario, item: ScenarioPosition | ScenarioCost) -> int:
    """How many of the item the scenario has: one per area, or one."""
    return scenario.areas if item.per_area else 1


def exact_amounts(scenario: Scenario) -> dict[tuple[int, str, str], Decimal]:
    """Exact kronor per (year, committee, cost type), before any rounding."""
    amounts: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for year in scenario.years:
        salary_factor = growth(scenario, SALARY_INCREASE, year)
        price_factor = growth(scenario, PRICE_INDEX, year)
        for position in scenario.positions:
            salary = (
                position.monthly_salary
                * salary_factor
                * position.fte
                * months_funded(position, year)
                * _count(scenario, position)
            )
            amounts[(year, position.committee, "salary")] += salary
            amounts[(year, position.committee, "po")] += salary * po_fraction(scenario, year)
        for cost in scenario.costs:
            amount = cost.amount * price_factor * _count(scenario, cost)
            amounts[(year, cost.committee, "other")] += amount if cost.occurs_in(year) else 0
    return amounts


def compute_rows(scenario: Scenario) -> tuple[ScenarioRow, ...]:
    """The scenario's figures: each year × committee × cost type rounded once to whole tkr."""
    committees = scenario.committee_names
    amounts = exact_amounts(scenario)
    keys = sorted(
        amounts,
        key=lambda k: (k[0], committees.index(k[1]), COST_TYPES.index(k[2])),
    )
    return tuple(ScenarioRow(*key, round_figure(amounts[key])) for key in keys)


def unit_cost_per_area(scenario: Scenario) -> Decimal | None:
    """A year's cost per area in base-year prices, before indexation and start months.

    Positions count a full year at the first scenario year's PO rate; a cost
    item every n-th year counts 1/n of its amount; an item that occurs once is
    left out. What is not per area (central) is spread evenly over the areas.
    None when the scenario has no areas.
    """
    if scenario.areas < 1:
        return None
    po = po_fraction(scenario, scenario.first_year)
    total = Decimal(0)
    for position in scenario.positions:
        yearly = position.monthly_salary * position.fte * 12 * (1 + po)
        total += yearly * _count(scenario, position)
    for cost in scenario.costs:
        if cost.every:
            total += cost.amount / cost.every * _count(scenario, cost)
    return total / scenario.areas


def costs_of(scenario: Scenario) -> ScenarioCosts:
    """The cost rows of an already checked scenario."""
    return ScenarioCosts(scenario, compute_rows(scenario))


def scenario_records(rows: Sequence[ScenarioRow]) -> Table:
    """The CSV form: the yearly report's header, one row per year × committee × cost type."""
    kinds: tuple[Kind, ...] = ("int", "text", "text", "exact")
    columns = tuple(Column(key, key, kind) for key, kind in zip(CSV_HEADER, kinds, strict=True))
    body = tuple(Row((r.year, r.committee, r.cost_type, r.amount)) for r in rows)
    return Table("records", "records", columns, body)
