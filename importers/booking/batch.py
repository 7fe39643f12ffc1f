"""An export's booked programme rows, column-wise: the entries an import adds, as one table.

A city's export may hand the importer hundreds of thousands of programme
rows. As Beancount entries they would cost a Python object each (tens of
microseconds and a kilobyte or more), though a dry run needs only their
identities, amounts and accounts, and a real run only their text. So the
cost importer (`ctc.importers.booking.utfall`) hands on a `CostBatch`: one
row per entry, with everything the entry holds. It is deduplicated,
summed, checked and written column-wise, and its entries are built only
where something needs them as objects (`entries`, `representatives`).

Every entry of a batch has one shape: a transaction with flag `*`, no payee,
tags or links, the row's provenance and codes as metadata, and two postings
in SEK: the committee's cost (or income) account and the municipality's
settlement account, the second the negative of the first. `entry` builds
that entry, and `texts` renders the same entries byte for byte as the one
printer (`ctc.writer.render_entries`) would; `tests/test_import_fast.py`
compares both with the printer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data
from beancount.core.amount import Amount

from ctc.importers.kinds.utfall import cents_total
from ctc.importers.reading.identity import SourceFile

if TYPE_CHECKING:
    import polars as pl

SEK = "SEK"
META = (
    ("voucher", "voucher"),
    ("account_code", "account"),
    ("responsibility", "responsibility"),
    ("project", "project"),
    ("activity", "activity"),
    ("counterparty", "counterparty"),
    ("area", "area"),
    ("period", "period"),
    ("voucher_date", "voucher_date"),
)
"""(metadata key, column) of the codes an entry carries when they are not empty, in order."""
COLUMNS = (
    "row",
    "date",
    "row_id",
    "cents",
    "amount",
    "target",
    "narration",
    *(column for _, column in META),
)
"""A batch's columns: `amount` is the exact `Decimal` text, `cents` the same in whole öre."""


@dataclass(frozen=True, slots=True)
class CostBatch:
    """Booked programme rows of one file, one entry each; see the module docstring."""

    frame: pl.DataFrame
    """`COLUMNS`, one row per entry, in file order."""
    counter: str
    """The settlement account every entry's second posting books on."""
    source: SourceFile

    def __len__(self) -> int:
        return self.frame.height

    @property
    def total(self) -> Decimal:
        """What the entries add up to (their first postings), exactly."""
        if not self.frame.height:
            return Decimal(0)
        return cents_total(self.frame)

    def row_ids(self) -> list[str]:
        """Every entry's row identity, in order."""
        return self.frame["row_id"].to_list()

    def without(self, known: set[str]) -> tuple[CostBatch, int]:
        """The entries whose identity is not in `known`, and how many were."""
        import polars as pl

        if not known or not self.frame.height:
            return self, 0
        ids = pl.Series(list(known), dtype=pl.String).implode()
        seen = self.frame.select(pl.col("row_id").is_in(ids)).to_series()
        repeated = int(seen.sum())
        if not repeated:  # the usual case: keep the table as it is, no copy
            return self, 0
        kept = self.frame.filter(~seen)
        return CostBatch(kept, self.counter, self.source), repeated

    def accounts(self) -> frozenset[str]:
        """Every account the entries post to."""
        if not self.frame.height:
            return frozenset()
        return frozenset({*self.frame["target"].unique().to_list(), self.counter})

    def accounts_in_order(self) -> list[str]:
        """Every account the entries post to, in the order they first appear, entry by entry."""
        if not self.frame.height:
            return []
        targets = self.frame["target"].unique(maintain_order=True).to_list()
        return list(dict.fromkeys([targets[0], self.counter, *targets]))

    def years(self) -> list[int]:
        """The years the entries are dated in, in the order they first appear."""
        return self.frame["date"].dt.year().unique(maintain_order=True).to_list()

    def entries(self, rows: pl.DataFrame | None = None) -> list[data.Transaction]:
        """The entries of `rows` (default: all), built as Beancount entries."""
        rows = self.frame if rows is None else rows
        return [self.entry(values) for values in rows.select(COLUMNS).iter_rows(named=True)]

    def entry(self, values: dict[str, Any]) -> data.Transaction:
        """One row's entry (the shape in the module docstring)."""
        meta = self.source.meta(values["row"], values["row_id"])
        for key, column in META:
            value = values[column]
            if value:
                meta[key] = value
        amount = Decimal(values["amount"])
        postings = [
            data.Posting(values["target"], Amount(amount, SEK), None, None, None, None),
            data.Posting(self.counter, Amount(-amount, SEK), None, None, None, None),
        ]
        return data.Transaction(
            meta, values["date"], "*", None, values["narration"], frozenset(), frozenset(), postings
        )

    def in_years(self, years: Iterable[int]) -> list[data.Transaction]:
        """The entries dated in any of `years`."""
        import polars as pl

        wanted = sorted(set(years))
        if not wanted or not self.frame.height:
            return []
        return self.entries(self.frame.filter(pl.col("date").dt.year().is_in(wanted)))

    def first_of_years(self) -> list[data.Transaction]:
        """One entry per year, in the order the years first appear (where each is written)."""
        import polars as pl

        year = pl.col("date").dt.year()
        return self.entries(self.frame.filter(pl.int_range(pl.len()).over(year) == 0))

    def representatives(self) -> list[data.Transaction]:
        """For each target account and year, its earliest and latest entry (by date, then row).

        The entries the in-memory check runs over in place of all
        (`ctc.would_be`): per account they span every date the batch books
        on, and every year it books in has an entry on each of its accounts.
        """
        import polars as pl

        row = pl.col("row")
        order = row.sort_by("date", "row")
        ends = (
            self.frame.lazy()
            .select("target", pl.col("date").dt.year().alias("year"), "date", "row")
            .group_by("target", "year")
            .agg(order.first().alias("first"), order.last().alias("last"))
            .collect()
        )
        rows = pl.concat([ends["first"], ends["last"]]).unique().implode()
        return self.entries(self.frame.filter(row.is_in(rows)))

    def texts(self) -> dict[int, str]:
        """Year -> the entries of that year as ledger text, exactly as `render_entries` gives them."""
        import polars as pl

        if not self.frame.height:
            return {}
        blocks = self.frame.select(
            pl.col("date").dt.year().alias("year"), _block(self.frame, self.counter, self.source)
        )
        joined = blocks.group_by("year", maintain_order=True).agg(pl.col("block").str.join("\n"))
        return dict(zip(joined["year"].to_list(), joined["block"].to_list(), strict=True))


