"""The parts of a zip workbook package (.xlsx, .xlsm, .xlsb, .ods), found as the standard says.

An Office Open XML package names its main part in `_rels/.rels`, not by a
fixed path: most writers put the workbook at `xl/workbook.xml`, some at the
package root, and some write part names with backslashes. Its XML parts may
be UTF-8 or UTF-16. This module finds the workbook part and each sheet's
part through the relationships (either separator), tells an OpenDocument
spreadsheet by its `mimetype`, and can rewrite a package whose XML is
UTF-16 as UTF-8, which is what the Rust reader understands. It also lists a
sheet's error cells (`t="e"`: `#REF!`, `#DIV/0!` ...), which the reader
returns as empty.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from pathlib import PurePosixPath

from ctc.importers.reading.columns import column_index

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OFFICE_DOCUMENT = "/officeDocument"
RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)>")
ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")[^>]*\br="([A-Z]+)(\d+)"[^>]*>.*?<(?:\w+:)?v>([^<]*)<',
    re.DOTALL,
)
ERROR_CELL_SWAPPED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+)(\d+)"(?=[^>]*\bt="e")[^>]*>.*?<(?:\w+:)?v>([^<]*)<',
    re.DOTALL,
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_REPACK = 256 << 20
"""Largest package (decompressed) rewritten from UTF-16 to UTF-8 in memory."""


def normal(name: str) -> str:
    """A part name with forward slashes and no leading slash."""
    return name.replace("\\", "/").lstrip("/")


def names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Normalised part name -> the name as stored."""
    return {normal(info.filename): info.filename for info in archive.infolist()}


def read_xml(archive: zipfile.ZipFile, stored: str) -> str:
    """An XML part as text, whether UTF-8 or UTF-16."""
    data = archive.read(stored)
    return decode_xml(data)


def decode_xml(data: bytes) -> str:
    """XML bytes as text: UTF-16 (with a BOM or by its zero bytes) or UTF-8."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be")
    return data.decode("utf-8", "replace")


def is_utf16(head: bytes) -> bool:
    """Whether an XML part's first bytes are UTF-16."""
    return head.startswith(UTF16_BOMS) or head[:2] in (b"<\x00", b"\x00<")


def _relationships(text: str) -> list[dict[str, str]]:
    return [dict(ATTRIBUTE.findall(m.group(1))) for m in RELATIONSHIP.finditer(text)]


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name, relative to the part `base` it belongs to."""
    target = html.unescape(target).replace("\\", "/")
    if target.startswith("/"):
        return target.lstrip("/")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), target))
    return "" if joined == "." else joined.lstrip("/")


def workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The normalised name of the workbook part (through `_rels/.rels`), or None if none."""
    parts = names(archive)
    rels = parts.get("_rels/.rels")
    if rels is not None:
        for rel in _relationships(read_xml(archive, rels)):
            if rel.get("Type", "").endswith(OFFICE_DOCUMENT) and "Target" in rel:
                found = _resolve("", rel["Target"])
                if found in parts:
                    return found
    for fallback in ("xl/workbook.xml", "xl/workbook.bin"):
        if fallback in parts:
            return fallback
    return None


def is_ods(archive: zipfile.ZipFile) -> bool:
    """Whether the package is an OpenDocument spreadsheet."""
    stored = names(archive).get("mimetype")
    return stored is not None and archive.read(stored).strip() == ODS_MIMETYPE


def is_encrypted_ods(archive: zipfile.ZipFile) -> bool:
    """Whether an OpenDocument package's manifest says its parts are encrypted (a password)."""
    stored = names(archive).get("META-INF/manifest.xml")
    if stored is None or not is_ods(archive):
        return False
    with archive.open(stored) as stream:
        return b"encryption-data" in stream.read(1 << 20)


def _rels_of(part: str) -> str:
    path = PurePosixPath(part)
    return str(path.parent / "_rels" / f"{path.name}.rels").lstrip("./")


