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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctc.provenance import ROW_ID, SOURCE_FILE, SOURCE_ROW, SOURCE_SHA256, SOURCE_SHEET

if TYPE_CHECKING:
    import polars as pl

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


SEPARATOR = "\x1f"
"""Between a row's fields in what its fingerprint hashes."""


def fingerprint(fields: Iterable[str]) -> str:
    """A short, stable hash of a row's normalised fields."""
    joined = SEPARATOR.join(fields)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


HASHED_AT_ONCE = 50_000
"""Rows whose fields are held as Python bytes at a time while they are hashed."""


def row_ids(frame: pl.DataFrame, fields: Sequence[pl.Expr]) -> pl.Series:
    """The identity of every row of `frame`, from its `fields` (text, in order), in file order.

    The same as `fingerprint` and `Occurrences` row by row: the n-th row with
    a fingerprint gets `-n`. The hashing is Python's (polars has no SHA-256),
    over the fields joined column-wise, a slice of rows at a time so that
    their Python copies stay small; a file whose rows all differ (the usual
    case) numbers them all 1 at once.
    """
    import polars as pl

    joined = frame.select(pl.concat_str(*fields, separator=SEPARATOR).cast(pl.Binary)).to_series()
    parts = [
        pl.Series(
            list(map(_digest, joined.slice(start, HASHED_AT_ONCE).to_list())), dtype=pl.Binary
        )
        for start in range(0, joined.len(), HASHED_AT_ONCE)
    ]
    del joined
    digests = pl.concat(parts, rechunk=True) if parts else pl.Series([], dtype=pl.Binary)
    prints = digests.bin.encode("hex").alias("row_id")
    if not prints.is_duplicated().any():
        return prints + "-1"
    occurrences = Occurrences()
    return pl.Series("row_id", [occurrences.row_id(p) for p in prints], dtype=pl.String)


def _digest(content: bytes) -> bytes:
    """The bytes of a fingerprint (`FINGERPRINT_CHARS` hex digits) of a row's joined fields."""
    return hashlib.sha256(content).digest()[: FINGERPRINT_CHARS // 2]


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
