"""Booking the finance-system export: programme rows -> entries, the one place for granularity.

Today every source row becomes one transaction: the committee's cost account
(from the responsibility code) and kind of cost (from the account range) --
or, for an income account, its income account, the amount kept as the export
has it (a credit is negative) -- against the municipality's settlement account, carrying the row's codes and
its provenance (file, sheet, row, SHA-256, row identity). If a later
measurement calls for one entry per voucher or a monthly summary, only this
module changes; every other step works on row identities.

The rows are booked column-wise: the mapping is asked once per distinct
code, and the entries stay a table (`ctc.importers.booking.batch.CostBatch`)
that is built into Beancount entries only where something needs them.

A programme row whose responsibility code or account the mapping does not
know is rejected, never guessed. `CostImporter` is the export's importer:
it reads the rows (`ctc.importers.kinds.utfall`) and books them here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from beancount.core import data

from ctc.accounts import cost_account, cost_counter_account
from ctc.errors import UserError
from ctc.importers.booking.batch import CostBatch
from ctc.importers.booking.extraction import Extraction, Totals
from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.kinds.utfall import UTFALL, ProgrammeRows, parse_export
from ctc.importers.reading.identity import SourceFile
from ctc.importers.reading.layout import Header, Located
from ctc.importers.reading.rejection import Rejection
from ctc.mapping import Mapping

if TYPE_CHECKING:
    import polars as pl

KIND_TEXT = {
    "salary": "Lön",
    "po": "Personalomkostnader",
    "other": "Övrigt",
    "survey": "Enkät",
    "training": "Utbildning",
    "licence": "Licenser",
    "programmes": "Insatser och program",
    "internal_purchase": "Interna köp",
    "income": "Intäkter",
    "internal_income": "Interna intäkter",
}
"""The text of a personnel entry when the mapping names no account."""


def _answers(values: pl.Series, answer: Callable[[str], str | None]) -> dict[str, str | None]:
    """The mapping's answer for each distinct code of a column."""
    return {code: answer(code) for code in values.unique().to_list()}


def _looked_up(frame: pl.DataFrame, mapping: Mapping) -> pl.LazyFrame:
    """The rows with their committee, kind of cost and area, each asked once per code."""
    import polars as pl

    def lookup(column: str, answers: dict[str, str | None], name: str) -> pl.Expr:
        return (
            pl.col(column).replace_strict(answers, default=None, return_dtype=pl.String).alias(name)
        )

    responsibility = frame["responsibility"]
    return frame.lazy().with_columns(
        lookup("responsibility", _answers(responsibility, mapping.committee_of), "committee"),
        lookup("account", _answers(frame["account"], mapping.kind_of), "kind"),
        lookup("responsibility", _answers(responsibility, mapping.area_of), "area"),
    )


def _unmapped(frame: pl.DataFrame, sheet: str, header: Header) -> list[Rejection]:
    """A rejection for each code of a programme row the mapping does not know."""
    rejected = []
    for row, responsibility, account, committee, kind in frame.iter_rows():
        if committee is None:
            rejected.append(
                Rejection(
                    sheet,
                    row,
                    header.letter("responsibility"),
                    f"ansvarskoden {responsibility or '(tom)'} hör inte till någon nämnd "
                    "i mappningen (programrad)",
                )
            )
        if kind is None:
            rejected.append(
                Rejection(
                    sheet,
                    row,
                    header.letter("account"),
                    f"kontot {account or '(tomt)'} har ingen kostnads- eller intäktstyp i "
                    "mappningen (programrad)",
                )
            )
    return rejected


def _totals(sums: pl.DataFrame) -> Totals:
    """The booked rows' totals per year and committee (`year`, `committee`, `cents`)."""
    totals = Totals()
    for year, committee, cents in sums.iter_rows():
        totals.add(year, committee, Decimal(cents).scaleb(-2))
    return totals


