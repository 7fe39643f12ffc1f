"""Decisions that apply from before they were made, and moves a decision left unfunded.

An auditor reading a växling or a cost answer should see at once when a
decision was retroactive (the 2024 reorganisation applied from 2024-09-01 by
KF's decision of 2024-09-26), and when a decision moved positions without
money, with the reason it gives (`transfer_exception:`). The reports that
rest on such decisions say so with these notes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ctc.decision_dates import is_retroactive
from ctc.plugins.moves import EXCEPTION
from ctc.registers import Decision
from ctc.reports.frame import Frame
from ctc.reports.labels import label
from ctc.reports.positions import stints
from ctc.reports.sources import decision_reference

Effect = tuple[Decision, datetime.date]
"""A decision and a date from which something it decided applies."""


def effects(frame: Frame, first: int | None, last: int | None) -> Iterator[Effect]:
    """Each decision's växlingar and position events whose effect falls in the span."""
    for transfer in frame.transfers:
        decision = frame.decisions.get(transfer.decision or "")
        if decision is not None and _within(transfer.effective, first, last):
            yield decision, transfer.effective
    for spells in frame.history.values():
        for spell in spells:
            decision = frame.decisions.get(spell.decision or "")
            if decision is not None and _within(spell.start, first, last):
                yield decision, spell.start


def _within(day: datetime.date, first: int | None, last: int | None) -> bool:
    return (first is None or day.year >= first) and (last is None or day.year <= last)


def retroactive_effects(frame: Frame, first: int | None, last: int | None) -> list[Effect]:
    """Each retroactive decision with the earliest date it applies from, in date order."""
    earliest: dict[str, Effect] = {}
    for decision, effective in effects(frame, first, last):
        if not is_retroactive(effective, decision.date):
            continue
        known = earliest.get(decision.id)
        if known is None or effective < known[1]:
            earliest[decision.id] = (decision, effective)
    return sorted(earliest.values(), key=lambda item: (item[1], item[0].id))


def retroactive_note(decision: Decision, effective: datetime.date, lang: str) -> str | None:
    """A note under a växling whose decision was made after it took effect; else None."""
    if not is_retroactive(effective, decision.date):
        return None
    return label("retroactive", lang).format(
        decided=decision.date.isoformat(),
        effective=effective.isoformat(),
    )


def retroactive_footnote(
    frame: Frame, first: int | None, last: int | None, lang: str
) -> tuple[str, ...]:
    """A footnote naming the retroactive decisions behind a span (none when there are none)."""
    found = retroactive_effects(frame, first, last)
    if not found:
        return ()
    listed = "; ".join(
        label("retroactive_item", lang).format(
            reference=decision_reference(decision, lang), effective=effective.isoformat()
        )
        for decision, effective in found
    )
    return (f"{label('retroactive_decisions', lang)} {listed}.",)


def exception_of(decision: Decision | None) -> str | None:
    """The reason a decision gives for moves and money that differ, if it gives one."""
    if decision is None:
        return None
    reason = decision.meta.get(EXCEPTION)
    return str(reason).strip() or None if reason is not None else None


def _funded(frame: Frame, decision: str, position: str) -> bool:
    """Whether a växling of the decision moves money for the position."""
    return any(
        line.position == position
        for transfer in frame.transfers
        if decision == transfer.decision or decision in transfer.entry.links
        for line in transfer.lines
    )


def unfunded_moves_footnote(
    frame: Frame, decision: str | None, year: int | None, lang: str
) -> tuple[str, ...]:
    """A footnote on moves of positions whose decision moves no money, and why."""
    items = []
    for stint in stints(frame):
        registered = frame.decisions.get(stint.decision or "")
        reason = exception_of(registered)
        if stint.moved_from is None or registered is None or reason is None:
            continue
        if _funded(frame, registered.id, stint.position):
            continue
        if (decision is not None and registered.id != decision) or (
            year is not None and stint.start.year != year
        ):
            continue
        items.append(
            label("unfunded_move", lang).format(
                position=stint.position,
                source=stint.moved_from,
                target=stint.committee,
                date=stint.start.isoformat(),
                reference=decision_reference(registered, lang),
                reason=reason,
            )
        )
    if not items:
        return ()
    return (f"{label('unfunded_moves', lang)} {'; '.join(items)}.",)
