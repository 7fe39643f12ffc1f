"""Digests of ledger entries: what a closed year and a published figure were made of.

A closed year (`ctc.closing`) and a published report (`ctc.published`)
record the entries they rest on, so that a later change is found and named.
Each entry gets a SHA-256 over what makes it a booking, the date and each
posting's account and amount, and nothing a correction of wording could
change (narration, metadata). A record keeps the full SHA-256 of all its
entries together (so any change at all is found with certainty) and a short
digest per entry (twelve hex digits), enough to tell which entries changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from beancount.core import data

from ctc.accounts import parse_account

SHORT = 12
"""Hex digits kept per entry in a record: 48 bits, far beyond the entries of any year."""
PER_LINE = 8
"""Short digests per line of a record's text, so that no line of the ledger grows long."""


def _number(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return format(value.normalize(), "f") if value else "0"


def entry_digest(entry: data.Directive) -> str:
    """The SHA-256 of an entry's date and postings (account, amount), or of its text."""
    if isinstance(entry, data.Transaction):
        postings = sorted(
            f"{p.account} {_number(p.units.number if p.units else None)} "
            f"{p.units.currency if p.units else ''}"
            for p in entry.postings
        )
        text = "\n".join([entry.date.isoformat(), *postings])
    else:
        values = getattr(entry, "values", None) or ()
        fields = sorted(
            f"{k}={v}" for k, v in entry.meta.items() if k not in ("filename", "lineno")
        )
        text = "\n".join(
            [
                entry.date.isoformat(),
                type(entry).__name__,
                getattr(entry, "type", ""),
                *map(str, values),
                *fields,
            ]
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short(digest: str) -> str:
    """The short form of an entry's digest kept in a record."""
    return digest[:SHORT]


def combined(digests: Iterable[str]) -> str:
    """One SHA-256 over a multiset of entry digests (order does not matter)."""
    return hashlib.sha256("\n".join(sorted(digests)).encode("ascii")).hexdigest()


def is_programme_transaction(entry: data.Directive) -> bool:
    """Whether an entry books on a programme account (cost, kommunbidrag or växling)."""
    return isinstance(entry, data.Transaction) and any(
        parse_account(p.account) is not None for p in entry.postings
    )


def pack(digests: Iterable[str]) -> str:
    """Short digests as a record's text: sorted, a few per indented line of their own."""
    ordered = sorted(short(d) for d in digests)
    lines = [" ".join(ordered[i : i + PER_LINE]) for i in range(0, len(ordered), PER_LINE)]
    return "".join(f"\n    {line}" for line in lines)


def unpack(text: object) -> Counter[str]:
    """The short digests a record's text holds, counted (identical entries may repeat)."""
    return Counter(str(text or "").split())


def difference(
    entries: Sequence[data.Directive], recorded: Counter[str]
) -> tuple[list[data.Directive], Counter[str]]:
    """The entries not among the recorded digests, and the recorded digests no entry has."""
    left = Counter(recorded)
    extra = []
    for entry in entries:
        key = short(entry_digest(entry))
        if left[key] > 0:
            left[key] -= 1
        else:
            extra.append(entry)
    return extra, +left
