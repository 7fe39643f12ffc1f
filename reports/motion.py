"""The answer to a cost motion: "what were the yearly costs of the programme?"

Ready to paste into a reply, and written so that a finance department can
stand behind every word: the question it answers (`--question`, a decision in
the register) cited with its marks; a first sentence that states the span and
whether any year in it is not fully booked; gross cost, income and net cost;
what the figure contains and what it does not, in the city's own words (the
ledger's `scope` options); a table of year × committee and of year × cost type
in tkr with totals; a reconciliation against a published figure when there is
one; and footnotes naming the decisions the costs rest on (never budget
decisions), the imported files, current prices and rounding. Every figure is
rounded once from exact kronor; totals are sums of exact kronor.

There is no default span: the years come from `--from`/`--to`, else from the
question, else the answer asks for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import COST_TYPES, INTERNAL
from ctc.errors import UserError
from ctc.numbers import format_sek
from ctc.registers import Decision
from ctc.reports.frame import CostLine, Frame
from ctc.reports.labels import MONTHS, label
from ctc.reports.reconcile import Published, published_figure, reconciliation
from ctc.reports.result import Report, Table
from ctc.reports.retroactive import retroactive_footnote
from ctc.reports.sources import (
    cost_decisions,
    decision_reference,
    decisions_footnote,
    files_footnote,
    notice,
    provenance,
)
from ctc.reports.yearly import (
    YearlyRow,
    net_note,
    select_span,
    span_text,
    yearly_records,
    yearly_rows,
    yearly_table,
    yearly_total,
)

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class MotionAnswer:
    """The figures of the answer, exact kronor, for the span asked about."""

    from_year: int
    to_year: int
    by_committee: tuple[YearlyRow, ...]
    """Each committee's own net cost, and the eliminations as rows of their own."""
    by_type: tuple[YearlyRow, ...]
    """The city's net cost per cost type: eliminated internal items left out of their type."""
    by_committee_and_type: tuple[YearlyRow, ...]
    costs: tuple[CostLine, ...]
    """The cost and income lines of the span (each committee's own)."""
    eliminations: tuple[CostLine, ...] = ()
    """The city-wide eliminations of internal items in the span."""

    @property
    def total(self) -> Decimal:
        """The programme's net cost to the city over the span."""
        return yearly_total(self.by_committee)

    @property
    def years(self) -> int:
        """How many years the span holds."""
        return self.to_year - self.from_year + 1

    def type_total(self, cost_type: str) -> Decimal:
        """One cost type over the span (income negative)."""
        return yearly_total([r for r in self.by_type if r.cost_type == cost_type])

    @property
    def income(self) -> Decimal:
        """The city's income for the programme (positive); eliminated internal sales left out."""
        return -sum((li.amount for li in self.costs if li.is_income and not li.eliminated), ZERO)

    @property
    def gross(self) -> Decimal:
        """The city's gross cost: net cost plus income."""
        return self.total + self.income

    def gross_of(self, cost_type: str) -> Decimal:
        """The city's gross cost of one cost type; eliminated internal purchases left out."""
        return sum(
            (li.amount for li in self.costs if li.cost_type == cost_type and not li.eliminated),
            ZERO,
        )

    @property
    def eliminated(self) -> Decimal:
        """The internal purchases eliminated between the programme's own units (positive)."""
        return sum((li.amount for li in self.costs if li.eliminated and not li.is_income), ZERO)

    @property
    def committees(self) -> list[str]:
        """The committees that bore costs, in register order."""
        return list(
            dict.fromkeys(r.committee for r in self.by_committee if r.cost_type != INTERNAL)
        )


def motion_answer(frame: Frame, from_year: int, to_year: int) -> MotionAnswer:
    """The answer's figures over `from_year`–`to_year` (both required: there is no default)."""
    selected = select_span(frame.costs, from_year, to_year)
    eliminations = frame.within(from_year, to_year).eliminations
    city = [line for line in selected if not line.eliminated]
    order = frame.committee_order

    def rows(lines: Sequence[CostLine], by: Sequence[str]) -> tuple[YearlyRow, ...]:
        return tuple(
            yearly_rows(lines, by, from_year, to_year, order, qualify=frame.multi_municipality)
        )

    return MotionAnswer(
        from_year,
        to_year,
        rows([*selected, *eliminations], ("committee",)),
        rows(city, ("type",)),
        rows([*selected, *eliminations], ("committee", "type")),
        tuple(selected),
        eliminations,
    )


# --- The question and the span ------------------------------------------------------


def question_of(frame: Frame, ident: str | None) -> Decision | None:
    """The decision the answer belongs to (`--question`), which must be in the register."""
    if ident is None:
        return None
    decision = frame.decisions.get(ident)
    if decision is None:
        raise UserError(f"Beslutet {ident} (--question) finns inte i beslutsregistret.")
    return decision


def answer_span(
    from_year: int | None, to_year: int | None, question: Decision | None
) -> tuple[int, int]:
    """The years to answer for: `--from`/`--to`, else the question's; never a silent default."""
    asked = question.span if question is not None else None
    first = from_year if from_year is not None else (asked[0] if asked else None)
    last = to_year if to_year is not None else (asked[1] if asked else None)
    if first is None or last is None:
        raise UserError(
            "Ange vilka år svaret gäller: --from och --to, eller --question med ett beslut "
            "i registret som anger åren (from_year och to_year)."
        )
    if first > last:
        raise UserError(f"--from {first} ligger efter --to {last}; ange det tidigaste året först.")
    return first, last


