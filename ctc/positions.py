"""Positions (tjänster) and their history of moves between committees.

A position is a role, never a person. It is opened by `custom "position"`,
changed by `position-change` (FTE, salary, area), moved to another committee by
`position-move`, and closed by `position-end` (dated its last funded day).
Its `unit` is the responsibility code its payroll is booked on, which lets
reports attribute payroll rows to positions.
`build_history` turns those directives into spells: stretches of time in which
one committee funds the position with constant FTE and salary. The same
history serves the plugin that checks the rules and the reports.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from ctc.errors import RuleError, rule_error
from ctc.registers import first_value, text_meta

POSITION = "position"
MOVE = "position-move"
CHANGE = "position-change"
END = "position-end"
VACANT = "position-vacant"
"""A stretch in which a funded position has nobody in it (`until:` its last vacant day)."""
EVENT_ORDER = {POSITION: 0, CHANGE: 1, MOVE: 2, END: 3}

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Spell:
    """A stretch of time in which one committee funds a position unchanged."""

    position_id: str
    municipality: str
    committee: str
    role: str
    area: str | None
    unit: str | None
    """The responsibility code (ansvar) the position's payroll is booked on, if known."""
    fte: Decimal
    monthly_salary: Decimal
    start: datetime.date
    end: datetime.date | None
    """The last funded day, inclusive; None while the position is open."""
    decision: str | None
    """The decision the spell starts from, where one is cited."""
    meta: dict[str, Any]
    """Metadata of the directive that started the spell (file and line)."""
    vacant: bool = False
    """Whether the position is funded but has nobody in it (`position-vacant`)."""

    def covers(self, day: datetime.date) -> bool:
        """Whether the position is funded under this spell on `day`."""
        return self.start <= day and (self.end is None or day <= self.end)


History = dict[str, list[Spell]]
"""Position id -> its spells in date order."""


def position_events(entries: Iterable[data.Directive]) -> list[data.Custom]:
    """The position directives, in date order and, on one day, open-change-move-end."""
    events = [e for e in entries if isinstance(e, data.Custom) and e.type in EVENT_ORDER]
    return sorted(events, key=lambda e: (e.date, EVENT_ORDER[e.type]))


def _salary(entry: data.Custom) -> Decimal | None:
    value = entry.meta.get("monthly_salary")
    if isinstance(value, Amount):
        return value.number
    if isinstance(value, Decimal):
        return value
    return None


def _read_fte(value: object) -> Decimal | str:
    """A position's FTE (tjänstgöringsgrad), or why `value` is not one."""
    if not isinstance(value, Decimal):
        return "FTE (tjänstgöringsgrad) saknas eller är inte ett tal."
    if not (0 < value <= 1):
        return f"FTE ska vara större än 0 och högst 1, inte {value}."
    return value


class _Builder:
    """Applies position events one at a time, collecting spells and errors."""

    def __init__(self) -> None:
        self.history: History = {}
        self.errors: list[RuleError] = []

    def error(self, rule: str, entry: data.Custom, message: str) -> None:
        self.errors.append(rule_error(rule, entry.meta, message, entry))

    def current(self, ident: str) -> Spell | None:
        spells = self.history.get(ident)
        return spells[-1] if spells else None

    def apply(self, entry: data.Custom) -> None:
        ident = first_value(entry)
        if not isinstance(ident, str) or not ident.strip():
            self.error("position-register", entry, "Tjänstens id saknas.")
            return
        handler = {POSITION: self.open, CHANGE: self.change, MOVE: self.move, END: self.end}
        handler[entry.type](ident, entry)

    def open(self, ident: str, entry: data.Custom) -> None:
        current = self.current(ident)
        if current is not None and (current.end is None or current.end >= entry.date):
            self.error(
                "position-one-committee",
                entry,
                f"Tjänsten {ident} finansieras redan av {current.committee} sedan "
                f"{current.start}; en tjänst finansieras av en nämnd åt gången "
                "(flytta den med position-move eller avsluta den med position-end).",
            )
            return
        required = ("municipality", "committee", "role")
        missing = [key for key in required if not text_meta(entry, key)]
        salary = _salary(entry)
        if missing or salary is None:
            missing += [] if salary is not None else ["monthly_salary"]
            self.error("position-register", entry, f"Tjänsten {ident} saknar {', '.join(missing)}.")
            return
        fte = _read_fte(entry.meta.get("fte"))
        if isinstance(fte, str):
            self.error("position-fte", entry, f"Tjänsten {ident}: {fte}")
            return
        spell = Spell(
            position_id=ident,
            municipality=text_meta(entry, "municipality") or "",
            committee=text_meta(entry, "committee") or "",
            role=text_meta(entry, "role") or "",
            area=text_meta(entry, "area"),
            unit=text_meta(entry, "unit"),
            fte=fte,
            monthly_salary=salary,
            start=entry.date,
            end=None,
            decision=text_meta(entry, "decision"),
            meta=entry.meta,
        )
        self.history.setdefault(ident, []).append(spell)

    def _open_spell(self, ident: str, entry: data.Custom, verb: str) -> Spell | None:
        current = self.current(ident)
        if current is None or current.start > entry.date:
            self.error(
                "position-one-committee",
                entry,
                f"Tjänsten {ident} finns inte den {entry.date} och kan inte {verb}.",
            )
            return None
        if current.end is not None and current.end < entry.date:
            self.error(
                "position-one-committee",
                entry,
                f"Tjänsten {ident} avslutades {current.end} och kan inte {verb}.",
            )
            return None
        return current

    def _successor(self, current: Spell, entry: data.Custom, **changes: Any) -> Spell | None:
        salary = _salary(entry)
        fte = _read_fte(entry.meta.get("fte", current.fte))
        if isinstance(fte, str):
            self.error("position-fte", entry, f"Tjänsten {current.position_id}: {fte}")
            return None
        return replace(
            current,
            start=entry.date,
            end=None,
            fte=fte,
            monthly_salary=salary if salary is not None else current.monthly_salary,
            area=text_meta(entry, "area") or current.area,
            unit=text_meta(entry, "unit") or current.unit,
            role=text_meta(entry, "role") or current.role,
            decision=text_meta(entry, "decision"),
            meta=entry.meta,
            **changes,
        )

    def _replace_current(self, ident: str, current: Spell, successor: Spell) -> None:
        spells = self.history[ident]
        if current.start == successor.start:
            spells[-1] = successor
        else:
            spells[-1] = replace(current, end=successor.start - ONE_DAY)
            spells.append(successor)

    def change(self, ident: str, entry: data.Custom) -> None:
        current = self._open_spell(ident, entry, "ändras")
        if current is None:
            return
        if "committee" in entry.meta:
            self.error(
                "position-one-committee",
                entry,
                f"Tjänsten {ident}: byte av nämnd görs med position-move, inte position-change.",
            )
            return
        successor = self._successor(current, entry)
        if successor is not None:
            self._replace_current(ident, current, successor)

    def move(self, ident: str, entry: data.Custom) -> None:
        current = self._open_spell(ident, entry, "flyttas")
        if current is None:
            return
        source = text_meta(entry, "from_committee")
        target = text_meta(entry, "to_committee")
        if not source or not target:
            self.error(
                "position-register",
                entry,
                f"Flytten av {ident} behöver from_committee och to_committee.",
            )
            return
        if source != current.committee:
            self.error(
                "position-one-committee",
                entry,
                f"Tjänsten {ident} finansieras av {current.committee} den {entry.date}, "
                f"inte av {source}; den kan inte flyttas därifrån.",
            )
            return
        if target == source:
            self.error(
                "position-one-committee",
                entry,
                f"Flytten av {ident} går från {source} till samma nämnd.",
            )
            return
        successor = self._successor(current, entry, committee=target)
        if successor is not None:
            self._replace_current(ident, current, successor)

    def end(self, ident: str, entry: data.Custom) -> None:
        current = self._open_spell(ident, entry, "avslutas")
        if current is not None:
            self.history[ident][-1] = replace(current, end=entry.date)


