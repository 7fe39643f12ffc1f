"""Exact money helpers and Swedish number formatting.

Amounts are `Decimal` from the cell to the report. Formatting follows Swedish
municipal tables: a space as thousands separator, a comma as decimal
separator, and the units kr, tkr and mnkr.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from beancount.core import data

Unit = Literal["kr", "tkr", "mnkr"]

ORE = Decimal("0.01")
KRONA = Decimal("1")
UNIT_DIVISORS: dict[str, Decimal] = {
    "kr": Decimal(1),
    "tkr": Decimal(1000),
    "mnkr": Decimal(1_000_000),
}


def posting_number(posting: data.Posting) -> Decimal | None:
    """A posting's amount, or None for a posting without one.

    Beancount's booking fills in every amount a transaction leaves out, so only
    entries that never went through booking have postings without a number.
    """
    units = posting.units
    return units.number if units is not None else None


def round_half_away(value: Decimal, quantum: Decimal = KRONA) -> Decimal:
    """Round half away from zero, the rounding Swedish budget tables use.

    `ROUND_HALF_UP` in `decimal` rounds ties away from zero for negative
    numbers too, which is what we want: -2.5 becomes -3.
    """
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def to_unit(amount: Decimal, unit: str, decimals: int) -> Decimal:
    """Convert exact kronor into `unit`, rounded once to `decimals` places."""
    return round_half_away(amount / UNIT_DIVISORS[unit], Decimal(1).scaleb(-decimals))


def format_number(value: Decimal, decimals: int = 0, thousands: str = " ") -> str:
    """Format `value` the Swedish way: `1 234 567,89`.

    `thousands` is a plain space by default; pass a non-breaking space for
    documents where a line must not break inside a number.
    """
    rounded = round_half_away(value, Decimal(1).scaleb(-decimals))
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", thousands)


def format_sek(amount: Decimal, unit: str = "kr", decimals: int | None = None) -> str:
    """Format an amount in kronor in `unit`, with the unit's usual decimals."""
    if decimals is None:
        decimals = {"kr": 0, "tkr": 0, "mnkr": 1}[unit]
    return format_number(to_unit(amount, unit, decimals), decimals)


def csv_amount(amount: Decimal) -> str:
    """Machine-readable amount: dot decimal, exactly two decimals."""
    return f"{amount.quantize(ORE):f}"
