"""One result shape for the scenario and forecast reports, and its text writers.

A `Document` is what a reader sees: a title, lead paragraphs, tables of
typed cells and footnotes. Money cells hold exact kronor; each writer turns
them into its unit, rounding once. The terminal table and Markdown writers
live here; the xlsx writer is `ctc.reports.scenario_xlsx`. Adding a format
means adding a writer over this shape, never computing figures again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from ctc.numbers import format_number, format_sek
from ctc.reports.table import TextTable, render

Cell = str | Decimal | None
"""Text, an exact number (kronor in a money column, per cent in a percent column) or empty."""

ColumnKind = Literal["text", "money", "percent", "number", "note"]
"""`note` is a source note: the text and Markdown writers number it and list it under the table."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column's heading and how its cells are written."""

    title: str
    kind: ColumnKind = "text"
    decimals: int = 0
    """Decimals for percent and number columns (money follows the unit)."""


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
    """A report as a reader sees it, before it is written in any format."""

    title: str
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...]
    footnotes: tuple[str, ...]
    unit: str
    """The unit of every money column: kr, tkr or mnkr."""
    provenance: tuple[tuple[str, str], ...] = ()
    """(what, value) pairs: files and their SHA-256; the xlsx writer adds the time."""


def cell_text(cell: Cell, column: Column, unit: str) -> str:
    """A cell as text in the Swedish number format."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if column.kind == "money":
        return format_sek(cell, unit)
    return format_number(cell, column.decimals)


def _rows_text(table: Table, unit: str) -> list[list[str]]:
    return [
        [cell_text(cell, column, unit) for cell, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]


def _left_columns(table: Table) -> int:
    count = 0
    for column in table.columns:
        if column.kind != "text":
            break
        count += 1
    return max(count, 1)


Notes = list[tuple[int, str]]
"""(number, text) of the source notes a table refers to."""


def with_note_numbers(document: Document) -> list[tuple[Table, Notes]]:
    """Each table with its note cells replaced by `[n]`, and the notes it refers to.

    Notes are numbered once across the document, so the same source has the
    same number under every table.
    """
    numbers: dict[str, int] = {}
    result = []
    for table in document.tables:
        notes: Notes = []
        rows = []
        for row in table.rows:
            cells = list(row)
            for index, column in enumerate(table.columns):
                text = cells[index]
                if column.kind == "note" and isinstance(text, str) and text:
                    number = numbers.setdefault(text, len(numbers) + 1)
                    if (number, text) not in notes:
                        notes.append((number, text))
                    cells[index] = f"[{number}]"
            rows.append(tuple(cells))
        columns = tuple(replace(c, kind="text") if c.kind == "note" else c for c in table.columns)
        result.append((replace(table, columns=columns, rows=tuple(rows)), notes))
    return result


def render_text(document: Document, bold: bool = False) -> str:
    """The document for a terminal: plain tables, totals in bold on a terminal."""
    parts = [document.title, "=" * len(document.title), ""]
    parts += [*document.paragraphs, ""] if document.paragraphs else []
    for table, notes in with_note_numbers(document):
        text_table = TextTable(
            [column.title for column in table.columns],
            _rows_text(table, document.unit),
            table.total_rows,
            left_columns=_left_columns(table),
        )
        parts += [table.title, "", render(text_table, bold=bold)]
        if notes:
            parts += ["Källor:", *(f"[{n}] {text}" for n, text in notes), ""]
    parts += [f"{index}. {note}" for index, note in enumerate(document.footnotes, start=1)]
    return "\n".join(parts).rstrip() + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table, unit: str) -> list[str]:
    """A GitHub-flavoured Markdown table; total rows in bold."""
    header = [_md_escape(column.title) for column in table.columns]
    align = [":---" if column.kind == "text" else "---:" for column in table.columns]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    for index, row in enumerate(_rows_text(table, unit)):
        cells = [_md_escape(cell) for cell in row]
        if index in table.total_rows:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(document: Document, heading_level: int = 2) -> str:
    """The document as Markdown: a section of a tjänsteskrivelse, footnotes last."""
    hashes = "#" * heading_level
    parts = [f"{hashes} {document.title}", ""]
    for paragraph in document.paragraphs:
        parts += [_md_escape(paragraph), ""]
    for table, notes in with_note_numbers(document):
        parts += [f"{hashes}# {table.title}", "", *markdown_table(table, document.unit), ""]
        if notes:
            parts += ["Källor:", "", *(f"- [{n}] {_md_escape(text)}" for n, text in notes), ""]
    if document.footnotes:
        parts += [
            *(f"{index}. {_md_escape(note)}" for index, note in enumerate(document.footnotes, 1)),
            "",
        ]
    return "\n".join(parts)


def money_columns(titles: Sequence[str]) -> tuple[Column, ...]:
    """Money columns with the given titles."""
    return tuple(Column(title, "money") for title in titles)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 CSV with one header row and CRLF line ends; cells written as given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
