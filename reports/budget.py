"""Kommunbidrag against cost: each committee's budget deviation per year.

A committee's kommunbidrag for a year is KF's allocation plus the växlingar
dated that year (the applicable months of a change, and the full-year effect
of an earlier one), except a full-year effect the allocation already
includes, which counts once. Its net cost is its gross cost minus its own
income, internal purchases and sales included (they are real to the
committee). Its budget deviation is kommunbidrag minus net cost: positive is
a surplus, negative a deficit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.errors import UserError
from ctc.reports.frame import ALLOCATION, BudgetLine, CostLine, Frame
from ctc.reports.labels import label
from ctc.reports.result import Column, Report, Row, Table, year_rows
from ctc.reports.sources import decisions_footnote, files_footnote, notice, provenance

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One committee's year: kommunbidrag (allocation and växlingar), cost, income, deviation.

    Cost and income are the committee's own, internal items included: its
    internal purchases are real cost to it and its internal sales real income.
    """

    year: int
    committee: str
    allocation: Decimal
    transfers: Decimal
    gross: Decimal
    """Gross cost: every cost booked (positive)."""
    income: Decimal = ZERO
    """Income booked, external and internal (positive)."""
    internal_cost: Decimal = ZERO
    """Of the gross cost, internal purchases from other units of the city."""
    internal_income: Decimal = ZERO
    """Of the income, internal sales to other units of the city."""

    @property
    def kommunbidrag(self) -> Decimal:
        """The year's kommunbidrag: allocation plus växlingar."""
        return self.allocation + self.transfers

    @property
    def cost(self) -> Decimal:
        """Net cost: gross cost minus income."""
        return self.gross - self.income

    @property
    def deviation(self) -> Decimal:
        """Budget deviation: kommunbidrag minus net cost (positive is a surplus)."""
        return self.kommunbidrag - self.cost


Sums = dict[tuple[int, str], Decimal]
"""(year, committee) -> an amount."""

FIGURES = ("allocation", "transfers", "gross", "income", "internal_cost", "internal_income")
"""The summed figures of a `BudgetRow`, in its field order."""


def _cost_figure(line: CostLine) -> tuple[str, ...]:
    """Which figures a cost or income line adds to (income lines are negative costs)."""
    if line.is_income:
        return ("income", "internal_income") if line.internal else ("income",)
    return ("gross", "internal_cost") if line.internal else ("gross",)


def _sums(frame: Frame, chosen: Frame) -> dict[str, Sums]:
    """Each figure per year and committee, from the chosen frame's budget and cost lines."""
    sums: dict[str, Sums] = {name: defaultdict(Decimal) for name in FIGURES}
    for change in chosen.budget:
        if change.included_in is not None:
            continue
        key = (change.year, frame.committee_name(change.municipality, change.committee))
        sums["allocation" if change.kind == ALLOCATION else "transfers"][key] += change.amount
    for line in chosen.costs:
        key = (line.year, frame.committee_name(line.municipality, line.committee))
        sign = -1 if line.is_income else 1
        for name in _cost_figure(line):
            sums[name][key] += sign * line.amount
    return sums


def budget_rows(frame: Frame, year: int | None = None) -> list[BudgetRow]:
    """Every committee's kommunbidrag, cost, income and deviation per year (or in one year).

    A växling's full-year effect that an allocation already includes
    (`BudgetLine.included_in`) is counted once, in the allocation.
    """
    sums = _sums(frame, frame.within(year, year))
    keys = {key for figure in sums.values() for key in figure}
    if not keys:
        raise UserError(f"Inga kommunbidrag eller kostnader för programmet {year}.")
    rank = {name: i for i, name in enumerate(frame.committee_order)}
    ordered = sorted(keys, key=lambda k: (k[0], rank.get(k[1].split(":")[-1], len(rank)), k[1]))
    return [
        BudgetRow(y, c, *(sums[name].get((y, c), ZERO) for name in FIGURES)) for (y, c) in ordered
    ]


