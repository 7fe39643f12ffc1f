"""The positions roster's booking: each position's rows -> position entries.

The roster's rows come per position in date order (`ctc.importers.kinds.roster`);
each is compared with the state before it (the previous row of the file, else
the ledger's own history):

- a position the ledger does not know yet is opened (`position`);
- a row with another committee is a move (`position-move`), which must cite a
  decision: in the row, or given with `ctc import --decision ID`;
- a row with other values is a change (`position-change`) of just those values;
- a row whose "to" date is not followed by a next row ends the position
  (`position-end`).

A row that states nothing new adds no entry; it is counted as already held.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from ctc.accounts import cost_counter_account
from ctc.importers.booking.context import LedgerContext
from ctc.importers.booking.extraction import Extraction, Item
from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.kinds.roster import TJANSTER, Dated, roster_rows
from ctc.importers.kinds.rows import Row, RowError, rejection
from ctc.importers.reading.identity import Occurrences, SourceFile, fingerprint
from ctc.importers.reading.layout import Located
from ctc.importers.reading.rejection import Rejection
from ctc.positions import CHANGE, END, MOVE, POSITION

STATE_FIELDS = ("committee", "role", "area", "unit", "fte", "monthly_salary")


def _state(row: Row, context: LedgerContext, municipality: str) -> dict[str, Any]:
    """A roster row's stated values (None where the row leaves a value blank)."""
    given = row.text("committee", required=True, what="nämnden") or ""
    committee = context.committee(municipality, given)
    if committee is None:
        raise RowError("committee", f"nämnden {given!r} finns inte i huvudbokens register")
    salary = row.amount("salary", what="månadslönen")
    fte = row.fte("fte")
    if fte is not None and not (0 < fte <= 1):
        raise RowError("fte", f"tjänstgöringsgraden ska vara större än 0 och högst 1, inte {fte}")
    return {
        "committee": committee,
        "role": row.text("role"),
        "area": row.text("area"),
        "unit": row.code("unit"),
        "fte": fte,
        "monthly_salary": salary,
    }


def _custom(
    type_: str, day: datetime.date, ident: str, meta: dict[str, Any], values: dict[str, Any]
) -> data.Custom:
    for key, value in values.items():
        if value is None:
            continue
        meta[key] = Amount(value, "SEK") if key == "monthly_salary" else value
    return data.Custom(meta, day, type_, [ValueType(ident, str)])


class RosterImporter(WorkbookImporter):
    """HR's positions roster -> position, position-change, position-move and position-end."""

    kind = TJANSTER

    def archive_account(self) -> str:
        """Rosters are archived beside the payroll they explain (the settlement account)."""
        return cost_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Read every row, then turn each position's rows into entries in date order."""
        context = LedgerContext.of(existing)
        source = self.source(path, located)
        found = roster_rows(located)
        rejected = found.rejected
        items: list[Item] = []
        occurrences = Occurrences()
        unchanged = 0
        for ident, rows in found.by_position.items():
            position_items, same = self._position_items(
                ident, rows, context, source, located, occurrences, rejected
            )
            items += position_items
            unchanged += same
        items.sort(key=lambda i: (i.entry.date, not _opens_position(i.entry), ident_of(i.entry)))
        last = max((i.entry.date for i in items), default=datetime.date(1970, 1, 1))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=last,
            items=tuple(items),
            rows=found.rows,
            programme_rows=found.rows,
            programme_total=Decimal(0),
            by_year_committee={},
            not_programme=0,
            rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
            unchanged=unchanged,
        )

    def _position_items(
        self,
        ident: str,
        rows: list[Dated],
        context: LedgerContext,
        source: SourceFile,
        located: Located,
        occurrences: Occurrences,
        rejected: list[Rejection],
    ) -> tuple[list[Item], int]:
        """A position's entries in date order, and how many rows stated nothing new."""
        items: list[Item] = []
        unchanged = 0
        spell = context.spell(ident, rows[0].start)
        before: dict[str, Any] | None = (
            {key: getattr(spell, key) for key in STATE_FIELDS} if spell else None
        )
        for index, dated in enumerate(rows):
            row, start, end = dated.row, dated.start, dated.end
            try:
                municipality = row.text("municipality") or self.mapping.municipality
                state = _state(row, context, municipality)
                decision = self._decision(row, context)
                note = row.text("note")
            except RowError as problem:
                rejected.append(rejection(located, row, problem))
                continue
            row_id = occurrences.row_id(
                fingerprint(
                    (
                        ident,
                        municipality,
                        str(start),
                        str(end or ""),
                        decision or "",
                        note or "",
                        *(str(state[key] or "") for key in STATE_FIELDS),
                    )
                )
            )
            meta = source.meta(row.number, row_id)
            try:
                entry = self._event(ident, start, before, state, decision, note, municipality, meta)
            except RowError as problem:
                rejected.append(rejection(located, row, problem))
                continue
            if entry is not None:
                items.append(Item(entry, row_id, Decimal(0)))
            else:
                unchanged += 1
            before = {k: state[k] if state[k] is not None else (before or {}).get(k) for k in state}
            following = rows[index + 1].start if index + 1 < len(rows) else None
            if end is not None and following != end + datetime.timedelta(days=1):
                end_id = f"{row_id}-end"
                end_meta = source.meta(row.number, end_id)
                values = {"decision": decision} if decision else {}
                end_entry = _custom(END, end, ident, end_meta, values)
                items.append(Item(end_entry, end_id, Decimal(0), rows=0))
        return items, unchanged

    def _decision(self, row: Row, context: LedgerContext) -> str | None:
        decision = row.code("decision") or None
        if decision is not None and decision not in context.decisions:
            raise RowError("decision", f"beslutet {decision} finns inte i beslutsregistret")
        return decision

    def _event(
        self,
        ident: str,
        start: datetime.date,
        before: dict[str, Any] | None,
        state: dict[str, Any],
        decision: str | None,
        note: str | None,
        municipality: str,
        meta: dict[str, Any],
    ) -> data.Custom | None:
        """The entry one roster row stands for, compared with the state before it."""
        if before is None:
            missing = [
                what
                for key, what in (("role", "roll"), ("fte", "tjänstgöringsgrad"))
                if state[key] is None
            ]
            if state["monthly_salary"] is None:
                missing.append("månadslön")
            if missing:
                raise RowError(None, f"tjänsten {ident} är ny och behöver {', '.join(missing)}")
            values = {"municipality": municipality, **state, "decision": decision}
            return _custom(POSITION, start, ident, meta, values)
        changed = {
            key: value
            for key, value in state.items()
            if key != "committee" and value is not None and value != before.get(key)
        }
        if state["committee"] != before["committee"]:
            decision = decision or self.decision
            if decision is None:
                raise RowError(
                    "decision",
                    f"flytten av {ident} från {before['committee']} till {state['committee']} "
                    "saknar beslut; ange det i kolumnen Beslut eller med --decision",
                )
            values = {
                "from_committee": before["committee"],
                "to_committee": state["committee"],
                **changed,
                "decision": decision,
                "note": note,
            }
            return _custom(MOVE, start, ident, meta, values)
        if not changed and not note:
            return None
        return _custom(CHANGE, start, ident, meta, {**changed, "note": note, "decision": decision})


def ident_of(entry: data.Directive) -> str:
    """The position id of a position directive."""
    return str(entry.values[0].value) if isinstance(entry, data.Custom) and entry.values else ""


def _opens_position(entry: data.Directive) -> bool:
    """Whether an entry opens a position (it sorts before the same day's changes)."""
    return isinstance(entry, data.Custom) and entry.type == POSITION
