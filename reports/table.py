"""Plain-text tables for the terminal.

Columns are sized to their widest cell; numbers are right-aligned. A table
wider than the terminal (80 columns) wraps its text cells onto more lines
rather than cutting them, so nothing an auditor needs is lost. Total rows are
drawn in bold when the output is a terminal (ANSI), and set off by a rule
otherwise, so the table reads well both on screen and pasted as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

BOLD = "\x1b[1m"
RESET = "\x1b[0m"
WIDTH = 80
"""The terminal width tables fit in."""
MIN_TEXT_WIDTH = 10
"""A text column is never wrapped narrower than this."""
GAP = "  "


@dataclass(frozen=True, slots=True)
class TextTable:
    """A table to render: header, rows of cells, and which rows are totals."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    total_rows: frozenset[int] = field(default_factory=frozenset)
    left_columns: int = 1
    """How many leading columns hold labels (left-aligned), unless `right` says otherwise."""
    right: Sequence[bool] | None = None
    """Per column: whether it is right-aligned (numbers)."""

    def is_right(self, index: int) -> bool:
        """Whether column `index` is right-aligned."""
        if self.right is not None:
            return self.right[index]
        return index >= self.left_columns


CHUNK = re.compile(r"[^\s:/,-]*[:/,-]+|\S+")
"""A piece of text a line may break after: a word, or up to a `:`, `/`, `,` or `-` in it."""


def chunks(text: str) -> list[str]:
    """The pieces of `text` a wrapped line may break between (spaces dropped)."""
    return CHUNK.findall(text)


def wrap(text: str, width: int) -> list[str]:
    """Wrap `text` to `width`, breaking at spaces and after `:`, `/`, `,`, `-`.

    A piece longer than the width is cut, as a last resort.
    """
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word, spaced in _pieces(text):
        joined = f"{line}{' ' if spaced and line else ''}{word}"
        if len(joined) <= width:
            line = joined
            continue
        if line:
            lines.append(line)
        while len(word) > width:
            lines.append(word[:width])
            word = word[width:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, whether a space precedes it) for every breakable piece of `text`."""
    pieces = []
    for index, word in enumerate(text.split()):
        for position, piece in enumerate(chunks(word)):
            pieces.append((piece, position == 0 and index > 0))
    return pieces


def fit_widths(table: TextTable, width: int = WIDTH) -> list[int]:
    """Column widths that fit `width`, narrowing the widest wrappable column first.

    Columns narrow in three steps, each only as far as needed: down to their
    longest word (lines break between words), then to their longest piece
    between punctuation (`KF-2024-` / `09-26`), then to `MIN_TEXT_WIDTH`
    (words are cut). Number cells never wrap; only a header above them does.
    A table that cannot fit keeps its narrowest possible widths.
    """
    count = len(table.header)
    cells = [table.header, *table.rows]
    natural = [max(len(row[i]) for row in cells) for i in range(count)]

    def longest(i: int, split: Callable[[str], list[str]]) -> int:
        return max((len(piece) for row in cells for piece in split(row[i])), default=0)

    steps: list[list[int]] = [[], [], []]
    for i in range(count):
        if table.is_right(i):
            data = max((len(row[i]) for row in table.rows), default=1)
            steps[0].append(max(data, longest(i, str.split)))
            steps[1].append(max(data, longest(i, chunks)))
            steps[2].append(data)
            continue
        hard = min(natural[i], MIN_TEXT_WIDTH)
        steps[0].append(max(hard, longest(i, str.split)))
        steps[1].append(max(hard, longest(i, chunks)))
        steps[2].append(hard)
    widths = natural[:]
    budget = width - len(GAP) * (count - 1)
    for floors in steps:
        while sum(widths) > budget:
            candidates = [i for i in range(count) if widths[i] > floors[i]]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def _lines(cells: Sequence[str], widths: Sequence[int], table: TextTable) -> list[str]:
    """The text lines of one row, its cells wrapped to their columns' widths."""
    wrapped = [wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for index in range(height):
        parts = []
        for column, (part, width) in enumerate(zip(wrapped, widths, strict=True)):
            text = part[index] if index < len(part) else ""
            parts.append(text.rjust(width) if table.is_right(column) else text.ljust(width))
        lines.append(GAP.join(parts).rstrip())
    return lines


def render(table: TextTable, bold: bool = False, width: int = WIDTH) -> str:
    """Render a table as lines of text; `bold` adds ANSI bold to total rows."""
    widths = fit_widths(table, width)
    rule = "-" * (sum(widths) + len(GAP) * (len(widths) - 1))
    lines = [*_lines(table.header, widths, table), rule]
    for index, row in enumerate(table.rows):
        row_lines = _lines(row, widths, table)
        if index in table.total_rows:
            if not bold:
                lines.append(rule)
            row_lines = [f"{BOLD}{line}{RESET}" if bold else line for line in row_lines]
        lines += row_lines
    return "\n".join(lines) + "\n"
