"""Växlingar of kommunbidrag: what each committee gives or gets, per decision.

For each växling (a decision and its effective date) the report shows, per
committee and cost type, the amount for the applicable months of the
effective year and the full-year effect, with a sum per committee and a check
row that must be zero. This is the table each committee was asked to decide
on. A committee that gives has negative amounts, one that receives positive.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ctc.accounts import COST_TYPES
from ctc.errors import UserError
from ctc.numbers import format_number, format_sek
from ctc.reports.frame import Frame
from ctc.reports.labels import join_names, label, month_span
from ctc.reports.result import Column, Report, Row, Table
from ctc.reports.retroactive import exception_of, retroactive_note, unfunded_moves_footnote
from ctc.reports.sources import decision_reference, describe_decision, notice, provenance
from ctc.transfers import APPLICABLE, FULL_YEAR, Transfer, applicable_months

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TransferFigure:
    """What one committee gives (negative) or gets (positive) for one cost type."""

    committee: str
    cost_type: str
    applicable: Decimal | None
    """For the applicable months of the effective year; None when the ledger has no such part."""
    full_year: Decimal | None
    """The full-year effect from the next year; None when the ledger has no such part."""


@dataclass(frozen=True, slots=True)
class TransferSummary:
    """One växling: a decision, its effective date and every committee's figures."""

    decision: str | None
    effective: datetime.date
    months: int
    """The applicable months of the effective year: 2024-09-01 gives 4."""
    links: tuple[str, ...]
    """Every decision the växling's entries cite, the carrying one first."""
    figures: tuple[TransferFigure, ...]
    rounding: Decimal
    """The rounding adjustment the applicable-months entry records (0 if none)."""
    transfers: tuple[Transfer, ...]

    def total(self, attribute: str, committee: str | None = None) -> Decimal:
        """The sum of `applicable` or `full_year`, for one committee or all (the check: 0)."""
        return sum(
            (
                getattr(f, attribute) or ZERO
                for f in self.figures
                if committee is None or f.committee == committee
            ),
            ZERO,
        )

    @property
    def committees(self) -> list[str]:
        """The committees involved, in report order."""
        return list(dict.fromkeys(f.committee for f in self.figures))

    def net(self, committee: str) -> Decimal:
        """A committee's net for the växling: the full-year effect, else the applicable months."""
        full = self.total("full_year", committee)
        return full if full else self.total("applicable", committee)

    @property
    def givers(self) -> list[str]:
        """Committees that give kommunbidrag (net negative)."""
        return [c for c in self.committees if self.net(c) < 0]

    @property
    def receivers(self) -> list[str]:
        """Committees that receive kommunbidrag (net positive)."""
        return [c for c in self.committees if self.net(c) > 0]


def known_transfer_decisions(frame: Frame) -> list[str]:
    """The decisions that carry a växling, in ledger order."""
    return list(dict.fromkeys(t.decision for t in frame.transfers if t.decision))


def check_decision(frame: Frame, decision: str) -> None:
    """Refuse a decision id that is not registered or carries no växling."""
    known = known_transfer_decisions(frame)
    if decision in known:
        return
    listed = ", ".join(known) or "inga"
    if decision not in frame.decisions:
        raise UserError(
            f"Beslutet {decision} finns inte i beslutsregistret; beslut med växlingar: {listed}."
        )
    raise UserError(f"Beslutet {decision} bär ingen växling; beslut med växlingar: {listed}.")


