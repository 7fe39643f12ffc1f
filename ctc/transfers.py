"""Växlingar: transfers of kommunbidrag from one committee to another.

A växling is a transaction tagged `#vaxling` whose postings all sit on
committees' kommunbidrag accounts. A committee that gives has a positive
posting (its income shrinks), one that receives a negative one. Each decision
gives two transactions: the applicable months of the effective year, dated the
effective date, and the full-year effect, dated 1 January of the next year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeGuard

from beancount.core import data

from ctc.accounts import COST_TYPES, parse_account
from ctc.numbers import posting_number

TAG = "vaxling"
ALLOCATION_TAG = "kommunbidrag"
APPLICABLE = "applicable-months"
FULL_YEAR = "full-year"
PERIODS = (APPLICABLE, FULL_YEAR)


@dataclass(frozen=True, slots=True)
class TransferLine:
    """One committee's part of a växling for one cost type."""

    municipality: str
    committee: str
    cost_type: str
    amount: Decimal
    """Received is positive, given is negative (the report's sign)."""
    position: str | None


@dataclass(frozen=True, slots=True)
class Transfer:
    """One växling transaction, read from the ledger."""

    decision: str | None
    effective: datetime.date
    period: str
    months: int
    lines: tuple[TransferLine, ...]
    entry: data.Transaction


def is_transfer(entry: data.Directive) -> TypeGuard[data.Transaction]:
    """Whether an entry is a växling."""
    return isinstance(entry, data.Transaction) and TAG in entry.tags


def carrying_decision(entry: data.Transaction) -> str | None:
    """The decision a växling rests on: its `decision` meta, else its only link."""
    value = entry.meta.get("decision")
    if isinstance(value, str) and value.strip():
        return value.strip()
    if len(entry.links) == 1:
        return next(iter(entry.links))
    return None


def effective_date(entry: data.Transaction) -> datetime.date:
    """The date the change takes effect; a full-year entry names it in meta."""
    value = entry.meta.get("effective")
    return value if isinstance(value, datetime.date) else entry.date


def applicable_months(effective: datetime.date) -> int:
    """Months from the effective month to December: 2024-09-01 gives 4."""
    return 13 - effective.month


def read_transfer(entry: data.Transaction) -> Transfer:
    """Read a växling transaction into report terms (signs flipped)."""
    period = str(entry.meta.get("period", APPLICABLE))
    effective = effective_date(entry)
    default_months = 12 if period == FULL_YEAR else applicable_months(effective)
    months = int(entry.meta.get("months", default_months))
    lines = []
    for posting in entry.postings:
        parsed = parse_account(posting.account)
        amount = posting_number(posting)
        if parsed is None or amount is None:
            continue
        meta = posting.meta or {}
        cost_type = str(meta.get("cost_type", "other"))
        position = meta.get("position")
        lines.append(
            TransferLine(
                parsed.municipality,
                parsed.committee,
                cost_type if cost_type in COST_TYPES else "other",
                -amount,
                str(position) if position else None,
            )
        )
    return Transfer(carrying_decision(entry), effective, period, months, tuple(lines), entry)


def read_transfers(entries: Iterable[data.Directive]) -> list[Transfer]:
    """All växlingar of the ledger, in ledger order."""
    return [read_transfer(e) for e in entries if is_transfer(e)]


# --- Building växlingar from a decision's lines -------------------------------------


@dataclass(frozen=True, slots=True)
class TransferItem:
    """One line of a transfer decision: a yearly amount moved between two committees."""

    giver: str
    receiver: str
    cost_type: str
    full_year: Decimal
    """The full-year effect in whole kronor, positive."""
    position: str | None = None


@dataclass(frozen=True, slots=True)
class TransferPlan:
    """A transfer decision ready to become ledger entries."""

    decision: str
    links: tuple[str, ...]
    """Every decision the växling cites; the carrying one is `decision`."""
    municipality: str
    programme: str
    effective: datetime.date
    title: str
    items: tuple[TransferItem, ...]


def _signed_postings(plan: TransferPlan) -> list[tuple[str, TransferItem, Decimal]]:
    """(committee, item, signed full-year amount): the giver's income shrinks (+)."""
    postings = []
    for item in plan.items:
        postings.append((item.giver, item, item.full_year))
        postings.append((item.receiver, item, -item.full_year))
    return postings


def applicable_amounts(full_year: list[Decimal], months: int) -> tuple[list[Decimal], Decimal]:
    """Each amount's share for `months` of the year, rounded to whole kronor.

    Rounds half away from zero. If the rounded amounts do not sum to zero, the
    difference goes to the largest amount, and is returned so the report can
    footnote it.
    """
    from ctc.numbers import round_half_away

    shares = [round_half_away(amount * months / 12) for amount in full_year]
    residue = -sum(shares, Decimal(0))
    if residue and shares:
        largest = max(range(len(shares)), key=lambda i: abs(full_year[i]))
        shares[largest] += residue
    return shares, residue


def _posting(
    plan: TransferPlan, committee: str, item: TransferItem, amount: Decimal
) -> data.Posting:
    from beancount.core.amount import Amount

    from ctc.accounts import kommunbidrag_account

    meta: dict[str, Any] = {"cost_type": item.cost_type}
    if item.position:
        meta["position"] = item.position
    account = kommunbidrag_account(plan.municipality, committee, plan.programme)
    return data.Posting(account, Amount(amount, "SEK"), None, None, None, meta)


def _transaction(
    plan: TransferPlan,
    day: datetime.date,
    narration: str,
    meta: dict[str, Any],
    amounts: list[Decimal],
) -> data.Transaction:
    postings = [
        _posting(plan, committee, item, amount)
        for (committee, item, _), amount in zip(_signed_postings(plan), amounts, strict=True)
    ]
    full_meta = {"filename": "<ctc>", "lineno": 0, "decision": plan.decision, **meta}
    return data.Transaction(
        full_meta, day, "*", None, narration, frozenset({TAG}), frozenset(plan.links), postings
    )


def transfer_transactions(plan: TransferPlan) -> tuple[data.Transaction, data.Transaction]:
    """The two växling entries of a decision: applicable months and full year.

    The first is dated the effective date and covers the months from it to
    December; the second is dated 1 January of the next year and carries the
    full-year effect. Both sum to zero exactly.
    """
    months = applicable_months(plan.effective)
    full = [amount for _, _, amount in _signed_postings(plan)]
    shares, residue = applicable_amounts(full, months)
    year = plan.effective.year
    applicable_meta: dict[str, Any] = {
        "period": APPLICABLE,
        "effective": plan.effective,
        "months": Decimal(months),
    }
    if residue:
        applicable_meta["rounding_adjustment"] = residue
    applicable = _transaction(
        plan,
        plan.effective,
        f"Växling av kommunbidrag: {plan.title}, tillämpliga månader {year} ({months}/12)",
        applicable_meta,
        shares,
    )
    full_year = _transaction(
        plan,
        datetime.date(year + 1, 1, 1),
        f"Växling av kommunbidrag: {plan.title}, helårseffekt {year + 1}",
        {"period": FULL_YEAR, "effective": plan.effective, "months": Decimal(12)},
        full,
    )
    return applicable, full_year
