"""Adds Fava budgets derived from the kommunbidrag, and refuses hand-written ones.

Each committee's yearly kommunbidrag (allocations and växlingar of the year)
becomes a `custom "budget"` on its programme cost account, with a zero
budget after the last year (see `ctc.budgets`). The budgets are made at load
time, so they cannot drift from the allocations; a `custom "budget"` written
by hand on a programme cost account would compete with them and is an error.
Budgets are `custom` entries, not transactions, so they never count as booked
cost (the PO-rate rule looks at booked costs only).
"""

from __future__ import annotations

from beancount.core import data

from ctc.budgets import BUDGET, budget_entries, kommunbidrag_by_year
from ctc.errors import RuleError, rule_error
from ctc.registers import parse_committees, parse_options

__plugins__ = ("derive_budgets",)

RULE = "budget-from-kommunbidrag"


def _hand_written(
    entries: data.Entries, committees: set[tuple[str, str]], programme: str
) -> list[RuleError]:
    errors = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type != BUDGET or not entry.values:
            continue
        parts = str(entry.values[0].value).split(":")
        if (
            len(parts) >= 4
            and parts[0] == "Expenses"
            and (parts[1], parts[2]) in committees
            and parts[3] == programme
        ):
            message = (
                f"Budgeten för {entry.values[0].value} skapas ur nämndens kommunbidrag och "
                "skrivs inte för hand; ta bort raden och ändra kommunbidraget i stället."
            )
            errors.append(rule_error(RULE, entry.meta, message, entry))
    return errors


def derive_budgets(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Append the derived budgets; report hand-written budgets on programme accounts."""
    committees, _ = parse_committees(entries)
    options, _ = parse_options(entries)
    errors = _hand_written(entries, set(committees), options.programme)
    return [*entries, *budget_entries(kommunbidrag_by_year(entries))], errors
