"""The exact identity of a source file and of each of its rows.

A file is known by its SHA-256. A row is known by a fingerprint of its own
content (date or period, account, codes, amount, voucher, text; never its
row number) and its occurrence number among identical rows of the file: the
third identical row of a file is `<fingerprint>-3`. So the same row in a
later, overlapping export (another file, other row numbers) has the same
identity, and two genuinely identical bookings stay two. Duplicates are
recognised by this identity alone, never by fuzzy similarity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ctc.provenance import ROW_ID, SOURCE_FILE, SOURCE_ROW, SOURCE_SHA256, SOURCE_SHEET

FINGERPRINT_CHARS = 20
"""Hex digits kept of a row's SHA-256 (80 bits: no collision in any ledger's lifetime)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A source file being imported: its path, name, sheet and SHA-256."""

    path: Path
    sha256: str
    sheet: str | None = None

    @property
    def name(self) -> str:
        """The file's name, as recorded in the ledger (never its full path)."""
        return self.path.name

    def meta(self, row: int | None, row_id: str | None) -> dict[str, Any]:
        """The provenance metadata of an entry built from `row` of this file."""
        meta: dict[str, Any] = {"filename": f"<{self.name}>", "lineno": row or 0}
        meta[SOURCE_FILE] = self.name
        if self.sheet is not None:
            meta[SOURCE_SHEET] = self.sheet
        if row is not None:
            meta[SOURCE_ROW] = Decimal(row)
        meta[SOURCE_SHA256] = self.sha256
        if row_id is not None:
            meta[ROW_ID] = row_id
        return meta


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(fields: Iterable[str]) -> str:
    """A short, stable hash of a row's normalised fields."""
    joined = "\x1f".join(fields)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


class Occurrences:
    """Numbers identical rows of one file: the n-th row with a fingerprint gets `-n`."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def row_id(self, print_: str) -> str:
        """The identity of the next row with fingerprint `print_`."""
        count = self._seen.get(print_, 0) + 1
        self._seen[print_] = count
        return f"{print_}-{count}"
