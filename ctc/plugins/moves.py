"""Checks that positions and money move together (rule `move-with-money`).

A position that moves between committees takes its money along: the
decision behind the move (`position-move`'s `decision:`) carries a växling
with a line naming the position (`position:` on the posting) from the
committee it leaves to the one it joins. And the other way round: a växling
line naming a position means the position changes hands on the effective
date, so the positions register must say so, by a move from the giving to
the receiving committee or by the position being established (`position`)
at the receiving committee that day.

Sometimes they rightly differ (a position moves and the receiving committee
pays from its own frame; money follows work that a position keeps doing at
its old committee). The decision then says why in `transfer_exception:` on
its register entry, and the transfers report shows the reason.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from beancount.core import data

from ctc.accounts import parse_account
from ctc.errors import RuleError, rule_error
from ctc.numbers import posting_number
from ctc.positions import MOVE, POSITION, position_events
from ctc.registers import DECISION, customs, first_value, text_meta
from ctc.transfers import carrying_decision, effective_date, is_transfer

__plugins__ = ("check_moves",)

RULE = "move-with-money"
EXCEPTION = "transfer_exception"
"""The decision's metadata that states why its moves and money differ."""


@dataclass(frozen=True, slots=True)
class MoneyLine:
    """A växling's money for one position: who gives, who receives, on which date."""

    position: str
    givers: frozenset[str]
    receivers: frozenset[str]
    effective: datetime.date
    decisions: frozenset[str]
    """The carrying decision and every decision the växling links."""
    entry: data.Transaction


def exceptions(entries: data.Entries) -> dict[str, str]:
    """Decision id -> the reason its moves and money differ, for decisions that state one."""
    reasons = {}
    for entry in customs(entries, DECISION):
        reason = text_meta(entry, EXCEPTION)
        if reason is not None and isinstance(first_value(entry), str):
            reasons[first_value(entry)] = reason
    return reasons


def _sides(entry: data.Transaction) -> dict[str, tuple[set[str], set[str]]]:
    """Position -> (committees giving money for it, committees receiving it) in one entry."""
    sides: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for posting in entry.postings:
        value = (posting.meta or {}).get("position")
        position = str(value).strip() if value else None
        parsed, amount = parse_account(posting.account), posting_number(posting)
        if position is None or parsed is None or not amount:
            continue
        sides[position][0 if amount > 0 else 1].add(parsed.committee)
    return sides


def money_lines(entries: data.Entries) -> list[MoneyLine]:
    """Every position a växling moves money for, once per decision and effective date."""
    seen: set[tuple[str, datetime.date, str | None]] = set()
    lines = []
    for entry in entries:
        if not is_transfer(entry):
            continue
        decision = carrying_decision(entry)
        decisions = frozenset({*entry.links, *([decision] if decision else [])})
        for position, (givers, receivers) in _sides(entry).items():
            key = (position, effective_date(entry), decision)
            if key in seen:
                continue
            seen.add(key)
            lines.append(
                MoneyLine(
                    position,
                    frozenset(givers),
                    frozenset(receivers),
                    effective_date(entry),
                    decisions,
                    entry,
                )
            )
    return lines


def _joins(event: data.Custom, line: MoneyLine) -> bool:
    """Whether a position event hands the line's position to a receiving committee that day."""
    if first_value(event) != line.position or event.date != line.effective:
        return False
    if event.type == MOVE:
        return (
            text_meta(event, "from_committee") in line.givers
            and text_meta(event, "to_committee") in line.receivers
        )
    return event.type == POSITION and text_meta(event, "committee") in line.receivers


def _funds(line: MoneyLine, move: data.Custom) -> bool:
    """Whether a växling line moves the money of a position move."""
    return (
        line.position == first_value(move)
        and text_meta(move, "decision") in line.decisions
        and text_meta(move, "from_committee") in line.givers
        and text_meta(move, "to_committee") in line.receivers
    )


def _unmoved(line: MoneyLine) -> RuleError:
    givers, receivers = ", ".join(sorted(line.givers)), ", ".join(sorted(line.receivers))
    message = (
        f"Växlingen flyttar pengar för tjänsten {line.position} från {givers} till {receivers} "
        f"från {line.effective}, men tjänsten flyttas inte dit den dagen; lägg till "
        f'custom "position-move" "{line.position}" daterad {line.effective}, eller ange skälet '
        f"med {EXCEPTION}: på beslutet."
    )
    return rule_error(RULE, line.entry.meta, message, line.entry)


def _unfunded(move: data.Custom) -> RuleError:
    ident, decision = first_value(move), text_meta(move, "decision")
    message = (
        f"Tjänsten {ident} flyttas från {text_meta(move, 'from_committee')} till "
        f"{text_meta(move, 'to_committee')} enligt {decision}, men beslutet växlar inga pengar "
        f"för tjänsten (ingen växlingsrad med position: {ident}); lägg till växlingen, eller "
        f"ange skälet med {EXCEPTION}: på beslutet."
    )
    return rule_error(RULE, move.meta, message, move)


def check_moves(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report moves without money and money for positions that do not move."""
    reasons = exceptions(entries)
    lines = money_lines(entries)
    events: dict[tuple[object, datetime.date], list[data.Custom]] = defaultdict(list)
    for event in position_events(entries):
        events[(first_value(event), event.date)].append(event)
    by_position: dict[str, list[MoneyLine]] = defaultdict(list)
    errors = []
    for line in lines:
        by_position[line.position].append(line)
        if line.decisions & set(reasons):
            continue
        if not any(_joins(event, line) for event in events[(line.position, line.effective)]):
            errors.append(_unmoved(line))
    for move in (e for day in events.values() for e in day if e.type == MOVE):
        decision = text_meta(move, "decision")
        if decision is None or decision in reasons:
            continue  # a move without a decision is `decision-cited`'s to report
        if not any(_funds(line, move) for line in by_position[str(first_value(move))]):
            errors.append(_unfunded(move))
    return entries, errors
