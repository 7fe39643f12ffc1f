"""Opening a workbook safely, and reading its sheets row by row.

Every workbook goes through `open_workbook` before any cell is read. It
refuses a password-protected or encrypted workbook, and a zip built to
exhaust the reader from the sizes in the zip directory alone, before
anything is decompressed: too large in total, a part that expands far more
than real spreadsheets do, or an XML part that declares a DTD (the road to
entity expansion). An .xls's compound file and BIFF records are checked by
hand (`xls`); a package is found through its relationships and rewritten
when the reader would not understand it (UTF-16 XML, macro sheets:
`package`). Then the workbook is read once in a child process under memory
and CPU limits (`sandbox`), and only then does python-calamine, which reads
.xlsx, .xlsm, .xlsb, .ods and .xls alike, parse it here. Cells that show an
Excel error value (`#REF!`), which the reader returns empty, are given back
their value so the import can name them.

Every problem is a `UserError` naming the file, in Swedish, on one line.
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from python_calamine import CalamineWorkbook, PasswordError

from ctc.errors import UserError
from ctc.importers.reading.columns import column_letter
from ctc.importers.reading.filetype import file_type
from ctc.importers.reading.package import (
    MAX_REPACK,
    decode_xml,
    farthest_cells,
    is_encrypted_ods,
    is_ods,
    is_utf16,
    macro_sheets,
    names,
    normal,
    repack,
    sheet_error_cells,
    sheet_parts,
    workbook_part,
)
from ctc.importers.reading.sandbox import probe
from ctc.importers.reading.xls import check_xls

CellValue = (
    str
    | int
    | float
    | bool
    | datetime.date
    | datetime.datetime
    | datetime.time
    | datetime.timedelta
    | None
)
"""What python-calamine gives for one cell; an empty cell is ''."""

ErrorCells = dict[tuple[int, int], str]
"""(0-based row, column) -> the error value a cell shows (`#REF!`)."""

ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
"""The stream an encrypted (password-protected) .xlsx keeps in its OLE container."""

MAX_UNCOMPRESSED = 1 << 30
"""Largest total size of a workbook's parts once decompressed (or of an .xls): 1 GiB.

A full 1 048 575-row export with a dozen columns is a few hundred MB of XML."""
MAX_RATIO = 100
"""Largest compression ratio of one part above `RATIO_FLOOR`; real sheets stay far below."""
RATIO_FLOOR = 1 << 20
MAX_PARTS = 10_000
PROLOG_BYTES = 1 << 16
"""How much of an XML part is read to see that no DTD comes before its root element."""


@dataclass(frozen=True, slots=True)
class SheetRows:
    """One sheet's rows, as python-calamine yields them.

    `rows` yields one list per row from row 1; `first_column` is the 0-based
    column of each list's first cell (calamine trims empty leading columns).
    """

    name: str
    first_column: int
    rows: Iterator[list[CellValue]]


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"{path.name}: {why}")


def check_zip(path: Path) -> bool:
    """Refuse a zip that is broken, not a workbook, or built to exhaust the reader.

    Checks the sizes in the zip directory before anything is decompressed,
    finds the workbook part through the package's relationships, and reads
    the head of every XML part for a DTD. Returns whether the package must be
    rewritten before it is read (UTF-16 XML, or macro sheets; see `package.repack`).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_sizes(path, archive.infolist())
            if workbook_part(archive) is None and not is_ods(archive):
                raise _refuse(path, "är ingen Excelarbetsbok (xlsx, xlsm, xlsb eller ods).")
            if is_encrypted_ods(archive):
                raise _refuse(
                    path, "arbetsboken är lösenordsskyddad (krypterad); spara den utan lösenord."
                )
            utf16 = False
            for part in archive.infolist():
                if normal(part.filename).endswith((".xml", ".rels")):
                    utf16 = _check_prolog(path, archive, part) or utf16
            return utf16 or bool(macro_sheets(archive))
    except zipfile.BadZipFile:
        raise _refuse(
            path, "filen är trasig eller avkortad (zip-arkivet går inte att läsa)."
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, zlib.error) as error:
        raise _refuse(path, f"filen är trasig eller avkortad ({error}).") from None


