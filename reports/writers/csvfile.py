"""The CSV format: the report's records, RFC 4180, dot decimal, one header row.

CSV is for machines: amounts in exact kronor with two decimals, dates in ISO
form, no total rows, and text exactly as it stands in the ledger. Text that
begins with `=`, `+`, `-` or `@` is not altered (that would corrupt the data);
the README tells users to open such files through Excel's import, or to use
the xlsx format, which stores that text safely.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from ctc.numbers import csv_amount
from ctc.reports.result import Cell, Column, Report

FTE_PLACES = Decimal("0.0001")


def csv_cell(value: Cell, column: Column) -> str:
    """One cell as machine-readable text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # most cells of a trace: text exactly as it stands
    if column.kind in ("money", "exact") and isinstance(value, Decimal | int):
        return csv_amount(Decimal(value))
    if column.kind == "fte" and isinstance(value, Decimal | int):
        return f"{Decimal(value).quantize(FTE_PLACES):f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def write_csv(report: Report) -> str:
    """The records table as RFC 4180 CSV (CRLF line ends)."""
    table = report.records
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.key for column in table.columns])
    for row in table.rows:
        if row.total:
            continue
        writer.writerow([csv_cell(v, c) for v, c in zip(row.cells, table.columns, strict=True)])
    return out.getvalue()
