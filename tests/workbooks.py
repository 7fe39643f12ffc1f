"""Writing test workbooks: exports in the example coding, in many shapes, as real files."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from synthetic_xlsx import write_xlsx

D = Decimal

HEADER = ["Ver.datum", "Ver.nr", "Konto", "Ansvar", "Projekt", "Text", "Belopp"]

ROWS = [
    [
        datetime.date(2021, 1, 25),
        "V1",
        5011,
        "110240",
        "CTC",
        "Månadslön Anna Andersson",
        D("41000.00"),
    ],
    [datetime.date(2021, 1, 25), "V2", 5611, "110240", "CTC", "Arbetsgivaravgifter", D("12882.20")],
    [datetime.date(2021, 2, 3), "V3", 7010, "310310", "CTC", "Programutbildare", D("18750.50")],
    [datetime.date(2021, 2, 3), "V4", 7010, "310310", "OMRLYFT", "Annat projekt", D("999.99")],
    [datetime.date(2021, 3, 9), "V5", 6410, "650031", "CTC", "Kurs", D("-1200.00")],
]
"""Four programme rows (KS 41 000 + 12 882,20; AoS 18 750,50; FrN -1 200) and one other."""


def export(
    path: Path,
    rows: Sequence[Sequence[object]] = ROWS,
    header: Sequence[str] = HEADER,
    sheet: str = "Utfall",
    above: Sequence[Sequence[object]] = (),
) -> Path:
    """An .xlsx export: optional title rows, the header, the rows."""
    write_xlsx(path, [(sheet, [*above, list(header), *[list(r) for r in rows]])])
    return path


def xls_export(
    path: Path, rows: Sequence[Sequence[object]] = ROWS, header: Sequence[str] = HEADER
) -> Path:
    """The same export as an old Excel 97-2003 .xls, written by xlwt."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Utfall")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for col, word in enumerate(header):
        sheet.write(0, col, word)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, col, value, dates)
            elif isinstance(value, Decimal):
                sheet.write(r, col, float(value))
            else:
                sheet.write(r, col, value)
    book.save(str(path))
    return path
