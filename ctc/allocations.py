"""Kommunbidrag allocations: what KF gives each committee for a programme a year.

An allocation is a transaction tagged `#kommunbidrag` that credits the
committee's kommunbidrag account and debits the council's side
(`Equity:<M>:KF:Kommunbidrag`), citing the budget decision as a link.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from ctc.accounts import allocation_counter_account, kommunbidrag_account
from ctc.transfers import ALLOCATION_TAG


def allocation_transaction(
    municipality: str,
    committee: str,
    programme: str,
    year: int,
    amount: Decimal,
    decision: str | None,
    committee_name: str,
    day: datetime.date | None = None,
) -> data.Transaction:
    """The allocation of `amount` kronor to a committee for a year.

    Dated 1 January unless `day` says otherwise (a frame given mid-year).
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
    meta = {"filename": "<ctc>", "lineno": 0}
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
