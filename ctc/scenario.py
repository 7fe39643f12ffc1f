"""Scenarios: what a programme would cost, as data in a Beancount file of its own.

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
module parses a file into a `Scenario` and reports every malformed directive
with its line; `ctc.scenario_check` then holds it against the ledger.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import parser

from ctc.accounts import KINDS
from ctc.errors import UserError

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

OTHER_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k not in ("salary", "po"))
"""The kinds of other cost a cost item can have: survey, training, licence, ..."""

SURVEY = "survey"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a directive stands: the file and line an error names."""

    filename: str
    lineno: int

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}"


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
    location: Location = Location("", 0)

    @property
    def committee_names(self) -> tuple[str, ...]:
        """The short names of the committees involved, in file order."""
        return tuple(c.short for c in self.committees)

    @property
    def years(self) -> range:
        """The scenario's years, inclusive."""
        return range(self.first_year, self.last_year + 1)

    def assumption(self, name: str, year: int) -> Assumption | None:
        """The assumption `name` for `year`, or None if the scenario has none."""
        return next((a for a in self.assumptions if a.name == name and a.year == year), None)


# --- Reading metadata -----------------------------------------------------------


class _Reader:
    """Reads one directive's values and metadata, collecting its problems."""

    def __init__(self, entry: data.Custom, errors: list[ScenarioError]) -> None:
        self.entry = entry
        self.errors = errors
        self.location = location_of(entry.meta)
        self.ok = True

    def fail(self, message: str) -> None:
        if self.ok:
            self.errors.append(ScenarioError(self.location, message))
        self.ok = False

    def only(self, *keys: str) -> None:
        """Refuse metadata the directive does not know: a misspelt key must not pass silently."""
        allowed = {*keys, "note", "filename", "lineno"}
        unknown = [
            key for key in self.entry.meta if key not in allowed and not key.startswith("__")
        ]
        if unknown:
            known = ", ".join(k for k in (*keys, "note"))
            self.fail(f"Okänt fält {unknown[0]}; {self.entry.type} känner {known}.")

    def value(self, index: int, kind: type, what: str) -> Any:
        values = self.entry.values
        value = values[index].value if len(values) > index else None
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.fail(f"{what} saknas eller har fel typ.")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str:
        value = self.entry.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{key}: saknas.")
            return ""
        if not isinstance(value, str):
            self.fail(f"{key}: ska vara text inom citattecken.")
            return ""
        return value.strip()

    def number(self, key: str, default: Decimal | None = None) -> Decimal | None:
        value = self.entry.meta.get(key, default)
        if value is None:
            self.fail(f"{key}: saknas.")
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal):
            self.fail(f"{key}: ska vara ett tal, inte {value!r}.")
            return None
        return value

    def whole(self, key: str, default: int | None = None, minimum: int = 0) -> int:
        value = self.number(key, None if default is None else Decimal(default))
        if value is None:
            return minimum
        if value != value.to_integral_value() or value < minimum:
            self.fail(f"{key}: ska vara ett heltal, minst {minimum}, inte {value}.")
            return minimum
        return int(value)

    def flag(self, key: str) -> bool:
        value = self.entry.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{key}: ska vara TRUE eller FALSE.")
            return False
        return value

    def sek(self, value: Any, what: str) -> Decimal:
        if not isinstance(value, Amount) or value.currency != "SEK" or value.number is None:
            self.fail(f"{what} ska vara ett belopp i SEK, till exempel 41000 SEK.")
            return Decimal(0)
        if value.number < 0:
            self.fail(f"{what} får inte vara negativt.")
        return value.number


def location_of(meta: dict[str, Any] | None) -> Location:
    """The file and line of a directive's metadata."""
    meta = meta or {}
    return Location(str(meta.get("filename", "<okänd fil>")), int(meta.get("lineno", 0)))


HEADER_KEYS = frozenset(
    {
        "municipality",
        "programme",
        "first_year",
        "last_year",
        "base_year",
        "areas",
        "estimate",
        "synthetic",
        "source",
        "filename",
        "lineno",
    }
)


def _header(entry: data.Custom, errors: list[ScenarioError]) -> dict[str, Any]:
    read = _Reader(entry, errors)
    name = read.value(0, str, "Scenariots namn")
    first = read.whole("first_year", minimum=1900)
    last = read.whole("last_year", minimum=1900)
    fields = {
        "name": name or "",
        "written": entry.date,
        "municipality": read.text("municipality"),
        "programme": read.text("programme", required=False) or None,
        "first_year": first,
        "last_year": last,
        "base_year": read.whole("base_year", default=first, minimum=1900),
        "areas": read.whole("areas", minimum=0),
        "estimate": read.flag("estimate"),
        "synthetic": read.flag("synthetic"),
        "source": read.text("source"),
        "notes": {k: v for k, v in entry.meta.items() if k not in HEADER_KEYS},
        "location": read.location,
    }
    if read.ok and first > last:
        read.fail(f"first_year {first} ligger efter last_year {last}.")
    elif read.ok and fields["base_year"] > first:
        read.fail(
            f"base_year {fields['base_year']} ligger efter first_year {first}; "
            "beloppen ska anges i ett år före eller lika med scenariots första år."
        )
    return fields


