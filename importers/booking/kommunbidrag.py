"""Kommunbidrag's booking: committee × year (× programme) amounts -> allocation entries.

Each row of the sheet (`ctc.importers.kinds.kommunbidrag`) must name a
registered committee and, if any, a registered decision; it becomes one
allocation, the entry `ctc.allocations.allocation_transaction` builds. A
committee and year that the ledger already allocates from another source is
refused rather than doubled: undo the earlier import first.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from beancount.core import data

from ctc.accounts import allocation_counter_account, parse_account
from ctc.allocations import allocation_transaction
from ctc.importers.booking.context import LedgerContext
from ctc.importers.booking.extraction import Extraction, Item, Totals
from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.kinds.kommunbidrag import KOMMUNBIDRAG, amount_of, date_of, year_of
from ctc.importers.kinds.rows import Row, RowError, data_rows, rejection
from ctc.importers.reading.identity import Occurrences, SourceFile, fingerprint
from ctc.importers.reading.layout import Located
from ctc.importers.reading.rejection import Rejection
from ctc.provenance import ROW_ID
from ctc.transfers import ALLOCATION_TAG


def allocated(entries: data.Entries) -> dict[tuple[str, str, str, int], str | None]:
    """(municipality, committee, programme, year) -> the row identity of its allocation."""
    found: dict[tuple[str, str, str, int], str | None] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or ALLOCATION_TAG not in entry.tags:
            continue
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            if parsed is not None and parsed.is_kommunbidrag:
                key = (parsed.municipality, parsed.committee, parsed.programme, entry.date.year)
                found[key] = entry.meta.get(ROW_ID)
    return found


def _includes(row: Row, context: LedgerContext) -> str | None:
    """The växling decisions whose full-year effect the row's budget holds, each registered."""
    text = row.text("includes")
    if not text:
        return None
    decisions = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    unknown = [d for d in decisions if d not in context.decisions]
    if unknown:
        raise RowError("includes", f"beslutet {unknown[0]} finns inte i beslutsregistret")
    return ", ".join(decisions)


class KommunbidragImporter(WorkbookImporter):
    """Kommunbidrag per committee and year -> allocation entries."""

    kind = KOMMUNBIDRAG

    def archive_account(self) -> str:
        """Budget sheets are archived under the council's side of every allocation."""
        return allocation_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """One allocation per row."""
        context = LedgerContext.of(existing)
        source = self.source(path, located)
        before = allocated(existing)
        rejected: list[Rejection] = []
        items: list[Item] = []
        totals = Totals()
        occurrences = Occurrences()
        count = 0
        last = datetime.date(1970, 1, 1)
        for row in data_rows(located):
            count += 1
            try:
                item, key = self._item(row, context, source, occurrences)
            except RowError as problem:
                rejected.append(rejection(located, row, problem))
                continue
            earlier = before.get(key, item.row_id)
            if earlier != item.row_id:
                rejected.append(
                    Rejection(
                        located.sheet,
                        row.number,
                        located.header.letter("committee"),
                        f"{key[1]} har redan kommunbidrag för {key[2]} {key[3]} i huvudboken; "
                        "ångra den importen med ctc import --undo först",
                    )
                )
                continue
            before[key] = item.row_id
            totals.add(key[3], key[1], item.amount)
            items.append(item)
            last = max(last, item.entry.date)
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=last,
            items=tuple(items),
            rows=count,
            programme_rows=count,
            programme_total=totals.total,
            by_year_committee=totals.figures(),
            not_programme=0,
            rejected=tuple(rejected),
        )

    def _item(
        self, row: Row, context: LedgerContext, source: SourceFile, occurrences: Occurrences
    ) -> tuple[Item, tuple[str, str, str, int]]:
        municipality = row.text("municipality") or self.mapping.municipality
        programme = row.text("programme") or self.mapping.programme
        year = year_of(row)
        given = row.text("committee", required=True, what="nämnden") or ""
        committee = context.committee(municipality, given)
        if committee is None:
            raise RowError("committee", f"nämnden {given!r} finns inte i huvudbokens register")
        amount = amount_of(row)
        decision = row.code("decision") or None
        if decision is not None and decision not in context.decisions:
            raise RowError("decision", f"beslutet {decision} finns inte i beslutsregistret")
        includes = _includes(row, context)
        day = date_of(row, year)
        identity = [municipality, committee, programme, str(year), str(amount)]
        identity += [decision or "", str(day or ""), *([includes] if includes else [])]
        row_id = occurrences.row_id(fingerprint(tuple(identity)))
        entry = allocation_transaction(
            municipality,
            committee,
            programme,
            year,
            amount,
            decision,
            context.committee_name(municipality, committee),
            day,
            includes,
        )
        meta = {
            **source.meta(row.number, row_id),
            **{k: v for k, v in entry.meta.items() if k not in ("filename", "lineno")},
        }
        return Item(entry._replace(meta=meta), row_id, amount), (
            municipality,
            committee,
            programme,
            year,
        )
