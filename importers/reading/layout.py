"""Finding the data in a workbook: which sheet, which header row, which column.

A finance officer's workbook has title rows, a header somewhere in the first
30 rows, columns in any order and extra columns of its own. Each kind of file
declares its columns here (`Column`: a field and the header words that name
it, Swedish or English) and `locate` finds, in every sheet, the header row
that names the most of them. The kind of a file is the kind whose columns
its best header names most; a transfer decision is told by its key cells
("Beslut", "Ikraftträdande") above the lines.

Header words match case-insensitively and ignoring punctuation and spaces, so
"Ver.datum", "VER DATUM" and "ver-datum" are one word.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.errors import UserError
from ctc.importers.reading.columns import column_letter
from ctc.importers.reading.fastread import CellErrors, ErrorCells, TextSheet
from ctc.importers.reading.rejection import Rejection
from ctc.importers.reading.workbook import CellValue, Workbook, sheet_rows
from ctc.source_formats import SourceFormats

if TYPE_CHECKING:
    import polars as pl

HEADER_ROWS = 30
"""How far down a sheet the header row is looked for."""


def normalise(word: object) -> str:
    """A header word reduced for matching: lower case, letters and digits only."""
    if not isinstance(word, str):
        return ""
    return "".join(ch for ch in unicodedata.normalize("NFC", word.casefold()) if ch.isalnum())


@lru_cache(maxsize=256)
def _normalised(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise(w) for w in words)


@dataclass(frozen=True, slots=True)
class Column:
    """A field of a kind of file and the header words that name it."""

    field: str
    words: tuple[str, ...]
    """Header words as a user writes them; the first is shown in messages."""

    def matches(self, word: str) -> bool:
        """Whether a normalised header word names this field."""
        return word in _normalised(self.words)


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of source file: its name, its columns and which are required."""

    name: str
    label: str
    """Swedish name for messages."""
    columns: tuple[Column, ...]
    required: tuple[tuple[str, ...], ...]
    """Each inner tuple is satisfied by any one of its fields."""

    def column(self, field: str) -> Column:
        """The column of a field."""
        return next(c for c in self.columns if c.field == field)


@dataclass(frozen=True, slots=True)
class Header:
    """A header row found in a sheet: where it is and which column holds which field."""

    row: int
    """1-based row number of the header."""
    fields: dict[str, int]
    """Field -> 0-based index into the row lists."""
    first_column: int
    labels: tuple[str, ...] = ()
    """Names of the columns for messages when they have no letters (a SIE file's fields)."""

    def letter(self, field: str) -> str:
        """The Excel column letter of a field (or its label), for messages."""
        if self.labels:
            return self.labels[self.fields[field]]
        return column_letter(self.first_column + self.fields[field])


@dataclass(frozen=True, slots=True)
class Located:
    """The data of a workbook: its kind, sheet, header, and the rows below the header."""

    kind: Kind
    sheet: str
    header: Header
    preamble: tuple[list[CellValue], ...]
    """The rows above the header (titles, or a decision's key cells)."""
    rows: Iterator[list[CellValue]]
    """The rows after the header, streamed; row number = header.row + 1 + index."""
    frame: pl.DataFrame | None = None
    """For a big workbook read as text: the rows after the header (then `rows` is empty)."""
    notes: tuple[str, ...] = ()
    """What reading the file found that the summary states (a text file's encoding)."""
    rejected: tuple[Rejection, ...] = ()
    """Problems of the file itself that refuse it (a SIE voucher that does not balance)."""
    cell_errors: CellErrors | None = None
    """For `frame`: (row below the header, column) -> error value, worked out when asked."""
    settings: SourceFormats | None = None
    """The mapping's settings a text file was read with (None: a workbook, read without any)."""

    def place(self, row: int) -> str:
        """`blad Utfall, rad 3`, or `rad 3` for a file without sheets."""
        return at(self.sheet, row)


def at(sheet: str, row: int) -> str:
    """`blad Utfall, rad 3`, or `rad 3` for a file without sheets (CSV, SIE)."""
    return f"blad {sheet}, rad {row}" if sheet else f"rad {row}"


@dataclass(slots=True)
class _SheetHead:
    """The first rows of one sheet, where a header is looked for."""

    name: str
    first_row: int
    """1-based sheet row of `head[0]`."""
    first_column: int
    head: list[list[CellValue]]
    rest: Iterator[list[CellValue]]
    """The rows after `head`, streamed (row-wise reading)."""
    text: TextSheet | None = None
    """The whole sheet (text reading)."""


def match_header(kind: Kind, row: list[CellValue]) -> dict[str, int]:
    """Field -> column index for every cell of `row` that names a field of `kind`."""
    fields: dict[str, int] = {}
    for index, cell in enumerate(row):
        word = normalise(cell)
        if not word:
            continue
        for column in kind.columns:
            if column.field not in fields and column.matches(word):
                fields[column.field] = index
                break
    return fields


def missing_fields(kind: Kind, fields: dict[str, int]) -> list[tuple[str, ...]]:
    """The required field groups a header does not satisfy."""
    return [group for group in kind.required if not any(f in fields for f in group)]


