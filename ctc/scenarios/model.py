"""A scenario as data: what a programme would cost, and the directives a scenario file holds.

A scenario file holds only `custom "scenario…"` directives, so Beancount's own
parser reads it and every value keeps its file and line:

    custom "scenario"            the header: municipality, years, areas, base year
    custom "scenario-committee"  a committee involved
    custom "scenario-position"   a position (role, committee, FTE, start month)
    custom "scenario-cost"       another cost item, yearly or per survey round
    custom "scenario-assumption" salary increase, PO rate or price index for a year

Every position, cost item and assumption carries a `source` note. Amounts are
in the base year's prices; salaries grow by the yearly salary increase and
other costs by the price index, from the year after the base year. This
module holds the values only: `ctc.scenarios.parse` reads a file into them,
`ctc.scenarios.check` holds them against the ledger and `ctc.scenarios.render`
writes them back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ctc.accounts import INTERNAL_PURCHASE, KINDS

HEADER = "scenario"
COMMITTEE = "scenario-committee"
POSITION = "scenario-position"
COST = "scenario-cost"
ASSUMPTION = "scenario-assumption"
DIRECTIVES = (HEADER, COMMITTEE, POSITION, COST, ASSUMPTION)

SALARY_INCREASE = "salary-increase"
PO_RATE = "po-rate"
PRICE_INDEX = "price-index"
ASSUMPTIONS = (SALARY_INCREASE, PO_RATE, PRICE_INDEX)
"""The yearly assumptions a scenario can state, in report order."""

OTHER_KINDS: tuple[str, ...] = tuple(
    k for k in KINDS if k not in ("salary", "po", INTERNAL_PURCHASE)
)
"""The kinds of other cost a cost item can have: survey, training, licence, ...

Internal purchases are not among them: a scenario states what things cost,
not which unit of the city sells them.
"""

SURVEY = "survey"

FINANCING = {
    "kommunbidrag": "utökat kommunbidrag",
    "ram": "inom nämndernas befintliga ram",
}
"""The ways a scenario's cost can be financed (`financing:` in its header), in Swedish."""

ASSUMPTION_NAMES_SV = {
    SALARY_INCREASE: "löneökning",
    PO_RATE: "PO-sats",
    PRICE_INDEX: "prisindex",
}
"""How a report and an error name each assumption, in Swedish."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a directive stands: the file and line an error names."""

    filename: str
    lineno: int

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}"


def location_of(meta: dict[str, Any] | None) -> Location:
    """The file and line of a directive's metadata."""
    meta = meta or {}
    return Location(str(meta.get("filename", "<okänd fil>")), int(meta.get("lineno", 0)))


@dataclass(frozen=True, slots=True)
class ScenarioError:
    """A problem with one directive of a scenario file."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass(frozen=True, slots=True)
class ScenarioCommittee:
    """A committee the scenario involves, by its short name in the ledger."""

    short: str
    location: Location


@dataclass(frozen=True, slots=True)
class ScenarioPosition:
    """A position the scenario funds: a role, never a person."""

    role: str
    committee: str
    fte: Decimal
    """Degree of employment; for a position per area, the FTE in each area."""
    start: datetime.date
    """The first day of the start month."""
    monthly_salary: Decimal
    """Full-time monthly salary cost in the base year's prices."""
    per_area: bool
    """Whether the scenario has one such position in every area."""
    source: str
    location: Location


@dataclass(frozen=True, slots=True)
class ScenarioCost:
    """Another cost item: yearly, every n-th year (a survey round) or once."""

    kind: str
    committee: str
    amount: Decimal
    """Kronor per occurrence (and per area when `per_area`), base year's prices."""
    first_year: int
    every: int
    """1 for every year, 2 for every second year (a survey round); 0 for once."""
    per_area: bool
    text: str
    source: str
    location: Location

    def occurs_in(self, year: int) -> bool:
        """Whether the item falls in `year`."""
        if self.every == 0:
            return year == self.first_year
        return year >= self.first_year and (year - self.first_year) % self.every == 0


@dataclass(frozen=True, slots=True)
class Assumption:
    """A yearly percentage the scenario assumes, with where it comes from."""

    name: str
    year: int
    percent: Decimal
    source: str
    location: Location | None
    """None when the value comes from the ledger (a published PO rate)."""


def report_order(assumption: Assumption) -> tuple[int, int]:
    """Assumptions in report order: by name (salary, PO, price index), then by year."""
    return (ASSUMPTIONS.index(assumption.name), assumption.year)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A parsed scenario file."""

    path: Path
    name: str
    written: datetime.date
    municipality: str
    programme: str | None
    """The programme's short name; None means the ledger's own."""
    first_year: int
    last_year: int
    base_year: int
    """The year whose prices the amounts are stated in."""
    areas: int
    estimate: bool
    synthetic: bool
    source: str
    committees: tuple[ScenarioCommittee, ...]
    positions: tuple[ScenarioPosition, ...]
    costs: tuple[ScenarioCost, ...]
    assumptions: tuple[Assumption, ...]
    notes: dict[str, Any] = field(default_factory=dict)
    """Further header metadata (for a draft: what it was measured on)."""
    financing: str | None = None
    """How the cost is to be financed: `kommunbidrag` (added) or `ram` (within the frame)."""
    location: Location = Location("", 0)

    @property
    def committee_names(self) -> tuple[str, ...]:
        """The short names of the committees involved, in file order."""
        return tuple(c.short for c in self.committees)

    @property
    def items(self) -> tuple[ScenarioPosition | ScenarioCost, ...]:
        """Every position and cost item: what sits at a committee and may be per area."""
        return (*self.positions, *self.costs)

    @property
    def years(self) -> range:
        """The scenario's years, inclusive."""
        return range(self.first_year, self.last_year + 1)

    def assumption(self, name: str, year: int) -> Assumption | None:
        """The assumption `name` for `year`, or None if the scenario has none."""
        return next((a for a in self.assumptions if a.name == name and a.year == year), None)
