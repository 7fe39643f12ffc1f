"""Checks each växling's own arithmetic: its months, its pro-rata shares, its two parts.

A växling decision gives two entries (`ctc.transfers`): the applicable months
of the effective year, dated the effective date, and the full-year effect,
dated 1 January of the next year. An auditor checks that they follow their
own rule, so this plugin does:

- `transfer-months`: the applicable part is dated its effective date and its
  `months` are the months from the effective month to December (2024-09-01
  gives 4); the full-year part says 12;
- `transfer-full-year`: an applicable part whose effective month is not
  January has its full-year part (same decision, same effective date, the
  same committees and cost types), and every full-year part has its
  applicable part;
- `transfer-pro-rata`: each line of the applicable part is its full-year
  line × months / 12, rounded half away from zero to whole kronor; only the
  decision's largest line may differ, by the rounding remainder the entry
  documents in `rounding_adjustment`, at most one krona per line.

Errors are reported at the entry's first line and name the posting's own line.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data

from ctc.errors import RuleError, rule_error
from ctc.numbers import format_number, posting_number, round_half_away
from ctc.transfers import (
    APPLICABLE,
    FULL_YEAR,
    applicable_months,
    carrying_decision,
    effective_date,
    is_transfer,
)

__plugins__ = ("check_transfer_periods",)

MONTHS_RULE = "transfer-months"
PAIR_RULE = "transfer-full-year"
PRO_RATA_RULE = "transfer-pro-rata"

LineKey = tuple[str, str, str]
"""(account, cost type, position) of a växling's posting."""
Parts = dict[str, list[data.Transaction]]
"""Period -> the växling entries of that period, in ledger order."""


def _months_meta(entry: data.Transaction) -> Decimal | None:
    value = entry.meta.get("months")
    return value if isinstance(value, Decimal) else None


def _months_errors(entry: data.Transaction) -> list[RuleError]:
    """The applicable part's date and months agree with its effective date; a full year is 12."""
    effective = effective_date(entry)
    months = _months_meta(entry)
    if entry.meta.get("period") == FULL_YEAR:
        if months is not None and months != 12:
            message = f"Helårseffekten gäller 12 månader, men months är {months}."
            return [rule_error(MONTHS_RULE, entry.meta, message, entry)]
        return []
    errors = []
    if entry.date != effective:
        message = (
            f"Tillämpliga månader dateras ikraftträdandet {effective}, inte {entry.date}; "
            "rätta datumet eller effective."
        )
        errors.append(rule_error(MONTHS_RULE, entry.meta, message, entry))
    expected = applicable_months(effective)
    if months is not None and months != expected:
        message = (
            f"Ikraftträdandet {effective} ger {expected} tillämpliga månader "
            f"({effective.year}, {expected}/12), men months är {months}."
        )
        errors.append(rule_error(MONTHS_RULE, entry.meta, message, entry))
    return errors


def _line_key(posting: data.Posting) -> LineKey:
    meta = posting.meta or {}
    return (posting.account, str(meta.get("cost_type", "")), str(meta.get("position") or ""))


def _keyed(entry: data.Transaction) -> dict[LineKey, list[data.Posting]]:
    keyed: dict[LineKey, list[data.Posting]] = defaultdict(list)
    for posting in entry.postings:
        keyed[_line_key(posting)].append(posting)
    return keyed


def _line(posting: data.Posting) -> str:
    lineno = (posting.meta or {}).get("lineno")
    return f" (rad {lineno})" if lineno else ""


def _kr(amount: Decimal) -> str:
    return f"{format_number(amount, 2 if amount != amount.to_integral() else 0)} SEK"


def _describe(posting: data.Posting) -> str:
    cost_type, position = _line_key(posting)[1:]
    what = f"{cost_type}, {position}" if position else cost_type
    return f"{posting.account} ({what}){_line(posting)}"


def _matched(
    applicable: data.Transaction, full: data.Transaction
) -> list[tuple[data.Posting, data.Posting]] | None:
    """Each applicable posting with its full-year posting, or None if the lines differ."""
    parts, wholes = _keyed(applicable), _keyed(full)
    if {k: len(v) for k, v in parts.items()} != {k: len(v) for k, v in wholes.items()}:
        return None
    return [
        pair for key, postings in parts.items() for pair in zip(postings, wholes[key], strict=True)
    ]


def _adjustment(entry: data.Transaction) -> Decimal:
    value = entry.meta.get("rounding_adjustment", Decimal(0))
    return value if isinstance(value, Decimal) else Decimal(0)


