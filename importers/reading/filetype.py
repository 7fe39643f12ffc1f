"""What a file is, from its first bytes, whatever its name says.

Exports reach the importer under every name: a SIE file as `.se`, `.si`
or `.sie`, a CSV file as `.txt` or even `.xls`, a web page saved by a
finance system's "export to Excel" as `.xls`. So the content decides: a zip
package (.xlsx, .xlsm, .xlsb, .ods), an OLE compound file (.xls), a SIE
file (`#FLAGGA` first), or text (CSV). What cannot be read gets its own
message: an Excel 2.x-4.0 worksheet is too old, HTML or XML saved under a
spreadsheet's name should be opened in Excel and saved as .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from ctc.errors import UserError
from ctc.importers.reading.sie import is_sie
from ctc.importers.reading.text import SNIFF_BYTES, UTF16_BOMS, is_text

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
SAVE_AS = "öppna den i Excel (eller LibreOffice) och spara den som .xlsx"
OLD_BIFF = {b"\x09\x00": "2.x", b"\x09\x02": "3.0", b"\x09\x04": "4.0"}
"""The BOF record a bare Excel 2.x-4.0 worksheet starts with, and that Excel's version."""
FORMATS = "xlsx, xlsm, xlsb, xls, ods, SIE 4 eller CSV"


def refuse(path: Path, why: str) -> UserError:
    """A one-line error naming the file."""
    return UserError(f"{path.name}: {why}")


def head_of(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of a file; a missing file or a folder is a `UserError`."""
    if not path.exists():
        raise UserError(f"Filen {path} finns inte.")
    if not path.is_file():
        raise UserError(f"{path} är ingen fil.")
    with path.open("rb") as handle:
        return handle.read(size)


def file_type(path: Path) -> str:
    """ "zip", "ole", "sie" or "text"; anything else is refused with its own message."""
    head = head_of(path)
    if not head:
        raise refuse(path, "filen är tom (0 byte).")
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise refuse(path, "filen är trasig eller avkortad (zip-arkivet går inte att läsa).")
    if head[:2] in OLD_BIFF and head[3:4] == b"\x00" and head[2] in (4, 6):
        raise refuse(
            path,
            f"är en arbetsbok från Excel {OLD_BIFF[head[:2]]}, ett format som är för gammalt "
            f"för att läsas; {SAVE_AS}.",
        )
    if is_sie(head):
        return "sie"
    markup = _markup(head)
    if markup:
        raise refuse(path, f"är {markup}, ingen Excelarbetsbok; {SAVE_AS}.")
    if is_text(head):
        return "text"
    raise refuse(path, f"är ingen Excelarbetsbok eller textexport (väntade {FORMATS}).")


def _markup(head: bytes) -> str | None:
    """What kind of web page or XML a file is, if it is one."""
    for bom, codec in UTF16_BOMS.items():
        if head.startswith(bom):
            text = head[2:].decode(codec, "replace")
            break
    else:
        text = head.decode("latin-1")
    start = text.lstrip("\ufeffï»¿ \t\r\n").lower()
    if start.startswith("mime-version"):
        return "ett webbarkiv (MHT) sparat med ett Excelnamn"
    if start.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")):
        return "en webbsida (HTML) sparad med ett Excelnamn"
    if start.startswith("<?xml") or start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "ett XML-kalkylblad från Excel 2003"
        if "<html" in start[:2048]:
            return "en webbsida (XHTML) sparad med ett Excelnamn"
        return "en XML-fil"
    return None
