"""The one query layer every report draws its figures from.

`cost_lines` walks the loaded ledger once and yields one `CostLine` per
posting on a programme cost account, carrying everything a report groups or
filters by. Reports aggregate these lines; none of them reads entries on its
own, so every report agrees with every other.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from ctc.accounts import parse_account


@dataclass(frozen=True, slots=True)
class CostLine:
    """One posting of programme cost, in report terms (cost positive)."""

    date: datetime.date
    municipality: str
    committee: str
    programme: str
    cost_type: str
    kind: str
    account: str
    amount: Decimal
    entry: data.Transaction

    @property
    def year(self) -> int:
        """The fiscal year: the calendar year of the booking."""
        return self.date.year


def cost_lines(entries: Iterable[data.Directive], programme: str) -> list[CostLine]:
    """Every posting on a cost account of `programme`, in ledger order."""
    lines = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            if parsed is None or parsed.is_kommunbidrag or parsed.programme != programme:
                continue
            lines.append(
                CostLine(
                    entry.date,
                    parsed.municipality,
                    parsed.committee,
                    parsed.programme,
                    parsed.cost_type or "other",
                    parsed.kind or "other",
                    posting.account,
                    posting.units.number,
                    entry,
                )
            )
    return lines
