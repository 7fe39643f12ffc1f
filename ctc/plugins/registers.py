"""Checks the ledger's registers and its accounts' structure.

Committees, areas and options are well-formed and unique, and every programme
account (`Income:<M>:<C>:<P>:Kommunbidrag`, `Expenses:<M>:<C>:<P>:<kind>`)
names a registered committee and a known kind of cost.
"""

from __future__ import annotations

from beancount.core import data

from ctc.accounts import KIND_LEAVES, parse_account
from ctc.errors import RuleError, rule_error
from ctc.registers import parse_areas, parse_committees, parse_options

__plugins__ = ("check_registers",)


def check_registers(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report malformed registers and accounts that break the naming convention."""
    committees, errors = parse_committees(entries)
    errors += parse_areas(entries)[1]
    errors += parse_options(entries)[1]
    kinds = ", ".join(KIND_LEAVES)
    for entry in entries:
        if not isinstance(entry, data.Open):
            continue
        parsed = parse_account(entry.account)
        if parsed is None:
            continue
        if (parsed.municipality, parsed.committee) not in committees:
            message = f'Kontot {entry.account} hör till nämnden {parsed.committee} i {parsed.municipality}, som inte är registrerad (custom "committee").'
            errors.append(rule_error("register", entry.meta, message, entry))
        elif parsed.kind == "unknown":
            message = f"Kontot {entry.account} har en okänd kostnadstyp; programmets kostnadskonton slutar på {kinds}."
            errors.append(rule_error("register", entry.meta, message, entry))
    return entries, errors
