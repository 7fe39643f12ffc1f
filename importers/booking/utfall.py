"""Booking the finance-system export: programme rows -> entries, the one place for granularity.

Today every source row becomes one transaction: the committee's cost account
(from the responsibility code) and kind of cost (from the account range) --
or, for an income account, its income account, the amount kept as the export
has it (a credit is negative) -- against the municipality's settlement account, carrying the row's codes and
its provenance (file, sheet, row, SHA-256, row identity). If a later
measurement calls for one entry per voucher or a monthly summary, only this
module changes; every other step works on `Item`s and row identities.

A programme row whose responsibility code or account the mapping does not
know is rejected, never guessed. `CostImporter` is the export's importer:
it reads the rows (`ctc.importers.kinds.utfall`) and books them here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from pathlib import Path

from beancount.core import data
from beancount.core.amount import Amount

from ctc.accounts import cost_account, cost_counter_account
from ctc.errors import UserError
from ctc.importers.booking.extraction import Extraction, LazyItem, Totals
from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.kinds.utfall import UTFALL, CostRow, parse_export
from ctc.importers.reading.identity import SourceFile
from ctc.importers.reading.layout import Header, Located
from ctc.importers.reading.rejection import Rejection
from ctc.mapping import Mapping

KIND_TEXT = {
    "salary": "Lön",
    "po": "Personalomkostnader",
    "other": "Övrigt",
    "survey": "Enkät",
    "training": "Utbildning",
    "licence": "Licenser",
    "programmes": "Insatser och program",
    "internal_purchase": "Interna köp",
    "income": "Intäkter",
    "internal_income": "Interna intäkter",
}
"""The text of a personnel entry when the mapping names no account."""

SEK = "SEK"


class _Lookup:
    """What a programme row's entry needs beyond the mapping's own (remembered) answers.

    A city's general ledger brings tens of thousands of programme rows with a
    few hundred distinct codes, so the accounts and the account names are
    worked out once per code.
    """

    __slots__ = ("counter", "mapping", "narrations", "targets")

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.targets: dict[tuple[str, str], str] = {}
        self.narrations: dict[str, str] = {}
        self.counter = cost_counter_account(mapping.municipality)

    def target(self, committee: str, kind: str) -> str:
        """The committee's cost account for a kind of cost."""
        key = (committee, kind)
        if key not in self.targets:
            mapping = self.mapping
            self.targets[key] = cost_account(
                mapping.municipality, committee, mapping.programme, kind
            )
        return self.targets[key]

    def narration(self, row: CostRow, kind: str) -> str:
        """The row's own text, or for personnel costs (and empty texts) the account's name."""
        mapping = self.mapping
        personnel = kind in mapping.personnel and not mapping.copy_personnel_text
        if row.text and not personnel:
            return row.text
        if row.account not in self.narrations:
            self.narrations[row.account] = (
                mapping.account_names.get(row.account) or f"{KIND_TEXT[kind]} (konto {row.account})"
            )
        return self.narrations[row.account]


def cost_items(
    rows: Iterable[CostRow], mapping: Mapping, source: SourceFile, header: Header
) -> tuple[list[LazyItem], Totals, list[Rejection]]:
    """Entries for programme rows, their control totals, and the rows the mapping cannot place."""
    lookup = _Lookup(mapping)
    items: list[LazyItem] = []
    totals = Totals()
    rejected: list[Rejection] = []
    sheet = source.sheet or ""
    for row in rows:
        committee = mapping.committee_of(row.responsibility)
        kind = mapping.kind_of(row.account)
        if committee is None:
            rejected.append(
                Rejection(
                    sheet,
                    row.row,
                    header.letter("responsibility"),
                    f"ansvarskoden {row.responsibility or '(tom)'} hör inte till någon nämnd "
                    "i mappningen (programrad)",
                )
            )
        if kind is None:
            rejected.append(
                Rejection(
                    sheet,
                    row.row,
                    header.letter("account"),
                    f"kontot {row.account or '(tomt)'} har ingen kostnads- eller intäktstyp i "
                    "mappningen (programrad)",
                )
            )
        if committee is None or kind is None:
            continue
        totals.add(row.date.year, committee, row.amount)
        build = partial(cost_entry, row, committee, kind, lookup, source)
        accounts = (lookup.target(committee, kind), lookup.counter)
        items.append(LazyItem(build, row.row_id, row.amount, accounts))
    return items, totals, rejected


def cost_entry(
    row: CostRow, committee: str, kind: str, lookup: _Lookup, source: SourceFile
) -> data.Transaction:
    """One programme row as a transaction on its committee's cost account."""
    meta = source.meta(row.row, row.row_id)
    for key, value in (
        ("voucher", row.voucher),
        ("account_code", row.account),
        ("responsibility", row.responsibility),
        ("project", row.project),
        ("activity", row.activity),
        ("counterparty", row.counterparty),
        ("area", lookup.mapping.area_of(row.responsibility)),
        ("period", row.period),
        ("voucher_date", row.voucher_date),
    ):
        if value:
            meta[key] = value
    amount = row.amount
    postings = [
        data.Posting(lookup.target(committee, kind), Amount(amount, SEK), None, None, None, None),
        data.Posting(lookup.counter, Amount(-amount, SEK), None, None, None, None),
    ]
    return data.Transaction(
        meta, row.date, "*", None, lookup.narration(row, kind), frozenset(), frozenset(), postings
    )


class CostImporter(WorkbookImporter):
    """Booked rows of a finance system (Raindance, Unit4/Agresso, Visma) -> cost entries."""

    kind = UTFALL

    def archive_account(self) -> str:
        """Exports are archived under the settlement account every booked cost is credited to."""
        return cost_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Parse the export, then book its programme rows through the mapping."""
        self._check_marks(path, located)
        parsed = parse_export(located, self.mapping)
        source = self.source(path, located)
        items, totals, unmapped = cost_items(parsed.programme, self.mapping, source, located.header)
        rejected = sorted((*parsed.rejected, *unmapped), key=lambda r: (r.row or 0, r.column or ""))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=parsed.last_date or datetime.date(1970, 1, 1),
            items=tuple(items),
            rows=parsed.rows,
            programme_rows=len(parsed.programme),
            programme_total=sum((row.amount for row in parsed.programme), Decimal(0)),
            by_year_committee=totals.figures(),
            not_programme=parsed.not_programme,
            rejected=tuple(rejected),
            notes=parsed.notes,
        )

    def _check_marks(self, path: Path, located: Located) -> None:
        """Refuse an export without a column the mapping marks the programme's rows in."""
        fields = located.header.fields
        mapping = self.mapping
        if ("project" in fields and mapping.projects) or (
            "activity" in fields and mapping.activities
        ):
            return
        marks = ", ".join(sorted(mapping.projects | mapping.activities))
        where = f" {located.place(located.header.row)}:" if located.header.row else ""
        raise UserError(
            f"{path.name}:{where} exporten har ingen "
            f"kolumn som mappningen märker programmets rader med (Projekt eller Aktivitet: {marks})."
        )
