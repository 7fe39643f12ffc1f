"""Fava extensions: the CTC dashboard.

Enable them in a ledger with `custom "fava-extension" "ctc.fava"`. The
dashboard draws every figure from `ctc.reports` (through
`ctc.fava.dashboard`), computes it once per ledger load and filter, and
serves only GET requests, so it works in Fava's read-only mode.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fava.ext import FavaExtensionBase
from flask import g, request

from ctc.fava.dashboard import MOTION_SPAN, Dashboard, build_dashboard
from ctc.registers import parse_committees, parse_options

if TYPE_CHECKING:
    from collections.abc import Callable

CacheKey = tuple[str | None, str | None, str | None, tuple[int, int] | None]
"""(account filter, advanced filter, time filter, chosen span)."""


def account_predicate(value: str | None) -> Callable[[str], bool] | None:
    """Fava's account-filter rule, applied to a single posting's account.

    Fava keeps whole entries that touch a matching account; the dashboard
    goes one step further and keeps only the matching postings, so that a
    filter on one committee shows that committee's figures alone.
    """
    if not value:
        return None
    try:
        pattern = re.compile(value, re.IGNORECASE)
    except re.error:
        pattern = None

    def matches(account: str) -> bool:
        if value in account.split(":"):
            return True
        return bool(pattern and pattern.match(account))

    return matches


def _span() -> tuple[int, int] | None:
    """The span chosen on the page (`?from=2018&to=2023`), else the motion's."""
    first, last = request.args.get("from"), request.args.get("to")
    if first and last and first.isdigit() and last.isdigit():
        return (min(int(first), int(last)), max(int(first), int(last)))
    return MOTION_SPAN


class CtcDashboard(FavaExtensionBase):
    """The first screen: yearly cost, its kinds, cumulative cost."""

    report_title = "CTC-översikt"

    def __init__(self, ledger, config=None) -> None:
        super().__init__(ledger, config)
        self._cache: dict[CacheKey, Dashboard] = {}

    def after_load_file(self) -> None:
        """Forget every computed dashboard when the ledger changes."""
        self._cache.clear()

    def dashboard(self) -> Dashboard:
        """The dashboard for the current filter, computed once per load and filter."""
        span = _span()
        account = request.args.get("account")
        key: CacheKey = (account, request.args.get("filter"), request.args.get("time"), span)
        if key not in self._cache:
            entries = self.ledger.all_entries
            options, _ = parse_options(entries)
            committees, _ = parse_committees(entries)
            order = list(dict.fromkeys(c.short for c in committees.values()))
            self._cache[key] = build_dashboard(
                g.filtered.entries,
                options.programme,
                order,
                account_predicate(account),
                span,
                options.synthetic,
            )
        return self._cache[key]
