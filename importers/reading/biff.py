"""What an .xls workbook stream says about itself, before a reader parses it.

The workbook stream of an .xls is a sequence of BIFF records. Its first
part, the workbook globals, says what the Rust reader cannot tell us
plainly: the BIFF version (Excel 5/95 or 97-2003; older is too old), whether
the workbook is password-protected (`FILEPASS`, whether by XOR obfuscation
or RC4 encryption), its code page, and each sheet's kind (a worksheet, or an
Excel 4.0 macro sheet, a chart, a VBA module). The sheets' records also
hold the cells whose formulas fail (`#REF!`, `#DIV/0!` ...), which the
reader returns as empty cells; they are listed here so the import can name
them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

BOF = 0x0809
EOF = 0x000A
FILEPASS = 0x002F
CODEPAGE = 0x0042
BOUNDSHEET = 0x0085
FORMULA = 0x0006
BOOLERR = 0x0205
ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
SHEET_KINDS = {0: "worksheet", 1: "macro", 2: "chart", 6: "vba"}
MAC_ROMAN_BIFF = 0x8000
"""The code page BIFF writes for Mac Roman; the readers know it as 10000."""
MAX_ERROR_CELLS = 10_000
MAX_RECORDS = 5_000_000
"""Records walked looking for error cells: more than any .xls of 65 536 rows holds."""


@dataclass(slots=True)
class Globals:
    """The workbook globals of an .xls, and its error cells."""

    version: int = 0
    """0x0600 for BIFF8 (Excel 97-2003), 0x0500 for BIFF5 (Excel 5/95); else older or unknown."""
    protected: bool = False
    codepage: int | None = None
    codepage_at: int | None = None
    """Position in the stream of the code page's two bytes."""
    sheets: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, kind, stream position of its BOF) of each sheet."""
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    """Sheet name -> (0-based row, column) -> the error value shown in the cell."""


def records(stream: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(position, type, data) of each record from `start`; stops at the stream's end."""
    position = start
    end = len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        yield position, kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def read_globals(stream: bytes) -> Globals:
    """The globals of a workbook stream (stops at their EOF); see the module docstring."""
    info = Globals()
    for position, kind, data in records(stream):
        if kind == BOF and len(data) >= 2 and not info.version:
            info.version = struct.unpack_from("<H", data)[0]
        elif kind in (0x0009, 0x0209, 0x0409) and not info.version:
            info.version = kind >> 8 or 2
            break
        elif kind == FILEPASS:
            info.protected = True
        elif kind == CODEPAGE and len(data) >= 2:
            info.codepage = struct.unpack_from("<H", data)[0]
            info.codepage_at = position + 4
        elif kind == BOUNDSHEET and len(data) >= 7:
            info.sheets.append(_sheet(data, info.version))
        elif kind == EOF:
            break
    return info


def _sheet(data: bytes, version: int) -> tuple[str, str, int]:
    offset, _, kind, length = struct.unpack_from("<IBBB", data)
    if version >= 0x0600 and len(data) > 7:
        raw = data[8 : 8 + length * (2 if data[7] & 1 else 1)]
        name = raw.decode("utf-16-le" if data[7] & 1 else "latin-1", "replace")
    else:
        name = data[7 : 7 + length].decode("latin-1", "replace")
    return name, SHEET_KINDS.get(kind, "other"), offset


def find_errors(stream: bytes, info: Globals) -> None:
    """Fill `info.errors` with each worksheet's error cells (at most `MAX_ERROR_CELLS`).

    Walks at most `MAX_RECORDS` records in all, however the sheets' offsets overlap.
    """
    found = walked = 0
    for name, kind, offset in info.sheets:
        if kind != "worksheet" or offset >= len(stream):
            continue
        cells: dict[tuple[int, int], str] = {}
        for _, record, data in records(stream, offset):
            walked += 1
            if record == EOF or found >= MAX_ERROR_CELLS or walked > MAX_RECORDS:
                break
            error = _error_of(record, data)
            if error is not None:
                row, column = struct.unpack_from("<HH", data)
                cells[(row, column)] = error
                found += 1
        if cells:
            info.errors[name] = cells


def _error_of(record: int, data: bytes) -> str | None:
    """The error value of a FORMULA or BOOLERR record, or None."""
    if record == FORMULA and len(data) >= 14 and data[6] == 2 and data[12:14] == b"\xff\xff":
        return ERRORS.get(data[8], "#FEL")
    if record == BOOLERR and len(data) >= 8 and data[7] == 1:
        return ERRORS.get(data[6], "#FEL")
    return None
