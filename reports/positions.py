"""Positions: FTE and payroll cost per committee and year, and each position's moves.

FTE per year is the average over the year (årsarbetare): each spell counts
FTE × the months it is funded / 12, a part month by its days, so a position
that moves on 1 September counts 8/12 at one committee and 4/12 at the
other, and a year's FTE over all committees is the FTE actually funded. A
position counts once per committee that funds it in the year, and once in
the year's sum, however often it moves. Days a position is vacant
(`position-vacant`) count as vacant FTE, not as people. Payroll cost is the
salary and PO booked on the position's unit (see
`ctc.reports.frame.position_of`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from ctc.errors import UserError
from ctc.positions import ONE_DAY, Spell
from ctc.reports.frame import Frame
from ctc.reports.labels import label
from ctc.reports.result import Cell, Column, Report, Row, Table, year_rows
from ctc.reports.sources import (
    cite_id,
    decisions_footnote,
    files_footnote,
    notice,
    provenance,
)

ZERO = Decimal(0)
NONE = Fraction(0)


def as_decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal, divided once (exact for whole months)."""
    return Decimal(value.numerator) / Decimal(value.denominator)


class PayrollCost:
    """Payroll cost is salary plus PO; FTE is FTE-months over twelve.

    A mixin for the report's dataclasses. FTE is kept as exact FTE-months
    (fractions, a part month by its days) and divided once, so sums over
    positions stay exact (6 × 8 + 2 × 4 FTE-months over 12 is 4⅔ årsarbetare,
    and 8 + 4 months of one position make exactly one).
    """

    __slots__ = ()
    year: int
    fte_months: Fraction
    vacant_months: Fraction
    salary: Decimal
    po: Decimal

    @property
    def fte(self) -> Decimal:
        """Average FTE over the year in which the position was filled (årsarbetare)."""
        return as_decimal(self.fte_months / 12)

    @property
    def vacant_fte(self) -> Decimal:
        """Average FTE over the year in which the position was funded but vacant."""
        return as_decimal(self.vacant_months / 12)

    @property
    def cost(self) -> Decimal:
        """Payroll cost: salary and PO."""
        return self.salary + self.po


@dataclass(frozen=True, slots=True)
class PositionYear(PayrollCost):
    """One position's year at one committee: average FTE and payroll cost."""

    year: int
    committee: str
    position: str
    role: str
    area: str | None
    fte_months: Fraction
    """FTE × months funded and filled under this committee in the year."""
    vacant_months: Fraction
    """FTE × months funded but vacant under this committee in the year."""
    salary: Decimal
    po: Decimal

    @property
    def funded(self) -> bool:
        """Whether the committee funds the position at some time in the year."""
        return self.fte_months > 0 or self.vacant_months > 0


@dataclass(frozen=True, slots=True)
class CommitteeYear(PayrollCost):
    """A committee's positions in one year: FTE, how many, and their payroll cost."""

    year: int
    committee: str
    fte_months: Fraction
    vacant_months: Fraction
    positions: int
    salary: Decimal
    po: Decimal


@dataclass(frozen=True, slots=True)
class Stint:
    """A stretch in which one committee funds a position: from opening or a move to the next."""

    position: str
    role: str
    committee: str
    area: str | None
    start: datetime.date
    end: datetime.date | None
    fte: Decimal
    """FTE at the start of the stint."""
    moved_from: str | None
    """The committee the position moved from; None when the stint opens it."""
    decision: str | None


def last_year(frame: Frame) -> int:
    """The last year the ledger speaks of: open positions are counted up to its end."""
    years = [line.year for line in frame.costs] + [line.year for line in frame.budget]
    years += [s.start.year for spells in frame.history.values() for s in spells]
    return max(years, default=1)


def funded_months(spell: Spell, year: int, until: datetime.date) -> Fraction:
    """The months of `year` in which the spell funds its position, up to `until`.

    A whole month counts 1, a part month its funded days over the month's days.
    """
    first = max(spell.start, datetime.date(year, 1, 1))
    last = min(spell.end or until, datetime.date(year, 12, 31), until)
    months = NONE
    while first <= last:
        month_end = _month_end(first)
        days = (min(last, month_end) - first).days + 1
        months += Fraction(days, month_end.day)
        first = month_end + ONE_DAY
    return months


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - ONE_DAY


YearKey = tuple[int, str, str]
"""(year, committee, position)."""


def _funded(frame: Frame, until: datetime.date) -> tuple[dict[YearKey, Fraction], ...]:
    """FTE-months filled and vacant per year, committee and position."""
    filled: dict[YearKey, Fraction] = defaultdict(Fraction)
    vacant: dict[YearKey, Fraction] = defaultdict(Fraction)
    for ident, spells in frame.history.items():
        for spell in spells:
            end_year = (spell.end or until).year
            for y in range(spell.start.year, min(end_year, until.year) + 1):
                months = funded_months(spell, y, until)
                if months:
                    key = (y, frame.committee_name(spell.municipality, spell.committee), ident)
                    (vacant if spell.vacant else filled)[key] += Fraction(spell.fte) * months
    return filled, vacant


