"""The beangulp importer every kind of workbook shares.

Each kind (finance-system export, positions roster, transfer decision,
kommunbidrag) is a `beangulp.Importer`: `identify` opens the workbook safely
and recognises its kind by its header, `account` and `date` say where the
file is archived, `extract` returns its entries, and `deduplicate` marks
entries whose exact row identity the ledger already holds. `ctc import` calls
the richer `read`, which returns the whole `Extraction` (entries with their
identities and the file's control figures), on a workbook it has already
located, so that a file is parsed once.

Each kind's importer sits beside its booking in this layer
(`ctc.importers.booking.utfall`, `roster`, `vaxling`, `kommunbidrag`);
`ctc.importers.registry` lists them.
"""

from __future__ import annotations

import datetime
from abc import abstractmethod
from pathlib import Path
from typing import ClassVar

import beangulp
from beancount.core import data

from ctc.errors import UserError
from ctc.importers.booking.extraction import Extraction
from ctc.importers.kinds.recognise import locate_file
from ctc.importers.reading.identity import SourceFile, file_sha256
from ctc.importers.reading.layout import Kind, Located
from ctc.mapping import Mapping
from ctc.provenance import ROW_ID

DUPLICATE = "__duplicate__"
"""beangulp's metadata key for an entry the ledger already holds."""


def known_row_ids(entries: list[data.Directive]) -> set[str]:
    """Every row identity recorded in a ledger's entries."""
    return {str(entry.meta[ROW_ID]) for entry in entries if entry.meta and ROW_ID in entry.meta}


class WorkbookImporter(beangulp.Importer):
    """An importer of one kind of Excel workbook, configured by the ledger's mapping."""

    kind: ClassVar[Kind]

    def __init__(self, mapping: Mapping, decision: str | None = None) -> None:
        self.mapping = mapping
        self.decision = decision
        """A decision id for rows that need one and name none (`--decision`)."""

    @property
    def name(self) -> str:
        """The kind's name: utfall, tjanster, vaxling or kommunbidrag."""
        return self.kind.name

    def locate(self, path: Path) -> Located:
        """Open a workbook safely and find its data (sheet, header, kind)."""
        return locate_file(path, self.mapping.formats)

    def identify(self, filepath: str) -> bool:
        """Whether the file is a workbook of this importer's kind."""
        try:
            return self.locate(Path(filepath)).kind is self.kind
        except UserError:
            return False

    def account(self, filepath: str) -> data.Account:
        """The account whose documents folder archives files of this kind."""
        return self.archive_account()

    @abstractmethod
    def archive_account(self) -> str:
        """The archive account of this kind of file."""

    def date(self, filepath: str) -> datetime.date | None:
        """The file's archive date: the last date its entries carry."""
        path = Path(filepath)
        return self.read(path, [], self.locate(path)).date

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """The file's entries; a file with rejected rows is refused whole."""
        path = Path(filepath)
        extraction = self.read(path, existing, self.locate(path))
        if extraction.rejected:
            first = extraction.rejected[0]
            raise UserError(
                f"{path.name}: {len(extraction.rejected)} rader kan inte läsas in; "
                f"först {first.where()}: {first.reason}."
            )
        return extraction.entries()

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark entries whose exact row identity the ledger already holds."""
        known = known_row_ids(existing)
        for entry in entries:
            if entry.meta.get(ROW_ID) in known:
                entry.meta[DUPLICATE] = True

    def source(self, path: Path, located: Located) -> SourceFile:
        """The file's identity for provenance."""
        return SourceFile(path, file_sha256(path), located.sheet or None)

    @abstractmethod
    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Everything the file holds, as entries with identities and control figures."""
