"""Unit costs measured on the ledger's own history: the ground a scenario stands on.

`measure_actuals` measures one municipality's programme over its full actual
years: what it cost per area and year, how many FTE of each role it funded
per area, what each role cost per full-time month, the PO share of salary and
the mix of other costs. Amounts stay in each year's own prices (nothing is
deflated); they are summed over the measured years and divided by them.

The cost lines, the positions and the areas come from the loaded ledger's
Frame and registers (`ctc.ledger.Ledger`), narrowed to the municipality of
the ledger's import mapping. The measure is gross cost: income is left out
(what another city would earn is not known), and so are internal purchases
the city-wide totals eliminate (the selling unit's costs are counted). A cost line belongs to the area its entry names
(`area`, written at import from the mapping); every other line is central
(gemensamt) and is spread evenly over the areas, each area bearing 1/n of it.
Payroll lines are attributed to positions through the responsibility code
(`unit`) the position register gives each position.

A year is full when the programme books costs in all twelve months, every
area has a position funded all year, and no position changes committee during
the year. The measurement runs over the longest unbroken run of full years
(the latest, on a tie); every other year is named with the reason it is left
out.
"""

from __future__ import annotations

import calendar
import datetime
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.accounts import INTERNAL_PURCHASE
from ctc.errors import UserError
from ctc.positions import History, Spell
from ctc.registers import PoRateRegister
from ctc.reports.frame import CostLine

if TYPE_CHECKING:
    from ctc.ledger import Ledger

PERSONNEL = ("salary", "po")


@dataclass(frozen=True, slots=True)
class YearVerdict:
    """Whether a year is a full actual year, and if not, why (in Swedish)."""

    year: int
    full: bool
    reason: str


@dataclass(frozen=True, slots=True)
class RoleMeasure:
    """What one role cost over the measured years."""

    role: str
    central: bool
    """True for positions with no area: their cost is spread over the areas."""
    fte_months: Decimal
    """FTE times the share of each month funded, summed over positions and months."""
    salary: Decimal
    po: Decimal
    positions: tuple[str, ...]
    largest_fte: Decimal = Decimal(1)
    """The FTE of the role's largest single position in the measured years."""

    @property
    def fte_years(self) -> Decimal:
        """FTE-years funded: full-time months over twelve."""
        return self.fte_months / 12

    @property
    def monthly_salary(self) -> Decimal:
        """Booked salary per full-time month (holiday pay and vacancies included)."""
        return self.salary / self.fte_months


@dataclass(frozen=True, slots=True)
class LatestSalary:
    """The latest full-time monthly salary the position register holds for a role."""

    role: str
    central: bool
    salary: Decimal
    """The highest of the role's positions, on the day of the ledger's last booked cost."""
    since: datetime.date
    """The day that salary took effect (a revision or the position's start)."""
    position: str


@dataclass(frozen=True, slots=True)
class KindMeasure:
    """What one kind of other cost came to over the measured years."""

    kind: str
    central: bool
    amount: Decimal
    years: tuple[int, ...]
    """The measured years in which the kind had any cost (the survey's rounds)."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """A municipality's programme measured over its full actual years."""

    municipality: str
    programme: str
    years: tuple[int, ...]
    verdicts: tuple[YearVerdict, ...]
    areas: tuple[str, ...]
    entries: int
    """How many transactions the measured cost lines come from."""
    files: tuple[str, ...]
    """The ledger files those transactions stand in."""
    total: Decimal
    area_own: tuple[tuple[str, Decimal], ...]
    """Each area's own cost (lines on its units) over the measured years."""
    central: Decimal
    by_type: tuple[tuple[str, Decimal], ...]
    roles: tuple[RoleMeasure, ...]
    kinds: tuple[KindMeasure, ...]
    salary_revision: Decimal | None
    """The average yearly salary revision in the position register, in per cent."""
    synthetic: bool
    municipality_name: str = ""
    """The municipality as written (`Malmö`); `municipality` is the ledger's key (`Malmo`)."""
    latest: tuple[LatestSalary, ...] = ()
    """Each role's latest salary in the position register: the floor of a scenario's salary."""
    startup: tuple[KindMeasure, ...] = ()
    """Training booked before the measured years: what starting the programme cost."""
    po_rates: PoRateRegister = field(default_factory=dict)
    """The ledger's PO rates per year (SKR's published ones, or estimates)."""

    @property
    def mid_year(self) -> Decimal:
        """The middle of the measured years: the price level of their averages."""
        return Decimal(self.years[0] + self.years[-1]) / 2

    @property
    def span(self) -> str:
        """The measured years as `2019–2023`."""
        return f"{self.years[0]}–{self.years[-1]}"

    @property
    def cost_per_area(self) -> Decimal:
        """The cost per area and year: all cost over areas and years (exact)."""
        return self.total / len(self.areas) / len(self.years)

    def area_cost_per_year(self, area: str) -> Decimal:
        """One area's own yearly cost plus its share of the central cost (exact)."""
        own = dict(self.area_own).get(area, Decimal(0))
        return (own + self.central / len(self.areas)) / len(self.years)

    @property
    def po_percent(self) -> Decimal:
        """PO as a percentage of salary over the measured years (exact)."""
        salary = sum((r.salary for r in self.roles), Decimal(0))
        po = sum((r.po for r in self.roles), Decimal(0))
        return po / salary * 100 if salary else Decimal(0)