def _deviations(
    pairs: Sequence[tuple[data.Posting, data.Posting]], months: int
) -> list[tuple[data.Posting, Decimal, Decimal, Decimal]]:
    """(posting, its amount, its full-year amount, the expected share) of each line that differs."""
    off = []
    for part, whole in pairs:
        amount, full = posting_number(part), posting_number(whole)
        if amount is None or full is None:
            continue
        expected = round_half_away(full * months / 12)
        if amount != expected:
            off.append((part, amount, full, expected))
    return off


def _remainder_ok(
    off: list[tuple[data.Posting, Decimal, Decimal, Decimal]],
    adjustment: Decimal,
    largest: Decimal,
    lines: int,
) -> bool:
    """Whether the only difference is the documented remainder on the decision's largest line."""
    if not off:
        return adjustment == 0
    if len(off) > 1 or adjustment == 0 or abs(adjustment) > lines:
        return False
    _, amount, full, expected = off[0]
    return abs(full) == largest and amount - expected == adjustment


def _pro_rata_errors(applicable: data.Transaction, full: data.Transaction) -> list[RuleError]:
    months = applicable_months(effective_date(applicable))
    pairs = _matched(applicable, full)
    if pairs is None:
        message = (
            f"Helårseffekten ({full.date}) har inte samma nämnder, kostnadstyper och tjänster "
            "som tillämpliga månader; varje rad ska finnas i båda."
        )
        return [rule_error(PAIR_RULE, applicable.meta, message, applicable)]
    off = _deviations(pairs, months)
    adjustment = _adjustment(applicable)
    largest = max((abs(posting_number(w) or Decimal(0)) for _, w in pairs), default=Decimal(0))
    if _remainder_ok(off, adjustment, largest, len(pairs)):
        return []
    errors = [
        rule_error(
            PRO_RATA_RULE,
            applicable.meta,
            f"Tillämpliga månader på {_describe(part)} är {_kr(amount)}, men helårsbeloppet "
            f"{_kr(whole)} × {months}/12 avrundat är {_kr(expected)}.",
            applicable,
        )
        for part, amount, whole, expected in off
    ]
    if off and adjustment:
        errors.append(_remainder_error(applicable, adjustment, len(pairs)))
    elif not off:
        message = f"rounding_adjustment {_kr(adjustment)} anges, men ingen rad avviker från helårsbeloppet × {months}/12."
        errors.append(rule_error(PRO_RATA_RULE, applicable.meta, message, applicable))
    return errors


def _remainder_error(entry: data.Transaction, adjustment: Decimal, lines: int) -> RuleError:
    message = (
        f"Avrundningsdifferensen {_kr(adjustment)} (rounding_adjustment) får bara ligga på "
        f"beslutets största rad och vara högst 1 krona per rad ({lines} rader)."
    )
    return rule_error(PRO_RATA_RULE, entry.meta, message, entry)


def _grouped(entries: data.Entries) -> dict[tuple[str | None, datetime.date], Parts]:
    """The växling entries by carrying decision and effective date, split by period."""
    groups: dict[tuple[str | None, datetime.date], Parts] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        if is_transfer(entry) and entry.meta.get("period") in (APPLICABLE, FULL_YEAR):
            key = (carrying_decision(entry), effective_date(entry))
            groups[key][str(entry.meta["period"])].append(entry)
    return groups


def _missing_part(entry: data.Transaction, period: str) -> RuleError:
    effective = effective_date(entry)
    if period == FULL_YEAR:
        message = (
            f"Tillämpliga månader ({effective}) saknar sin helårseffekt: en växling med samma "
            f"beslut och effective: {effective}, daterad {effective.year + 1}-01-01."
        )
    else:
        message = (
            f"Helårseffekten saknar sina tillämpliga månader: en växling med samma beslut, "
            f"daterad ikraftträdandet {effective}."
        )
    return rule_error(PAIR_RULE, entry.meta, message, entry)


def _pair_errors(parts: Parts) -> list[RuleError]:
    applicable, full = parts.get(APPLICABLE, []), parts.get(FULL_YEAR, [])
    errors = []
    for first, second in zip(applicable, full, strict=False):
        errors += _pro_rata_errors(first, second)
    for entry in applicable[len(full) :]:
        if effective_date(entry).month != 1:
            errors.append(_missing_part(entry, FULL_YEAR))
    errors += [_missing_part(entry, APPLICABLE) for entry in full[len(applicable) :]]
    return errors


def check_transfer_periods(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report växlingar whose months, pro-rata shares or pair of entries are wrong."""
    errors: list[RuleError] = []
    for entry in entries:
        if is_transfer(entry) and entry.meta.get("period") in (APPLICABLE, FULL_YEAR):
            errors += _months_errors(entry)
    for parts in _grouped(entries).values():
        errors += _pair_errors(parts)
    return entries, errors
