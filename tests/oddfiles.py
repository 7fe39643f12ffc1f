"""Writing odd and hostile workbooks for the tests, byte by byte.

Real writers (xlwt, xlsxwriter) give well-formed files; the shapes here are
the ones they never write: a compound file whose sector chain loops, a
BIFF5 workbook with a Mac code page, an XOR-obfuscated workbook, zip
packages with backslash part names, a root-level workbook part or UTF-16
XML. Each is built from scratch or from a real writer's file, in memory,
never committed.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

SECTOR = 512
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _entry(name: str, kind: int, start: int, size: int, right: int, child: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", FREESECT, right, child)
        + b"\0" * 36
        + struct.pack("<IQ", start, size)
        + b"\0" * 4
    )[:128]


def compound(streams: dict[str, bytes], loop: bool = False, true_sizes: bool = False) -> bytes:
    """A version-3 compound file holding `streams` (each padded to 4096 bytes, no mini stream).

    With `loop`, the first stream's chain points back to its own first sector.
    With `true_sizes`, a stream declares its size before padding: one under
    4096 bytes then claims to live in a mini stream the file does not have.
    """
    padded = {name: _pad(data.ljust(4096, b"\0"), SECTOR) for name, data in streams.items()}
    fat: list[int] = [FATSECT, ENDOFCHAIN]  # sector 0: the FAT; sector 1: the directory
    starts = {}
    for name, data in padded.items():
        first = len(fat)
        count = len(data) // SECTOR
        fat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        starts[name] = first
    assert len(fat) <= SECTOR // 4, "one FAT sector is enough for a test file"
    if loop:
        first = starts[next(iter(padded))]
        fat[first + 1] = first
    names = list(padded)
    directory = _entry("Root Entry", 5, ENDOFCHAIN, 0, FREESECT, 1 if names else FREESECT)
    for index, name in enumerate(names, start=1):
        right = index + 1 if index < len(names) else FREESECT
        size = len(streams[name]) if true_sizes else len(padded[name])
        directory += _entry(name, 2, starts[name], size, right, FREESECT)
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    header += struct.pack("<109I", 0, *([FREESECT] * 108))
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREESECT] * (SECTOR // 4 - len(fat))))
    body = fat_sector + _pad(directory, SECTOR) + b"".join(padded.values())
    return header + body


class ExcelError:
    """An error value for `biff5_workbook` (a BOOLERR record): 0x17 is #REF!, 0x07 #DIV/0!."""

    def __init__(self, code: int) -> None:
        self.code = code


def record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF record."""
    return struct.pack("<HH", kind, len(data)) + data


def biff5_workbook(rows: list[list[object]], codepage: int, sheet: str = "Utfall") -> bytes:
    """A BIFF5 (Excel 5/95) workbook stream of one sheet: text as LABEL, numbers as NUMBER."""
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, ExcelError):
                cells += record(0x0205, struct.pack("<HHHBB", r, c, 15, value.code, 1))
            elif isinstance(value, str):
                raw = value.encode("mac_roman")
                cells += record(0x0204, struct.pack("<HHHH", r, c, 15, len(raw)) + raw)
            elif value is not None:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))  # type: ignore[arg-type]
    width = max(len(row) for row in rows)
    sheet_part = (
        record(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0, 1993))
        + record(0x0000, struct.pack("<HHHHH", 0, len(rows), 0, width, 0))
        + cells
        + record(0x000A)
    )
    name = sheet.encode("mac_roman")

    def globals_part(offset: int) -> bytes:
        return (
            record(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0, 1993))
            + record(0x0042, struct.pack("<H", codepage))
            + record(0x0085, struct.pack("<IBBB", offset, 0, 0, len(name)) + name)
            + record(0x000A)
        )

    offset = len(globals_part(0))
    return globals_part(offset) + sheet_part


def with_filepass(stream: bytes) -> bytes:
    """A BIFF8 workbook stream with an XOR-obfuscation FILEPASS record after its first BOF."""
    length = struct.unpack_from("<H", stream, 2)[0]
    bof_end = 4 + length
    filepass = record(0x002F, struct.pack("<HHH", 0, 0x1234, 0x5678))
    return stream[:bof_end] + filepass + stream[bof_end:]


def workbook_stream(xls: Path) -> bytes:
    """The workbook stream of an .xls written by xlwt (via olefile, a test dependency)."""
    import olefile

    with olefile.OleFileIO(str(xls)) as ole:
        return ole.openstream("Workbook").read()


def rezip(source: Path, target: Path, transform) -> Path:  # type: ignore[no-untyped-def]
    """Copy a zip package part by part through `transform(name, data) -> [(name, data)]`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            for new_name, data in transform(name, old.read(name)):
                new.writestr(new_name, data)
    return target


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="{sheet}">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>"
)


def _ods_cell(value: object) -> str:
    import datetime
    from decimal import Decimal
    from xml.sax.saxutils import escape

    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float | Decimal):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def ods(path: Path, rows: list[list[object]], sheet: str = "Utfall") -> Path:
    """An OpenDocument spreadsheet of one sheet, as LibreOffice's format has it."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "content.xml", ODS_CONTENT.format(sheet=sheet, rows=body), zipfile.ZIP_DEFLATED
        )
    return path


def _varint(value: int) -> bytes:
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return out


def brt(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record of an .xlsb part: type and size as 7-bit varints."""
    typ = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    return typ + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb(path: Path, rows: list[list[object]], sheet: str = "Utfall", rel_id: str = "rId1") -> Path:
    """A minimal Excel binary workbook (.xlsb): numbers as BrtCellReal, text as BrtCellSt.

    The sheet is bound by relationship `rel_id`; the package defines only `rId1`.
    """
    width = max(len(row) for row in rows)
    cells = b""
    for r, row in enumerate(rows):
        cells += brt(0x0000, struct.pack("<IIHBBB", r, 0, 300, 0, 0, 0) + b"\0" * 6)
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += brt(0x0006, struct.pack("<II", c, 0) + _wide(value))
            elif value is not None:
                cells += brt(0x0005, struct.pack("<IId", c, 0, float(value)))  # type: ignore[arg-type]
    worksheet = (
        brt(0x0081)
        + brt(0x0094, struct.pack("<IIII", 0, len(rows) - 1, 0, width - 1))
        + brt(0x0091)
        + cells
        + brt(0x0092)
        + brt(0x0082)
    )
    workbook = (
        brt(0x0083)
        + brt(0x008F)
        + brt(0x009C, struct.pack("<II", 0, 1) + _wide(rel_id) + _wide(sheet))
        + brt(0x0090)
        + brt(0x0084)
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="bin" ContentType="application/'
            'vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}'
            '/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        archive.writestr(
            "xl/_rels/workbook.bin.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}'
            '/worksheet" Target="worksheets/sheet1.bin"/></Relationships>',
        )
        archive.writestr("xl/workbook.bin", workbook)
        archive.writestr("xl/worksheets/sheet1.bin", worksheet)
    return path
