"""Kommunbidrag allocations: what KF gives each committee for a programme a year.

An allocation is a transaction tagged `#kommunbidrag` that credits the
committee's kommunbidrag account and debits the council's side
(`Equity:<M>:KF:Kommunbidrag`), citing the budget decision as a link.

A budget decided after a växling already holds the växling's full-year
effect: its frames are the new ones. Such an allocation says so with
`includes: "<växling's decision>"` (several separated by commas), and the
växling's full-year effect for that committee and year is then counted once,
in the allocation (`included_effects`, read by the budget report, the
dashboards and the Fava budgets). The växling entry itself stays: it records
what the decision moved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from ctc.accounts import allocation_counter_account, kommunbidrag_account, parse_account
from ctc.transfers import ALLOCATION_TAG, FULL_YEAR, carrying_decision, is_transfer

INCLUDES = "includes"
"""The allocation's metadata naming the växlingar whose full-year effect it already holds."""

IncludedKey = tuple[str, str, int, str]
"""(municipality, committee, year, växling decision): a full-year effect an allocation holds."""


def included_decisions(entry: data.Transaction) -> tuple[str, ...]:
    """The växling decisions an allocation says it already includes."""
    value = entry.meta.get(INCLUDES)
    if not isinstance(value, str):
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def included_effects(entries: Iterable[data.Directive]) -> frozenset[IncludedKey]:
    """Every (municipality, committee, year, decision) whose full-year effect an allocation holds."""
    found: set[IncludedKey] = set()
    for entry in entries:
        if not isinstance(entry, data.Transaction) or ALLOCATION_TAG not in entry.tags:
            continue
        decisions = included_decisions(entry)
        for posting in entry.postings if decisions else ():
            parsed = parse_account(posting.account)
            if parsed is not None and parsed.is_kommunbidrag:
                key = (parsed.municipality, parsed.committee, entry.date.year)
                found.update((*key, decision) for decision in decisions)
    return frozenset(found)


def included_in(
    entry: data.Transaction, municipality: str, committee: str, included: frozenset[IncludedKey]
) -> str | None:
    """The växling decision whose full-year effect for this committee an allocation holds, if any.

    Only a växling's full-year entry can be included; its applicable months
    fall in the year of the change, before the budget that holds the effect.
    """
    if not is_transfer(entry) or entry.meta.get("period") != FULL_YEAR:
        return None
    decision = carrying_decision(entry)
    if decision is None:
        return None
    key = (municipality, committee, entry.date.year, decision)
    return decision if key in included else None


def allocation_transaction(
    municipality: str,
    committee: str,
    programme: str,
    year: int,
    amount: Decimal,
    decision: str | None,
    committee_name: str,
    day: datetime.date | None = None,
    includes: str | None = None,
) -> data.Transaction:
    """The allocation of `amount` kronor to a committee for a year.

    Dated 1 January unless `day` says otherwise (a frame given mid-year);
    `includes` names the växlingar whose full-year effect it already holds.
    """
    narration = f"Kommunbidrag {year} för {programme}: {committee_name}"
    postings = [
        data.Posting(
            kommunbidrag_account(municipality, committee, programme),
            Amount(-amount, "SEK"),
            None,
            None,
            None,
            None,
        ),
        data.Posting(
            allocation_counter_account(municipality), Amount(amount, "SEK"), None, None, None, None
        ),
    ]
    links = frozenset({decision}) if decision else frozenset()
    meta: dict[str, object] = {"filename": "<ctc>", "lineno": 0}
    if includes:
        meta[INCLUDES] = includes
    return data.Transaction(
        meta,
        day or datetime.date(year, 1, 1),
        "*",
        None,
        narration,
        frozenset({ALLOCATION_TAG}),
        links,
        postings,
    )