def _latest(frame: Frame, until: datetime.date) -> dict[YearKey, Spell]:
    """The last spell of each year, committee and position (its role and area)."""
    latest: dict[YearKey, Spell] = {}
    for ident, spells in frame.history.items():
        for spell in spells:
            end_year = (spell.end or until).year
            for y in range(spell.start.year, min(end_year, until.year) + 1):
                if funded_months(spell, y, until):
                    key = (y, frame.committee_name(spell.municipality, spell.committee), ident)
                    latest[key] = spell
    return latest


def position_years(frame: Frame, year: int | None = None) -> list[PositionYear]:
    """Every position's average FTE and payroll cost per year and committee."""
    until = datetime.date(last_year(frame), 12, 31)
    filled, vacant = _funded(frame, until)
    latest = _latest(frame, until)
    salary: dict[YearKey, Decimal] = defaultdict(Decimal)
    po: dict[YearKey, Decimal] = defaultdict(Decimal)
    for line in frame.costs:
        if line.position is None:
            continue
        key = (line.year, frame.committee_name(line.municipality, line.committee), line.position)
        (salary if line.cost_type == "salary" else po)[key] += line.amount
        if key not in latest:
            latest[key] = frame.history[line.position][-1]
    committee_rank = {name: i for i, name in enumerate(frame.committee_order)}
    position_rank = {name: i for i, name in enumerate(frame.position_order)}
    keys = sorted(
        (k for k in latest if year is None or k[0] == year),
        key=lambda k: (
            k[0],
            committee_rank.get(k[1].split(":")[-1], len(committee_rank)),
            k[1],
            position_rank.get(k[2], len(position_rank)),
        ),
    )
    return [
        PositionYear(
            y,
            committee,
            ident,
            latest[(y, committee, ident)].role,
            latest[(y, committee, ident)].area,
            filled.get((y, committee, ident), NONE),
            vacant.get((y, committee, ident), NONE),
            salary.get((y, committee, ident), ZERO),
            po.get((y, committee, ident), ZERO),
        )
        for (y, committee, ident) in keys
    ]


def distinct_positions(rows: Sequence[PositionYear]) -> dict[int, int]:
    """Year -> how many distinct positions are funded in it, each counted once."""
    funded: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        if row.funded:
            funded[row.year].add(row.position)
    return {year: len(positions) for year, positions in funded.items()}


def committee_years(rows: Sequence[PositionYear]) -> list[CommitteeYear]:
    """Sum positions' years per committee, keeping the rows' order."""
    groups: dict[tuple[int, str], list[PositionYear]] = defaultdict(list)
    for row in rows:
        groups[(row.year, row.committee)].append(row)
    return [
        CommitteeYear(
            y,
            committee,
            sum((r.fte_months for r in members), NONE),
            sum((r.vacant_months for r in members), NONE),
            sum(1 for r in members if r.funded),
            sum((r.salary for r in members), ZERO),
            sum((r.po for r in members), ZERO),
        )
        for (y, committee), members in groups.items()
    ]


def stints(frame: Frame, positions: Sequence[str] | None = None) -> list[Stint]:
    """Each position's stints at a committee, with the decision that began each one.

    Consecutive spells at the same committee (salary revisions, FTE changes)
    merge into one stint; a move to another committee starts the next, and a
    position opened again after its end starts a new one.
    """
    result: list[Stint] = []
    for ident, spells in frame.history.items():
        if positions is not None and ident not in positions:
            continue
        previous: str | None = None
        for spell in spells:
            committee = frame.committee_name(spell.municipality, spell.committee)
            last_end = result[-1].end if previous is not None else None
            if last_end is None or spell.start - last_end != ONE_DAY:
                previous = None
            if previous == committee:
                result[-1] = replace(result[-1], end=spell.end, role=spell.role, area=spell.area)
                continue
            result.append(
                Stint(
                    position=ident,
                    role=spell.role,
                    committee=committee,
                    area=spell.area,
                    start=spell.start,
                    end=spell.end,
                    fte=spell.fte,
                    moved_from=previous,
                    decision=spell.decision,
                )
            )
            previous = committee
    return result


# --- The result shape -------------------------------------------------------------


def committee_table(
    rows: Sequence[CommitteeYear], lang: str, distinct: dict[int, int] | None = None
) -> Table:
    """FTE and payroll cost per committee and year, with a sum per year.

    The sum row of a year counts each position once (`distinct`), however many
    committees funded it that year. Vacant FTE gets a column when there is any.
    """
    vacancies = any(r.vacant_months for r in rows)
    columns = (
        Column("year", label("year", lang), "year"),
        Column("committee", label("committee", lang)),
        Column("fte", label("fte_average", lang), "fte"),
        *([Column("vacant_fte", label("vacant_fte", lang), "fte")] if vacancies else []),
        Column("positions", label("positions_count", lang), "int"),
        Column("salary", label("salary", lang), "money"),
        Column("po", label("po", lang), "money"),
        Column("cost", label("payroll_cost", lang), "money"),
    )
    items: list[tuple[Cell, ...]] = [
        (
            r.year,
            r.committee,
            r.fte,
            *([r.vacant_fte] if vacancies else []),
            r.positions,
            r.salary,
            r.po,
            r.cost,
        )
        for r in rows
    ]
    count = 4 if vacancies else 3
    body = year_rows(
        items,
        label("sum", lang),
        label("total", lang),
        not_across_years=range(count - 1),
    )
    if distinct is not None:
        body = counted_once(body, distinct, count)
    return Table(
        label("sheet_positions_committee", lang),
        label("positions_committee_title", lang),
        columns,
        tuple(body),
    )