def _quoted(value: pl.Expr) -> pl.Expr:
    """A string as the printer writes it: in double quotes, backslashes and quotes escaped."""
    import polars as pl

    escaped = value.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
    return pl.concat_str(pl.lit('"'), escaped, pl.lit('"'))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _meta_line(key: str, column: str, frame: pl.DataFrame) -> pl.Expr:
    """`  key: value` and a newline where the row has a value, else nothing."""
    import polars as pl

    value = pl.col(column)
    if frame.schema[column] == pl.Date:
        shown = value.dt.strftime("%Y-%m-%d")
        present = value.is_not_null()
    else:
        shown = _quoted(value)
        present = value.fill_null("") != ""
    line = pl.concat_str(pl.lit(f"  {key}: "), shown, pl.lit("\n"))
    return pl.when(present).then(line).otherwise(pl.lit(""))


def _block(frame: pl.DataFrame, counter: str, source: SourceFile) -> pl.Expr:
    """Each row's entry as `printer.format_entry` writes it (see `EntryPrinter.Transaction`).

    The first line, the metadata in the entry's order (`SourceFile.meta`,
    then `META`), then the two postings: accounts padded to the longer one,
    amounts right-aligned so that their currencies line up.
    """
    import polars as pl

    fixed = f'  source_file: "{_escape(source.name)}"\n'
    if source.sheet is not None:
        fixed += f'  source_sheet: "{_escape(source.sheet)}"\n'
    amount = pl.col("amount")
    negated = (
        pl.when(pl.col("cents") == 0)
        .then(pl.lit("0.00"))
        .when(amount.str.starts_with("-"))
        .then(amount.str.slice(1))
        .otherwise(pl.concat_str(pl.lit("-"), amount))
    )
    width = pl.max_horizontal(pl.col("target").str.len_chars(), pl.lit(len(counter)))
    before = pl.max_horizontal(amount.str.len_chars(), negated.str.len_chars()) + 1
    narration = pl.col("narration")
    first_line = pl.concat_str(
        pl.col("date").dt.strftime("%Y-%m-%d"),
        pl.lit(" * "),
        pl.when(narration != "").then(_quoted(narration)).otherwise(pl.lit("")),
        pl.lit("\n"),
    )
    return pl.concat_str(
        first_line,
        pl.lit(fixed),
        pl.lit("  source_row: "),
        pl.col("row").cast(pl.String),
        pl.lit(f'\n  source_sha256: "{_escape(source.sha256)}"\n  row_id: '),
        _quoted(pl.col("row_id")),
        pl.lit("\n"),
        *(_meta_line(key, column, frame) for key, column in META),
        pl.lit("  "),
        pl.col("target").str.pad_end(width),
        pl.lit("  "),
        pl.concat_str(amount, pl.lit(" ")).str.pad_start(before),
        pl.lit(f"{SEK}\n  "),
        pl.lit(counter).str.pad_end(width),
        pl.lit("  "),
        pl.concat_str(negated, pl.lit(" ")).str.pad_start(before),
        pl.lit(f"{SEK}\n"),
    ).alias("block")