def build_history(entries: Iterable[data.Directive]) -> tuple[History, list[RuleError]]:
    """Build every position's spells from the ledger's position directives.

    Returns the history and the rule violations found on the way: a position
    opened while it is funded, a move from a committee that does not fund it, an
    FTE outside (0, 1], missing fields, a vacancy while it is not funded.
    """
    entries = list(entries)
    builder = _Builder()
    for entry in position_events(entries):
        builder.apply(entry)
    errors = builder.errors
    history = builder.history
    for vacancy in sorted(
        (e for e in entries if isinstance(e, data.Custom) and e.type == VACANT),
        key=lambda e: e.date,
    ):
        history, problem = _with_vacancy(history, vacancy)
        if problem is not None:
            errors.append(rule_error("position-vacant", vacancy.meta, problem, vacancy))
    return history, errors


def _vacancy_span(entry: data.Custom) -> tuple[str, datetime.date] | str:
    """(position id, last vacant day) of a vacancy, or why it is malformed."""
    ident, until = first_value(entry), entry.meta.get("until")
    if not isinstance(ident, str) or not ident.strip():
        return "Vakansen saknar tjänstens id."
    if not isinstance(until, datetime.date) or until < entry.date:
        return f"Vakansen i {ident} behöver until: med sista vakanta dagen, från {entry.date} och framåt."
    return ident, until


def _with_vacancy(history: History, entry: data.Custom) -> tuple[History, str | None]:
    """The history with a vacancy's days marked vacant, or unchanged and why it cannot be."""
    span = _vacancy_span(entry)
    if isinstance(span, str):
        return history, span
    ident, until = span
    spells = history.get(ident, [])
    day = entry.date
    while day <= until:
        spell = spell_on(history, ident, day)
        if spell is None or spell.vacant:
            state = "redan vakant" if spell else "inte finansierad"
            return history, f"Tjänsten {ident} är {state} den {day} och kan inte vara vakant då."
        day = (spell.end or until) + ONE_DAY
    split: list[Spell] = []
    for spell in spells:
        split += _split(spell, entry, until)
    return {**history, ident: split}, None


def _split(spell: Spell, entry: data.Custom, until: datetime.date) -> list[Spell]:
    """A spell cut at a vacancy's first and last day, the days inside marked vacant."""
    start, end = entry.date, until
    last = spell.end or datetime.date.max
    if last < start or spell.start > end:
        return [spell]
    pieces = []
    if spell.start < start:
        pieces.append(replace(spell, end=start - ONE_DAY))
    pieces.append(
        replace(
            spell,
            start=max(spell.start, start),
            end=min(last, end),
            vacant=True,
            meta=entry.meta,
        )
    )
    if end < last:
        pieces.append(replace(spell, start=end + ONE_DAY))
    return pieces


def active_years(spell: Spell, last_day: datetime.date) -> range:
    """The calendar years in which a spell funds its position, up to `last_day`."""
    end = spell.end if spell.end is not None and spell.end < last_day else last_day
    return range(spell.start.year, end.year + 1)


def spell_on(history: History, ident: str, day: datetime.date) -> Spell | None:
    """The spell of a position on a given day, or None if it is not funded."""
    return next((s for s in history.get(ident, []) if s.covers(day)), None)
