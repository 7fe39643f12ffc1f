"""Closed years (bokslut): a year's books recorded, and every later change accounted for.

`ctc close YEAR --decision ID` records that a year's books are closed with a
`custom "year-closed" YEAR` entry citing the decision, holding a digest of
every programme entry of the year (`ctc.digests`). From then on the year's
programme entries must be exactly those, unless a `custom "year-correction"
YEAR` entry citing a decision accounts for the change: the entries it added
and removed, and the digest of the year after it. An import into a closed
year writes such a correction when given `--correction DECISION`;
`ctc close YEAR --correction ID` records one for changes made by hand.

This module reads and builds the records; the plugin `ctc.plugins.closed_years`
reports a year whose entries no longer match, naming the entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.parser.grammar import ValueType

from ctc.accounts import parse_account
from ctc.digests import combined, difference, entry_digest, is_programme_transaction, pack, unpack
from ctc.errors import RuleError, UserError, rule_error
from ctc.numbers import format_number
from ctc.records import CLOSED, CORRECTION
from ctc.registers import Decision, DecisionRegister, customs, first_value, text_meta

RULE = "year-closed"


@dataclass(frozen=True, slots=True)
class ClosedYear:
    """A closed year as its records leave it: what its entries must be now."""

    year: int
    decision: str
    digest: str
    """SHA-256 of the year's entry digests after the last record (closing or correction)."""
    expected: Counter[str]
    """The short digests of the year's entries after the last record."""
    record: data.Custom
    """The last record: where a removed entry is reported."""
    corrections: int


def year_entries(entries: Sequence[data.Directive], year: int) -> list[data.Directive]:
    """The programme entries of a year: transactions on its costs and kommunbidrag."""
    return [e for e in entries if e.date.year == year and is_programme_transaction(e)]


def _year_of(entry: data.Custom) -> int | None:
    value = first_value(entry)
    if isinstance(value, Decimal) and value == value.to_integral() and 1900 < value < 3000:
        return int(value)
    return None


def _sequence(entry: data.Custom) -> int:
    value = entry.meta.get("sequence")
    return int(value) if isinstance(value, Decimal) else 0


def closing_decisions(entries: Sequence[data.Directive]) -> dict[int, tuple[str, ...]]:
    """Each closed year -> the decisions that closed and corrected its books, in order.

    A cost figure of a closed year rests on them: they fix what the year's
    books hold. Malformed records are the `year-closed` rule's business.
    """
    found: dict[int, list[str]] = {}
    records = [*customs(entries, CLOSED), *sorted(customs(entries, CORRECTION), key=_sequence)]
    for entry in records:
        year, decision = _year_of(entry), text_meta(entry, "decision")
        if year is not None and decision is not None:
            found.setdefault(year, []).append(decision)
    return {year: tuple(dict.fromkeys(ids)) for year, ids in sorted(found.items())}


def read_closed_years(
    entries: Sequence[data.Directive],
) -> tuple[dict[int, ClosedYear], list[RuleError]]:
    """Each closed year with its corrections applied; malformed records as errors."""
    closed: dict[int, ClosedYear] = {}
    errors: list[RuleError] = []
    for entry in customs(entries, CLOSED):
        year, decision = _year_of(entry), text_meta(entry, "decision")
        if year is None or decision is None or year in closed:
            problem = f"Bokslutet för {year} är redan registrerat." if year in closed else None
            errors.append(_malformed(entry, problem))
            continue
        expected = unpack(entry.meta.get("entry_digests"))
        digest = str(entry.meta.get("digest", ""))
        closed[year] = ClosedYear(year, decision, digest, expected, entry, 0)
    for entry in sorted(customs(entries, CORRECTION), key=_sequence):
        year = _year_of(entry)
        state = closed.get(year) if year is not None else None
        if state is None or text_meta(entry, "decision") is None:
            problem = None if state is not None else f"Året {year} är inte avslutat."
            errors.append(_malformed(entry, problem))
            continue
        expected = state.expected + unpack(entry.meta.get("added"))
        expected -= unpack(entry.meta.get("removed"))
        digest = str(entry.meta.get("digest", ""))
        closed[state.year] = ClosedYear(
            state.year, state.decision, digest, expected, entry, state.corrections + 1
        )
    return closed, errors


def _malformed(entry: data.Custom, problem: str | None) -> RuleError:
    message = problem or (
        f"{entry.type} behöver året som värde och decision: med beslutets id; skriv den med "
        "ctc close."
    )
    return rule_error(RULE, entry.meta, message, entry)


