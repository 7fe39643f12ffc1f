"""The scenario and forecast reports' document shape, and how it becomes a report.

The scenario sections are built as a `Document`: titled tables whose cells
may be source notes (`note` columns). `as_report` numbers the notes once
across the document, lists them under each table that cites them, and turns
the document into the `ctc.reports.result.Report` every writer reads, so the
scenario reports come out in the same table, Markdown, CSV and xlsx formats
as every other report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from ctc.reports import result

Cell = str | Decimal | None
"""Text, an exact number (kronor in a money column, per cent in a percent column) or empty."""

ColumnKind = Literal["text", "money", "number", "note"]
"""`note` is a source note: numbered and listed under the table that cites it."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column's heading and how its cells are written."""

    title: str
    kind: ColumnKind = "text"
    decimals: int = 0
    """Decimals of a number column (money follows the unit)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `total_rows` are drawn as totals (bold)."""

    title: str
    sheet: str
    """A short name for the table's sheet in a workbook (at most 31 characters)."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Document:
    """A scenario report as its sections are built, before it becomes a `Report`."""

    title: str
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...]
    footnotes: tuple[str, ...]
    unit: str
    """The unit of every money column: kr, tkr or mnkr."""


SYNTHETIC = "OBS: Huvudboken innehåller syntetiska exempeldata, inte verkliga belopp."
"""The warning that opens a report on a synthetic ledger or scenario."""


def total_of(values: Sequence[Decimal]) -> Decimal:
    """The exact sum of amounts (zero for none)."""
    return sum(values, Decimal(0))


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, so a reader can check which file a report stands on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(ledger: Path, scenario: Path) -> result.Provenance:
    """The files a report was computed from, each with its SHA-256, and the scenario asked for."""
    return result.Provenance(
        ledger=str(ledger),
        files=((str(ledger), sha256_of(ledger)), (str(scenario), sha256_of(scenario))),
        filters=(("--scenario", str(scenario)),),
    )


def money_columns(titles: Sequence[str]) -> tuple[Column, ...]:
    """Money columns with the given titles."""
    return tuple(Column(title, "money") for title in titles)


def _result_column(index: int, column: Column) -> result.Column:
    """A column in the shared shape; a note column is text (its cells become `[n]`)."""
    kind = "text" if column.kind == "note" else column.kind
    return result.Column(f"c{index}", column.title, kind, column.decimals)


def _result_table(table: Table, numbers: dict[str, int]) -> result.Table:
    """One table with its note cells as `[n]` and the notes it cites listed under it."""
    cited: list[int] = []
    rows = []
    for index, cells in enumerate(table.rows):
        values = list(cells)
        for position, column in enumerate(table.columns):
            text = values[position]
            if column.kind == "note" and isinstance(text, str) and text:
                number = numbers.setdefault(text, len(numbers) + 1)
                if number not in cited:
                    cited.append(number)
                values[position] = f"[{number}]"
        rows.append(result.Row(tuple(values), index in table.total_rows))
    sources = {number: text for text, number in numbers.items()}
    notes = tuple(f"[{n}] {sources[n]}" for n in cited)
    columns = tuple(_result_column(i, c) for i, c in enumerate(table.columns))
    return result.Table(table.sheet, table.title, columns, tuple(rows), notes)


def as_report(
    document: Document, name: str, records: result.Table, provenance: result.Provenance
) -> result.Report:
    """The document in the shared result shape, as a section (heading level 2)."""
    numbers: dict[str, int] = {}
    tables = tuple(_result_table(table, numbers) for table in document.tables)
    return result.Report(
        name=name,
        title=document.title,
        tables=tables,
        records=records,
        provenance=provenance,
        summary=document.paragraphs,
        footnotes=document.footnotes,
        unit=document.unit,
        heading_level=2,
    )
