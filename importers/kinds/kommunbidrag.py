"""The kommunbidrag sheet: one row per committee, year (and programme), with its amount.

Each row is one committee's kommunbidrag for a programme and year, with the
budget decision behind it, for a frame given mid-year its date, and, for a
budget that already holds a växling's full-year effect, that växling's
decision ("Inkluderar växling"). Here are
the sheet's columns and the rules a row's own cells must keep (a four-digit
year, an amount that is not negative, a date within the year); checking the
row against the ledger and booking it is `ctc.importers.booking.kommunbidrag`'s job.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ctc.importers.kinds.rows import Row, RowError
from ctc.importers.reading.layout import Column, Kind

KOMMUNBIDRAG = Kind(
    name="kommunbidrag",
    label="Kommunbidragsbladet",
    columns=(
        Column("year", ("År", "Budgetår", "Year")),
        Column("committee", ("Nämnd", "Committee")),
        Column("programme", ("Program", "Programme")),
        Column("amount", ("Kommunbidrag", "Belopp", "Amount")),
        Column("decision", ("Beslut", "Beslut-id", "Decision")),
        Column("date", ("Datum", "Date")),
        Column("municipality", ("Kommun", "Municipality")),
        Column("includes", ("Inkluderar växling", "Helårseffekt ingår", "Includes transfer")),
    ),
    required=(("year",), ("committee",), ("amount",)),
)


def year_of(row: Row) -> int:
    """The row's budget year: four digits."""
    text = row.code("year", required=True, what="året") or ""
    if not (text.isdigit() and len(text) == 4):
        raise RowError("year", f"året {text!r} ska vara fyra siffror")
    return int(text)


def amount_of(row: Row) -> Decimal:
    """The row's kommunbidrag: an amount that is not negative."""
    amount = row.amount("amount", required=True)
    if amount is None or amount < 0:
        raise RowError("amount", f"kommunbidraget ska vara positivt, inte {amount}")
    return amount


def date_of(row: Row, year: int) -> datetime.date | None:
    """The date of a frame given mid-year, if the row has one: a day of its year."""
    day = row.date("date")
    if day is not None and day.year != year:
        raise RowError("date", f"datumet {day} ligger inte i året {year}")
    return day