def year_problems(entries: Sequence[data.Directive], state: ClosedYear) -> list[RuleError]:
    """The changes to a closed year that no record accounts for, each entry named."""
    current = year_entries(entries, state.year)
    if combined(entry_digest(e) for e in current) == state.digest:
        return []
    extra, gone_digests = difference(current, state.expected)
    missing = sum(gone_digests.values())
    closing = f"bokslutet {state.year} ({state.decision})"
    errors = [
        rule_error(
            RULE,
            entry.meta,
            f"Posten {describe(entry)} ändrar det avslutade året: den ingår inte i {closing}. "
            "Ta bort eller rätta den, eller registrera rättelsen med "
            f"ctc close {state.year} --correction BESLUT.",
            entry,
        )
        for entry in extra
    ]
    if missing or not extra:
        count = "1 post" if missing == 1 else f"{missing} poster"
        gone = (
            f"{count} som ingick i {closing} finns inte längre"
            if missing
            else f"Innehållet i {closing} har ändrats"
        )
        message = (
            f"{gone} (borttagna eller ändrade); lägg tillbaka dem, eller registrera rättelsen "
            f"med ctc close {state.year} --correction BESLUT."
        )
        errors.append(rule_error(RULE, state.record.meta, message, state.record))
    return errors


def describe(entry: data.Directive) -> str:
    """An entry as a reader finds it: its date and its first programme posting."""
    if isinstance(entry, data.Transaction):
        for posting in entry.postings:
            if parse_account(posting.account) is not None and posting.units is not None:
                amount = format_number(posting.units.number or Decimal(0), 2)
                return f"{entry.date} {posting.account} {amount} {posting.units.currency}"
    return str(entry.date)


def _meta(decision: Decision, **values: Any) -> dict[str, Any]:
    return {"filename": "<ctc close>", "lineno": 0, "decision": decision.id, **values}


def _custom(type_: str, year: int, decision: Decision, **values: Any) -> data.Custom:
    return data.Custom(
        _meta(decision, **values), decision.date, type_, [ValueType(Decimal(year), Decimal)]
    )


def closing_record(entries: Sequence[data.Directive], year: int, decision: Decision) -> data.Custom:
    """The record that closes a year: the digest of each of its programme entries."""
    digests = [entry_digest(e) for e in year_entries(entries, year)]
    if not digests:
        raise UserError(f"Huvudboken har inga poster {year} att stänga.")
    return _custom(
        CLOSED,
        year,
        decision,
        entries=Decimal(len(digests)),
        digest=combined(digests),
        entry_digests=pack(digests),
    )


def correction_record(
    state: ClosedYear,
    after: Sequence[data.Directive],
    decision: Decision,
    added: Sequence[data.Directive],
    removed: Counter[str],
) -> data.Custom:
    """A correction of a closed year: what it adds and removes, and the year's digest after it."""
    digests = [entry_digest(e) for e in year_entries(after, state.year)]
    values: dict[str, Any] = {
        "sequence": Decimal(state.corrections + 1),
        "entries": Decimal(len(digests)),
        "digest": combined(digests),
    }
    if added:
        values["added"] = pack(entry_digest(e) for e in added)
    if removed:
        values["removed"] = pack(removed.elements())
    return _custom(CORRECTION, state.year, decision, **values)


def correction_of_changes(
    entries: Sequence[data.Directive], state: ClosedYear, decision: Decision
) -> data.Custom:
    """A correction accounting for exactly how a closed year differs from its records now."""
    current = year_entries(entries, state.year)
    if combined(entry_digest(e) for e in current) == state.digest:
        raise UserError(f"{state.year} har inga ändringar sedan bokslutet att rätta.")
    added, removed = difference(current, state.expected)
    return correction_record(state, entries, decision, added, removed)


def corrections_for(
    entries: Sequence[data.Directive],
    new: Sequence[data.Directive],
    decisions: DecisionRegister,
    correction: str | None,
) -> list[data.Custom]:
    """The corrections an import into closed years must write, or why it is refused.

    Without `correction` an import that books in a closed year is refused; with
    it, each closed year it books in gets a correction citing the decision.
    """
    closed, _ = read_closed_years(entries)
    added = [e for e in new if is_programme_transaction(e) and e.date.year in closed]
    years = sorted({e.date.year for e in added})
    if correction is None:
        if years:
            state = closed[years[0]]
            raise UserError(
                f"Importen bokar {len(added)} poster i {', '.join(map(str, years))}, som är "
                f"avslutat (bokslut enligt {state.decision}); ange --correction BESLUT med "
                "beslutet om rättelsen."
            )
        return []
    if not years:
        raise UserError(f"--correction {correction}: importen bokar inget i ett avslutat år.")
    decision = decisions.get(correction)
    if decision is None:
        raise UserError(f"Beslutet {correction} (--correction) finns inte i beslutsregistret.")
    after = [*entries, *new]
    return [
        correction_record(
            closed[year], after, decision, [e for e in added if e.date.year == year], Counter()
        )
        for year in years
    ]
