"""Opening an Excel workbook safely, and reading its sheets row by row.

Every file goes through `open_workbook` before any cell is read. It tells a
workbook from what is not one by its first bytes, refuses a password-protected
or encrypted workbook, and refuses a zip built to exhaust the reader from the
sizes in the zip directory alone, before anything is decompressed: too large
in total, a part that expands far more than real spreadsheets do, or an XML
part that declares a DTD (the road to entity expansion). Only then does
python-calamine, which reads .xlsx, .xlsm and .xls alike, parse the file.

Every problem is a `UserError` naming the file, in Swedish, on one line.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from ctc.errors import UserError
from ctc.importers.reading.filetype import file_type

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


def check_zip(path: Path) -> None:
    """Refuse a zip that is broken or built to exhaust the reader, before decompressing it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
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
            names = {part.filename for part in parts}
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise _refuse(path, "är ingen Excelarbetsbok (xlsx, xlsm eller xls).")
            for part in parts:
                if part.filename.endswith((".xml", ".rels")):
                    _check_prolog(path, archive, part)
    except zipfile.BadZipFile:
        raise _refuse(
            path, "filen är trasig eller avkortad (zip-arkivet går inte att läsa)."
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise _refuse(path, f"filen är trasig eller avkortad ({error}).") from None


def _check_prolog(path: Path, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Refuse an XML part that declares a DTD: entities could expand without bound.

    Reads at most `PROLOG_BYTES` of the part: a DTD must stand before the root
    element, and no Excel writer puts one there.
    """
    try:
        with archive.open(part) as stream:
            head = stream.read(PROLOG_BYTES)
    except zipfile.BadZipFile:
        raise _refuse(path, f"filen är trasig eller avkortad (delen {part.filename}).") from None
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


def check_workbook(path: Path) -> str:
    """The safety checks every workbook passes before any reader opens it; its container."""
    container = sniff(path)
    if container == "zip":
        check_zip(path)
    return container


def open_workbook(path: Path) -> CalamineWorkbook:
    """Open a workbook after the safety checks; every failure is a one-line `UserError`."""
    check_workbook(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise _refuse(path, "arbetsboken är lösenordsskyddad; spara den utan lösenord.") from None
    except (CalamineError, ValueError, OSError) as error:
        raise _refuse(path, _calamine_reason(error)) from None
    if not workbook.sheet_names:
        raise _refuse(path, "arbetsboken är tom (inga blad).")
    return workbook


def _calamine_reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    if "password" in text.lower() or "encrypt" in text.lower():
        return "arbetsboken är lösenordsskyddad; spara den utan lösenord."
    return f"arbetsboken går inte att läsa; den är trasig eller avkortad ({text[:160]})."


def sheet_rows(path: Path, workbook: CalamineWorkbook, name: str) -> SheetRows:
    """The rows of one sheet, streamed; a sheet that cannot be parsed is a `UserError`."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except (CalamineError, ValueError) as error:
        raise _refuse(path, f"bladet {name}: {_calamine_reason(error)}") from None
    start = sheet.start
    first_column = start[1] if start else 0
    # calamine's rows hold no None, so they are rows of `CellValue` (lists are invariant).
    rows = cast("Iterator[list[CellValue]]", sheet.iter_rows())
    return SheetRows(name, first_column, rows)
