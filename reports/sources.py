"""What stands behind a report: the ledger's files, the filters, the decisions, the imports.

Every report ends with its sources: a footnote naming the decisions behind the
figures and the imported files they came from, and a provenance record (ledger
file and SHA-256, filters) that the xlsx writer turns into its own sheet. These
helpers read the frame only, so every report names its sources the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ctc.registers import Decision
from ctc.reports.frame import BudgetLine, CostLine, Frame
from ctc.reports.labels import label
from ctc.reports.result import Provenance


def provenance(frame: Frame, filters: Sequence[tuple[str, object]]) -> Provenance:
    """The report's provenance: the ledger's files with SHA-256, and the filters given."""
    return Provenance(
        ledger=str(frame.path) if frame.path else "",
        files=tuple((f.path, f.sha256) for f in frame.files),
        filters=tuple((name, str(value)) for name, value in filters if value is not None),
    )


def notice(frame: Frame, lang: str) -> str | None:
    """The first line of every report on synthetic data; None for real books."""
    return label("synthetic", lang) if frame.options.synthetic else None


def decision_marks(decision: Decision, lang: str = "sv") -> list[str]:
    """What a citation must say about a decision besides its reference.

    Its status when it is not a plain decision (a proposal, a motion
    answered, repealed since), `syntetiskt` for an invented one and `datum
    ej verifierat` for a placeholder day: a reader must never take either
    for a verified public decision.
    """
    marks = []
    if decision.status and decision.status != "beslut":
        marks.append(label(f"status_{decision.status}", lang))
    if decision.synthetic:
        marks.append(label("mark_synthetic", lang))
    if not decision.date_exact:
        marks.append(label("mark_date_unverified", lang))
    return marks


def decision_reference(decision: Decision, lang: str = "sv") -> str:
    """A decision as Swedish minutes cite it, with its marks on the same line.

    `KF 2024-09-26 § 190 (Dnr STK-2024-351)`; `KS 2017-05-03 (Dnr
    STK-2016-166; upphävt; datum ej verifierat)`; the link to the minutes
    when the register has one.
    """
    text = f"{decision.body} {decision.date.isoformat()}"
    if decision.paragraph:
        text += f" § {decision.paragraph}"
    parts = [f"{label('diary', lang)} {decision.diary}"] if decision.diary else []
    parts += decision_marks(decision, lang)
    if decision.protocol:
        parts.append(f"{label('protocol', lang)} {decision.protocol}")
    return f"{text} ({'; '.join(parts)})" if parts else text


def cite_id(frame: Frame, ident: str | None, lang: str = "sv") -> str:
    """A decision id as a table cell shows it: the id, and its marks when it has any."""
    if not ident:
        return ""
    decision = frame.decisions.get(ident)
    marks = decision_marks(decision, lang) if decision is not None else []
    return f"{ident} ({', '.join(marks)})" if marks else ident


def describe_decision(frame: Frame, ident: str, lang: str = "sv") -> str:
    """A decision's reference and title, or its id alone when it is not in the register."""
    decision = frame.decisions.get(ident)
    if decision is None:
        return ident
    return f"{decision_reference(decision, lang)}: {decision.title}"


def decisions_behind(
    frame: Frame,
    costs: Iterable[CostLine],
    budget: Iterable[BudgetLine] = (),
    also: Iterable[str | None] = (),
) -> list[Decision]:
    """The registered decisions the given figures rest on, in date order.

    A cost rests on the decisions it cites and on the one that funds its
    position; a kommunbidrag change on every decision its entry links; `also`
    adds decisions a report cites itself (a position's moves).
    """
    cited: set[str] = {ident for ident in also if ident}
    for line in costs:
        cited.update(line.decisions)
        if line.position_decision:
            cited.add(line.position_decision)
    for change in budget:
        if change.decision:
            cited.add(change.decision)
        cited.update(change.entry.links)
    found = [frame.decisions[ident] for ident in cited if ident in frame.decisions]
    return sorted(found, key=lambda d: (d.date, d.id))


def cost_decisions(frame: Frame, costs: Iterable[CostLine], first: int, last: int) -> list[str]:
    """The decisions a cost figure for `first`–`last` rests on, beyond the costs' own.

    The växlingar that took effect in the span (they moved the positions and
    the money whose costs are counted) and the decisions that closed the
    books of its years. Budget decisions are not among them: a budget says
    what a committee may spend, not what the programme cost.
    """
    cited: list[str] = []
    for transfer in frame.within(first, last).transfers:
        if transfer.decision:
            cited.append(transfer.decision)
        cited += sorted(transfer.entry.links)
    cited += [
        d.id for d in frame.decisions.values() if d.closes is not None and first <= d.closes <= last
    ]
    cited += [ident for year in range(first, last + 1) for ident in frame.closings.get(year, ())]
    return list(dict.fromkeys(cited))


def imported_files(costs: Iterable[CostLine]) -> list[str]:
    """The distinct source files the cost lines were imported from, sorted."""
    return sorted({line.source.file for line in costs if line.source is not None})


def decisions_footnote(
    frame: Frame,
    costs: Iterable[CostLine],
    budget: Iterable[BudgetLine],
    lang: str,
    also: Iterable[str | None] = (),
    key: str = "note_decisions",
) -> tuple[str, ...]:
    """A footnote naming the decisions behind the figures (none when there are none)."""
    decisions = decisions_behind(frame, costs, budget, also)
    if not decisions:
        return ()
    listed = "; ".join(f"{decision_reference(d, lang)}: {d.title}" for d in decisions)
    return (f"{label(key, lang)} {listed}.",)


def files_footnote(frame: Frame, costs: Sequence[CostLine], lang: str) -> str:
    """A footnote naming the imported files behind the costs, or saying there are none."""
    files = imported_files(costs)
    ledger = frame.path.name if frame.path else "?"
    if files:
        return label("note_imported", lang).format(files=", ".join(files), ledger=ledger)
    return label("note_not_imported", lang).format(ledger=ledger)
