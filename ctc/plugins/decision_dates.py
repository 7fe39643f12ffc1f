"""Checks that an effect is not dated long before the decision behind it (`decision-date`).

Decisions may be retroactive: Malmö's 2024 reorganisation took effect on
2024-09-01 by KF's decision of 2024-09-26. That is allowed, and the reports
say so (`ctc.decision_dates`). But an effect more than a year before its
decision is almost certainly a wrong date or a wrong decision id, so it is
an error. Effects are växlingar (their effective date against the carrying
decision), kommunbidrag allocations (their date against each decision they
link) and position directives that cite a decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from beancount.core import data

from ctc.decision_dates import decided_too_late
from ctc.errors import RuleError, rule_error
from ctc.positions import EVENT_ORDER
from ctc.registers import DecisionRegister, parse_committees, parse_decisions, text_meta
from ctc.transfers import ALLOCATION_TAG, carrying_decision, effective_date, is_transfer

__plugins__ = ("check_decision_dates",)

RULE = "decision-date"


def effects(entry: data.Directive) -> Iterator[tuple[str, datetime.date]]:
    """(decision id, effective date) of each decision an entry puts into effect."""
    if is_transfer(entry):
        decision = carrying_decision(entry)
        if decision is not None:
            yield decision, effective_date(entry)
    elif isinstance(entry, data.Transaction) and ALLOCATION_TAG in entry.tags:
        for link in sorted(entry.links):
            yield link, entry.date
    elif isinstance(entry, data.Custom) and entry.type in EVENT_ORDER:
        decision = text_meta(entry, "decision")
        if decision is not None:
            yield decision, entry.date


def _errors(entry: data.Directive, register: DecisionRegister) -> list[RuleError]:
    errors = []
    for ident, effective in effects(entry):
        decision = register.get(ident)
        if decision is None or not decided_too_late(effective, decision.date):
            continue
        message = (
            f"Beslutet {ident} fattades {decision.date}, mer än ett år efter det som ska gälla "
            f"från {effective}; rätta datumet eller beslutets id."
        )
        errors.append(rule_error(RULE, entry.meta, message, entry))
    return errors


def check_decision_dates(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report effects dated more than a year before their decision."""
    committees, _ = parse_committees(entries)
    register, _ = parse_decisions(entries, committees)
    errors: list[RuleError] = []
    for entry in entries:
        errors += _errors(entry, register)
    return entries, errors