def counted_once(body: Sequence[Row], distinct: dict[int, int], index: int) -> tuple[Row, ...]:
    """The rows with each year's sum row counting the year's distinct positions."""
    result = []
    year: Cell = None
    for row in body:
        if not row.total:
            year = row.cells[0]
        elif isinstance(year, int) and row.cells[index] is not None:
            cells = list(row.cells)
            cells[index] = distinct.get(year, 0)
            row = Row(tuple(cells), True)
        result.append(row)
    return tuple(result)


def position_table(rows: Sequence[PositionYear], lang: str) -> Table:
    """Each position's year: role, committee, area, FTE (and vacant FTE) and payroll cost."""
    vacancies = any(r.vacant_months for r in rows)
    columns = (
        Column("year", label("year", lang), "year"),
        Column("position", label("position", lang)),
        Column("role", label("role", lang)),
        Column("committee", label("committee", lang)),
        Column("area", label("dim_area", lang)),
        Column("fte", label("fte_average", lang), "fte"),
        *([Column("vacant_fte", label("vacant_fte", lang), "fte")] if vacancies else []),
        Column("cost", label("payroll_short", lang), "money"),
    )
    body = tuple(
        Row(
            (
                r.year,
                r.position,
                r.role,
                r.committee,
                r.area or "",
                r.fte,
                *([r.vacant_fte] if vacancies else []),
                r.cost,
            )
        )
        for r in rows
    )
    return Table(
        label("sheet_positions_each", lang), label("positions_each_title", lang), columns, body
    )


def history_table(frame: Frame, items: Sequence[Stint], lang: str) -> Table:
    """Each position's stints at committees, with the decision behind each."""
    columns = (
        Column("position", label("position", lang)),
        Column("committee", label("committee", lang)),
        Column("start", label("from_date", lang), "date"),
        Column("end", label("to_date", lang), "date"),
        Column("event", label("event", lang)),
        Column("decision", label("decision", lang)),
    )
    body = tuple(
        Row(
            (
                s.position,
                s.committee,
                s.start,
                s.end,
                label("moved_from", lang).format(committee=s.moved_from)
                if s.moved_from
                else label("opened", lang),
                cite_id(frame, s.decision, lang),
            )
        )
        for s in items
    )
    return Table(label("sheet_history", lang), label("history_title", lang), columns, body)


def position_records(rows: Sequence[PositionYear]) -> Table:
    """The CSV form: one row per year × committee × position."""
    columns = (
        Column("year", "year", "int"),
        Column("committee", "committee"),
        Column("position", "position"),
        Column("role", "role"),
        Column("area", "area"),
        Column("fte", "fte", "fte"),
        Column("salary_sek", "salary_sek", "exact"),
        Column("po_sek", "po_sek", "exact"),
        Column("cost_sek", "cost_sek", "exact"),
    )
    body = tuple(
        Row((r.year, r.committee, r.position, r.role, r.area or "", r.fte, r.salary, r.po, r.cost))
        for r in rows
    )
    return Table("records", "records", columns, body)


def positions_report(
    frame: Frame, year: int | None = None, unit: str = "tkr", lang: str = "sv"
) -> Report:
    """The positions report, in the result shape every writer reads."""
    rows = position_years(frame, year)
    if not rows:
        raise UserError(
            f"Inga tjänster finansieras {year}." if year else "Huvudboken har inga tjänster."
        )
    ids = list(dict.fromkeys(r.position for r in rows))
    costs = [
        line for line in frame.costs if line.position in ids and (year is None or line.year == year)
    ]
    span = str(year) if year else f"{rows[0].year}–{rows[-1].year}"
    history = stints(frame, ids)
    return Report(
        name="positions",
        title=label("positions_title", lang).format(
            programme=frame.programme, span=span, unit=unit
        ),
        tables=(
            committee_table(committee_years(rows), lang, distinct_positions(rows)),
            position_table(rows, lang),
            history_table(frame, history, lang),
        ),
        records=position_records(rows),
        provenance=provenance(frame, [("--year", year)]),
        notice=notice(frame, lang),
        footnotes=(
            label("note_fte", lang),
            label("note_payroll", lang),
            *decisions_footnote(frame, costs, (), lang, (s.decision for s in history)),
            files_footnote(frame, costs, lang),
        ),
        unit=unit,
        lang=lang,
    )
