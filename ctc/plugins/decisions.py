"""Checks the decision register and that entries cite decisions in it.

Every växling and every position move must cite a decision that exists in
the register: a växling by its links (Fava makes them clickable; with more
than one link, `decision:` names the one that carries it), a position move
by its `decision:` metadata, since Beancount 3 allows no links on `custom`
directives. Any other `decision:` value, and any transaction link shaped like
a decision id, must resolve too; so must each växling an allocation says it
already includes (`includes:`).
"""

from __future__ import annotations

from beancount.core import data

from ctc.allocations import included_decisions
from ctc.errors import RuleError, rule_error
from ctc.positions import MOVE
from ctc.registers import (
    DECISION,
    DECISION_ID_RE,
    DecisionRegister,
    parse_committees,
    parse_decisions,
    text_meta,
)
from ctc.transfers import is_transfer

__plugins__ = ("check_decisions",)

RULE = "decision-cited"


def _unknown(ident: str, entry: data.Directive) -> RuleError:
    message = f'Beslutet {ident} finns inte i beslutsregistret (custom "decision").'
    return rule_error(RULE, entry.meta, message, entry)


def _transfer_errors(entry: data.Transaction, register: DecisionRegister) -> list[RuleError]:
    if not entry.links:
        message = "Växlingen hänvisar inte till något beslut; ange beslutet som länk (^KF-2024-09-26-p190)."
        return [rule_error(RULE, entry.meta, message, entry)]
    errors = [_unknown(link, entry) for link in sorted(entry.links) if link not in register]
    named = text_meta(entry, "decision")
    if named is not None and named not in entry.links:
        message = f"Växlingens decision: {named} finns inte bland dess länkar."
        errors.append(rule_error(RULE, entry.meta, message, entry))
    if named is None and len(entry.links) > 1:
        message = "Växlingen har flera beslutslänkar; ange med decision: vilket beslut som bär den."
        errors.append(rule_error(RULE, entry.meta, message, entry))
    return errors


def _citation_errors(entry: data.Directive, register: DecisionRegister) -> list[RuleError]:
    if isinstance(entry, data.Custom) and entry.type == DECISION:
        return []
    if is_transfer(entry):
        return _transfer_errors(entry, register)
    errors: list[RuleError] = []
    named = text_meta(entry, "decision")
    if isinstance(entry, data.Custom) and entry.type == MOVE and named is None:
        message = (
            "Flytten av tjänsten hänvisar inte till något beslut; ange decision: med beslutets id."
        )
        errors.append(rule_error(RULE, entry.meta, message, entry))
    if named is not None and named not in register:
        errors.append(_unknown(named, entry))
    for link in getattr(entry, "links", None) or ():
        if DECISION_ID_RE.match(link) and link not in register and link != named:
            errors.append(_unknown(link, entry))
    if isinstance(entry, data.Transaction):
        errors += [_unknown(d, entry) for d in included_decisions(entry) if d not in register]
    return errors


def check_decisions(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report malformed decisions and citations of decisions not in the register."""
    committees, _ = parse_committees(entries)
    register, errors = parse_decisions(entries, committees)
    for entry in entries:
        if isinstance(entry, data.Transaction | data.Custom):
            errors.extend(_citation_errors(entry, register))
    return entries, errors
