"""The transfer decision's booking (växling): its key cells and lines -> its two växling entries.

The decision and every further decision it names must be in the ledger's
decision register, and each line's committees in its committee register
(the sheet itself is read by `ctc.importers.kinds.vaxling`). Where a line
names a position and leaves salary or PO blank, they come from the ledger:
the position's monthly salary on the effective date × FTE × 12, and the
salary × the year's PO rate, each rounded to whole kronor. A decision the
ledger already holds in another version is refused: undo that import first.

The entries themselves, and the rounding rule for the applicable months
(full-year amount × months / 12 per line, the residue to the largest line),
are `ctc.transfers`'; this module only turns the decision into them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from ctc.accounts import allocation_counter_account
from ctc.importers.booking.context import LedgerContext
from ctc.importers.booking.extraction import Extraction, Item
from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.kinds.rows import Row, RowError, data_rows, rejection
from ctc.importers.kinds.vaxling import VAXLING, decision_head, kronor
from ctc.importers.reading.identity import SourceFile, fingerprint
from ctc.importers.reading.layout import Located
from ctc.importers.reading.rejection import Rejection
from ctc.numbers import posting_number, round_half_away
from ctc.transfers import (
    APPLICABLE,
    TransferItem,
    TransferPlan,
    carrying_decision,
    is_transfer,
    transfer_transactions,
)


class TransferImporter(WorkbookImporter):
    """A transfer decision's sheet -> the växling entries (applicable months and full year)."""

    kind = VAXLING

    def archive_account(self) -> str:
        """Decisions on kommunbidrag are archived under the council's side of it."""
        return allocation_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Read the key cells and the lines; build the plan and its two entries."""
        context = LedgerContext.of(existing)
        source = self.source(path, located)
        head, rejected = decision_head(located)
        municipality = head.municipality or self.mapping.municipality
        rejected += [
            Rejection(
                located.sheet, head.row, None, f"beslutet {ident} finns inte i beslutsregistret"
            )
            for ident in (head.decision, *head.links)
            if ident and ident not in context.decisions
        ]
        lines, count = self._lines(located, context, municipality, head.effective, rejected)
        if not lines and not rejected:
            rejected.append(
                Rejection(located.sheet, located.header.row, None, "beslutet har inga rader")
            )
        items: tuple[Item, ...] = ()
        totals: dict[str, Decimal] = {}
        gross = sum((item.full_year for _, item in lines), Decimal(0))
        if not rejected and head.decision and head.effective:
            plan = TransferPlan(
                head.decision,
                (head.decision, *head.links),
                municipality,
                head.programme or self.mapping.programme,
                head.effective,
                head.title or f"enligt beslut {head.decision}",
                tuple(item for _, item in lines),
            )
            items, totals = self._entries(plan, [n for n, _ in lines], source, head.row, gross)
            conflict = _conflict(existing, plan, {i.row_id for i in items})
            if conflict:
                rejected.append(Rejection(located.sheet, head.row, None, conflict))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=head.effective or datetime.date(1970, 1, 1),
            items=items if not rejected else (),
            rows=count,
            programme_rows=count,
            programme_total=gross,
            by_year_committee=totals,
            not_programme=0,
            rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
        )

    def _lines(
        self,
        located: Located,
        context: LedgerContext,
        municipality: str,
        effective: datetime.date | None,
        rejected: list[Rejection],
    ) -> tuple[list[tuple[int, TransferItem]], int]:
        """Every line's transfer items with its row number, and how many lines there are.

        A line that cannot be used is added to `rejected`.
        """
        lines: list[tuple[int, TransferItem]] = []
        count = 0
        for row in data_rows(located):
            count += 1
            try:
                lines += [
                    (row.number, item)
                    for item in self._items(row, context, municipality, effective)
                ]
            except RowError as problem:
                rejected.append(rejection(located, row, problem))
        return lines, count

    def _items(
        self,
        row: Row,
        context: LedgerContext,
        municipality: str,
        effective: datetime.date | None,
    ) -> list[TransferItem]:
        """The transfer items of one line: salary, PO and other, in that order."""
        giver = self._committee(row, "giver", context, municipality)
        receiver = self._committee(row, "receiver", context, municipality)
        if giver == receiver:
            raise RowError("receiver", f"raden flyttar från {giver} till samma nämnd")
        position = row.code("position") or None
        salary = kronor(row, "salary")
        po = kronor(row, "po")
        other = kronor(row, "other")
        if position is not None and (salary is None or po is None):
            salary, po = self._position_cost(row, position, context, effective, salary, po)
        amounts = [("salary", salary), ("po", po), ("other", other)]
        items = [
            TransferItem(giver, receiver, cost_type, amount, position)
            for cost_type, amount in amounts
            if amount
        ]
        if not items:
            raise RowError("position", "raden har varken tjänst eller belopp")
        return items

    def _committee(self, row: Row, field: str, context: LedgerContext, municipality: str) -> str:
        given = row.text(field, required=True, what="nämnden") or ""
        committee = context.committee(municipality, given)
        if committee is None:
            raise RowError(field, f"nämnden {given!r} finns inte i huvudbokens register")
        return committee

    def _position_cost(
        self,
        row: Row,
        position: str,
        context: LedgerContext,
        effective: datetime.date | None,
        salary: Decimal | None,
        po: Decimal | None,
    ) -> tuple[Decimal, Decimal]:
        """Salary and PO of a position from the ledger, for the blanks the line leaves."""
        if effective is None:
            raise RowError(
                "position", "ikraftträdandet saknas, så tjänstens kostnad går inte att räkna"
            )
        if salary is None:
            spell = context.spell(position, effective)
            if spell is None:
                raise RowError(
                    "position",
                    f"tjänsten {position} finns inte i huvudboken den {effective}; ange lön och PO",
                )
            salary = round_half_away(spell.monthly_salary * spell.fte * 12)
        if po is None:
            rate = context.po_rates.get(effective.year)
            if rate is None:
                raise RowError("po", f"PO-sats saknas för {effective.year}; ange PO på raden")
            po = round_half_away(salary * rate.fraction)
        return salary, po

    def _entries(
        self,
        plan: TransferPlan,
        line_rows: list[int],
        source: SourceFile,
        decision_row: int,
        gross: Decimal,
    ) -> tuple[tuple[Item, ...], dict[str, Decimal]]:
        """Both entries with provenance (each posting names its line's row) and the net per committee."""
        identity = fingerprint(
            (
                plan.decision,
                str(plan.effective),
                plan.municipality,
                plan.programme,
                plan.title,
                *plan.links,
                *(
                    f"{i.giver}>{i.receiver}:{i.cost_type}:{i.full_year}:{i.position or ''}"
                    for i in plan.items
                ),
            )
        )
        rows = [row for row in line_rows for _ in (0, 1)]
        items = []
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for entry in transfer_transactions(plan):
            period = entry.meta["period"]
            row_id = f"{identity}-{period}"
            meta = {**source.meta(decision_row, row_id), **_own_meta(entry.meta)}
            postings = [
                posting._replace(meta={**(posting.meta or {}), "source_row": Decimal(row)})
                for posting, row in zip(entry.postings, rows, strict=True)
            ]
            for posting in entry.postings:
                committee = posting.account.split(":")[2]
                number = posting_number(posting)
                if number is not None:  # a booked växling has every amount
                    totals[f"{entry.date.year}|{committee}"] -= number
            applicable = period == APPLICABLE
            items.append(
                Item(
                    entry._replace(meta=meta, postings=postings),
                    row_id,
                    Decimal(0) if applicable else gross,
                    rows=len(set(line_rows)) if applicable else 0,
                )
            )
        return tuple(items), dict(sorted(totals.items()))


def _own_meta(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k not in ("filename", "lineno")}


def _conflict(existing: data.Entries, plan: TransferPlan, row_ids: set[str]) -> str | None:
    """Why the ledger cannot take this decision: another version of it is already there."""
    for entry in existing:
        if (
            is_transfer(entry)
            and carrying_decision(entry) == plan.decision
            and entry.meta.get("effective", entry.date) == plan.effective
            and entry.meta.get("row_id") not in row_ids
        ):
            return (
                f"huvudboken har redan en annan växling enligt {plan.decision} från {plan.effective}; "
                "ångra den med ctc import --undo innan den nya läses in"
            )
    return None
