"""Screening a big export column-wise: which rows need a closer look.

Of a city's general ledger, most rows are plain bookings of other
activities: an account, an ISO date, an amount written as a number, and a
project or activity that is not the programme's. For those the importer only
needs three things: how many there are, what they add to the running total
(sum rows are checked against it), and the latest date. polars answers all
three in a few vectorised passes, exactly: an amount becomes whole öre by
the same rule as `ctc.importers.reading.cells` (a number within a ten-thousandth of
an öre of whole öre, below 100 000 000 000 kr) and is summed as an integer.

Plain rows of the programme (the same shape, with the programme's project
or activity) are kept column-wise too, with their öre and booking date
(`Screened.programme`): `ctc.importers.kinds.utfall` reads their codes and
identities with polars. For them the screen is stricter, so that every value
is exactly what the row sorter would have read from the same cells: an
amount written as a number is taken only as the cell gives it (spaces in it
send the row to the sorter, whose text rule refuses what the float rule
would round), a Swedish text amount of zero with a minus sign (the sorter
keeps "-0.00") and a date cell that may hide an error value go to the
sorter. Codes are stripped, and text split, on exactly the characters
Python counts as whitespace (`PYTHON_SPACE`; polars alone would keep
U+001C-U+001F).

Every other row (anything unusual: a text amount the screen does not know,
a period, a title, a sum row, a repeated header, a broken cell) goes to the
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
CENTS, DAY = "__cents", "__day"
"""A screened row's amount in whole öre and its booking date."""
PYTHON_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Every character Python's `str.strip` and `str.split` take for whitespace (`str.isspace`):
Unicode's White_Space, which is polars' (Rust's), and U+001C-U+001F."""
PYTHON_SPACES = "[\\s\x1c-\x1f]+"
"""A run of `PYTHON_SPACE` characters, as a polars (Rust) pattern."""


def python_strip(text: pl.Expr) -> pl.Expr:
    """`str.strip()` of each value, as Python does it."""
    return text.str.strip_chars(PYTHON_SPACE)


def python_words(text: pl.Expr) -> pl.Expr:
    """`" ".join(value.split())` of each value: runs of whitespace made single spaces."""
    return python_strip(text.str.replace_all(PYTHON_SPACES, " "))


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
    programme: pl.LazyFrame
    """The programme's plain rows: index below the header, öre, booking date and their cells
    (lazy: the reader of their fields selects what it needs in the same pass)."""
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
    return python_strip(column).fill_null("").is_in(sorted(codes))


def _amount_text(amount: pl.Expr) -> pl.Expr:
    """The amount column without thousands separators and with an ASCII minus."""
    return amount.str.replace_all(SPACES, "").str.replace(UNICODE_MINUS, "-").alias(AMOUNT_TEXT)


def _from_number() -> pl.Expr:
    """Whole öre of what fastexcel writes for a number cell (digits, a dot, more digits), by
    the float rule of `cells`; null for anything else (read from the amount without spaces)."""
    text = pl.col(AMOUNT_TEXT)
    value = text.cast(pl.Float64, strict=False) * 100
    whole = value.round(0)
    return (
        pl.when(text.str.contains(PLAIN_AMOUNT) & (value - whole).abs().le(ORE_NOISE))
        .then(whole.cast(pl.Int64))
        .otherwise(None)
    )


def _from_text() -> pl.Expr:
    """Whole öre of Swedish text with a decimal comma and space-grouped thousands
    ("-12 345,50"), exact by construction; null for anything else."""
    text = pl.col(AMOUNT_TEXT)
    comma = text.str.find(",", literal=True)
    decimals = (text.str.len_chars() - comma - 1).fill_null(0)
    scale = pl.when(decimals == 0).then(100).when(decimals == 1).then(10).otherwise(1)
    digits = text.str.replace(",", "", literal=True).cast(pl.Int64, strict=False)
    return pl.when(text.str.contains(SWEDISH_AMOUNT)).then(digits * scale).otherwise(None)


def _cents() -> pl.Expr:
    """An amount in whole öre, or null where the row sorter must read it.

    Two shapes are read here (`_from_number`, `_from_text`); anything else
    is left to the sorter.
    """
    return pl.coalesce(pl.col("__number"), pl.col("__text"))


def _iso_day(column: pl.Expr) -> pl.Expr:
    """An ISO date (as fastexcel writes a date cell, or typed as text), else null."""
    day = column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    # Year 0 parses here but is no date in Python: the sorter refuses it.
    return pl.when(column.str.contains(PLAIN_DATE) & (day.dt.year() >= 1)).then(day).otherwise(None)


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
    text = python_strip(period)
    year = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = text.str.slice(4, 2).cast(pl.Int8, strict=False)
    plain_period = text.str.contains(r"^\d{6}$") & month.is_between(1, 12) & (year >= 1900)
    end = pl.date(year, month, 1).dt.month_end()
    no_date = pl.lit(True) if date is None else python_strip(date).fill_null("").eq("")
    in_period = (day.dt.year() == year) & (day.dt.month() == month)
    return (
        pl.when(plain_period & no_date)
        .then(end)
        .when(plain_period & in_period.fill_null(False))
        .then(day)
        .otherwise(None)
    )


def _exact_cents(amount: pl.Expr) -> pl.Expr:
    """The öre of a programme row, only where the sorter would read the very same amount.

    A number is taken only as the cell gives it, without spaces (the sorter
    converts a cell that is a number as it stands, and reads anything else as
    text, which refuses more than two decimals); a Swedish text zero is taken
    only without its minus sign, which the sorter would keep ("-0.00").
    """
    number = pl.when(amount.str.contains(PLAIN_AMOUNT)).then(pl.col("__number"))
    cents = pl.coalesce(number, pl.col("__text"))
    negative_zero = (cents == 0) & pl.col(AMOUNT_TEXT).str.starts_with("-")
    return pl.when(negative_zero).then(None).otherwise(cents)


def needs_error_cells(frame: pl.DataFrame, fields: dict[str, int]) -> bool:
    """Whether any row may ask for the sheet's error cells: one with an empty amount, date or period.

    Error cells are read as empty, and only a row with an empty cell in one
    of those columns looks them up (`Screened.other_rows`, and a programme
    row's date under a period); a sheet without such a row never does.
    """
    typed = [f"__UNNAMED__{fields[f]}" for f in ("amount", "date", "period") if f in fields]
    present = [column for column in typed if column in frame.columns]
    return bool(present) and bool(
        frame.select(pl.any_horizontal(pl.col(present).is_null().any())).item()
    )


def screen(
    frame: pl.DataFrame,
    fields: dict[str, int],
    mapping: Mapping,
    width: int,
    errors: Callable[[], dict[tuple[int, int], str]] | None = None,
) -> Screened:
    """Split an export's rows below its header into plain rows, the programme's and the rest.

    `errors` gives the frame's error cells when a row needs them (`Screened.other_rows`).
    """
    frame = frame.select(frame.columns[:width])
    typed = tuple(fields[f] for f in ("amount", "date", "period") if f in fields)
    account = _column(fields, "account")
    amount = _column(fields, "amount")
    readable = python_strip(account).fill_null("").ne("") & pl.col(DAY).is_not_null()  # type: ignore[arg-type]
    programme = _marked(_column(fields, "project"), mapping.projects) | _marked(
        _column(fields, "activity"), mapping.activities
    )
    exact = _exact_cents(amount)  # type: ignore[arg-type]
    marked = (
        frame.lazy()
        .with_columns(
            _amount_text(amount),  # type: ignore[arg-type]
            _booking_day(fields).alias(DAY),
            programme.alias("__ours"),
        )
        .with_columns(_from_number().alias("__number"), _from_text().alias("__text"))
        .with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).alias(INDEX),
            (readable & _cents().is_not_null() & ~pl.col("__ours"))
            .fill_null(False)
            .alias("__plain"),
            (readable & exact.is_not_null() & pl.col("__ours"))
            .fill_null(False)
            .alias("__programme"),
            pl.when("__ours").then(exact).otherwise(_cents()).alias(CENTS),
        )
        .collect()
    )
    marked = _unless_error_cells(marked, fields, errors)
    counted = pl.col("__plain") | pl.col("__programme")
    summed = pl.when(counted).then(CENTS).otherwise(0)
    marked = marked.with_columns((summed.cum_sum() - summed).alias(BEFORE))
    plain_rows, last = marked.select(
        pl.col("__plain").sum(), pl.col(DAY).filter(counted).max()
    ).row(0)
    others = marked.filter(~counted).select(INDEX, BEFORE, *frame.columns)
    ours = marked.lazy().filter(pl.col("__programme")).select(INDEX, CENTS, DAY, *frame.columns)
    return Screened(plain_rows, last, others, typed, width, ours, errors)


def _unless_error_cells(
    marked: pl.DataFrame,
    fields: dict[str, int],
    errors: Callable[[], dict[tuple[int, int], str]] | None,
) -> pl.DataFrame:
    """The programme's rows with an empty date cell under a period go to the sorter if it is an error.

    Such a row is booked on its period's last day, unless the cell is an
    error value (`#REF!`), which the reader leaves empty and the sorter
    refuses; the error cells are worked out only if such a row exists.
    """
    date = fields.get("date")
    if errors is None or date is None or "period" not in fields:
        return marked
    empty = pl.col("__programme") & pl.col(f"__UNNAMED__{date}").is_null()
    if not marked.select(empty.any()).item():
        return marked
    broken = sorted({row for row, column in errors() if column == date})
    return marked.with_columns(
        (pl.col("__programme") & ~pl.col(INDEX).is_in(broken)).alias("__programme")
    )