def summarise(frame: Frame, transfers: Sequence[Transfer]) -> TransferSummary:
    """Sum one växling's entries per committee and cost type."""
    first = transfers[0]
    parts: dict[str, dict[tuple[str, str], Decimal]] = {
        APPLICABLE: defaultdict(Decimal),
        FULL_YEAR: defaultdict(Decimal),
    }
    present = {t.period for t in transfers}
    committees: dict[str, None] = {}
    for transfer in transfers:
        for line in transfer.lines:
            name = frame.committee_name(line.municipality, line.committee)
            committees.setdefault(name, None)
            parts.setdefault(transfer.period, defaultdict(Decimal))
            parts[transfer.period][(name, line.cost_type)] += line.amount
    rank = {name: index for index, name in enumerate(frame.committee_order)}
    ordered = sorted(committees, key=lambda c: (rank.get(c.split(":")[-1], len(rank)), c))
    figures = tuple(
        TransferFigure(
            committee,
            cost_type,
            parts[APPLICABLE].get((committee, cost_type), ZERO) if APPLICABLE in present else None,
            parts[FULL_YEAR].get((committee, cost_type), ZERO) if FULL_YEAR in present else None,
        )
        for committee in ordered
        for cost_type in COST_TYPES
    )
    applicable = [t for t in transfers if t.period == APPLICABLE]
    months = applicable[0].months if applicable else applicable_months(first.effective)
    links = [first.decision] if first.decision else []
    for transfer in transfers:
        links += sorted(transfer.entry.links)
    rounding = sum(
        (Decimal(str(t.entry.meta.get("rounding_adjustment", 0))) for t in applicable), ZERO
    )
    return TransferSummary(
        first.decision,
        first.effective,
        months,
        tuple(dict.fromkeys(links)),
        figures,
        rounding,
        tuple(transfers),
    )


def transfer_summaries(
    frame: Frame, decision: str | None = None, year: int | None = None
) -> list[TransferSummary]:
    """Every växling, or those of one decision and/or effective year, in date order."""
    if decision is not None:
        check_decision(frame, decision)
    groups: dict[tuple[str | None, datetime.date], list[Transfer]] = defaultdict(list)
    for transfer in frame.within(year, year).transfers:
        if decision is None or transfer.decision == decision:
            groups[(transfer.decision, transfer.effective)].append(transfer)
    if not groups:
        what = f" för beslutet {decision}" if decision else ""
        when = f" med ikraftträdande {year}" if year is not None else ""
        raise UserError(f"Inga växlingar av kommunbidrag{what}{when}.")
    keys = sorted(groups, key=lambda k: (k[1], k[0] or ""))
    return [summarise(frame, groups[key]) for key in keys]


# --- The result shape -------------------------------------------------------------


def summary_columns(summary: TransferSummary, lang: str) -> tuple[Column, ...]:
    """Committee, cost type, the applicable months and the full-year effect."""
    year = summary.effective.year
    return (
        Column("committee", label("committee", lang)),
        Column("cost_type", label("cost_type", lang)),
        Column(
            "applicable_months",
            label("applicable_months", lang).format(year=year, months=summary.months),
            "money",
        ),
        Column("full_year", label("full_year", lang).format(year=year + 1), "money"),
    )


def summary_table(frame: Frame, summary: TransferSummary, unit: str, lang: str) -> Table:
    """The table a committee decides on: its lines per cost type, its sum, and the check row."""
    has_applicable = any(f.applicable is not None for f in summary.figures)
    has_full = any(f.full_year is not None for f in summary.figures)

    def sums(committee: str | None) -> tuple[Decimal | None, Decimal | None]:
        return (
            summary.total("applicable", committee) if has_applicable else None,
            summary.total("full_year", committee) if has_full else None,
        )

    rows: list[Row] = []
    for committee in summary.committees:
        rows += [
            Row((committee, label(f.cost_type, lang), f.applicable, f.full_year))
            for f in summary.figures
            if f.committee == committee
        ]
        rows.append(Row((committee, label("sum", lang), *sums(committee)), True))
    rows.append(Row((label("check_row", lang), label("check_sum", lang), *sums(None)), True))
    reference = summary.decision or label("no_decision", lang)
    decision = frame.decisions.get(summary.decision or "")
    if decision is not None:
        reference = decision_reference(decision, lang)
    title = label("transfer_title", lang).format(
        reference=reference, effective=summary.effective.isoformat()
    )
    return Table(
        # A sheet's name is no place for a citation (31 characters, no marks): the title
        # below it cites the decision with its marks.
        key=f"{label('transfer_sheet', lang)} {summary.effective}",
        title=title,
        columns=summary_columns(summary, lang),
        rows=tuple(rows),
        notes=summary_notes(frame, summary, unit, lang),
    )