def sheet_relations(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Sheet name -> (its part, normalised; its relationship's kind, `worksheet`, `xlmacrosheet` ...)."""
    parts = names(archive)
    workbook = workbook_part(archive)
    if workbook is None or not workbook.endswith(".xml"):
        return {}
    rels_name = parts.get(_rels_of(workbook))
    targets = {}
    if rels_name is not None:
        for rel in _relationships(read_xml(archive, rels_name)):
            if "Id" in rel and "Target" in rel:
                kind = rel.get("Type", "").rsplit("/", 1)[-1].lower()
                targets[rel["Id"]] = (_resolve(workbook, rel["Target"]), kind)
    found = {}
    for match in SHEET.finditer(read_xml(archive, parts[workbook])):
        attributes = dict(re.findall(r'([\w:]+)\s*=\s*"([^"]*)"', match.group(1)))
        rid = next((v for k, v in attributes.items() if k.endswith(":id")), None)
        if "name" in attributes and rid in targets:
            found[html.unescape(attributes["name"])] = targets[rid]
    return found


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part (normalised), through the workbook's relationships."""
    return {name: part for name, (part, _) in sheet_relations(archive).items()}


def macro_sheets(archive: zipfile.ZipFile) -> set[str]:
    """The Excel 4.0 macro sheets of a package (the reader refuses a workbook that has any)."""
    return {
        name
        for name, (part, kind) in sheet_relations(archive).items()
        if "macrosheet" in kind or "/macrosheets/" in f"/{part}"
    }


CELL_REFERENCE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
SCAN_BYTES = 64 << 20
"""How much of each sheet's XML is scanned for its farthest cell when a read fails."""


def farthest_cells(archive: zipfile.ZipFile) -> dict[str, tuple[int, int]]:
    """Sheet -> (0-based row, column) of its farthest cell: the widest, then the lowest."""
    stored = names(archive)
    found = {}
    for sheet, part in sheet_parts(archive).items():
        if part not in stored:
            continue
        with archive.open(stored[part]) as stream:
            data = stream.read(SCAN_BYTES)
        best = (-1, -1)
        for letters, row in CELL_REFERENCE.findall(data):
            cell = (column_index(letters.decode()), int(row) - 1)
            best = max(best, cell)
        if best[0] >= 0:
            found[sheet] = (best[1], best[0])
    return found


ERROR_CHUNK = 4 << 20
"""How much of a worksheet's XML is searched for error cells at a time."""


def sheet_error_cells(archive: zipfile.ZipFile, stored: str) -> dict[tuple[int, int], str]:
    """The error cells of one worksheet part, read piece by piece.

    A sheet's XML may inflate to a gigabyte from a small file; it is never
    held whole (a UTF-16 part is: such packages are rewritten whole anyway,
    within `MAX_REPACK`). Pieces end after a cell's closing tag.
    """
    found: dict[tuple[int, int], str] = {}
    with archive.open(stored) as stream:
        rest = stream.read(4)
        if is_utf16(rest):
            return error_cells(rest + stream.read())
        while chunk := stream.read(ERROR_CHUNK):
            data = rest + chunk
            cut = data.rfind(b"c>") + 2
            data, rest = (data[:cut], data[cut:]) if cut > 1 else (data, b"")
            found.update(error_cells(data))
        found.update(error_cells(rest))
    return found


def error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """(0-based row, column) -> error value of each error cell of a worksheet's XML."""
    found: dict[tuple[int, int], str] = {}
    if is_utf16(data[:4]):
        data = decode_xml(data).encode("utf-8")
    if b'"e"' not in data:
        return found
    for pattern in (ERROR_CELL, ERROR_CELL_SWAPPED):
        for letters, row, value in pattern.findall(data):
            found[(int(row) - 1, column_index(letters.decode()))] = value.decode("utf-8", "replace")
    return found


def repack(archive: zipfile.ZipFile, drop: set[str]) -> bytes:
    """The package with its XML in UTF-8 and the sheets named in `drop` left out of the workbook.

    The reader understands UTF-8 only, and refuses a workbook with macro
    sheets; the data sheets are read the same either way.
    """
    workbook = workbook_part(archive)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            name = normal(info.filename)
            if is_utf16(data[:4]) or (name == workbook and drop):
                text = decode_xml(data).lstrip("\ufeff")
                text = re.sub(r'(<\?xml[^>]*?encoding=")[^"]*(")', r"\1UTF-8\2", text, count=1)
                if name == workbook:
                    text = _without_sheets(text, drop)
                data = text.encode("utf-8")
            out.writestr(name, data)
    return buffer.getvalue()


def _without_sheets(text: str, drop: set[str]) -> str:
    def keep(match: re.Match[str]) -> str:
        found = re.search(r'\bname\s*=\s*"([^"]*)"', match.group(1))
        return "" if found and html.unescape(found.group(1)) in drop else match.group(0)

    return SHEET.sub(keep, text)
