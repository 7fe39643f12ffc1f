"""The terminal format: a report as plain text that fits 80 columns."""

from __future__ import annotations

import textwrap

from ctc.reports.result import Report, Table, display
from ctc.reports.table import WIDTH, TextTable, render


def text_table(table: Table, unit: str) -> TextTable:
    """A result table as a `TextTable`: cells displayed, numbers right-aligned."""
    rows = [
        [display(v, c, unit) for v, c in zip(r.cells, table.columns, strict=True)]
        for r in table.rows
    ]
    return TextTable(
        header=[c.title for c in table.columns],
        rows=rows,
        total_rows=frozenset(i for i, row in enumerate(table.rows) if row.total),
        right=[c.is_number for c in table.columns],
    )


KEEP_TOGETHER = ("§ ", " kr", " tkr", " mnkr")
"""Spaces a line never breaks at: `§ 190`, `12 kr`."""
GLUE = "\x00"


def paragraph(text: str, indent: str = "") -> str:
    """A sentence or note wrapped to the terminal's width, never as `§` / `190`."""
    for pair in KEEP_TOGETHER:
        text = text.replace(pair, pair.replace(" ", GLUE))
    wrapped = textwrap.fill(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False)
    return wrapped.replace(GLUE, " ") + "\n"


def write_text(report: Report, bold: bool = False) -> str:
    """The report as text: notice, title, summary, tables with their notes, footnotes."""
    parts = []
    if report.notice:
        parts.append(paragraph(report.notice))
    parts.append(paragraph(report.title) + "\n")
    if report.summary:
        parts += [paragraph(line) for line in report.summary]
        parts.append("\n")
    for index, table in enumerate(report.tables):
        if index:
            parts.append("\n")
        if table.title:
            parts.append(paragraph(table.title) + "\n")
        parts.append(render(text_table(table, report.unit), bold=bold))
        parts += [paragraph(note) for note in table.notes]
    if report.footnotes:
        parts.append("\n")
        for number, note in enumerate(report.footnotes, start=1):
            prefix = f"{number}. "
            parts.append(paragraph(prefix + note, " " * len(prefix)))
    return "".join(parts)
