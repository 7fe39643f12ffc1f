"""The trail behind one figure: the entries that make up a committee's cost in a year.

`ctc trace --committee KS --year 2023` lists every cost posting behind the
figure `ctc report yearly` shows for KS in 2023, with its source row (file,
sheet, row) or, for an entry written by hand, its place in the ledger
(file:line), and the decision behind it: the one the entry cites, or the one
that funds its position. The entries sum to the figure exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ctc.accounts import COST_TYPES, INCOME, INCOME_KINDS, KINDS
from ctc.errors import UserError
from ctc.numbers import format_number
from ctc.reports.frame import CostLine, Frame
from ctc.reports.labels import LABELS, label
from ctc.reports.result import Column, Kind, Report, Row, Table
from ctc.reports.sources import (
    cite_id,
    decisions_footnote,
    files_footnote,
    notice,
    provenance,
)
from ctc.reports.yearly import yearly_rows, yearly_total


@dataclass(frozen=True, slots=True)
class CostFilter:
    """A `--type` filter: a cost type (salary, po, other) or a finer kind (survey, …)."""

    field: Literal["cost_type", "kind"]
    value: str

    def matches(self, line: CostLine) -> bool:
        """Whether a cost line is of this type."""
        return (line.cost_type if self.field == "cost_type" else line.kind) == self.value


def parse_cost_type(text: str | None) -> CostFilter | None:
    """Parse `--type`: a code (salary, po, other, survey, …) or its Swedish name (lön, övrigt, …)."""
    if text is None:
        return None
    wanted = text.strip().lower()
    types = (*COST_TYPES, INCOME)
    codes = (*types, *KINDS, *INCOME_KINDS)
    names = {code: code for code in codes}
    names |= {LABELS["sv"][code].lower(): code for code in codes}
    code = names.get(wanted)
    if code is None:
        finer = [k for k in (*KINDS, *INCOME_KINDS) if k not in types]
        raise UserError(
            f"Okänd kostnadstyp {text!r} för --type; välj {', '.join(types)} "
            f"eller en finare typ: {', '.join(finer)}."
        )
    return CostFilter("cost_type" if code in types else "kind", code)


def resolve_committee(frame: Frame, text: str) -> tuple[str, str]:
    """(municipality, short name) of `--committee`: `KS`, or `Malmo:KS` where names repeat.

    A short name several municipalities use is taken to mean the one with
    programme costs, if only one has any.
    """
    municipality, _, short = text.rpartition(":")
    found = [
        key
        for key in frame.committees
        if key[1].lower() == short.lower() and (not municipality or key[0] == municipality)
    ]
    if len(found) > 1:
        with_costs = {(line.municipality, line.committee) for line in frame.costs}
        found = [key for key in found if key in with_costs] or found
    if not found:
        known = ", ".join(frame.committee_order)
        raise UserError(f"Okänd nämnd {text!r} för --committee; kända nämnder: {known}.")
    if len(found) > 1:
        options = ", ".join(f"{m}:{s}" for m, s in found)
        raise UserError(f"Nämnden {text!r} finns i flera kommuner; skriv en av {options}.")
    return found[0]


def trace_lines(
    frame: Frame, committee: str, year: int, cost_type: str | None = None
) -> list[CostLine]:
    """The cost lines behind one committee's figure for one year, in ledger order."""
    municipality, short = resolve_committee(frame, committee)
    kind = parse_cost_type(cost_type)
    chosen = frame.within(year, year).of_committee(municipality, short)
    lines = [line for line in chosen.costs if kind is None or kind.matches(line)]
    if not lines:
        what = f" av typen {cost_type}" if cost_type else ""
        raise UserError(f"Inga kostnader{what} för {short} {year}.")
    return lines


def yearly_figure(
    frame: Frame, committee: tuple[str, str], year: int, cost_type: str | None = None
) -> Decimal:
    """The figure `ctc report yearly` shows for a committee and year (and cost type)."""
    by = ("committee", "type") if cost_type else ("committee",)
    rows = yearly_rows(
        frame.costs, by, year, year, frame.committee_order, qualify=frame.multi_municipality
    )
    name = frame.committee_name(*committee)
    return yearly_total(
        [r for r in rows if r.committee == name and cost_type in (None, r.cost_type)]
    )