def describe(kind: Kind, group: tuple[str, ...]) -> str:
    """A missing column for a message: `Konto (Konto, Account)`."""
    names = [kind.column(field).words[0] for field in group]
    words = [w for field in group for w in kind.column(field).words]
    return f"{' eller '.join(names)} (ett av: {', '.join(words)})"


def _best_header(kind: Kind, head: list[list[CellValue]]) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(head):
        fields = match_header(kind, row)
        if len(fields) >= 2 and (best is None or len(fields) > len(best[1])):
            best = (index, fields)
    return best


def locate(
    path: Path, workbook: Workbook, kinds: tuple[Kind, ...], key_kinds: dict[str, Kind]
) -> Located:
    """Find the sheet, kind and header of a workbook's data, reading its rows one by one.

    `key_kinds` maps a normalised key word (like "ikraftträdande") to the kind
    whose sheets carry it in a cell of their own above the header. Raises a
    `UserError` when no sheet holds a recognisable header, or when the best
    one lacks a required column.
    """
    heads = []
    for name in workbook.sheet_names:
        sheet = sheet_rows(path, workbook, name)
        head = list(itertools.islice(sheet.rows, HEADER_ROWS))
        heads.append(_SheetHead(name, 1, sheet.first_column, head, sheet.rows))
    return _choose(path, heads, kinds, key_kinds)


def locate_table(
    path: Path,
    rows: Iterator[list[CellValue]],
    kinds: tuple[Kind, ...],
    key_kinds: dict[str, Kind],
) -> Located:
    """`locate` for a file of one table without sheets (a CSV export): its sheet name is ''."""
    head = list(itertools.islice(rows, HEADER_ROWS))
    return _choose(path, [_SheetHead("", 1, 0, head, rows)], kinds, key_kinds)


def locate_text(
    path: Path, sheets: list[TextSheet], kinds: tuple[Kind, ...], key_kinds: dict[str, Kind]
) -> Located:
    """`locate` for a workbook read whole as text (`ctc.importers.reading.fastread`)."""
    heads = [
        _SheetHead(s.name, s.first_row, s.first_column, _cells(s.head(HEADER_ROWS)), iter(()), s)
        for s in sheets
    ]
    return _choose(path, heads, kinds, key_kinds)


def _choose(
    path: Path, heads: list[_SheetHead], kinds: tuple[Kind, ...], key_kinds: dict[str, Kind]
) -> Located:
    """The best header among the sheets' first rows; see `locate`."""
    candidates = []
    non_empty = False
    for order, sheet in enumerate(heads):
        head = sheet.head
        if any(any(cell not in ("", None) for cell in row) for row in head):
            non_empty = True
        keyed = {key_kinds[w] for row in head for w in map(normalise, row) if w in key_kinds}
        for kind in kinds:
            found = _best_header(kind, head)
            if found is None:
                continue
            score = len(found[1]) + (100 if kind in keyed else 0)
            candidates.append((-score, order, kind, sheet, found))
    if not candidates:
        sheets = bool(heads and heads[0].name)
        if not non_empty:
            empty = "arbetsboken är tom (inga värden i något blad)" if sheets else "filen är tom"
            raise UserError(f"{path.name}: {empty}.")
        raise UserError(
            f"{path.name}: hittar ingen rubrikrad med kända kolumnnamn (t.ex. Datum, Konto, "
            f"Ansvar, Belopp) bland de {HEADER_ROWS} första raderna"
            + (" i något blad." if sheets else ".")
        )
    _, _, kind, sheet, (index, fields) = min(candidates, key=lambda c: c[:2])
    complete = sorted(
        {c[3].name for c in candidates if c[2] is kind and not missing_fields(kind, c[4][1])}
    )
    if len(complete) > 1:
        raise UserError(
            f"{path.name}: flera blad har {kind.label.lower()}s kolumner "
            f"({', '.join(complete)}); spara ett blad per fil så att inget blad glöms bort."
        )
    header = Header(sheet.first_row + index, fields, sheet.first_column)
    missing = missing_fields(kind, fields)
    if missing:
        raise UserError(
            f"{path.name}: {at(sheet.name, header.row)}: {kind.label} saknar kolumnen "
            f"{describe(kind, missing[0])}."
        )
    preamble = tuple(sheet.head[:index])
    if sheet.text is not None:
        below = sheet.text.frame.slice(index + 1)
        errors = _Shifted(sheet.text.errors, index + 1)
        return Located(kind, sheet.name, header, preamble, iter(()), below, cell_errors=errors)
    rows = itertools.chain(sheet.head[index + 1 :], sheet.rest)
    return Located(kind, sheet.name, header, preamble, rows)


class _Shifted:
    """A sheet's error cells numbered from the row `rows` below its first."""

    __slots__ = ("_errors", "_rows")

    def __init__(self, errors: CellErrors, rows: int) -> None:
        self._errors = errors
        self._rows = rows

    def __call__(self) -> ErrorCells:
        rows = self._rows
        return {(row - rows, column): value for (row, column), value in self._errors().items()}

    def release(self) -> None:
        """Let go of the sheet (`CellErrors.release`)."""
        self._errors.release()


def _cells(rows: list[list[str]]) -> list[list[CellValue]]:
    """Text rows as rows of cells (the same values; a list of cells may also hold others)."""
    return [list[CellValue](row) for row in rows]
