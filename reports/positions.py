"""Positions: FTE and payroll cost per committee and year, and each position's moves.

FTE per year is the average over the year (årsarbetare): each spell counts
its FTE for the days it is funded, divided by the days of the year, so a
position that moves on 1 September counts two thirds at one committee and one
third at the other. Payroll cost is the salary and PO booked on the
position's unit (see `ctc.reports.frame.position_of`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ctc.errors import UserError
from ctc.positions import ONE_DAY, Spell
from ctc.reports.frame import Frame
from ctc.reports.labels import label
from ctc.reports.result import Column, Report, Row, Table, year_rows
from ctc.reports.sources import (
    cite_id,
    decisions_footnote,
    files_footnote,
    notice,
    provenance,
)

ZERO = Decimal(0)


class PayrollCost:
    """Payroll cost is salary plus PO; FTE is FTE-days over the year's days.

    A mixin for the report's dataclasses. FTE is kept as FTE-days and divided
    once, so sums over positions stay exact (6 × 244 + 183 + 183 FTE-days over
    366 days is 5 årsarbetare, not 5.000…001).
    """

    __slots__ = ()
    year: int
    fte_days: Decimal
    salary: Decimal
    po: Decimal

    @property
    def fte(self) -> Decimal:
        """Average FTE over the year (årsarbetare)."""
        return self.fte_days / days_in(self.year)

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
    fte_days: Decimal
    """FTE × days funded under this committee in the year."""
    salary: Decimal
    po: Decimal


@dataclass(frozen=True, slots=True)
class CommitteeYear(PayrollCost):
    """A committee's positions in one year: FTE, how many, and their payroll cost."""

    year: int
    committee: str
    fte_days: Decimal
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


def funded_days(spell: Spell, year: int, until: datetime.date) -> int:
    """The days of `year` on which the spell funds its position, up to `until`."""
    first = max(spell.start, datetime.date(year, 1, 1))
    last = min(spell.end or until, datetime.date(year, 12, 31), until)
    return max((last - first).days + 1, 0)


def days_in(year: int) -> int:
    """The number of days of a year."""
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def position_years(frame: Frame, year: int | None = None) -> list[PositionYear]:
    """Every position's average FTE and payroll cost per year and committee."""
    until = datetime.date(last_year(frame), 12, 31)
    fte: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    latest: dict[tuple[int, str, str], Spell] = {}
    for ident, spells in frame.history.items():
        for spell in spells:
            end_year = (spell.end or until).year
            for y in range(spell.start.year, min(end_year, until.year) + 1):
                days = funded_days(spell, y, until)
                if not days:
                    continue
                key = (y, frame.committee_name(spell.municipality, spell.committee), ident)
                fte[key] += spell.fte * days
                latest[key] = spell
    salary: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    po: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
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
            fte.get((y, committee, ident), ZERO),
            salary.get((y, committee, ident), ZERO),
            po.get((y, committee, ident), ZERO),
        )
        for (y, committee, ident) in keys
    ]


def committee_years(rows: Sequence[PositionYear]) -> list[CommitteeYear]:
    """Sum positions' years per committee, keeping the rows' order."""
    groups: dict[tuple[int, str], list[PositionYear]] = defaultdict(list)
    for row in rows:
        groups[(row.year, row.committee)].append(row)
    return [
        CommitteeYear(
            y,
            committee,
            sum((r.fte_days for r in members), ZERO),
            sum(1 for r in members if r.fte_days > 0),
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


def committee_table(rows: Sequence[CommitteeYear], lang: str) -> Table:
    """FTE and payroll cost per committee and year, with a sum per year."""
    columns = (
        Column("year", label("year", lang), "year"),
        Column("committee", label("committee", lang)),
        Column("fte", label("fte_average", lang), "fte"),
        Column("positions", label("positions_count", lang), "int"),
        Column("salary", label("salary", lang), "money"),
        Column("po", label("po", lang), "money"),
        Column("cost", label("payroll_cost", lang), "money"),
    )
    body = year_rows(
        [(r.year, r.committee, r.fte, r.positions, r.salary, r.po, r.cost) for r in rows],
        label("sum", lang),
        label("total", lang),
        not_across_years=(0, 1),
    )
    return Table(
        label("sheet_positions_committee", lang),
        label("positions_committee_title", lang),
        columns,
        tuple(body),
    )


def position_table(rows: Sequence[PositionYear], lang: str) -> Table:
    """Each position's year: role, committee, area, FTE and payroll cost."""
    columns = (
        Column("year", label("year", lang), "year"),
        Column("position", label("position", lang)),
        Column("role", label("role", lang)),
        Column("committee", label("committee", lang)),
        Column("area", label("dim_area", lang)),
        Column("fte", label("fte_average", lang), "fte"),
        Column("cost", label("payroll_short", lang), "money"),
    )
    body = tuple(
        Row((r.year, r.position, r.role, r.committee, r.area or "", r.fte, r.cost)) for r in rows
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
            committee_table(committee_years(rows), lang),
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
