"""Checking an .xls before the reader opens it: container, version, protection, code page.

An .xls is checked by hand (`compound`, `biff`) so that each way it can
fail gets its own message rather than "broken": a container whose chains
loop or point outside the file, a workbook too old to read (Excel 2.x-4.0),
one protected by a password (XOR obfuscation or RC4 encryption alike), a
Word document under an Excel name. A Mac workbook whose code page is
written as BIFF's own number for Mac Roman (0x8000), which the reader does
not know, is read with the same code page under its standard number
(10000): the two bytes are corrected in a copy of the file in memory.
Error cells are listed so the import names them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ctc.errors import UserError
from ctc.importers.reading.biff import MAC_ROMAN_BIFF, find_errors, read_globals
from ctc.importers.reading.compound import CompoundError, open_compound

MAC_ROMAN = 10000
SAVE_AS = "öppna den i Excel (eller LibreOffice) och spara den som .xlsx"


@dataclass(frozen=True, slots=True)
class XlsCheck:
    """What checking an .xls found: corrected bytes (or None), and its error cells."""

    data: bytes | None = None
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"{path.name}: {why}")


def check_xls(path: Path) -> XlsCheck:
    """Check an .xls's container and workbook globals; see the module docstring."""
    try:
        return _check(path)
    except (CompoundError, struct.error) as error:
        raise _refuse(
            path, f"arbetsboken är trasig; dess filstruktur (OLE) håller inte ihop: {error}."
        ) from None


def _check(path: Path) -> XlsCheck:
    data = path.read_bytes()
    compound = open_compound(path, data)
    if compound.find("EncryptedPackage") is not None:
        raise _refuse(path, "arbetsboken är lösenordsskyddad (krypterad); spara den utan lösenord.")
    entry = compound.find("Workbook", "Book")
    if entry is None:
        what = "ett Word-dokument" if compound.find("WordDocument") else "en OLE-fil utan arbetsbok"
        raise _refuse(path, f"är {what}, ingen Excelarbetsbok.")
    stream = compound.stream(entry)
    info = read_globals(stream)
    if info.version and info.version < 0x0500:
        raise _refuse(
            path,
            f"är en arbetsbok från Excel 4.0 eller äldre, för gammal för att läsas; {SAVE_AS}.",
        )
    if not info.version:
        raise _refuse(path, "arbetsboken är trasig (dess första post är ingen BOF-post).")
    if info.protected:
        raise _refuse(
            path,
            "arbetsboken är lösenordsskyddad (krypterad eller XOR-skyddad); spara den utan lösenord.",
        )
    find_errors(stream, info)
    corrected = None
    if info.codepage == MAC_ROMAN_BIFF and info.codepage_at is not None:
        copy = bytearray(data)
        for index, byte in enumerate(MAC_ROMAN.to_bytes(2, "little")):
            copy[compound.offset_of(entry, info.codepage_at + index)] = byte
        corrected = bytes(copy)
    return XlsCheck(corrected, info.errors)
