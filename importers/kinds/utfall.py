"""The finance-system export ("utfall", one row per booked line): reading its rows.

`parse_export` walks the data sheet below its header once, in a tight loop,
and sorts every row into one of: not a data row (blank; a title, which has
neither account nor amount; a repeated header; a sum row), rejected (with column and reason), not the programme
(counted and left out), or a programme row (`CostRow`). Every data row has its
date or period and its amount parsed, whether it is the programme's or not.
Sum rows ("Summa", "Totalt", "Total") are checked against the rows they sum:
those since the previous sum row, or all rows above.

A big export read as text is screened column-wise first
(`ctc.importers.reading.screen`): the plain rows of other activities are only
counted and summed, and the plain rows of the programme are read column-wise
here (`_screened_programme`) by the same rules the sorter applies to one row.
Whichever way a programme row was read, the programme's rows end up in one
table (`ProgrammeRows`), in file order, where their identities are given.

Turning programme rows into entries is `ctc.importers.booking.utfall`'s job.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ctc import progress
from ctc.importers.reading.cells import (
    CellError,
    is_blank,
    parse_amount,
    parse_code,
    parse_date,
    parse_period,
    parse_text,
    period_end,
)
from ctc.importers.reading.identity import row_ids
from ctc.importers.reading.layout import Column, Kind, Located, normalise
from ctc.importers.reading.rejection import Rejection
from ctc.mapping import Mapping
from ctc.numbers import format_number

if TYPE_CHECKING:
    import polars as pl

    from ctc.importers.reading.screen import Screened

UTFALL = Kind(
    name="utfall",
    label="Utfallsexporten",
    columns=(
        Column(
            "date",
            (
                "Datum",
                "Bokföringsdatum",
                "Ver.datum",
                "Verifikationsdatum",
                "Date",
                "Transaktionsdatum",
                "Bokf.datum",
                "Posting date",
            ),
        ),
        Column("period", ("Period", "Bokföringsperiod", "Accounting period")),
        Column("account", ("Konto", "Account", "Kontonr", "Kontonummer", "Account no")),
        Column(
            "responsibility",
            ("Ansvar", "Resp", "Responsibility", "Kostnadsställe", "Ansvarskod", "Cost centre"),
        ),
        Column("project", ("Projekt", "Project", "Projektkod")),
        Column("activity", ("Aktivitet", "Verksamhet", "Activity")),
        Column(
            "counterparty",
            ("Motpart", "Motpartsansvar", "Motp", "Intern motpart", "Counterparty", "Counterpart"),
        ),
        Column("amount", ("Belopp", "Utfall", "Amount", "Belopp SEK", "Belopp kr")),
        Column("text", ("Text", "Beskrivning", "Description", "Verifikationstext")),
        Column(
            "voucher",
            ("Ver.nr", "Verifikation", "Verifikationsnummer", "TransNo", "Voucher", "Voucher no"),
        ),
    ),
    required=(("date", "period"), ("account",), ("responsibility",), ("amount",)),
)

SUM_WORDS = ("summa", "totalt", "total")
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class CostRow:
    """One programme row of an export, read exactly."""

    row: int
    date: datetime.date
    """The booking date: the row's date, or the last day of its period."""
    period: str | None
    """The period as written (YYYYMM, 13 for the closing period), when the export has one."""
    voucher_date: datetime.date | None
    """The row's own date when the period decided another booking date."""
    account: str
    responsibility: str
    project: str
    activity: str
    counterparty: str
    """`Motpart` as written: the other unit's responsibility code or an E/I flag (the mapping says which)."""
    amount: Decimal
    """The amount as booked: a cost is positive, an income (a credit) negative."""
    text: str
    voucher: str
    row_id: str


FIELDS = (
    "row",
    "date",
    "period",
    "voucher_date",
    "account",
    "responsibility",
    "project",
    "activity",
    "counterparty",
    "cents",
    "amount",
    "text",
    "voucher",
)
"""The columns of `ProgrammeRows.frame` (and `row_id`): a `CostRow`'s fields, the amount
twice: in whole öre (`cents`) and as its exact `Decimal` text (`amount`)."""


def _schema() -> dict[str, pl.DataType]:
    import polars as pl

    text = pl.String()
    day = pl.Date()
    whole = pl.Int64()
    types = (whole, day, text, day, text, text, text, text, text, whole, text, text, text)
    return dict(zip(FIELDS, types, strict=True))


