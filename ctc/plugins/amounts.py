"""Checks that every amount is in SEK with at most two decimals.

The ledger counts kronor and öre, nothing finer: every posting, and every
amount in a directive's metadata (a position's monthly salary), is SEK with
at most two decimals.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from ctc.errors import RuleError, rule_error

__plugins__ = ("check_amounts",)

RULE = "amount-sek-2-decimals"
CURRENCY = "SEK"


def amount_problem(amount: Amount) -> str | None:
    """Why an amount breaks the rule, or None if it is SEK with öre at most."""
    if amount.currency != CURRENCY:
        return f"Beloppet {amount} är inte i {CURRENCY}."
    number = amount.number
    if not isinstance(number, Decimal):
        return None
    exponent = number.as_tuple().exponent  # a letter for NaN and infinity
    if isinstance(exponent, int) and exponent < -2:
        return f"Beloppet {amount} har fler än två decimaler."
    return None


def _amounts_in(entry: data.Directive) -> Iterator[tuple[data.Meta, Amount]]:
    """(meta, amount) for every amount an entry carries."""
    if isinstance(entry, data.Transaction):
        for posting in entry.postings:
            if isinstance(posting.units, Amount) and posting.units.number is not None:
                yield posting.meta or entry.meta, posting.units
    for value in (entry.meta or {}).values():
        if isinstance(value, Amount):
            yield entry.meta, value
    if isinstance(entry, data.Custom):
        for value in entry.values:
            if isinstance(value.value, Amount):
                yield entry.meta, value.value


def check_amounts(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report amounts in another currency or with more than two decimals."""
    errors = []
    for entry in entries:
        for meta, amount in _amounts_in(entry):
            problem = amount_problem(amount)
            if problem is not None:
                errors.append(rule_error(RULE, meta, problem, entry))
    return entries, errors
