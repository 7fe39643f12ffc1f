"""Screening a big export column-wise: which rows need a closer look.

Of a city's general ledger, most rows are plain bookings of other
activities: an account, an ISO date, an amount written as a number, and a
project or activity that is not the programme's. For those the importer only
needs three things: how many there are, what they add to the running total
(sum rows are checked against it), and the latest date. polars answers all
three in a few vectorised passes, exactly: an amount becomes whole öre by
the same rule as `ctc.importers.reading.cells` (a number within a ten-thousandth of
an öre of whole öre, below 100 000 000 000 kr) and is summed as an integer.

Every other row (the programme's, and anything unusual: a text amount, a
period, a title, a sum row, a repeated header, a broken cell) goes to the
row sorter in `ctc.importers.kinds.utfall` one at a time, as the cell values the
row-by-row reader would have given, so the same rules decide it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ctc.importers.reading.cells import ORE_NOISE
from ctc.mapping import Mapping

PLAIN_AMOUNT = r"^-?\d{1,11}(\.\d+)?$"
"""An amount fastexcel wrote from a number cell (never an exponent below 10^11 kr)."""
PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$"
SWEDISH_AMOUNT = r"^-?\d{1,13}(,\d{1,2})?$"
"""Swedish text once its spaces are gone: "-12345,5" (no other marks)."""
SPACES = "[ \u00a0\u2009\u202f\u2007]"
"""The thousands separators `cells.SPACES` knows, less the apostrophe and tab."""
UNICODE_MINUS = "\u2212"
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
"""A cell fastexcel wrote from a number cell."""
INDEX, BEFORE, AMOUNT_TEXT = "__index", "__plain_before", "__amount_text"


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
    errors: Callable[[], dict[tuple[int, int], str]] | None = None
    """(index below the header, column) -> the error value of an error cell, found when asked."""

    def other_rows(self) -> Iterator[tuple[int, Decimal, list]]:
        """(index below the header, total of the plain rows above, cells) of each other row.

        A row with an empty amount, date or period gets its error cells filled
        in (`#REF!`), so the sorter names them rather than calling them empty.
        """
        typed = self.typed
        by_row: dict[int, list[tuple[int, str]]] | None = None
        for index, before, *cells in self.others.iter_rows():
            if self.errors is not None and any(cells[c] is None for c in typed):
                by_row = _by_row(self.errors()) if by_row is None else by_row
                for column, value in by_row.get(index, ()):
                    if column < len(cells):
                        cells[column] = value
            row = ["" if cell is None else cell for cell in cells[: self.width]]
            for column in typed:
                value = row[column]
                if value.__class__ is str and NUMBER.match(value):
                    row[column] = float(value)
            yield index, Decimal(before).scaleb(-2), row


def _by_row(errors: dict[tuple[int, int], str]) -> dict[int, list[tuple[int, str]]]:
    rows: dict[int, list[tuple[int, str]]] = {}
    for (row, column), value in errors.items():
        rows.setdefault(row, []).append((column, value))
    return rows


def _column(fields: dict[str, int], field: str) -> pl.Expr | None:
    index = fields.get(field)
    return None if index is None else pl.col(f"__UNNAMED__{index}")


def _marked(column: pl.Expr | None, codes: frozenset[str]) -> pl.Expr:
    """Whether a code column names the programme (as `_code` reads it: stripped)."""
    if column is None or not codes:
        return pl.lit("" in codes)
    return column.str.strip_chars().fill_null("").is_in(sorted(codes))


def _amount_text(amount: pl.Expr) -> pl.Expr:
    """The amount column without thousands separators and with an ASCII minus."""
    return amount.str.replace_all(SPACES, "").str.replace(UNICODE_MINUS, "-").alias(AMOUNT_TEXT)


def _cents() -> pl.Expr:
    """An amount in whole öre, or null where the row sorter must read it.

    Two shapes are read here: what fastexcel writes for a number cell (digits,
    a dot, more digits: converted by the float rule of `cells`) and Swedish
    text with a decimal comma and space-grouped thousands ("-12 345,50"),
    which is exact by construction. Anything else is left to the sorter.
    """
    text = pl.col(AMOUNT_TEXT)
    value = text.cast(pl.Float64, strict=False) * 100
    whole = value.round(0)
    from_number = (
        pl.when(text.str.contains(PLAIN_AMOUNT) & (value - whole).abs().le(ORE_NOISE))
        .then(whole.cast(pl.Int64))
        .otherwise(None)
    )
    comma = text.str.find(",", literal=True)
    decimals = (text.str.len_chars() - comma - 1).fill_null(0)
    scale = pl.when(decimals == 0).then(100).when(decimals == 1).then(10).otherwise(1)
    digits = text.str.replace(",", "", literal=True).cast(pl.Int64, strict=False)
    from_text = pl.when(text.str.contains(SWEDISH_AMOUNT)).then(digits * scale).otherwise(None)
    return pl.coalesce(from_number, from_text)


def _iso_day(column: pl.Expr) -> pl.Expr:
    """An ISO date (as fastexcel writes a date cell, or typed as text), else null."""
    return (
        pl.when(column.str.contains(PLAIN_DATE))
        .then(column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None)
    )


def _booking_day(fields: dict[str, int]) -> pl.Expr:
    """The booking date of a plain row, or null where the row sorter must decide it.

    With a period column, a plain row has a period YYYYMM of months 01-12 and
    either no date (booked on the period's last day) or a date in that period
    (booked on it); a closing period 13, or a date outside its period, goes to
    the sorter, which keeps the row's own date beside the period.
    """
    date = _column(fields, "date")
    period = _column(fields, "period")
    day = _iso_day(date) if date is not None else pl.lit(None, dtype=pl.Date)
    if period is None:
        return day
    text = period.str.strip_chars()
    year = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = text.str.slice(4, 2).cast(pl.Int8, strict=False)
    plain_period = text.str.contains(r"^\d{6}$") & month.is_between(1, 12) & (year >= 1900)
    end = pl.date(year, month, 1).dt.month_end()
    no_date = pl.lit(True) if date is None else date.str.strip_chars().fill_null("").eq("")
    in_period = (day.dt.year() == year) & (day.dt.month() == month)
    return (
        pl.when(plain_period & no_date)
        .then(end)
        .when(plain_period & in_period.fill_null(False))
        .then(day)
        .otherwise(None)
    )


def screen(
    frame: pl.DataFrame,
    fields: dict[str, int],
    mapping: Mapping,
    width: int,
    errors: Callable[[], dict[tuple[int, int], str]] | None = None,
) -> Screened:
    """Split an export's rows below its header into plain rows and the rest.

    `errors` gives the frame's error cells when a row needs them (`Screened.other_rows`).
    """
    frame = frame.select(frame.columns[:width])
    typed = tuple(fields[f] for f in ("amount", "date", "period") if f in fields)
    account = _column(fields, "account")
    cents = _cents()
    day = _booking_day(fields)
    plain = (
        account.str.strip_chars().fill_null("").ne("")  # type: ignore[union-attr]
        & cents.is_not_null()
        & day.is_not_null()
        & ~_marked(_column(fields, "project"), mapping.projects)
        & ~_marked(_column(fields, "activity"), mapping.activities)
    )
    marked = (
        frame.lazy()
        .with_columns(_amount_text(_column(fields, "amount")))  # type: ignore[arg-type]
        .with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).alias(INDEX),
            plain.fill_null(False).alias("__plain"),
            cents.alias("__cents"),
            day.alias("__day"),
        )
        .with_columns(pl.when("__plain").then("__cents").otherwise(0).alias("__cents"))
        .with_columns((pl.col("__cents").cum_sum() - pl.col("__cents")).alias(BEFORE))
        .collect()
    )
    plain_rows, last = marked.select(
        pl.col("__plain").sum(), pl.col("__day").filter(pl.col("__plain")).max()
    ).row(0)
    others = marked.filter(~pl.col("__plain")).select(INDEX, BEFORE, *frame.columns)
    return Screened(plain_rows, last, others, typed, width, errors)