def budget_table(rows: Sequence[BudgetRow], lang: str) -> Table:
    """Kommunbidrag, net cost and deviation per committee and year, with sums."""
    columns = (
        Column("year", label("year", lang), "year"),
        Column("committee", label("committee", lang)),
        Column("allocation", label("allocation", lang), "money"),
        Column("transfers", label("transfers", lang), "money"),
        Column("kommunbidrag", label("kommunbidrag", lang), "money"),
        Column("cost", label("net_cost", lang), "money"),
        Column("deviation", label("deviation", lang), "money"),
    )
    body = year_rows(
        [
            (r.year, r.committee, r.allocation, r.transfers, r.kommunbidrag, r.cost, r.deviation)
            for r in rows
        ],
        label("sum", lang),
        label("total", lang),
    )
    return Table(label("sheet_budget", lang), "", columns, body)


def cost_table(rows: Sequence[BudgetRow], lang: str) -> Table:
    """Gross cost, income and net cost per committee and year; internal items when there are any.

    Internal purchases are part of the gross cost and internal sales of the
    income: real to the committee, shown apart so a reader sees them.
    """
    internal = any(r.internal_cost or r.internal_income for r in rows)
    columns = [
        Column("year", label("year", lang), "year"),
        Column("committee", label("committee", lang)),
        Column("gross", label("gross_cost", lang), "money"),
        Column("income", label("income", lang), "money"),
        Column("cost", label("net_cost", lang), "money"),
    ]
    if internal:
        columns[4:4] = [
            Column("internal_cost", label("of_internal_cost", lang), "money"),
            Column("internal_income", label("of_internal_income", lang), "money"),
        ]
    body = year_rows(
        [
            (
                r.year,
                r.committee,
                r.gross,
                r.income,
                *((r.internal_cost, r.internal_income) if internal else ()),
                r.cost,
            )
            for r in rows
        ],
        label("sum", lang),
        label("total", lang),
    )
    return Table(
        label("sheet_budget_cost", lang), label("budget_cost_title", lang), tuple(columns), body
    )


def budget_records(rows: Sequence[BudgetRow]) -> Table:
    """The CSV form: one row per year × committee."""
    keys = (
        "allocation_sek",
        "transfers_sek",
        "kommunbidrag_sek",
        "cost_sek",
        "deviation_sek",
        "gross_cost_sek",
        "income_sek",
        "internal_cost_sek",
        "internal_income_sek",
    )
    columns = (
        Column("year", "year", "int"),
        Column("committee", "committee"),
        *(Column(key, key, "exact") for key in keys),
    )
    body = tuple(
        Row(
            (
                r.year,
                r.committee,
                r.allocation,
                r.transfers,
                r.kommunbidrag,
                r.cost,
                r.deviation,
                r.gross,
                r.income,
                r.internal_cost,
                r.internal_income,
            )
        )
        for r in rows
    )
    return Table("records", "records", columns, body)


def included_note(budget: Sequence[BudgetLine], lang: str) -> tuple[str, ...]:
    """A footnote naming the full-year effects an allocation already includes (counted once)."""
    included = sorted({(b.year, b.included_in) for b in budget if b.included_in is not None})
    if not included:
        return ()
    listed = ", ".join(f"{ident} ({year})" for year, ident in included)
    return (label("note_included", lang).format(decisions=listed),)


def budget_report(
    frame: Frame, year: int | None = None, unit: str = "tkr", lang: str = "sv"
) -> Report:
    """The budget report, in the result shape every writer reads."""
    rows = budget_rows(frame, year)
    span = str(year) if year else f"{rows[0].year}–{rows[-1].year}"
    chosen = frame.within(year, year)
    costs, budget = chosen.costs, chosen.budget
    return Report(
        name="budget",
        title=label("budget_title", lang).format(programme=frame.programme, span=span, unit=unit),
        tables=(budget_table(rows, lang), cost_table(rows, lang)),
        records=budget_records(rows),
        provenance=provenance(frame, [("--year", year)]),
        notice=notice(frame, lang),
        footnotes=(
            label("note_deviation", lang),
            label("note_budget_cost", lang),
            label("note_budget_transfers", lang),
            *included_note(budget, lang),
            *decisions_footnote(frame, (), budget, lang),
            files_footnote(frame, costs, lang),
        ),
        unit=unit,
        lang=lang,
    )
