"""Kommunbidrag against cost: each committee's budget deviation per year.

A committee's kommunbidrag for a year is KF's allocation plus the växlingar
dated that year (the applicable months of a change, and the full-year effect
of an earlier one). Its budget deviation is kommunbidrag minus cost: positive
is a surplus, negative a deficit. This is the programme's part of the
committee's result, as Fava shows it in the income statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.errors import UserError
from ctc.reports.frame import ALLOCATION, Frame
from ctc.reports.labels import label
from ctc.reports.result import Column, Report, Row, Table, year_rows
from ctc.reports.sources import decisions_footnote, files_footnote, notice, provenance

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """One committee's year: kommunbidrag (allocation and växlingar), cost, deviation."""

    year: int
    committee: str
    allocation: Decimal
    transfers: Decimal
    cost: Decimal

    @property
    def kommunbidrag(self) -> Decimal:
        """The year's kommunbidrag: allocation plus växlingar."""
        return self.allocation + self.transfers

    @property
    def deviation(self) -> Decimal:
        """Budget deviation: kommunbidrag minus cost (positive is a surplus)."""
        return self.kommunbidrag - self.cost


def budget_rows(frame: Frame, year: int | None = None) -> list[BudgetRow]:
    """Every committee's kommunbidrag, cost and deviation per year (or in one year)."""
    allocation: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    transfers: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    cost: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    chosen = frame.within(year, year)
    for change in chosen.budget:
        key = (change.year, frame.committee_name(change.municipality, change.committee))
        (allocation if change.kind == ALLOCATION else transfers)[key] += change.amount
    for line in chosen.costs:
        cost[(line.year, frame.committee_name(line.municipality, line.committee))] += line.amount
    keys = set(allocation) | set(transfers) | set(cost)
    if not keys:
        raise UserError(f"Inga kommunbidrag eller kostnader för programmet {year}.")
    rank = {name: i for i, name in enumerate(frame.committee_order)}
    ordered = sorted(keys, key=lambda k: (k[0], rank.get(k[1].split(":")[-1], len(rank)), k[1]))
    return [
        BudgetRow(
            y, c, allocation.get((y, c), ZERO), transfers.get((y, c), ZERO), cost.get((y, c), ZERO)
        )
        for (y, c) in ordered
    ]


def budget_table(rows: Sequence[BudgetRow], lang: str) -> Table:
    """Kommunbidrag, cost and deviation per committee and year, with sums."""
    columns = (
        Column("year", label("year", lang), "year"),
        Column("committee", label("committee", lang)),
        Column("allocation", label("allocation", lang), "money"),
        Column("transfers", label("transfers", lang), "money"),
        Column("kommunbidrag", label("kommunbidrag", lang), "money"),
        Column("cost", label("cost", lang), "money"),
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


def budget_records(rows: Sequence[BudgetRow]) -> Table:
    """The CSV form: one row per year × committee."""
    keys = ("allocation_sek", "transfers_sek", "kommunbidrag_sek", "cost_sek", "deviation_sek")
    columns = (
        Column("year", "year", "int"),
        Column("committee", "committee"),
        *(Column(key, key, "exact") for key in keys),
    )
    body = tuple(
        Row((r.year, r.committee, r.allocation, r.transfers, r.kommunbidrag, r.cost, r.deviation))
        for r in rows
    )
    return Table("records", "records", columns, body)


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
        tables=(budget_table(rows, lang),),
        records=budget_records(rows),
        provenance=provenance(frame, [("--year", year)]),
        notice=notice(frame, lang),
        footnotes=(
            label("note_deviation", lang),
            label("note_budget_transfers", lang),
            *decisions_footnote(frame, (), budget, lang),
            files_footnote(frame, costs, lang),
        ),
        unit=unit,
        lang=lang,
    )
