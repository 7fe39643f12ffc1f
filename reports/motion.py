"""The answer to a cost motion: "what were the yearly costs of the programme?"

Ready to paste into a reply: a sentence with the total in mnkr, a table of
year × committee in tkr with row and column totals, the split by cost type,
and footnotes naming the sources (decisions, imported files), that amounts
are in current prices and that rounded figures may not add up. Every figure
is rounded once from exact kronor; totals are sums of exact kronor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import COST_TYPES
from ctc.numbers import format_sek
from ctc.reports.frame import CostLine, Frame
from ctc.reports.labels import label
from ctc.reports.result import Report
from ctc.reports.retroactive import retroactive_footnote
from ctc.reports.sources import decisions_footnote, files_footnote, notice, provenance
from ctc.reports.yearly import (
    YearlyRow,
    select_span,
    span_text,
    yearly_records,
    yearly_rows,
    yearly_table,
    yearly_total,
)


@dataclass(frozen=True, slots=True)
class MotionAnswer:
    """The figures of the answer, exact kronor, for the span asked about."""

    from_year: int
    to_year: int
    by_committee: tuple[YearlyRow, ...]
    by_type: tuple[YearlyRow, ...]
    by_committee_and_type: tuple[YearlyRow, ...]
    costs: tuple[CostLine, ...]

    @property
    def total(self) -> Decimal:
        """The programme's cost over the span."""
        return yearly_total(self.by_committee)

    @property
    def years(self) -> int:
        """How many years the span holds."""
        return self.to_year - self.from_year + 1

    def type_total(self, cost_type: str) -> Decimal:
        """The cost of one cost type over the span."""
        return yearly_total([r for r in self.by_type if r.cost_type == cost_type])

    @property
    def committees(self) -> list[str]:
        """The committees that bore costs, in register order."""
        return list(dict.fromkeys(r.committee for r in self.by_committee))


def motion_answer(
    frame: Frame, from_year: int | None = None, to_year: int | None = None
) -> MotionAnswer:
    """The answer's figures; without a span, every year with costs."""
    selected = select_span(frame.costs, from_year, to_year)
    first = from_year if from_year is not None else min(line.year for line in selected)
    last = to_year if to_year is not None else max(line.year for line in selected)
    order = frame.committee_order

    def rows(by: Sequence[str]) -> tuple[YearlyRow, ...]:
        return tuple(
            yearly_rows(selected, by, first, last, order, qualify=frame.multi_municipality)
        )

    return MotionAnswer(
        first,
        last,
        rows(("committee",)),
        rows(("type",)),
        rows(("committee", "type")),
        tuple(selected),
    )


def mnkr(amount: Decimal) -> str:
    """An amount in mnkr with one decimal, rounded once from exact kronor."""
    return format_sek(amount, "mnkr")


def summary(frame: Frame, answer: MotionAnswer, lang: str) -> tuple[str, ...]:
    """The sentences of the answer: the total in mnkr, the average, the split by type."""
    span = span_text(answer.from_year, answer.to_year)
    total = label("motion_total", lang).format(
        programme=frame.programme,
        span=span,
        total=mnkr(answer.total),
        average=mnkr(answer.total / answer.years),
    )
    types = label("motion_types", lang).format(
        **{t: mnkr(answer.type_total(t)) for t in COST_TYPES}
    )
    return (total, types, label("motion_tables", lang))


def committee_names(frame: Frame, costs: Sequence[CostLine], lang: str) -> str:
    """A footnote spelling out the short names of the committees that bore the costs."""
    keys = dict.fromkeys((line.municipality, line.committee) for line in costs)
    rank = {name: i for i, name in enumerate(frame.committee_order)}
    listed = ", ".join(
        f"{frame.committee_name(*key)} = {frame.committees[key].name if key in frame.committees else key[1]}"
        for key in sorted(keys, key=lambda k: (rank.get(k[1], len(rank)), k))
    )
    return f"{label('note_committees', lang)} {listed}."


def motion_report(
    frame: Frame,
    from_year: int | None = None,
    to_year: int | None = None,
    unit: str = "tkr",
    lang: str = "sv",
) -> Report:
    """The motion answer in the result shape every writer reads."""
    answer = motion_answer(frame, from_year, to_year)
    span = span_text(answer.from_year, answer.to_year)
    budget = frame.within(answer.from_year, answer.to_year).budget
    tables = (
        yearly_table(
            answer.by_committee,
            ("committee",),
            lang,
            label("motion_table_committee", lang).format(unit=unit),
            label("sheet_motion_committee", lang),
            frame.committee_order,
        ),
        yearly_table(
            answer.by_type,
            ("type",),
            lang,
            label("motion_table_type", lang).format(unit=unit),
            label("sheet_motion_type", lang),
        ),
    )
    footnotes = (
        label("note_scope", lang).format(programme=frame.programme),
        label("note_current_prices", lang),
        label("note_rounding", lang).format(unit=unit),
        committee_names(frame, answer.costs, lang),
        *decisions_footnote(frame, answer.costs, budget, lang),
        *retroactive_footnote(frame, answer.from_year, answer.to_year, lang),
        files_footnote(frame, answer.costs, lang),
    )
    return Report(
        name="motion",
        title=label("motion_title", lang).format(programme=frame.programme, span=span),
        tables=tables,
        records=yearly_records(answer.by_committee_and_type, ("committee", "type")),
        provenance=provenance(frame, [("--from", from_year), ("--to", to_year)]),
        notice=notice(frame, lang),
        summary=summary(frame, answer, lang),
        footnotes=footnotes,
        unit=unit,
        lang=lang,
    )
