"""Plain-text tables for the terminal.

Columns are sized to their widest cell; numbers are right-aligned. Total rows
are drawn in bold when the output is a terminal (ANSI), and set off by a rule
otherwise, so the table reads well both on screen and pasted as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

BOLD = "\x1b[1m"
RESET = "\x1b[0m"


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table to render: header, rows of cells, and which rows are totals."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    total_rows: frozenset[int] = field(default_factory=frozenset)
    left_columns: int = 1
    """How many leading columns hold labels (left-aligned)."""


def _align(cells: Sequence[str], widths: Sequence[int], left_columns: int) -> str:
    parts = [
        cell.ljust(width) if index < left_columns else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ]
    return "  ".join(parts).rstrip()


def render(table: TextTable, bold: bool = False) -> str:
    """Render a table as lines of text; `bold` adds ANSI bold to total rows."""
    all_rows = [list(table.header), *map(list, table.rows)]
    widths = [max(len(row[i]) for row in all_rows) for i in range(len(table.header))]
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [_align(table.header, widths, table.left_columns), rule]
    for index, row in enumerate(table.rows):
        line = _align(row, widths, table.left_columns)
        if index in table.total_rows:
            if not bold:
                lines.append(rule)
            line = f"{BOLD}{line}{RESET}" if bold else line
        lines.append(line)
    return "\n".join(lines) + "\n"
