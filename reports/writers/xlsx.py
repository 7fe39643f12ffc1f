"""The xlsx format: one sheet per table and a sheet with the provenance.

Figures are real number cells holding exact kronor; the number format shows
them in the report's unit (`#,##0,` shows tkr), so Excel sums exact amounts
while the sheet reads like the printed table. Excel shows the format's
separators the Swedish way (`1 234,5`) in a Swedish locale. Totals are bold,
the header row is frozen and columns are fitted to their content.

Text from the ledger is always stored as a text cell with its value
unchanged: openpyxl would store text beginning with `=` as a formula, and
Excel would run it. Text beginning with `=`, `+`, `-` or `@` also gets the
cell style's quote prefix, so Excel keeps it as text even when the cell is
edited. The bytes are deterministic (fixed workbook properties and zip
times) except for the generated-at cell.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Sequence
from importlib import metadata

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from ctc.reports.labels import label
from ctc.reports.result import Cell, Column, Report, Table, display

FIXED_TIME = datetime.datetime(2000, 1, 1)
"""The workbook's created and modified time: fixed, so the same report gives the same bytes."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PART = "docProps/core.xml"

MONEY_FORMATS = {"kr": "#,##0", "tkr": "#,##0,", "mnkr": "#,##0.0,,"}
"""Number formats that show exact kronor in the unit: a trailing comma divides by 1 000."""
NUMBER_FORMATS = {
    "exact": "#,##0.00",
    "fte": "0.00",
    "int": "0",
    "year": "0",
    "date": "yyyy-mm-dd",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

FORMULA_LEADS = ("=", "+", "-", "@")
"""Leading characters that make a spreadsheet treat text as a formula."""
ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
"""Control characters an xlsx file cannot hold."""
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
RULE = Border(bottom=Side(style="thin"))
TOP_RULE = Border(top=Side(style="thin"))


def number_format(column: Column, unit: str) -> str | None:
    """The xlsx number format of a column's cells; None for text."""
    if column.kind == "money":
        return MONEY_FORMATS[unit]
    if column.kind == "number":
        return "#,##0." + "0" * column.decimals if column.decimals else "#,##0"
    return NUMBER_FORMATS.get(column.kind)


def put_text(sheet: Worksheet, row: int, column: int, text: str) -> None:
    """Store text as a text cell, value unchanged, never as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = ILLEGAL.sub("", text)
    cell.data_type = "s"
    if text.startswith(FORMULA_LEADS):
        cell.quotePrefix = True


def put_cell(sheet: Worksheet, row: int, column: int, value: Cell, kind: Column, unit: str) -> None:
    """Store one cell: numbers and dates as such, with the column's number format."""
    if value is None:
        return
    if isinstance(value, str):
        put_text(sheet, row, column, value)
        return
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    fmt = number_format(kind, unit)
    if fmt is not None:
        cell.number_format = fmt


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no `[]:*?/\\`, at most 31 characters."""
    base = SHEET_FORBIDDEN.sub("-", text).strip("'") or "Blad"
    name, number = base[:31], 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def fit_columns(sheet: Worksheet, table: Table, unit: str) -> None:
    """Fit each column's width to its header and cells as displayed."""
    for index, column in enumerate(table.columns, start=1):
        texts = [column.title, *(display(row.cells[index - 1], column, unit) for row in table.rows)]
        width = min(max(len(text) for text in texts) + 2, MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_lines(sheet: Worksheet, row: int, lines: Sequence[str], font: Font | None = None) -> int:
    """Write lines of text down column A from `row`; return the next free row."""
    for line in lines:
        put_text(sheet, row, 1, line)
        if font is not None:
            sheet.cell(row=row, column=1).font = font
        row += 1
    return row


def write_table_sheet(sheet: Worksheet, report: Report, table: Table, first: bool) -> None:
    """One table on its own sheet: the report's heading, the table, its notes."""
    row = write_lines(sheet, 1, [report.notice] if report.notice else [], BOLD)
    row = write_lines(sheet, row, [report.title], TITLE)
    if first:
        row = write_lines(sheet, row, report.summary)
    if table.title:
        row = write_lines(sheet, row, [table.title], BOLD)
    header_row = row + 1
    for index, column in enumerate(table.columns, start=1):
        put_text(sheet, header_row, index, column.title)
        cell = sheet.cell(row=header_row, column=index)
        cell.font, cell.border = BOLD, RULE
        if column.is_number:
            cell.alignment = Alignment(horizontal="right")
    row = header_row + 1
    for data in table.rows:
        for index, (value, column) in enumerate(zip(data.cells, table.columns, strict=True), 1):
            put_cell(sheet, row, index, value, column, report.unit)
            if data.total:
                cell = sheet.cell(row=row, column=index)
                cell.font, cell.border = BOLD, TOP_RULE
        row += 1
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    fit_columns(sheet, table, report.unit)
    row = write_lines(sheet, row + 1, table.notes)
    if first and report.footnotes:
        notes = [f"{n}. {note}" for n, note in enumerate(report.footnotes, start=1)]
        write_lines(sheet, row + 1 if table.notes else row, notes)


def write_provenance_sheet(sheet: Worksheet, report: Report) -> None:
    """The provenance: report, ledger and its SHA-256, filters, generated at, every file."""
    lang = report.lang
    source = report.provenance
    main_sha = dict(source.files).get(source.ledger, "")
    pairs: list[tuple[str, object]] = []
    if report.notice:
        pairs.append((label("prov_notice", lang), report.notice))
    pairs += [
        (label("prov_report", lang), report.title),
        (label("prov_ledger", lang), source.ledger),
        (label("prov_sha256", lang), main_sha),
    ]
    pairs += [(f"{label('prov_filter', lang)} {name}", value) for name, value in source.filters]
    if not source.filters:
        pairs.append((label("prov_filter", lang), label("prov_no_filter", lang)))
    pairs += [
        (label("generated_at", lang), source.generated_at),
        (label("prov_program", lang), f"ctc {program_version()}"),
    ]
    row = 1
    for key, value in pairs:
        put_text(sheet, row, 1, key)
        sheet.cell(row=row, column=1).font = BOLD
        if isinstance(value, datetime.datetime):
            cell = sheet.cell(row=row, column=2)
            cell.value = value.replace(tzinfo=None)
            cell.number_format = DATETIME_FORMAT
        elif value is not None:
            put_text(sheet, row, 2, str(value))
        row += 1
    header = row + 1
    for index, text in enumerate((label("prov_file", lang), label("prov_sha256", lang)), 1):
        put_text(sheet, header, index, text)
        cell = sheet.cell(row=header, column=index)
        cell.font, cell.border = BOLD, RULE
    for offset, (path, digest) in enumerate(source.files, start=1):
        put_text(sheet, header + offset, 1, path)
        put_text(sheet, header + offset, 2, digest)
    widths = [len(str(key)) for key, _ in pairs] + [len(p) for p, _ in source.files]
    sheet.column_dimensions["A"].width = min(max(widths, default=10) + 2, MAX_WIDTH + 20)
    sheet.column_dimensions["B"].width = 66


def program_version() -> str:
    """The installed version of the package, for the provenance sheet."""
    try:
        return metadata.version("ctc-ledger")
    except metadata.PackageNotFoundError:
        return "?"


def deterministic(data: bytes, core: bytes) -> bytes:
    """Re-pack the xlsx zip with fixed entry times and the fixed core properties."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = core if info.filename == CORE_PART else source.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def write_xlsx(report: Report) -> bytes:
    """The report as an xlsx workbook, as bytes."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    taken: set[str] = set()
    for index, table in enumerate(report.tables):
        sheet = book.create_sheet(sheet_name(table.key, taken))
        write_table_sheet(sheet, report, table, first=index == 0)
    write_provenance_sheet(
        book.create_sheet(sheet_name(label("prov_sheet", report.lang), taken)), report
    )
    book.properties.creator = "ctc"
    book.properties.title = report.title
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    book.properties.modified = FIXED_TIME
    return deterministic(buffer.getvalue(), tostring(book.properties.to_tree()))
