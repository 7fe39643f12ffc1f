"""A SIE 4 file as the finance-system export's rows, sorted by the export's own rules.

Every counted transaction row of the file becomes one row of the export
(`ctc.importers.kinds.utfall`): its date, account, the objects of the
dimensions the mapping names (`[sie]`: responsibility, project, activity,
counterparty), its amount, its text and its voucher (series and number). So
a SIE file is sorted, booked, identified and deduplicated exactly like a
workbook export. Each row keeps its line in the file as its row number;
the other lines are handed on as blank rows, which the sorter passes over.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ctc.importers.kinds.utfall import UTFALL
from ctc.importers.reading.layout import Header, Located
from ctc.importers.reading.rejection import Rejection
from ctc.importers.reading.sie import SieFile, describe, read_sie
from ctc.importers.reading.workbook import CellValue
from ctc.source_formats import SieDimensions, SourceFormats

FIELDS = (
    "date",
    "account",
    "responsibility",
    "project",
    "activity",
    "counterparty",
    "amount",
    "text",
    "voucher",
)
LABELS = ("datum", "konto", "ansvar", "projekt", "aktivitet", "motpart", "belopp", "text", "ver")
"""How messages name each field of a SIE row (it has no column letters)."""


def locate_sie(path: Path, formats: SourceFormats) -> Located:
    """Read a SIE 4 file and present its rows as the export's; see the module docstring."""
    sie = read_sie(path)
    dims = formats.sie
    unused = {
        name
        for name, number in (
            ("project", dims.project),
            ("activity", dims.activity),
            ("counterparty", dims.counterparty),
        )
        if number is None
    }
    fields = {name: index for index, name in enumerate(FIELDS) if name not in unused}
    header = Header(0, fields, 0, LABELS)
    rejected = tuple(Rejection("", line, None, reason) for line, reason in sie.problems)
    notes = (describe(sie), _dimensions(sie, dims))
    return Located(
        UTFALL, "", header, (), _rows(sie, dims), notes=notes, rejected=rejected, settings=formats
    )


def _dimensions(sie: SieFile, dims: SieDimensions) -> str:
    """Which dimension each code was read from, with the file's own names for them."""
    parts = []
    for what, number in (
        ("ansvar", dims.responsibility),
        ("projekt", dims.project),
        ("aktivitet", dims.activity),
        ("motpart", dims.counterparty),
    ):
        if number is not None:
            name = sie.dimensions.get(str(number))
            parts.append(f"{what} = dimension {number}" + (f" ({name})" if name else ""))
    return "Koderna ur objektlistorna: " + ", ".join(parts) + "."


def _rows(sie: SieFile, dims: SieDimensions) -> Iterator[list[CellValue]]:
    """One list of cells per line of the file: a counted row's fields, else nothing."""
    line = 0
    for row in sie.rows:
        while line + 1 < row.line:
            line += 1
            yield []
        line = row.line
        objects = row.objects
        yield [
            row.date,
            row.account,
            sie.object_of(objects, dims.responsibility),
            sie.object_of(objects, dims.project),
            sie.object_of(objects, dims.activity),
            sie.object_of(objects, dims.counterparty),
            str(row.amount),
            row.text,
            row.voucher,
        ]