def incomplete_years(frame: Frame, first: int, last: int) -> list[tuple[int, int]]:
    """(year, last booked month) of each year in the span not booked through December.

    A year with no booking at all has month 0. Judged on the whole ledger's
    cost lines, so a committee that started late does not make a year look
    incomplete.
    """
    months: dict[int, int] = {}
    for line in frame.costs:
        months[line.year] = max(months.get(line.year, 0), line.date.month)
    return [
        (year, months.get(year, 0)) for year in range(first, last + 1) if months.get(year, 0) < 12
    ]


def coverage_text(frame: Frame, first: int, last: int, lang: str) -> str:
    """The span's coverage for the first sentence: all years fully booked, or which are not."""
    missing = incomplete_years(frame, first, last)
    if not missing:
        return label("coverage_complete", lang)
    months = MONTHS.get(lang, MONTHS["sv"])
    parts = [
        label("coverage_month", lang).format(year=year, month=months[month - 1])
        if month
        else label("coverage_none", lang).format(year=year)
        for year, month in missing
    ]
    return label("coverage_incomplete", lang).format(years="; ".join(parts))


# --- The sentences --------------------------------------------------------------------


def mnkr(amount: Decimal) -> str:
    """An amount in mnkr with one decimal, rounded once from exact kronor."""
    return format_sek(amount, "mnkr")


SMALL = Decimal(50_000)
"""Below this an amount reads 0,0 mnkr; such amounts are stated in tkr instead."""


def amount_text(amount: Decimal) -> str:
    """An amount with its unit: mnkr, or tkr when mnkr would round it to nothing."""
    if abs(amount) < SMALL and amount:
        return f"{format_sek(amount, 'tkr')} tkr"
    return f"{mnkr(amount)} mnkr"


def summary(frame: Frame, answer: MotionAnswer, lang: str) -> tuple[str, ...]:
    """The sentences: span and coverage with the net cost, gross and income, the split, the scope."""
    span = span_text(answer.from_year, answer.to_year)
    total = label("motion_total", lang).format(
        programme=frame.programme,
        span=span,
        coverage=coverage_text(frame, answer.from_year, answer.to_year, lang),
        total=mnkr(answer.total),
        average=mnkr(answer.total / answer.years),
    )
    gross = label("motion_gross", lang).format(
        gross=mnkr(answer.gross), income=amount_text(answer.income), net=mnkr(answer.total)
    )
    if answer.eliminated:
        gross += " " + label("motion_eliminated", lang).format(
            amount=amount_text(answer.eliminated)
        )
    types = label("motion_types", lang).format(**{t: mnkr(answer.gross_of(t)) for t in COST_TYPES})
    return (total, gross, types, *scope_sentences(frame, lang), label("motion_tables", lang))


def scope_sentences(frame: Frame, lang: str) -> tuple[str, ...]:
    """What the figure contains and what it does not, in the ledger's own words."""
    options = frame.options
    contains = label("scope_contains", lang).format(
        scope=options.scope or label("scope_default", lang).format(programme=frame.programme)
    )
    if options.scope_excluded:
        return (contains, label("scope_excludes", lang).format(excluded=options.scope_excluded))
    return (contains, label("scope_excluded_unknown", lang))


def question_line(question: Decision | None, lang: str) -> tuple[str, ...]:
    """The sentence citing the case the answer belongs to, with the decision's marks."""
    if question is None:
        return ()
    reference = decision_reference(question, lang)
    return (label("motion_question", lang).format(reference=reference, title=question.title),)


def with_question(
    sentences: tuple[str, ...], question: Decision | None, lang: str
) -> tuple[str, ...]:
    """The sentences with the question cited second: the first one states the span."""
    return (*sentences[:1], *question_line(question, lang), *sentences[1:])


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
    *,
    question: str | None = None,
    published: Decimal | None = None,
) -> Report:
    """The motion answer in the result shape every writer reads.

    `question` is the register id of the case answered (the motion, or the
    decision answering it); its years are the span unless `from_year` and
    `to_year` say otherwise. `published` is a figure to reconcile against;
    without it, the question's published figure if the register records one.
    """
    asked = question_of(frame, question)
    first, last = answer_span(from_year, to_year, asked)
    answer = motion_answer(frame, first, last)
    span = span_text(first, last)
    figure = published_figure(asked, published)
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
        *reconciliation_tables(answer, figure, unit, lang),
    )
    footnotes = (
        label("note_scope", lang).format(programme=frame.programme),
        *net_note([*answer.costs, *answer.eliminations], lang),
        label("note_current_prices", lang),
        label("note_rounding", lang).format(unit=unit),
        committee_names(frame, answer.costs, lang),
        *decisions_footnote(
            frame,
            answer.costs,
            (),
            lang,
            cost_decisions(frame, answer.costs, first, last),
            "note_cost_decisions",
        ),
        *retroactive_footnote(frame, answer.from_year, answer.to_year, lang),
        files_footnote(frame, answer.costs, lang),
    )
    filters = [("--question", question), ("--from", from_year), ("--to", to_year)]
    return Report(
        name="motion",
        title=label("motion_title", lang).format(programme=frame.programme, span=span),
        tables=tables,
        records=yearly_records(answer.by_committee_and_type, ("committee", "type")),
        provenance=provenance(frame, [*filters, ("--published", published)]),
        notice=notice(frame, lang),
        summary=with_question(summary(frame, answer, lang), asked, lang),
        footnotes=footnotes,
        unit=unit,
        lang=lang,
    )


def reconciliation_tables(
    answer: MotionAnswer, figure: Published | None, unit: str, lang: str
) -> tuple[Table, ...]:
    """The reconciliation against a published figure, when there is one."""
    if figure is None:
        return ()
    return (reconciliation(answer.total, answer.income, figure, unit, lang),)
