"""Checks that a PO rate exists for every year in which PO is booked or a position is costed.

A position's cost is its salary plus payroll overhead (PO) at the year's
rate, so every year a position is funded, up to the last year in which the
ledger books programme costs, needs a `custom "po-rate"` directive for it;
and so does every year with a booked PO cost, whether or not the register
has a position funded that year (an auditor checks the PO booked against
the year's rate).
"""

from __future__ import annotations

import datetime

from beancount.core import data

from ctc.accounts import parse_account
from ctc.errors import RuleError, rule_error
from ctc.positions import active_years, build_history
from ctc.registers import parse_po_rates

__plugins__ = ("check_po_rates",)


def last_costed_day(entries: data.Entries) -> datetime.date | None:
    """The day of the ledger's last booked programme cost, or None if it has none.

    Years after it are not costed yet, so a växling or budget dated in a later
    year does not demand that year's PO rate.
    """
    last = None
    for entry in entries:
        if isinstance(entry, data.Transaction) and any(_is_cost(p.account) for p in entry.postings):
            last = entry.date if last is None or entry.date > last else last
    return last


def _is_cost(account: str) -> bool:
    parsed = parse_account(account)
    return parsed is not None and parsed.is_cost


def _po_cost_errors(entries: data.Entries, rates: set[int], reported: set[int]) -> list[RuleError]:
    """The first PO cost of each year that has no PO rate."""
    errors = []
    for entry in entries:
        year = entry.date.year
        if year in rates or year in reported or not isinstance(entry, data.Transaction):
            continue
        posting = next((p for p in entry.postings if _is_po(p.account)), None)
        if posting is None:
            continue
        reported.add(year)
        message = (
            f"PO-sats saknas för {year}, men huvudboken bokför PO det året ({posting.account}); "
            f'lägg till {year}-01-01 custom "po-rate" med årets procentsats.'
        )
        errors.append(rule_error("po-rate-exists", entry.meta, message, entry))
    return errors


def _is_po(account: str) -> bool:
    parsed = parse_account(account)
    return parsed is not None and parsed.cost_type == "po"


def check_po_rates(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report each year with PO booked or a position funded without a PO rate for that year."""
    rates, errors = parse_po_rates(entries)
    history, _ = build_history(entries)
    last_day = last_costed_day(entries)
    if last_day is None:
        return entries, errors
    reported: set[int] = set()
    for spells in history.values():
        for spell in spells:
            for year in active_years(spell, last_day):
                if year in rates or year in reported:
                    continue
                reported.add(year)
                message = (
                    f"PO-sats saknas för {year}, men tjänsten {spell.position_id} finansieras det året; "
                    f'lägg till {year}-01-01 custom "po-rate" med årets procentsats.'
                )
                errors.append(rule_error("po-rate-exists", spell.meta, message, None))
    return entries, errors + _po_cost_errors(entries, set(rates), reported)
