"""Screening a big export column-wise: which rows need a closer look.

Of a city's general ledger, most rows are plain bookings of other
activities: an account, an ISO date, an amount written as a number, and a
project or activity that is not the programme's. For those the importer only
needs three things: how many there are, what they add to the running total
(sum rows are checked against it), and the latest date. polars answers all
three in a few vectorised passes, exactly: an amount becomes whole öre by
the same rule as `ctc.importers.cells` (a number within a ten-thousandth of
an öre of whole öre, below 100 000 000 000 kr) and is summed as an integer.

Every other row (the programme's, and anything unusual: a text amount, a
period, a title, a sum row, a repeated header, a broken cell) goes to the
row sorter in `ctc.importers.utfall` one at a time, as the cell values the
row-by-row reader would have given, so the same rules decide it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ctc.mapping import Mapping

PLAIN_AMOUNT = r"^-?\d{1,11}(\.\d+)?$"
"""An amount fastexcel wrote from a number cell (never an exponent below 10^11 kr)."""
PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$"
ORE_NOISE = 1e-4
"""As `ctc.importers.cells.ORE_NOISE`: how far `value * 100` may sit from whole öre."""
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
"""A cell fastexcel wrote from a number cell."""
INDEX, BEFORE = "__index", "__plain_before"


@dataclass(frozen=True, slots=True)
class Screened:
    """The plain rows counted and summed, and the other rows to sort one by one."""

    plain_rows: int
    plain_last_date: datetime.date | None
    others: pl.DataFrame
    """The other rows: their index below the header, the plain öre above them, their cells."""
    typed: tuple[int, ...]
    """Columns whose number-like text is a number cell (amount, date, period)."""
    width: int

    def other_rows(self) -> Iterator[tuple[int, Decimal, list]]:
        """(index below the header, total of the plain rows above, cells) of each other row."""
        typed = self.typed
        for index, before, *cells in self.others.iter_rows():
            row = ["" if cell is None else cell for cell in cells[: self.width]]
            for column in typed:
                value = row[column]
                if value.__class__ is str and NUMBER.match(value):
                    row[column] = float(value)
            yield index, Decimal(before).scaleb(-2), row


def _column(fields: dict[str, int], field: str) -> pl.Expr | None:
    index = fields.get(field)
    return None if index is None else pl.col(f"__UNNAMED__{index}")


def _marked(column: pl.Expr | None, codes: frozenset[str]) -> pl.Expr:
    """Whether a code column names the programme (as `_code` reads it: stripped)."""
    if column is None or not codes:
        return pl.lit("" in codes)
    return column.str.strip_chars().fill_null("").is_in(sorted(codes))


def screen(frame: pl.DataFrame, fields: dict[str, int], mapping: Mapping, width: int) -> Screened:
    """Split an export's rows below its header into plain rows and the rest."""
    frame = frame.select(frame.columns[:width])
    typed = tuple(fields[f] for f in ("amount", "date", "period") if f in fields)
    account = _column(fields, "account")
    amount = _column(fields, "amount")
    date = _column(fields, "date")
    if date is None or "period" in fields:
        plain = pl.lit(False)
        cents = pl.lit(0, dtype=pl.Int64)
        day = pl.lit(None, dtype=pl.Date)
    else:
        value = amount.cast(pl.Float64, strict=False) * 100  # type: ignore[union-attr]
        whole = value.round(0)
        day = date.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        plain = (
            account.str.strip_chars().fill_null("").ne("")  # type: ignore[union-attr]
            & amount.str.contains(PLAIN_AMOUNT).fill_null(False)  # type: ignore[union-attr]
            & (value - whole).abs().le(ORE_NOISE).fill_null(False)
            & date.str.contains(PLAIN_DATE).fill_null(False)
            & day.is_not_null()
            & ~_marked(_column(fields, "project"), mapping.projects)
            & ~_marked(_column(fields, "activity"), mapping.activities)
        )
        cents = pl.when(plain).then(whole.cast(pl.Int64)).otherwise(0)
    marked = frame.with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).alias(INDEX),
        plain.alias("__plain"),
        cents.alias("__cents"),
        day.alias("__day"),
    ).with_columns((pl.col("__cents").cum_sum() - pl.col("__cents")).alias(BEFORE))
    plain_rows = marked.filter(pl.col("__plain"))
    others = marked.filter(~pl.col("__plain")).select(INDEX, BEFORE, *frame.columns)
    last = plain_rows.select(pl.col("__day").max()).item() if plain_rows.height else None
    return Screened(plain_rows.height, last, others, typed, width)