def summary_notes(frame: Frame, summary: TransferSummary, unit: str, lang: str) -> tuple[str, ...]:
    """What a reader needs under the table: the decisions, who gives, the months, rounding."""
    notes = []
    if summary.decision:
        notes.append(describe_decision(frame, summary.decision, lang) + ".")
    own = [link for link in summary.links if link != summary.decision]
    if own:
        registered = sorted(
            (frame.decisions[i] for i in own if i in frame.decisions), key=lambda d: (d.date, d.id)
        )
        refs = [decision_reference(d, lang) for d in registered]
        refs += [i for i in own if i not in frame.decisions]
        notes.append(f"{label('own_decisions', lang)} {', '.join(refs)}.")
    notes.append(
        label("givers_receivers", lang).format(
            givers=join_names(summary.givers, lang) or "–",
            receivers=join_names(summary.receivers, lang) or "–",
        )
    )
    moved = sum((f.full_year for f in summary.figures if f.full_year and f.full_year > 0), ZERO)
    if moved:
        notes.append(
            label("moved_full_year", lang).format(
                year=summary.effective.year + 1, amount=f"{format_sek(moved, unit)} {unit}"
            )
        )
    notes.append(
        label("applicable_span", lang).format(
            span=month_span(summary.effective, lang), months=summary.months
        )
    )
    if summary.rounding:
        amount = format_number(summary.rounding, 0)
        notes.append(label("rounding_adjustment", lang).format(amount=f"{amount} kr"))
    notes += included_notes(frame, summary, lang)
    return tuple(notes) + decision_notes(frame, summary, lang)


def decision_notes(frame: Frame, summary: TransferSummary, lang: str) -> tuple[str, ...]:
    """Whether the decision is retroactive, and the reason it gives for moves without money."""
    decision = frame.decisions.get(summary.decision or "")
    if decision is None:
        return ()
    notes = [retroactive_note(decision, summary.effective, lang)]
    reason = exception_of(decision)
    if reason is not None:
        notes.append(label("transfer_exception", lang).format(reason=reason))
    return tuple(note for note in notes if note is not None)


def included_notes(frame: Frame, summary: TransferSummary, lang: str) -> list[str]:
    """Which committees' budgets already hold the växling's full-year effect (counted once)."""
    holding = [
        line.committee
        for line in frame.budget
        if line.included_in is not None and line.included_in == summary.decision
    ]
    if not holding:
        return []
    year = summary.effective.year + 1
    order = frame.committee_order
    ranked = sorted(set(holding), key=lambda c: (order.index(c) if c in order else len(order), c))
    names = join_names(ranked, lang)
    return [label("full_year_included", lang).format(year=year, committees=names)]


def transfer_records(summaries: Sequence[TransferSummary]) -> Table:
    """The CSV form: one row per decision × committee × cost type."""
    columns = (
        Column("decision", "decision"),
        Column("effective_date", "effective_date", "date"),
        Column("committee", "committee"),
        Column("cost_type", "cost_type"),
        Column("applicable_months_sek", "applicable_months_sek", "exact"),
        Column("full_year_sek", "full_year_sek", "exact"),
    )
    rows = tuple(
        Row((s.decision or "", s.effective, f.committee, f.cost_type, f.applicable, f.full_year))
        for s in summaries
        for f in s.figures
    )
    return Table("records", "records", columns, rows)


def transfers_report(
    frame: Frame,
    decision: str | None = None,
    year: int | None = None,
    unit: str = "kr",
    lang: str = "sv",
) -> Report:
    """The transfers report: one table per växling, in the result shape every writer reads."""
    summaries = transfer_summaries(frame, decision, year)
    title = label("transfers_title", lang).format(programme=frame.programme, unit=unit)
    return Report(
        name="transfers",
        title=title,
        tables=tuple(summary_table(frame, s, unit, lang) for s in summaries),
        records=transfer_records(summaries),
        provenance=provenance(frame, [("--decision", decision), ("--year", year)]),
        notice=notice(frame, lang),
        footnotes=(
            label("transfer_sign", lang),
            label("transfer_check", lang),
            *unfunded_moves_footnote(frame, decision, year, lang),
        ),
        unit=unit,
        lang=lang,
    )