def _narrations(pairs: pl.DataFrame, frame: pl.DataFrame, mapping: Mapping) -> pl.Expr:
    """The row's own text, or for personnel costs (and empty texts) the account's name."""
    import polars as pl

    kinds = pairs["kind"].unique().to_list()
    names = {
        f"{account}\x1f{kind}": mapping.account_names.get(account)
        or f"{KIND_TEXT[kind]} (konto {account})"
        for account in frame["account"].unique().to_list()
        for kind in kinds
    }
    hidden = sorted(mapping.personnel) if not mapping.copy_personnel_text else []
    name = pl.concat_str("account", pl.lit("\x1f"), "kind").replace_strict(
        names, return_dtype=pl.String
    )
    own = (pl.col("text") != "") & ~pl.col("kind").is_in(hidden)
    return pl.when(own).then(pl.col("text")).otherwise(name).alias("narration")


def cost_items(
    programme: ProgrammeRows, mapping: Mapping, source: SourceFile, header: Header
) -> tuple[CostBatch, Totals, list[Rejection]]:
    """Entries for programme rows, their control totals, and the rows the mapping cannot place."""
    import polars as pl

    from ctc.importers.booking.batch import COLUMNS

    rows = _looked_up(programme.frame, mapping)
    known = pl.col("committee").is_not_null() & pl.col("kind").is_not_null()
    pairs, unknown, sums = pl.collect_all(
        [
            rows.filter(known).select("committee", "kind").unique(maintain_order=True),
            rows.filter(~known).select("row", "responsibility", "account", "committee", "kind"),
            rows.filter(known)
            .group_by(pl.col("date").dt.year().alias("year"), "committee")
            .agg(pl.col("cents").sum()),
        ]
    )
    targets = {
        f"{committee}\x1f{kind}": cost_account(
            mapping.municipality, committee, mapping.programme, kind
        )
        for committee, kind in pairs.iter_rows()
    }
    booked = rows.filter(known) if unknown.height else rows
    batch = (
        booked.with_columns(
            pl.concat_str("committee", pl.lit("\x1f"), "kind")
            .replace_strict(targets, return_dtype=pl.String)
            .alias("target"),
            _narrations(pairs, programme.frame, mapping),
        )
        .select(COLUMNS)
        .collect()
    )
    counter = cost_counter_account(mapping.municipality)
    rejected = _unmapped(unknown, source.sheet or "", header)
    return CostBatch(batch, counter, source), _totals(sums), rejected


class CostImporter(WorkbookImporter):
    """Booked rows of a finance system (Raindance, Unit4/Agresso, Visma) -> cost entries."""

    kind = UTFALL

    def archive_account(self) -> str:
        """Exports are archived under the settlement account every booked cost is credited to."""
        return cost_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Parse the export, then book its programme rows through the mapping."""
        self._check_marks(path, located)
        parsed = parse_export(located, self.mapping)
        source = self.source(path, located)
        batch, totals, unmapped = cost_items(parsed.programme, self.mapping, source, located.header)
        rejected = sorted((*parsed.rejected, *unmapped), key=lambda r: (r.row or 0, r.column or ""))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=parsed.last_date or datetime.date(1970, 1, 1),
            items=(),
            batch=batch,
            rows=parsed.rows,
            programme_rows=len(parsed.programme),
            programme_total=parsed.programme.total if len(parsed.programme) else Decimal(0),
            by_year_committee=totals.figures(),
            not_programme=parsed.not_programme,
            rejected=tuple(rejected),
            notes=parsed.notes,
        )

    def _check_marks(self, path: Path, located: Located) -> None:
        """Refuse an export without a column the mapping marks the programme's rows in."""
        fields = located.header.fields
        mapping = self.mapping
        if ("project" in fields and mapping.projects) or (
            "activity" in fields and mapping.activities
        ):
            return
        marks = ", ".join(sorted(mapping.projects | mapping.activities))
        where = f" {located.place(located.header.row)}:" if located.header.row else ""
        raise UserError(
            f"{path.name}:{where} exporten har ingen "
            f"kolumn som mappningen märker programmets rader med (Projekt eller Aktivitet: {marks})."
        )
