"""Where an entry came from: the source row behind every imported figure.

Importers write these metadata keys on each entry they create; reports and
`ctc trace` read them back with `source_of`. An auditor can go from any
figure to the file, sheet and row it came from, and check the file by its
SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOURCE_FILE = "source_file"
"""The source file's name (not its path), as archived beside the ledger."""
SOURCE_SHEET = "source_sheet"
SOURCE_ROW = "source_row"
"""The 1-based row number in the sheet, as Excel shows it."""
SOURCE_SHA256 = "source_sha256"
ROW_ID = "row_id"
"""The row's exact identity: a fingerprint of its content and its occurrence."""


@dataclass(frozen=True, slots=True)
class Source:
    """One source row behind an entry."""

    file: str
    sheet: str | None
    row: int | None
    sha256: str | None
    row_id: str | None

    def label(self) -> str:
        """A short Swedish description: `utfall_2020.xlsx, blad Utfall, rad 17`."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.row is not None:
            parts.append(f"rad {self.row}")
        return ", ".join(parts)

    def __reduce__(self) -> tuple[type[Source], tuple[object, ...]]:
        """Pickle as a call with the fields (a trace unpickles one per line; see `CostLine`)."""
        return (Source, (self.file, self.sheet, self.row, self.sha256, self.row_id))


def source_of(meta: dict[str, Any] | None) -> Source | None:
    """The source recorded in an entry's metadata, or None for a hand-written entry."""
    if not meta or SOURCE_FILE not in meta:
        return None
    row = meta.get(SOURCE_ROW)
    return Source(
        file=str(meta[SOURCE_FILE]),
        sheet=str(meta[SOURCE_SHEET]) if meta.get(SOURCE_SHEET) is not None else None,
        row=int(row) if row is not None else None,
        sha256=str(meta[SOURCE_SHA256]) if meta.get(SOURCE_SHA256) else None,
        row_id=str(meta[ROW_ID]) if meta.get(ROW_ID) else None,
    )


def source_meta(source: Source) -> dict[str, Any]:
    """The metadata an importer writes for a source row."""
    meta: dict[str, Any] = {SOURCE_FILE: source.file}
    if source.sheet is not None:
        meta[SOURCE_SHEET] = source.sheet
    if source.row is not None:
        meta[SOURCE_ROW] = source.row
    if source.sha256 is not None:
        meta[SOURCE_SHA256] = source.sha256
    if source.row_id is not None:
        meta[ROW_ID] = source.row_id
    return meta
