"""The xlsx writer for a `Document`: one sheet per table and one for provenance.

Money cells are real numbers in the document's unit (exact kronor divided by
the unit, never rounded in the cell) with a thousands format; percentages are
fractions with a percent format. Text is always stored as a string cell, so a
role or source note that begins with `=`, `+`, `-` or `@` shows as text and
never runs as a formula. Bold totals, a frozen header row, fitted widths.
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell as XlCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ctc.numbers import UNIT_DIVISORS
from ctc.reports.scenario_document import Cell, Column, Document, Table, cell_text

MONEY_FORMAT = "#,##0"
PERCENT_FORMATS = {0: "0%", 1: "0.0%", 2: "0.00%"}
BOLD = Font(bold=True)


def _set(cell: XlCell, value: Cell, column: Column, unit: str) -> None:
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif column.kind == "money":
        cell.value = value / UNIT_DIVISORS[unit]
        cell.number_format = MONEY_FORMAT
    elif column.kind == "percent":
        cell.value = value / 100
        cell.number_format = PERCENT_FORMATS.get(column.decimals, "0.0%")
    else:
        cell.value = value
        cell.number_format = "0." + "0" * column.decimals if column.decimals else "0"


def _fit(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 80)


def _table_sheet(sheet: Worksheet, table: Table, unit: str) -> None:
    widths = [len(column.title) for column in table.columns]
    for col, column in enumerate(table.columns, start=1):
        header = sheet.cell(row=1, column=col)
        header.value = column.title
        header.data_type = "s"
        header.font = BOLD
    for index, row in enumerate(table.rows):
        for col, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            cell = sheet.cell(row=index + 2, column=col)
            _set(cell, value, column, unit)
            if index in table.total_rows:
                cell.font = BOLD
            widths[col - 1] = max(widths[col - 1], len(cell_text(value, column, unit)))
    sheet.freeze_panes = "A2"
    _fit(sheet, widths)


def workbook_bytes(document: Document, generated: datetime.datetime | None = None) -> bytes:
    """The document as an xlsx workbook, in memory."""
    book = Workbook()
    first = True
    for table in document.tables:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = table.sheet[:31]
        _table_sheet(sheet, table, document.unit)
    info = book.create_sheet("Källa")
    when = (generated or datetime.datetime.now(datetime.UTC)).isoformat(timespec="seconds")
    rows = [
        ("Rapport", document.title),
        *document.provenance,
        ("Enhet", document.unit),
        ("Skapad", when),
        *((f"Not {i}", note) for i, note in enumerate(document.footnotes, start=1)),
        *((f"Text {i}", text) for i, text in enumerate(document.paragraphs, start=1)),
    ]
    for number, (key, value) in enumerate(rows, start=1):
        for col, text in enumerate((key, value), start=1):
            cell = info.cell(row=number, column=col)
            cell.value = text
            cell.data_type = "s"
        info.cell(row=number, column=1).font = BOLD
    _fit(info, [max(len(k) for k, _ in rows), 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsx(document: Document, path: Path) -> None:
    """Write the workbook atomically: a reader sees the old file or the whole new one."""
    content = workbook_bytes(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