# --- Full years -------------------------------------------------------------------


def _month_days(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a month."""
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def _area_covered(history: History, area: str, year: int) -> bool:
    """Whether some position of the area is funded on every first and last day of the year's months."""
    for spells in history.values():
        days = [day for month in range(1, 13) for day in _month_days(year, month)]
        if all(any(s.covers(d) and s.area == area for s in spells) for d in days):
            return True
    return False


def _moves_in(history: History, year: int) -> int:
    """How many positions change committee during `year`."""
    moved = 0
    for spells in history.values():
        pairs = itertools.pairwise(spells)
        moved += any(b.start.year == year and a.committee != b.committee for a, b in pairs)
    return moved


def _verdict(year: int, booked_months: int, history: History, areas: Sequence[str]) -> YearVerdict:
    """Whether one year is full: costs in every month, every area staffed, no reorganisation."""
    uncovered = [a for a in areas if not _area_covered(history, a, year)]
    moves = _moves_in(history, year)
    if booked_months < 12:
        return YearVerdict(year, False, f"delår: kostnader saknas i {12 - booked_months} månader")
    if uncovered:
        reason = f"delår: {len(uncovered)} av {len(areas)} områden saknar en tjänst hela året"
        return YearVerdict(year, False, reason)
    if moves:
        return YearVerdict(year, False, f"omorganisation: {moves} tjänster bytte nämnd under året")
    return YearVerdict(year, True, "helt år")


def judge_years(
    lines: Sequence[CostLine], history: History, areas: Sequence[str]
) -> tuple[YearVerdict, ...]:
    """Each year with booked cost: full, or not and why."""
    months: dict[int, set[int]] = defaultdict(set)
    for line in lines:
        months[line.year].add(line.date.month)
    return tuple(_verdict(year, len(months[year]), history, areas) for year in sorted(months))


def longest_full_run(verdicts: Sequence[YearVerdict]) -> tuple[int, ...]:
    """The longest unbroken run of full years; the latest on a tie."""
    best: list[int] = []
    run: list[int] = []
    for verdict in verdicts:
        if verdict.full and (not run or verdict.year == run[-1] + 1):
            run.append(verdict.year)
        else:
            run = [verdict.year] if verdict.full else []
        if len(run) >= len(best):
            best = list(run)
    return tuple(best)


# --- Measuring ----------------------------------------------------------------------


def _position_of(line: CostLine, units: dict[str, list[Spell]]) -> Spell:
    """The spell a payroll line was booked on: its responsibility code's, covering its date.

    Stricter than the Frame's attribution (which also takes the last holder of
    the unit): a salary measured per role must belong to a funded position,
    so a line that does not is a problem to fix in the register, not a guess.
    """
    code = str(line.entry.meta.get("responsibility", ""))
    spell = next((s for s in units.get(code, []) if s.covers(line.date)), None)
    if spell is None:
        meta = line.entry.meta
        raise UserError(
            f"{meta.get('filename')}:{meta.get('lineno')}: personalkostnaden på ansvar {code} "
            f"den {line.date} hör inte till någon tjänst i registret (unit); lön per roll kan "
            "inte mätas."
        )
    return spell


def _fte_months(spell: Spell, years: Sequence[int]) -> Decimal:
    """FTE times the share of each month of the years the spell covers, summed."""
    total = Decimal(0)
    for year in years:
        for month in range(1, 13):
            first, last = _month_days(year, month)
            start = max(first, spell.start)
            end = min(last, spell.end or last)
            if start <= end:
                days = (end - start).days + 1
                total += spell.fte if days == last.day else spell.fte * days / last.day
    return total


RoleKey = tuple[str, bool]
"""(role, central): a role's positions in the areas and its central ones are measured apart."""


def _funded(
    history: History, years: Sequence[int]
) -> tuple[dict[RoleKey, Decimal], dict[RoleKey, set[str]]]:
    """Full-time months funded and filled per role over the years, and the positions that had them.

    Vacant months (`position-vacant`) pay no salary, so they are left out.
    """
    fte: dict[RoleKey, Decimal] = defaultdict(Decimal)
    idents: dict[RoleKey, set[str]] = defaultdict(set)
    for ident, spells in history.items():
        for spell in spells:
            share = Decimal(0) if spell.vacant else _fte_months(spell, years)
            if share:
                key = (spell.role, spell.area is None)
                fte[key] += share
                idents[key].add(ident)
    return fte, idents


def _payroll(lines: Sequence[CostLine], history: History) -> dict[tuple[str, bool, str], Decimal]:
    """Salary and PO booked per role: (role, central, cost type) -> amount."""
    units: dict[str, list[Spell]] = defaultdict(list)
    for spells in history.values():
        for spell in spells:
            if spell.unit:
                units[spell.unit].append(spell)
    sums: dict[tuple[str, bool, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.cost_type in PERSONNEL:
            spell = _position_of(line, units)
            sums[(spell.role, spell.area is None, line.cost_type)] += line.amount
    return sums


def _roles(
    lines: Sequence[CostLine], history: History, years: Sequence[int]
) -> tuple[RoleMeasure, ...]:
    """What each role cost: the area roles first, then by FTE funded, largest first."""
    fte, idents = _funded(history, years)
    sums = _payroll(lines, history)
    largest: dict[RoleKey, Decimal] = defaultdict(Decimal)
    for spells in history.values():
        for spell in spells:
            key = (spell.role, spell.area is None)
            if key in fte and _fte_months(spell, years):
                largest[key] = max(largest[key], spell.fte)
    return tuple(
        RoleMeasure(
            role,
            central,
            fte[(role, central)],
            sums[(role, central, "salary")],
            sums[(role, central, "po")],
            tuple(sorted(idents[(role, central)])),
            largest[(role, central)],
        )
        for role, central in sorted(fte, key=lambda k: (k[1], -fte[k], k[0]))
    )


def latest_salaries(history: History, day: datetime.date) -> tuple[LatestSalary, ...]:
    """Each role's highest full-time salary in the register on `day` (or a position's last)."""
    found: dict[RoleKey, LatestSalary] = {}
    for ident, spells in history.items():
        current = [s for s in spells if s.start <= day]
        if not current:
            continue
        spell = current[-1]
        key = (spell.role, spell.area is None)
        seen = found.get(key)
        if seen is None or spell.monthly_salary > seen.salary:
            found[key] = LatestSalary(spell.role, key[1], spell.monthly_salary, spell.start, ident)
    return tuple(found[key] for key in sorted(found, key=lambda k: (k[1], k[0])))


def _startup(lines: Sequence[CostLine], first: int) -> tuple[KindMeasure, ...]:
    """The training booked before the first measured year: the cost of starting up."""
    early = [line for line in lines if line.year < first and line.kind == "training"]
    if not early:
        return ()
    amount = sum((line.amount for line in early), Decimal(0))
    return (KindMeasure("training", True, amount, tuple(sorted({line.year for line in early}))),)


def _revision(history: History, years: Sequence[int]) -> Decimal | None:
    """The average of each year's mean salary revision (position-change with a new salary)."""
    per_year: dict[int, list[Decimal]] = defaultdict(list)
    for spells in history.values():
        for before, after in itertools.pairwise(spells):
            if after.start.year in years and after.monthly_salary != before.monthly_salary:
                per_year[after.start.year].append(after.monthly_salary / before.monthly_salary - 1)
    if not per_year:
        return None
    means = [sum(v, Decimal(0)) / len(v) for v in per_year.values()]
    return sum(means, Decimal(0)) / len(means) * 100


def _relative(filename: str, root: Path) -> str:
    """A ledger file's name relative to the ledger's folder, as a reader refers to it."""
    path = Path(filename)
    return str(path.relative_to(root)) if path.is_relative_to(root) else filename


def measured_years(
    verdicts: Sequence[YearVerdict],
    municipality: str,
    from_year: int | None,
    to_year: int | None,
) -> tuple[int, ...]:
    """The years to measure: the longest run of full years, or the span asked for.

    A span asked for must run forwards and have booked cost in every year
    (either end open: the first or last booked year).
    """
    booked = [v.year for v in verdicts]
    if from_year is None and to_year is None:
        years = longest_full_run(verdicts)
        if not years:
            raise UserError(f"Huvudboken har inget helt år med kostnader för {municipality}.")
        return years
    first = from_year if from_year is not None else min(booked, default=0)
    last = to_year if to_year is not None else max(booked, default=0)
    if first > last:
        raise UserError(f"Mätperioden {first}–{last} är baklänges.")
    years = tuple(range(first, last + 1))
    empty = [y for y in years if y not in booked]
    if empty:
        raise UserError(f"Huvudboken har inga kostnader för {municipality} år {empty[0]}.")
    return years


def _area_own(lines: Sequence[CostLine], areas: Sequence[str]) -> tuple[tuple[str, Decimal], ...]:
    """Each area's own cost: the lines booked on it, in the register's area order."""
    own: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.area is not None:
            own[line.area] += line.amount
    return tuple((area, own[area]) for area in areas)


def _by_type(lines: Sequence[CostLine]) -> tuple[tuple[str, Decimal], ...]:
    """The cost of each cost type, in the order the lines first show it."""
    by_type: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_type[line.cost_type] += line.amount
    return tuple(by_type.items())


def _kinds(lines: Sequence[CostLine]) -> tuple[KindMeasure, ...]:
    """Each kind of other cost, an area's and the central apart (area's first, by kind)."""
    amounts: dict[tuple[str, bool], Decimal] = defaultdict(Decimal)
    years: dict[tuple[str, bool], set[int]] = defaultdict(set)
    for line in lines:
        if line.cost_type not in PERSONNEL:
            kind = "other" if line.kind == INTERNAL_PURCHASE else line.kind
            key = (kind, line.area is None)
            amounts[key] += line.amount
            years[key].add(line.year)
    return tuple(
        KindMeasure(kind, central, amounts[(kind, central)], tuple(sorted(years[(kind, central)])))
        for kind, central in sorted(amounts, key=lambda k: (k[1], k[0]))
    )


def gross_lines(lines: Sequence[CostLine]) -> list[CostLine]:
    """The cost lines a unit cost is measured on: no income, no eliminated internal purchase."""
    return [line for line in lines if not line.is_income and not line.eliminated]


def _areas_of(ledger: Ledger, municipality: str) -> tuple[str, ...]:
    """The municipality's areas in register order; a ledger without any cannot be measured."""
    areas = ledger.registers.area_names(municipality)
    if not areas:
        raise UserError(f'Huvudboken har inga områden för {municipality} (custom "area").')
    return areas


def measure_actuals(
    ledger: Ledger, from_year: int | None = None, to_year: int | None = None
) -> Measurement:
    """Measure the programme's unit costs over its full actual years (or the years given).

    The municipality measured is the one the ledger's import mapping books
    for: its own costs are what the ledger knows best.
    """
    municipality = ledger.require_mapping().municipality
    areas = _areas_of(ledger, municipality)
    frame = ledger.frame.of_municipality(municipality)
    costs = gross_lines(frame.costs)
    verdicts = judge_years(costs, frame.history, areas)
    years = measured_years(verdicts, municipality, from_year, to_year)
    lines = [line for line in costs if years[0] <= line.year <= years[-1]]
    root = ledger.path.resolve().parent
    last_day = max((line.date for line in costs), default=datetime.date(years[-1], 12, 31))
    return Measurement(
        municipality=municipality,
        programme=frame.programme,
        years=years,
        verdicts=verdicts,
        areas=areas,
        entries=len({id(line.entry) for line in lines}),
        files=tuple(sorted({_relative(str(line.entry.meta["filename"]), root) for line in lines})),
        total=sum((line.amount for line in lines), Decimal(0)),
        area_own=_area_own(lines, areas),
        central=sum((line.amount for line in lines if line.area is None), Decimal(0)),
        by_type=_by_type(lines),
        roles=_roles(lines, frame.history, years),
        kinds=_kinds(lines),
        salary_revision=_revision(frame.history, years),
        synthetic=frame.options.synthetic,
        municipality_name=ledger.registers.municipality_name(municipality),
        latest=latest_salaries(frame.history, last_day),
        startup=_startup(costs, years[0]),
        po_rates=dict(ledger.registers.po_rates),
    )
