"""Reconciling the ledger's figure with one published before: ours, theirs, the difference, why.

A cost motion is often answered with a figure someone already published (a
compilation by the finance department, "cirka 50 miljoner kronor"). The
reconciliation puts the ledger's net and gross cost beside it, gives both
differences, and says what explains them from what is known: the income
the ledger deducts, the rounding of the published figure (judged from its own
digits, keeping two significant ones: 50 000 000 is "50 miljoner", a figure in
whole millions) and what the register says
the published figure contains. It never guesses what it cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ctc.numbers import format_sek
from ctc.registers import Decision
from ctc.reports.labels import label
from ctc.reports.result import Column, Row, Table
from ctc.reports.sources import decision_reference

ROUNDING_STEPS = tuple(Decimal(10) ** n for n in range(9, -1, -1))
"""Powers of ten a published figure may be rounded to, largest first (1 000 000 000 … 1)."""


@dataclass(frozen=True, slots=True)
class Published:
    """A figure published before, and where it was published."""

    amount: Decimal
    source: Decision | None
    """The decision that published it; None when given on the command line."""
    note: str | None = None
    """What the register says the figure contains or how it was rounded."""

    @property
    def rounded_to(self) -> Decimal:
        """The rounding step the figure's digits show: a power of ten it is a multiple of,
        keeping at least two significant digits (1 for a figure to the krona)."""
        whole = abs(self.amount.to_integral_value())
        if whole != abs(self.amount) or not whole:
            return Decimal(1)
        return next(s for s in ROUNDING_STEPS if (whole % s == 0 and whole / s >= 10) or s == 1)

    @property
    def tolerance(self) -> Decimal:
        """The largest difference the figure's rounding explains: half its rounding step."""
        return self.rounded_to / 2 if self.rounded_to > 1 else Decimal(0)


def published_figure(question: Decision | None, given: Decimal | None) -> Published | None:
    """The figure to reconcile with: `--published`, else the one the question's decision records."""
    if given is not None:
        return Published(given, None)
    if question is not None and question.published is not None:
        return Published(question.published, question, question.published_note)
    return None


def explanation(net: Decimal, gross: Decimal, figure: Published, lang: str) -> str:
    """What explains the differences, from what is known: income and the figure's rounding."""
    tolerance = figure.tolerance
    net_fits = abs(net - figure.amount) <= tolerance
    gross_fits = abs(gross - figure.amount) <= tolerance
    income = format_sek(gross - net, "mnkr")
    if net_fits and gross_fits and gross != net:
        return label("reconcile_both_fit", lang).format(income=income)
    if net_fits:
        return label("reconcile_net_fits", lang)
    if gross_fits:
        return label("reconcile_gross_fits", lang).format(income=income)
    return label("reconcile_unexplained", lang)


def reconciliation(net: Decimal, income: Decimal, figure: Published, unit: str, lang: str) -> Table:
    """The reconciliation table: our net and gross cost, the published figure, both differences."""
    gross = net + income
    source = (
        decision_reference(figure.source, lang)
        if figure.source is not None
        else label("reconcile_given", lang)
    )
    rows = (
        Row((label("reconcile_net", lang), net)),
        Row((label("reconcile_income", lang), income)),
        Row((label("reconcile_gross", lang), gross)),
        Row((label("reconcile_published", lang).format(source=source), figure.amount)),
        Row((label("reconcile_net_difference", lang), net - figure.amount), True),
        Row((label("reconcile_gross_difference", lang), gross - figure.amount), True),
    )
    notes = [explanation(net, gross, figure, lang)]
    if figure.tolerance:
        notes.append(
            label("reconcile_rounding", lang).format(
                step=format_sek(figure.rounded_to, "kr"),
                tolerance=format_sek(figure.tolerance, "kr"),
            )
        )
    if figure.note:
        notes.append(label("reconcile_note", lang).format(note=figure.note))
    columns = (
        Column("item", label("reconcile_item", lang)),
        Column("amount", label("amount", lang), "money"),
    )
    title = label("reconcile_title", lang).format(unit=unit)
    return Table(label("sheet_reconcile", lang), title, columns, rows, tuple(notes))
