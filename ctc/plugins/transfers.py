"""Checks that every växling nets to zero over the committees' kommunbidrag.

A växling moves kommunbidrag between committees; the city-wide sum does not
change. So a `#vaxling` transaction posts only to kommunbidrag accounts, its
postings sum to zero, each posting names its cost type (salary, po, other),
and it says which period it covers. Any other transaction that touches a
kommunbidrag account must be an allocation (`#kommunbidrag`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data

from ctc.accounts import COST_TYPES, parse_account
from ctc.errors import RuleError, rule_error
from ctc.numbers import format_number
from ctc.transfers import ALLOCATION_TAG, FULL_YEAR, PERIODS, is_transfer

__plugins__ = ("check_transfers",)

RULE = "transfer-nets-to-zero"


def _is_kommunbidrag(account: str) -> bool:
    parsed = parse_account(account)
    return parsed is not None and parsed.is_kommunbidrag


def _sum_errors(entry: data.Transaction) -> list[RuleError]:
    errors = []
    total = Decimal(0)
    for posting in entry.postings:
        if not _is_kommunbidrag(posting.account):
            message = f"En växling flyttar bara kommunbidrag mellan nämnder, men bokar på {posting.account}."
            errors.append(rule_error(RULE, posting.meta or entry.meta, message, entry))
        elif posting.units is not None and isinstance(posting.units.number, Decimal):
            total += posting.units.number
    if total != 0:
        message = (
            "Växlingen nettar inte till noll över nämndernas kommunbidrag: "
            f"summan är {format_number(total, 2)} SEK (den ska vara 0)."
        )
        errors.append(rule_error(RULE, entry.meta, message, entry))
    return errors


def _posting_errors(entry: data.Transaction) -> list[RuleError]:
    errors = []
    for posting in entry.postings:
        cost_type = (posting.meta or {}).get("cost_type")
        if cost_type not in COST_TYPES:
            message = f'Växlingens rad på {posting.account} behöver cost_type: "salary", "po" eller "other".'
            errors.append(rule_error(RULE, posting.meta or entry.meta, message, entry))
    return errors


def _period_errors(entry: data.Transaction) -> list[RuleError]:
    period = entry.meta.get("period")
    if period not in PERIODS:
        message = f'Växlingen behöver period: "{PERIODS[0]}" eller "{PERIODS[1]}".'
        return [rule_error(RULE, entry.meta, message, entry)]
    if period != FULL_YEAR:
        return []
    effective = entry.meta.get("effective")
    if not isinstance(effective, datetime.date) or entry.date != datetime.date(
        effective.year + 1, 1, 1
    ):
        message = "Helårseffekten dateras 1 januari året efter ikraftträdandet och anger effective: med ikraftträdandets datum."
        return [rule_error(RULE, entry.meta, message, entry)]
    return []


def _untagged_error(entry: data.Transaction) -> list[RuleError]:
    if ALLOCATION_TAG in entry.tags or not any(_is_kommunbidrag(p.account) for p in entry.postings):
        return []
    message = (
        "Kommunbidrag ändras bara genom en tilldelning (#kommunbidrag) eller en växling (#vaxling)."
    )
    return [rule_error(RULE, entry.meta, message, entry)]


def check_transfers(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report växlingar that do not net to zero or are incomplete."""
    errors: list[RuleError] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        if is_transfer(entry):
            errors += _sum_errors(entry) + _posting_errors(entry) + _period_errors(entry)
        else:
            errors += _untagged_error(entry)
    return entries, errors