@dataclass(frozen=True, slots=True)
class ProgrammeRows:
    """The programme's rows of an export, column-wise, in file order, with their identities.

    A city's export may hold hundreds of thousands of them; as a table they
    cost a few bytes a cell instead of a Python object a row. Iterating gives
    `CostRow`s (tests, small files).
    """

    frame: pl.DataFrame
    """One row per programme row: `FIELDS` and `row_id`."""

    def __len__(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[CostRow]:
        for values in self.frame.select(*FIELDS, "row_id").iter_rows():
            yield _cost_row(values)

    def __getitem__(self, index: int) -> CostRow:
        return _cost_row(self.frame.select(*FIELDS, "row_id").row(index))

    @property
    def total(self) -> Decimal:
        """The sum of every programme row's amount, exactly."""
        return cents_total(self.frame)


def cents_total(frame: pl.DataFrame) -> Decimal:
    """The exact sum of a frame's `cents` column (whole öre), in kronor."""
    return Decimal(int(frame["cents"].sum())).scaleb(-2)


def _cost_row(values: tuple) -> CostRow:
    """A row of `ProgrammeRows.frame` (`FIELDS` and `row_id`) as a `CostRow`."""
    row, day, period, voucher_date, *codes, _, amount, text, voucher, row_id = values
    account, responsibility, project, activity, counterparty = codes
    return CostRow(
        row,
        day,
        period,
        voucher_date,
        account,
        responsibility,
        project,
        activity,
        counterparty,
        Decimal(amount),
        text,
        voucher,
        row_id,
    )


def programme_rows(rows: list[tuple], columns: pl.DataFrame | None, dated: bool) -> ProgrammeRows:
    """The sorter's programme rows (`FIELDS` tuples) and those read column-wise, as one table.

    Rows are put in file order before identities are given, so the n-th of
    identical rows is the n-th in the file, whichever way each was read.
    `dated`: the export has a date column (its identity then holds the row's date).
    """
    import polars as pl

    frame = pl.DataFrame(rows, schema=_schema(), orient="row")
    if columns is not None and columns.height:
        frame = pl.concat([frame, columns]).sort("row") if rows else columns
    day = pl.coalesce("voucher_date", "date").dt.strftime("%Y-%m-%d") if dated else pl.lit("")
    identity = [
        day,
        pl.col("period").fill_null(""),
        *map(pl.col, (*FIELDS[4:9], "amount", "voucher", "text")),
    ]
    return ProgrammeRows(frame.with_columns(row_ids(frame, identity)))


@dataclass(frozen=True, slots=True)
class ParsedExport:
    """All rows of an export's data sheet, sorted."""

    sheet: str
    rows: int
    programme: ProgrammeRows
    not_programme: int
    rejected: tuple[Rejection, ...]
    notes: tuple[str, ...]
    last_date: datetime.date | None
    """The latest booking date of any data row (the file's archive date)."""


def _is_sum_label(cells: list) -> bool:
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            return normalise(cell).startswith(SUM_WORDS)
    return False


class _SumCheck:
    """Checks sum rows against the data rows above them.

    The loop keeps one running total of every data row; a sum row must equal
    that total, or the part of it since the previous sum row.
    """

    __slots__ = ("broken", "checked", "mark")

    def __init__(self) -> None:
        self.mark = Decimal(0)
        self.broken = False
        self.checked = 0

    def check(self, stated: Decimal, total: Decimal) -> str | None:
        """None if `stated` sums the block above or everything above; else the reason."""
        block, self.mark = total - self.mark, total
        if self.broken or stated in (block, total):
            self.checked += 1
            return None
        return (
            f"summaraden säger {format_number(stated, 2)} men raderna ovanför summerar till "
            f"{format_number(total, 2)}"
            + (f" (sedan förra summaraden {format_number(block, 2)})" if block != total else "")
        )


def parse_export(located: Located, mapping: Mapping) -> ParsedExport:
    """Sort every row of an export's data sheet; see the module docstring.

    A big export read as text is screened column-wise first: the plain rows
    of other activities are only counted and summed there, the plain rows of
    the programme are read column-wise, and every other row comes here, in
    order, with the sum of the rows before it that the screen kept.
    """
    sorter = _RowSorter(located, mapping)
    if located.frame is None:
        number = located.header.row
        for cells in located.rows:
            number += 1
            sorter.sort(number, cells)
        return sorter.result()
    from ctc.importers.reading.screen import needs_error_cells, screen

    if located.cell_errors is not None and not needs_error_cells(
        located.frame, located.header.fields
    ):
        located.cell_errors.release()  # no row can ask for them
    screened = screen(
        located.frame, located.header.fields, mapping, sorter.width, located.cell_errors
    )
    first = located.header.row + 1
    done = progress.Counter()
    progress.phase("Kontrollerar rader", screened.others.height, done)
    for index, before, cells in screened.other_rows():
        sorter.sort(first + index, cells, before)
        done.value += 1
    if located.cell_errors is not None:
        located.cell_errors.release()  # nothing asks for error cells any more
    sorter.add_plain(screened.plain_rows, screened.plain_last_date)
    return sorter.result(_screened_programme(screened, located.header.fields, first))


def _screened_programme(screened: Screened, fields: dict[str, int], first: int) -> pl.DataFrame:
    """The programme rows the screen kept, read as the sorter reads one row (`_RowSorter.sort`).

    Codes are stripped (`parse_code`), the text has its runs of whitespace
    made single spaces (`parse_text`), the period is the six digits the
    screen accepted, and the booking date never moves a row's own date aside
    (the screen sends such rows to the sorter).
    """
    import polars as pl

    from ctc.importers.reading.screen import CENTS, DAY, INDEX, python_strip, python_words

    def cell(field: str) -> pl.Expr | None:
        return pl.col(f"__UNNAMED__{fields[field]}") if field in fields else None

    def code(field: str) -> pl.Expr:
        found = cell(field)
        return pl.lit("") if found is None else python_strip(found).fill_null("")

    text = cell("text")
    period = cell("period")
    return screened.programme.select(
        (pl.col(INDEX) + first).alias("row"),
        pl.col(DAY).alias("date"),
        (pl.lit(None, pl.String) if period is None else python_strip(period)).alias("period"),
        pl.lit(None, pl.Date).alias("voucher_date"),
        *(code(f).alias(f) for f in FIELDS[4:9]),
        pl.col(CENTS).alias("cents"),
        cents_text(pl.col(CENTS)).alias("amount"),
        (pl.lit("") if text is None else python_words(text).fill_null("")).alias("text"),
        code("voucher").alias("voucher"),
    ).collect()


def cents_text(cents: pl.Expr) -> pl.Expr:
    """Whole öre as `str` of their `Decimal` in kronor: 12345 -> "123.45", -5 -> "-0.05"."""
    import polars as pl

    whole = cents.abs()
    return pl.concat_str(
        pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (whole // 100).cast(pl.String),
        pl.lit("."),
        (whole % 100).cast(pl.String).str.zfill(2),
    )


class _RowSorter:
    """Sorts an export's rows one at a time; holds the counts and totals so far."""

    def __init__(self, located: Located, mapping: Mapping) -> None:
        fields = located.header.fields
        self.located = located
        self.i_date = fields.get("date")
        self.i_period = fields.get("period")
        self.i_account = fields["account"]
        self.i_resp = fields["responsibility"]
        self.i_amount = fields["amount"]
        self.i_project = fields.get("project")
        self.i_activity = fields.get("activity")
        self.i_counter = fields.get("counterparty")
        self.i_text = fields.get("text")
        self.i_voucher = fields.get("voucher")
        self.width = max(fields.values()) + 1
        self.amount_words = frozenset(normalise(w) for w in located.kind.column("amount").words)
        self.projects, self.activities = mapping.projects, mapping.activities
        self.fast_dates = self.i_period is None and self.i_date is not None
        self.rejected: list[Rejection] = list(located.rejected)
        self.programme: list[tuple] = []
        """The programme's rows sorted here, as `FIELDS` tuples."""
        self.sums = _SumCheck()
        self.data_rows = self.not_programme = 0
        self.last_date: datetime.date | None = None
        self.running = Decimal(0)
        """The total of the data rows sorted here."""

    def reject(self, number: int, field: str, reason: str) -> None:
        """Record a rejected cell."""
        self.rejected.append(
            Rejection(self.located.sheet, number, self.located.header.letter(field), reason)
        )

    def sort(self, number: int, cells: list, plain_before: Decimal = ZERO) -> None:
        """Sort one row: skip it, check it as a sum row, reject it, count it or keep it.

        `plain_before` is the total of the rows above this one that the
        column-wise screen counted instead of sending here.
        """
        blank = ""
        if len(cells) < self.width:
            cells = [*cells, *([blank] * (self.width - len(cells)))]
        cell = cells[self.i_amount]
        account_cell = cells[self.i_account]
        if (cell == blank or is_blank(cell)) and is_blank(account_cell):
            return  # blank, or a title: no account and no amount, so no booking
        if (account_cell == blank or is_blank(account_cell)) and _is_sum_label(cells):
            self._check_sum(number, cell, self.running + plain_before)
            return
        if cell.__class__ is str and cell[:1].isalpha() and normalise(cell) in self.amount_words:
            return  # the header repeated (an export printed page by page)
        self.data_rows += 1
        day = cells[self.i_date] if self.fast_dates and self.i_date is not None else None
        if day.__class__ is datetime.date:
            period = voucher_date = None
        else:
            try:
                day, period, voucher_date = _when(cells, self.i_date, self.i_period)
            except _WhenError as problem:
                self.reject(number, problem.field, str(problem))
                self.sums.broken = True
                return
        try:
            amount = parse_amount(cell)
        except CellError as error:
            self.reject(number, "amount", str(error))
            self.sums.broken = True
            return
        self.running += amount
        if self.last_date is None or day > self.last_date:
            self.last_date = day
        project = _code(cells[self.i_project]) if self.i_project is not None else blank
        activity = _code(cells[self.i_activity]) if self.i_activity is not None else blank
        if project not in self.projects and activity not in self.activities:
            self.not_programme += 1
            return
        self.programme.append(
            self._fields(number, cells, (day, period, voucher_date), amount, project, activity)
        )

    def _check_sum(self, number: int, cell: object, above: Decimal) -> None:
        if is_blank(cell):
            return
        try:
            problem = self.sums.check(parse_amount(cell), above)
        except CellError as error:
            problem = f"summaradens belopp: {error}"
        if problem:
            self.reject(number, "amount", problem)

    def _fields(
        self,
        number: int,
        cells: list,
        when: tuple[datetime.date, str | None, datetime.date | None],
        amount: Decimal,
        project: str,
        activity: str,
    ) -> tuple:
        """A programme row's `FIELDS`."""
        blank = ""
        day, period, voucher_date = when
        account = parse_code(cells[self.i_account])
        responsibility = parse_code(cells[self.i_resp])
        counterparty = parse_code(cells[self.i_counter]) if self.i_counter is not None else blank
        text = parse_text(cells[self.i_text]) if self.i_text is not None else blank
        voucher = parse_code(cells[self.i_voucher]) if self.i_voucher is not None else blank
        cents = int(amount.scaleb(2))
        return (
            number,
            day,
            period,
            voucher_date,
            account,
            responsibility,
            project,
            activity,
            counterparty,
            cents,
            str(amount),
            text,
            voucher,
        )

    def add_plain(self, rows: int, last_date: datetime.date | None) -> None:
        """Count the plain rows of other activities the column-wise screen kept."""
        self.data_rows += rows
        self.not_programme += rows
        if last_date is not None and (self.last_date is None or last_date > self.last_date):
            self.last_date = last_date

    def result(self, columns: pl.DataFrame | None = None) -> ParsedExport:
        """Everything sorted so far, with the programme rows read column-wise (`columns`)."""
        if columns is not None and columns.height:
            self.data_rows += columns.height
            last = columns["date"].max()
            if self.last_date is None or last > self.last_date:  # type: ignore[operator]
                self.last_date = last  # type: ignore[assignment]
        checked = self.sums.checked
        notes = (f"{checked} summarad(er) stämmer med raderna ovanför.",) if checked else ()
        notes = (*self.located.notes, *notes)
        return ParsedExport(
            self.located.sheet,
            self.data_rows,
            programme_rows(self.programme, columns, self.i_date is not None),
            self.not_programme,
            tuple(self.rejected),
            notes,
            self.last_date,
        )


def _code(value: object) -> str:
    """A code cell; text (the usual case) is only stripped."""
    return value.strip() if value.__class__ is str else parse_code(value)


class _WhenError(ValueError):
    """A date or period problem, with the field whose column it is in."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _when(
    cells: list, i_date: int | None, i_period: int | None
) -> tuple[datetime.date, str | None, datetime.date | None]:
    """(booking date, period as written, the row's own date if the period moved it).

    A period decides the fiscal year and month; the row's date is kept when it
    falls elsewhere (period 13 belongs to December). A row with only a period is
    dated the last day of the period.
    """
    day = None
    if i_date is not None and not is_blank(cells[i_date]):
        try:
            day = parse_date(cells[i_date])
        except CellError as error:
            raise _WhenError("date", str(error)) from None
    if i_period is None or is_blank(cells[i_period]):
        if day is None:
            raise _WhenError("date" if i_date is not None else "period", "datum och period saknas")
        return day, None, None
    try:
        year, month = parse_period(cells[i_period])
    except CellError as error:
        raise _WhenError("period", str(error)) from None
    period = f"{year}{month:02d}"
    if day is not None and month <= 12 and (day.year, day.month) == (year, month):
        return day, period, None
    return period_end(year, month), period, day