def _check_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose directory promises too many parts or too many bytes."""
    if len(parts) > MAX_PARTS:
        raise _refuse(path, f"arbetsboken har {len(parts)} delar; den vägras.")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise _refuse(
            path,
            f"arbetsboken packas upp till {total // (1 << 20)} MB, mer än gränsen "
            f"{MAX_UNCOMPRESSED // (1 << 20)} MB; den vägras (zip-bomb?).",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refuse(
                path,
                f"delen {part.filename} packas upp {ratio:.0f} gånger större "
                "än den lagras; arbetsboken vägras (zip-bomb?).",
            )


def _check_prolog(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Refuse an XML part that declares a DTD: entities could expand without bound.

    Reads at most `PROLOG_BYTES` of the part: a DTD must stand before the root
    element, and no Excel writer puts one there. Returns whether the part is UTF-16.
    """
    try:
        with archive.open(part) as stream:
            head = stream.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _refuse(path, f"filen är trasig eller avkortad (delen {part.filename}).") from None
    utf16 = is_utf16(head)
    if utf16:
        head = decode_xml(head[: len(head) // 2 * 2]).encode("utf-8", "replace")
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    while text.startswith((b"<?", b"<!--")):
        end = text.find(b"?>" if text.startswith(b"<?") else b"-->")
        if end < 0:
            break
        text = text[end + (2 if text.startswith(b"<?") else 3) :].lstrip()
    if text.startswith(b"<!") or (not text and len(head) == PROLOG_BYTES):
        raise _refuse(
            path,
            f"delen {part.filename} deklarerar en DTD (<!DOCTYPE/<!ENTITY); "
            "arbetsboken vägras (entitetsexpansion).",
        )
    return utf16


def _is_encrypted_ole(path: Path) -> bool:
    """Whether an OLE container holds an encrypted OOXML package (a password-protected .xlsx)."""
    overlap = len(ENCRYPTED_PACKAGE)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if ENCRYPTED_PACKAGE in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def sniff(path: Path) -> str:
    """The container of a workbook: "zip" (.xlsx/.xlsm/.xlsb/.ods) or "ole" (.xls); refuse anything else."""
    container = file_type(path)
    if container == "ole":
        if path.stat().st_size > MAX_UNCOMPRESSED:
            raise _refuse(
                path,
                f"arbetsboken är {path.stat().st_size // (1 << 20)} MB, mer än gränsen "
                f"{MAX_UNCOMPRESSED // (1 << 20)} MB; den vägras.",
            )
        if _is_encrypted_ole(path):
            raise _refuse(
                path, "arbetsboken är lösenordsskyddad (krypterad); spara den utan lösenord."
            )
    elif container != "zip":
        raise _refuse(path, "är ingen Excelarbetsbok (väntade xlsx, xlsm, xlsb, xls eller ods).")
    return container


@dataclass(frozen=True, slots=True)
class Checked:
    """A workbook that passed the safety checks: its container, and bytes to read instead."""

    container: str
    """"zip" (.xlsx, .xlsm, .xlsb, .ods) or "ole" (.xls)."""
    repack: bool = False
    """A zip with UTF-16 XML or macro sheets: it is rewritten before it is read."""


def check_workbook(path: Path) -> Checked:
    """The safety checks every workbook passes before any reader opens it."""
    container = sniff(path)
    if container == "zip":
        return Checked(container, check_zip(path))
    return Checked(container)


@dataclass(frozen=True, slots=True)
class Workbook:
    """A workbook open for reading: its worksheets, and the error cells the reader hides."""

    book: CalamineWorkbook
    sheet_names: list[str]
    """The worksheets, in order (macro sheets, charts and modules hold no table)."""
    errors: dict[str, dict[tuple[int, int], str]]
    """Sheet -> (0-based row, column) -> the error value Excel shows (`#REF!`)."""


def _prepared(path: Path, checked: Checked) -> tuple[bytes | None, dict[str, ErrorCells]]:
    """Bytes to read instead of the file (or None), and every sheet's error cells."""
    if checked.container == "ole":
        found = check_xls(path)
        return found.data, found.errors
    try:
        return _prepared_zip(path, checked)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise _refuse(path, f"filen är trasig eller avkortad ({error}).") from None


def _prepared_zip(path: Path, checked: Checked) -> tuple[bytes | None, dict[str, ErrorCells]]:
    with zipfile.ZipFile(path) as archive:
        data = None
        if checked.repack:
            data = _repacked(path, archive)
        errors = {}
        stored = names(archive)
        for sheet, part in sheet_parts(archive).items():
            if part in stored:
                cells = sheet_error_cells(archive, stored[part])
                if cells:
                    errors[sheet] = cells
    return data, errors


def _repacked(path: Path, archive: zipfile.ZipFile) -> bytes:
    """The package rewritten for the reader: UTF-8 XML, macro sheets left out."""
    macros = macro_sheets(archive)
    if macros and not set(sheet_parts(archive)) - macros:
        raise _refuse(
            path, "arbetsboken har bara makroblad (Excel 4.0-makron) och inget kalkylblad."
        )
    if sum(info.file_size for info in archive.infolist()) > MAX_REPACK:
        raise _refuse(
            path,
            "arbetsboken måste skrivas om för att läsas (UTF-16 eller makroblad) men är för stor; spara den som .xlsx.",
        )
    return repack(archive, macros)


def open_workbook(path: Path) -> Workbook:
    """Open a workbook after the safety checks and a probe under limits (`sandbox`).

    Every failure is a one-line `UserError` naming the file.
    """
    checked = check_workbook(path)
    data, errors = _prepared(path, checked)
    sizes = probe(path, data, lambda: _far_cell(path, checked))
    worksheets = [s.name for s in sizes if s.kind == "WorkSheet"]
    if not worksheets:
        if any(s.kind == "MacroSheet" for s in sizes):
            raise _refuse(
                path, "arbetsboken har bara makroblad (Excel 4.0-makron) och inget kalkylblad."
            )
        raise _refuse(path, "arbetsboken är tom (inga blad).")
    try:
        if data is None:
            book = CalamineWorkbook.from_path(str(path))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _refuse(path, "arbetsboken är lösenordsskyddad; spara den utan lösenord.") from None
    except BaseException as error:  # a Rust panic is a BaseException
        raise _reader_failed(path, error) from None
    return Workbook(book, worksheets, errors)


def _far_cell(path: Path, checked: Checked) -> str | None:
    """`blad Utfall, cell XFD1048576`: the farthest cell of a zip workbook, for a message."""
    if checked.container != "zip":
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            cells = farthest_cells(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, zlib.error):
        return None
    if not cells:
        return None
    sheet, (row, column) = max(cells.items(), key=lambda item: item[1][1] * 2**21 + item[1][0])
    return f"blad {sheet}, cell {column_letter(column)}{row + 1},"


def _reader_failed(path: Path, error: BaseException, sheet: str | None = None) -> UserError:
    """The reader's exception (a panic too) as one line; never swallow an interrupt."""
    if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise error
    where = f"bladet {sheet}: " if sheet else ""
    return _refuse(path, where + _calamine_reason(error))


def _calamine_reason(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if "password" in text.lower() or "encrypt" in text.lower():
        return "arbetsboken är lösenordsskyddad; spara den utan lösenord."
    return f"arbetsboken går inte att läsa; den är trasig eller avkortad ({text[:160]})."


def sheet_rows(path: Path, workbook: Workbook, name: str) -> SheetRows:
    """The rows of one sheet, streamed, error cells shown as their values (`#REF!`).

    A sheet that cannot be parsed, and a reader that fails while rows are
    streamed, are a `UserError`.
    """
    try:
        sheet = workbook.book.get_sheet_by_name(name)
        start = sheet.start
    except BaseException as error:
        raise _reader_failed(path, error, name) from None
    first_row, first_column = start if start else (0, 0)
    # calamine's rows hold no None, so they are rows of `CellValue` (lists are invariant).
    rows = cast("Iterator[list[CellValue]]", sheet.iter_rows())
    errors = workbook.errors.get(name, {})
    return SheetRows(
        name, first_column, _guarded(path, name, rows, errors, (first_row, first_column))
    )


def _guarded(
    path: Path,
    name: str,
    rows: Iterator[list[CellValue]],
    errors: ErrorCells,
    start: tuple[int, int],
) -> Iterator[list[CellValue]]:
    """The rows with error cells filled in; a reader failure mid-sheet is a `UserError`."""
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row_index, column), value in errors.items():
        by_row.setdefault(row_index - start[0], []).append((column - start[1], value))
    index = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except BaseException as error:
            raise _reader_failed(path, error, name) from None
        for column, value in by_row.get(index, ()):
            if 0 <= column < len(row):
                row[column] = value
        index += 1
        yield row