def decision_of(line: CostLine, lang: str, frame: Frame | None = None) -> str:
    """The decision behind a cost: the entry's own, or the one funding its position.

    With the frame (for people, not for CSV), each id carries its marks
    (synthetic, date not verified, status).
    """

    def cite(ident: str) -> str:
        return cite_id(frame, ident, lang) if frame is not None else ident

    if line.decisions:
        return " ".join(cite(ident) for ident in line.decisions)
    if line.position_decision:
        return label("via_position", lang).format(
            decision=cite(line.position_decision), position=line.position
        )
    return ""


def source_text(line: CostLine) -> str:
    """Where the cost came from: its source row, or its place in the ledger."""
    return line.source.label() if line.source is not None else line.location


def trace_table(lines: Sequence[CostLine], lang: str, frame: Frame | None = None) -> Table:
    """The entries, one row each, and their sum."""
    columns = (
        Column("date", label("date", lang), "date"),
        Column("kind", label("kind", lang)),
        Column("amount", label("amount_kr", lang), "exact"),
        Column("narration", label("narration", lang)),
        Column("source", label("source", lang)),
        Column("decision", label("decision", lang)),
    )
    body = [
        Row(
            (
                line.date,
                label(line.kind, lang),
                line.amount,
                line.narration,
                source_text(line),
                decision_of(line, lang, frame),
            )
        )
        for line in lines
    ]
    total = sum((line.amount for line in lines), Decimal(0))
    body.append(Row((label("sum", lang), None, total, None, None, None), True))
    return Table(label("sheet_trace", lang), "", columns, tuple(body))


def trace_records(frame: Frame, lines: Sequence[CostLine], lang: str) -> Table:
    """The CSV form: every entry with its source, decision, position, area and codes."""
    keys = (
        "date", "committee", "cost_type", "kind", "amount_sek", "narration", "source",
        "decision", "position", "area", "account", "responsibility", "voucher", "location",
        "source_file", "source_sheet", "source_row", "source_sha256", "row_id",
    )  # fmt: skip
    kinds: dict[str, Kind] = {"date": "date", "amount_sek": "exact", "source_row": "int"}
    columns = tuple(Column(key, key, kinds.get(key, "text")) for key in keys)
    body = []
    for line in lines:
        source = line.source
        voucher = line.entry.meta.get("voucher")
        body.append(
            Row(
                (
                    line.date,
                    frame.committee_name(line.municipality, line.committee),
                    line.cost_type,
                    line.kind,
                    line.amount,
                    line.narration,
                    source_text(line),
                    decision_of(line, lang),
                    line.position or "",
                    line.area or "",
                    line.account,
                    line.responsibility or "",
                    str(voucher) if voucher is not None else "",
                    line.location,
                    source.file if source else "",
                    (source.sheet or "") if source else "",
                    source.row if source else None,
                    (source.sha256 or "") if source else "",
                    (source.row_id or "") if source else "",
                )
            )
        )
    return Table("records", "records", columns, tuple(body))


def trace_report(
    frame: Frame, committee: str, year: int, cost_type: str | None = None, lang: str = "sv"
) -> Report:
    """The trail behind one figure, in the result shape every writer reads."""
    lines = trace_lines(frame, committee, year, cost_type)
    key = resolve_committee(frame, committee)
    kind = parse_cost_type(cost_type)
    total = sum((line.amount for line in lines), Decimal(0))
    what = f"{frame.committee_name(*key)} {year}"
    if kind is not None:
        what += f", {label(kind.value, lang).lower()}"
    summary = [
        label("trace_summary", lang).format(
            count=len(lines),
            noun=label("entry" if len(lines) == 1 else "entries", lang),
            what=what,
            total=format_number(total, 2),
        )
    ]
    if kind is None or kind.field == "cost_type":
        # yearly has no finer kinds, so a trace of one kind has no figure to meet.
        figure = yearly_figure(frame, key, year, kind.value if kind else None)
        agreement = "trace_agrees" if figure == total else "trace_differs"
        summary.append(
            label("trace_figure", lang).format(figure=format_number(figure, 2), what=what)
            + " "
            + label(agreement, lang)
        )
    return Report(
        name="trace",
        title=label("trace_title", lang).format(what=what),
        tables=(trace_table(lines, lang, frame),),
        records=trace_records(frame, lines, lang),
        provenance=provenance(
            frame, [("--committee", committee), ("--year", year), ("--type", cost_type)]
        ),
        notice=notice(frame, lang),
        summary=tuple(summary),
        footnotes=(
            label("note_trace_source", lang),
            *decisions_footnote(frame, lines, (), lang),
            files_footnote(frame, lines, lang),
        ),
        unit="kr",
        lang=lang,
    )
