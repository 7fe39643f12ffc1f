"""The one result shape every report returns and every output format writes.

A report computes a `Report`: a notice (synthetic data), a title, summary
sentences, tables of typed cells, footnotes, the machine-readable records for
CSV, and its provenance. Writers (`ctc.reports.writers`) turn that shape into
a terminal table, CSV, Markdown or xlsx without querying again, so every format
shows the same figures. Amounts stay exact kronor (`Decimal`) in the shape;
each writer rounds once, from exact kronor, when it displays them.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from ctc.numbers import format_number, format_sek

Cell = str | int | Decimal | datetime.date | None
"""A cell's value: text, a whole number, exact kronor or FTE, a date, or empty."""

Cells = tuple[Cell, ...]
"""A row's cell values, one per column."""

Kind = Literal["text", "year", "int", "money", "exact", "fte", "number", "date"]
"""How a column's cells are typed and shown:

- `text`: text from the ledger or the report;
- `year`: a year, a label of its row (left-aligned, a whole number in xlsx);
- `int`: a whole number shown without separators (a year, a count);
- `money`: exact kronor shown in the report's unit (kr, tkr, mnkr);
- `exact`: exact kronor shown to the öre (an audit trail);
- `fte`: a degree of employment, two decimals;
- `number`: any other number (a rate, a salary in kr), with the column's `decimals`;
- `date`: an ISO date.
"""

MONEY_KINDS = frozenset({"money", "exact"})
NUMBER_KINDS = frozenset({"int", "money", "exact", "fte", "number"})


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its machine key (CSV header), its heading for people, its kind."""

    key: str
    title: str
    kind: Kind = "text"
    decimals: int = 0
    """Decimals shown for a `number` column."""

    @property
    def is_number(self) -> bool:
        """Whether the column holds numbers (right-aligned, number cells in xlsx)."""
        return self.kind in NUMBER_KINDS


@dataclass(frozen=True, slots=True)
class Row:
    """A row of cells; `total` marks a sum or check row (bold, never in CSV)."""

    cells: Cells
    total: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a report: one sheet in xlsx, one block in the other formats."""

    key: str
    """A short name for the table (the xlsx sheet's name)."""
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    """Lines shown under the table."""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"row {row.cells!r} does not fit the columns of {self.key}")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a report's figures come from: the ledger, its files, the filters, when."""

    ledger: str
    """The ledger's main file."""
    files: tuple[tuple[str, str], ...]
    """(path, SHA-256) of every file the ledger loaded, main file first."""
    filters: tuple[tuple[str, str], ...]
    """(option, value) of each filter the report was asked for."""
    generated_at: datetime.datetime | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A report, ready for any writer."""

    name: str
    """The report's command name: yearly, transfers, positions, budget, motion, trace."""
    title: str
    tables: tuple[Table, ...]
    records: Table
    """The machine-readable form written as CSV: one header, no total rows."""
    provenance: Provenance
    notice: str | None = None
    """Shown first of all: that the ledger holds synthetic example data."""
    summary: tuple[str, ...] = ()
    """Sentences shown between the title and the tables."""
    footnotes: tuple[str, ...] = ()
    unit: str = "tkr"
    """The unit `money` columns are shown in."""
    lang: str = "sv"
    heading_level: int = 1
    """The Markdown heading level of the title: 2 for a section of a tjänsteskrivelse."""


def stamp(report: Report, moment: datetime.datetime) -> Report:
    """The report with its generation time set (the CLI's clock, not the library's)."""
    return replace(report, provenance=replace(report.provenance, generated_at=moment))


def money_decimals(unit: str) -> int:
    """Decimals shown for an amount in `unit`: whole kr and tkr, one decimal for mnkr."""
    return {"kr": 0, "tkr": 0, "mnkr": 1}[unit]


def display(value: Cell, column: Column, unit: str) -> str:
    """A cell as people read it: Swedish numbers, amounts in the report's unit.

    Amounts are rounded here, once, from exact kronor; sums are never taken of
    rounded figures.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        text = _number_text(Decimal(value), column, unit)
        if text is not None:
            return text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _number_text(value: Decimal, column: Column, unit: str) -> str | None:
    """A number as its column shows it; None in a column that is not numeric."""
    if column.kind == "money":
        return format_sek(value, unit)
    if column.kind in ("exact", "fte"):
        return format_number(value, 2)
    if column.kind == "number":
        return format_number(value, column.decimals)
    return None


def rows_of(values: Sequence[Sequence[Cell]], total: bool = False) -> tuple[Row, ...]:
    """Rows from plain sequences of cells."""
    return tuple(Row(tuple(cells), total) for cells in values)


def column_sums(rows: Sequence[Sequence[Cell]], skip: Collection[int] = ()) -> list[Cell]:
    """Each column's sum (exact); None for columns in `skip` and columns of no numbers."""
    sums: list[Cell] = []
    for index, values in enumerate(zip(*rows, strict=True)):
        numbers = [v for v in values if isinstance(v, Decimal | int)]
        sums.append(None if index in skip or not numbers else sum(numbers))
    return sums


def year_rows(
    items: Sequence[Sequence[Cell]],
    sum_label: str,
    total_label: str,
    not_across_years: Collection[int] = (),
) -> tuple[Row, ...]:
    """Rows `(year, name, values…)` with a sum row after each year that has several
    rows, and a total row when there are several years.

    `not_across_years` names value columns (0 = the first value) that make no
    sense summed over years, such as FTE; the total row leaves them empty.
    """
    body: list[Row] = []
    years = list(dict.fromkeys(item[0] for item in items))
    for year in years:
        members = [item[2:] for item in items if item[0] == year]
        body += [Row(tuple(item)) for item in items if item[0] == year]
        if len(members) > 1:
            body.append(Row((f"{sum_label} {year}", None, *column_sums(members)), True))
    if len(years) > 1:
        values = [item[2:] for item in items]
        body.append(Row((total_label, None, *column_sums(values, not_across_years)), True))
    return tuple(body)