def _position(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioPosition | None:
    read = _Reader(entry, errors)
    read.only("committee", "fte", "per_area", "monthly_salary", "source")
    role = read.value(0, str, "Tjänstens roll")
    committee = read.text("committee")
    fte = read.number("fte")
    if fte is not None and not (0 < fte <= 1):
        read.fail(
            f"FTE (tjänstgöringsgrad) ska vara större än 0 och högst 1, inte {fte}; "
            "dela upp en större tjänst i flera."
        )
    if entry.date.day != 1:
        read.fail(f"En tjänst börjar den 1 i en månad, inte {entry.date}.")
    salary = read.sek(entry.meta.get("monthly_salary"), "monthly_salary")
    per_area = read.flag("per_area")
    source = read.text("source")
    if not read.ok:
        return None
    return ScenarioPosition(
        role.strip(), committee, fte, entry.date, salary, per_area, source, read.location
    )


def _cost(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioCost | None:
    read = _Reader(entry, errors)
    read.only("committee", "per_area", "every", "once", "text", "source")
    kind = read.value(0, str, "Kostnadens slag")
    if kind is not None and kind not in OTHER_KINDS:
        read.fail(f"Okänt kostnadsslag {kind!r}; välj {', '.join(OTHER_KINDS)}.")
    amount = read.sek(entry.values[1].value if len(entry.values) > 1 else None, "Beloppet")
    committee = read.text("committee")
    once = read.flag("once")
    every = read.whole("every", default=1, minimum=1)
    per_area = read.flag("per_area")
    text = read.text("text", required=False)
    source = read.text("source")
    if not read.ok:
        return None
    return ScenarioCost(
        kind,
        committee,
        amount,
        entry.date.year,
        0 if once else every,
        per_area,
        text or kind,
        source,
        read.location,
    )


def _assumption(entry: data.Custom, errors: list[ScenarioError]) -> Assumption | None:
    read = _Reader(entry, errors)
    read.only("source")
    name = read.value(0, str, "Antagandets namn")
    if name is not None and name not in ASSUMPTIONS:
        read.fail(f"Okänt antagande {name!r}; välj {', '.join(ASSUMPTIONS)}.")
    percent = read.value(1, Decimal, "Procentsatsen")
    if percent is not None and not (-50 < percent < 100):
        read.fail(f"Procentsatsen {percent} är orimlig; ange procent, till exempel 2.5.")
    if (entry.date.month, entry.date.day) != (1, 1):
        read.fail("Ett antagande gäller ett kalenderår och dateras den 1 januari.")
    source = read.text("source")
    if not read.ok:
        return None
    return Assumption(name, entry.date.year, percent, source, read.location)


def _committee(entry: data.Custom, errors: list[ScenarioError]) -> ScenarioCommittee | None:
    read = _Reader(entry, errors)
    read.only()
    short = read.value(0, str, "Nämndens kortnamn")
    if read.ok and not short.strip():
        read.fail("Nämndens kortnamn saknas.")
    return ScenarioCommittee(short.strip(), read.location) if read.ok else None


def parse_entries(
    entries: list[data.Directive], path: Path
) -> tuple[Scenario | None, list[ScenarioError]]:
    """Build a scenario from parsed directives; report every malformed one."""
    errors: list[ScenarioError] = []
    headers: list[dict[str, Any]] = []
    committees: list[ScenarioCommittee] = []
    positions: list[ScenarioPosition] = []
    costs: list[ScenarioCost] = []
    assumptions: list[Assumption] = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type not in DIRECTIVES:
            kinds = ", ".join(f'custom "{d}"' for d in DIRECTIVES)
            errors.append(
                ScenarioError(
                    location_of(entry.meta),
                    f"En scenariofil innehåller bara {kinds}; det här är inget av dem.",
                )
            )
        elif entry.type == HEADER:
            headers.append(_header(entry, errors))
        elif entry.type == COMMITTEE:
            if (committee := _committee(entry, errors)) is not None:
                if committee.short in (c.short for c in committees):
                    errors.append(
                        ScenarioError(
                            committee.location, f"Nämnden {committee.short} står redan med."
                        )
                    )
                else:
                    committees.append(committee)
        elif entry.type == POSITION:
            if (position := _position(entry, errors)) is not None:
                positions.append(position)
        elif entry.type == COST:
            if (cost := _cost(entry, errors)) is not None:
                costs.append(cost)
        elif (assumption := _assumption(entry, errors)) is not None:
            seen = [
                a for a in assumptions if (a.name, a.year) == (assumption.name, assumption.year)
            ]
            if seen:
                errors.append(
                    ScenarioError(
                        assumption.location or Location(str(path), 0),
                        f"Antagandet {assumption.name} för {assumption.year} finns redan på rad "
                        f"{seen[0].location.lineno if seen[0].location else 0}.",
                    )
                )
            else:
                assumptions.append(assumption)
    if len(headers) != 1:
        where = headers[1]["location"] if len(headers) > 1 else Location(str(path), 1)
        errors.append(
            ScenarioError(
                where,
                f'En scenariofil har exakt ett custom "{HEADER}"-direktiv, inte {len(headers)}.',
            )
        )
        return None, errors
    scenario = Scenario(
        path=path,
        committees=tuple(committees),
        positions=tuple(positions),
        costs=tuple(costs),
        assumptions=tuple(sorted(assumptions, key=lambda a: (ASSUMPTIONS.index(a.name), a.year))),
        **headers[0],
    )
    return scenario, errors


def parse_scenario(path: Path) -> tuple[Scenario | None, list[ScenarioError]]:
    """Parse a scenario file; Beancount's syntax errors come first, with their lines."""
    if not path.is_file():
        raise UserError(f"Scenariofilen {path} finns inte.")
    entries, syntax_errors, _ = parser.parse_file(str(path))
    errors = [
        ScenarioError(location_of(e.source), " ".join(str(e.message).split()))
        for e in syntax_errors
    ]
    scenario, problems = parse_entries(entries, path)
    return scenario, errors + problems
