"""A small, deterministic .xlsx writer for synthetic workbooks.

The example's source workbooks are committed, and the ledger records each
file's SHA-256, so the script that regenerates them must write the same bytes
on every run. This writer therefore fixes every timestamp (no document
properties, a constant date and attributes on each zip entry) and compresses with
zlib's default level; the bytes then depend only on zlib's version, and the test
that regenerates the example would show if that ever changed them.
Sheets are streamed row by row, so it can also write very large test files.

Cells may be `None` (left empty), `str`, `bool`, `int`, `Decimal`, `float`
or `datetime.date` (stored as an Excel serial date with a date format).

It writes test and example input, so it lives with the scripts, not in the
package: `build_example.py` and the tests (which put `scripts/` on the path)
import it as `synthetic_xlsx`.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from ctc.importers.reading.columns import column_letter


def escape(text: str) -> str:
    """Text for XML content: &, < and > as entities (what a cell or a sheet name needs)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


Cell = str | bool | int | Decimal | float | datetime.date | None
"""A value the writer can put in a cell."""

Sheet = tuple[str, Iterable[Sequence[Cell]]]
"""A sheet: its name and its rows from row 1."""

ZIP_DATE = (2020, 1, 1, 0, 0, 0)
"""The fixed modification time of every zip entry."""

EXCEL_EPOCH = datetime.date(1899, 12, 30)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}</Types>"""

SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>\
<borders count="1"><border/></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
</styleSheet>"""

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, value: Cell) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return f'<c r="{ref}" s="1"><v>{(day - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"><v>{value:f}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row(number: int, values: Sequence[Cell], letters: list[str]) -> str:
    while len(letters) < len(values):
        letters.append(column_letter(len(letters)))
    cells = "".join(
        _cell(f"{letters[i]}{number}", v) for i, v in enumerate(values) if v is not None and v != ""
    )
    return f'<row r="{number}">{cells}</row>'


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write `sheets` as an .xlsx workbook at `path`, byte-identically on every run."""
    names = [name for name, _ in sheets]
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            _entry("[Content_Types].xml"),
            CONTENT_TYPES.format(
                sheets="".join(SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1))
            ),
        )
        archive.writestr(_entry("_rels/.rels"), ROOT_RELS)
        archive.writestr(
            _entry("xl/workbook.xml"),
            WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="{escape(name).replace(chr(34), "&quot;")}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, name in enumerate(names, start=1)
                )
            ),
        )
        archive.writestr(
            _entry("xl/_rels/workbook.xml.rels"),
            WORKBOOK_RELS.format(
                sheets="".join(
                    f'<Relationship Id="rId{n}" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, len(names) + 1)
                )
            ),
        )
        archive.writestr(_entry("xl/styles.xml"), STYLES)
        for n, (_, rows) in enumerate(sheets, start=1):
            with archive.open(_entry(f"xl/worksheets/sheet{n}.xml"), "w") as out:
                out.write(SHEET_HEAD.encode())
                letters: list[str] = []
                for number, values in enumerate(rows, start=1):
                    if any(v is not None and v != "" for v in values):
                        out.write(_row(number, values, letters).encode())
                out.write(SHEET_TAIL.encode())
