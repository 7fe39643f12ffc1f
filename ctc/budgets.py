"""Fava budgets derived from the kommunbidrag, so Fava shows budget against cost.

A committee's kommunbidrag for a year is what its kommunbidrag account
receives in that year: its allocations (`#kommunbidrag`) plus the växlingar
(`#vaxling`) dated in the year, less a full-year effect the allocation
already includes (`ctc.allocations`). Each becomes one Fava budget on the
committee's programme cost account (`Expenses:<M>:<C>:<P>`), yearly, dated
1 January, from the committee's first year with kommunbidrag to its last; a
year in between without kommunbidrag gets a zero budget, and so does the year
after the last, because Fava keeps the latest budget in force until another
replaces it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import account as account_type
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from ctc.accounts import parse_account
from ctc.allocations import included_effects, included_in
from ctc.numbers import posting_number
from ctc.transfers import ALLOCATION_TAG, TAG

BUDGET = "budget"
SOURCE = "<ctc.plugins.budgets>"

ProgrammeKey = tuple[str, str, str]
"""(municipality, committee, programme)."""

KommunbidragByYear = dict[ProgrammeKey, dict[int, Decimal]]
"""Each committee's programme -> year -> kommunbidrag received that year (positive)."""


def programme_cost_account(municipality: str, committee: str, programme: str) -> str:
    """The parent of a committee's cost accounts for a programme: where its budget sits."""
    return f"Expenses:{municipality}:{committee}:{programme}"


def kommunbidrag_by_year(entries: Sequence[data.Directive]) -> KommunbidragByYear:
    """Sum each committee's allocations and växlingar per calendar year (included effects once)."""
    result: KommunbidragByYear = defaultdict(lambda: defaultdict(Decimal))
    included = included_effects(entries)
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not entry.tags & {ALLOCATION_TAG, TAG}:
            continue
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            amount = posting_number(posting)
            if parsed is None or not parsed.is_kommunbidrag or amount is None:
                continue
            if included_in(entry, parsed.municipality, parsed.committee, included):
                continue
            key = (parsed.municipality, parsed.committee, parsed.programme)
            result[key][entry.date.year] -= amount
    return {key: dict(years) for key, years in result.items()}


def _budget(account: str, year: int, amount: Decimal) -> data.Custom:
    meta = {
        "filename": SOURCE,
        "lineno": 0,
        "note": f"Kommunbidrag {year} (tilldelning och växlingar), skapad ur huvudboken",
    }
    values = [
        # Beancount's parser types an account value with the string `account.TYPE`,
        # though `ValueType` annotates its dtype as a type.
        ValueType(account, account_type.TYPE),  # type: ignore[arg-type]
        ValueType("yearly", str),
        ValueType(Amount(amount, "SEK"), Amount),
    ]
    return data.Custom(meta, datetime.date(year, 1, 1), BUDGET, values)


def budget_entries(kommunbidrag: KommunbidragByYear) -> list[data.Custom]:
    """One yearly budget per committee and year, then a zero budget after the last year."""
    budgets = []
    for (municipality, committee, programme), years in kommunbidrag.items():
        if not years:
            continue
        account = programme_cost_account(municipality, committee, programme)
        for year in range(min(years), max(years) + 1):
            budgets.append(_budget(account, year, years.get(year, Decimal(0))))
        budgets.append(_budget(account, max(years) + 1, Decimal(0)))
    return budgets
