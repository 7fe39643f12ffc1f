"""What an importer hands on: entries with their identities, and the file's control figures.

Every importer returns an `Extraction`: the entries built from the file, each
with its row identity and the amount it adds to the control total, and the
figures an auditor checks the import by (data rows, programme rows and their
total per year and committee, rows left out, rows rejected with sheet, row,
column and reason). Deduplication and writing work on this shape only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from ctc.importers.reading.identity import SourceFile
from ctc.importers.reading.rejection import Rejection

if TYPE_CHECKING:
    from ctc.importers.booking.batch import CostBatch


@dataclass(frozen=True, slots=True)
class Item:
    """One entry to write, with the identity deduplication goes by."""

    entry: data.Directive
    row_id: str
    amount: Decimal
    """What the entry adds to the file's imported total."""
    rows: int = 1
    """How many source rows the entry stands for."""

    @property
    def accounts(self) -> tuple[str, ...]:
        """The accounts the entry posts to (each must be open in the ledger)."""
        return tuple(posting.account for posting in getattr(self.entry, "postings", ()))


class LazyItem:
    """An `Item` whose entry is built only when something asks for it.

    A dry run of a city's general ledger needs every programme row's identity,
    amount and accounts, but never its Beancount entry; building tens of
    thousands of them would be most of the work after the read.
    """

    __slots__ = ("_build", "_entry", "accounts", "amount", "row_id", "rows")

    def __init__(
        self,
        build: Callable[[], data.Directive],
        row_id: str,
        amount: Decimal,
        accounts: tuple[str, ...],
        rows: int = 1,
    ) -> None:
        self._build = build
        self._entry: data.Directive | None = None
        self.row_id = row_id
        self.amount = amount
        self.accounts = accounts
        self.rows = rows

    @property
    def entry(self) -> data.Directive:
        """The entry, built on first use."""
        if self._entry is None:
            self._entry = self._build()
        return self._entry


AnyItem = Item | LazyItem
"""What deduplication and writing take: an entry, built now or on first use."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything an importer read from one file."""

    kind: str
    source: SourceFile
    account: str
    """The account the file is archived under (beangulp's `account`)."""
    date: datetime.date
    """The file's date for its archive name (beangulp's `date`)."""
    items: tuple[AnyItem, ...]
    rows: int
    """Data rows (title, header, blank and sum rows are not data rows)."""
    programme_rows: int
    programme_total: Decimal
    by_year_committee: dict[str, Decimal]
    """`"2021|AoS"` -> the programme rows' total, whatever became of them."""
    not_programme: int
    rejected: tuple[Rejection, ...]
    notes: tuple[str, ...] = field(default=())
    """What the importer checked along the way (sum rows), in Swedish."""
    unchanged: int = 0
    """Rows that state what the ledger already holds and so add no entry."""
    batch: CostBatch | None = None
    """Entries held column-wise (an export's booked rows), after those in `items`."""

    def entries(self) -> list[data.Directive]:
        """Every entry the file gives, built (the batch's too)."""
        built = [item.entry for item in self.items]
        return built + (self.batch.entries() if self.batch is not None else [])


class Totals:
    """Adds amounts per `year|committee`, exactly."""

    __slots__ = ("by_key", "total")

    def __init__(self) -> None:
        self.by_key: dict[str, Decimal] = defaultdict(Decimal)
        self.total = Decimal(0)

    def add(self, year: int, committee: str, amount: Decimal) -> None:
        """Count `amount` for a committee's year."""
        self.by_key[f"{year}|{committee}"] += amount
        self.total += amount

    def figures(self) -> dict[str, Decimal]:
        """The totals in key order."""
        return dict(sorted(self.by_key.items()))
