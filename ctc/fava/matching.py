"""Patterns from a URL that cannot block the server: matched with a time budget.

Fava reads the account filter (`?account=`) and the advanced filter's
patterns (`?filter=narration:"…"`) as regular expressions and matches them
with Python's `re` against every entry. A pattern that backtracks
exponentially (`^([\\w:]|[\\w:])+Z` on a long account name) then holds the
interpreter for minutes, and every other request waits behind it: a plain
GET, so any web page open in the user's browser can send it to a loopback
server.

So every such pattern is compiled with the `regex` package and matched with
a timeout, out of a budget of `MATCH_BUDGET` seconds per request shared by
all patterns of that request; a pattern that spends it is a filter error,
which Fava (and our pages) answer with 400. `regex` unrolls counted repeats
when it compiles (`a{1000000}` takes 300 MB), so a pattern whose size times
its counted repeats could exceed `SIZE_LIMIT` is refused before compiling.
Results are remembered per text, so an account name is matched once however
many entries name it.

`install()` puts `BoundedMatch` in place of Fava's `Match` (the one class
`fava.core.filters` uses for both filters), and a bounded `has_component` in
place of Beancount's, which the account filter calls first and which pastes
the filter text into a regular expression of its own. Our own account
predicate (`account_predicate`) uses `BoundedMatch` too.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex
from fava.core.filters import FilterError
from flask import g, has_request_context

MATCH_BUDGET = 0.3
"""Seconds all patterns of one request may spend matching, together.

`regex` checks its timeout against processor time, so on a busy machine a
request may wait longer than this; a simple pattern over a big ledger's
texts (each text matched once) takes a few hundredths.
"""
SIZE_LIMIT = 50_000
"""Largest pattern length times the product of its counted repeats."""
LENGTH_LIMIT = 1000
"""Longest pattern, in characters."""
MEMO_LIMIT = 100_000
"""Texts whose result a pattern remembers (account names, payees, narrations)."""
BRACES_RE = re.compile(r"\{([^{}]*)\}")
"""A counted repeat, or anything else in braces (a literal, `regex`'s fuzzy counts)."""
DIGITS_RE = re.compile(r"[0-9]+")


@dataclass
class Budget:
    """Seconds left for matching in one request (or for one pattern outside a request)."""

    left: float = MATCH_BUDGET


def refused(pattern: str, why: str) -> FilterError:
    """The filter error for a pattern we do not run; Fava and our pages answer it with 400."""
    return FilterError("filter", f"Mönstret {pattern[:60]!r} {why}; förenkla det.")


def check_size(pattern: str, shown: str = "") -> None:
    """Refuse a pattern whose compiled form could be large (counted repeats multiply)."""
    shown = shown or pattern
    if len(pattern) > LENGTH_LIMIT:
        raise refused(shown, f"är längre än {LENGTH_LIMIT} tecken")
    size = len(pattern)
    for inside in BRACES_RE.findall(pattern):
        numbers = DIGITS_RE.findall(inside)
        if any(len(n) > 6 for n in numbers):
            raise refused(shown, "har för stora upprepningar")
        size *= max((int(n) for n in numbers), default=1) or 1
        if size > SIZE_LIMIT:
            raise refused(shown, "har för stora upprepningar")


def compile_bounded(
    pattern: str, ignore_case: bool = True, shown: str = ""
) -> regex.Pattern[str] | None:
    """The pattern compiled as Fava compiles it (ignoring case), or None if it is no pattern."""
    check_size(pattern, shown)
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    try:
        return regex.compile(pattern, flags)
    except (regex.error, OverflowError, RecursionError, ValueError):
        return None


class BoundedMatch:
    """Fava's `Match` (a pattern searched in a text, else plain equality), within a budget."""

    __slots__ = ("_anchored", "_budget", "_memo", "_pattern", "_shown", "_text")

    def __init__(
        self, search: str, anchored: bool = False, ignore_case: bool = True, shown: str = ""
    ) -> None:
        self._text = search
        self._shown = shown or search
        """The pattern as the user wrote it, for a message."""
        self._pattern = compile_bounded(search, ignore_case, self._shown)
        self._anchored = anchored
        self._memo: dict[str, bool] = {}
        self._budget = Budget()

    def __call__(self, obj: Any) -> bool:
        text = str(obj)
        found = self._memo.get(text)
        if found is None:
            found = self._test(text)
            if len(self._memo) < MEMO_LIMIT:
                self._memo[text] = found
        return found

    def _test(self, text: str) -> bool:
        if self._pattern is None:
            return text == self._text
        budget = _request_budget() or self._budget
        if budget.left <= 0:
            raise refused(self._shown, "tar för lång tid att matcha")
        find = self._pattern.match if self._anchored else self._pattern.search
        start = time.perf_counter()
        try:
            return find(text, timeout=budget.left) is not None
        except TimeoutError:
            budget.left = 0
            raise refused(self._shown, "tar för lång tid att matcha") from None
        finally:
            budget.left -= time.perf_counter() - start


def _request_budget() -> Budget | None:
    """The budget of the current request, shared by all its patterns (None outside one)."""
    if not has_request_context():
        return None
    budget: Budget | None = getattr(g, "ctc_match_budget", None)
    if budget is None:
        budget = g.ctc_match_budget = Budget()
    return budget


def account_predicate(value: str | None) -> Callable[[str], bool] | None:
    """Fava's account-filter rule (a component, or a pattern from the start) for one account."""
    if not value:
        return None
    match = BoundedMatch(value, anchored=True)

    def matches(account: str) -> bool:
        return value in account.split(":") or match(account)

    return matches


_components: dict[str, BoundedMatch] = {}
"""Beancount's component pattern of each account-filter text seen (a few per session)."""


def has_component(account_name: str, component: str) -> bool:
    """Beancount's `account.has_component` (the text as a regular expression), bounded."""
    match = _components.get(component)
    if match is None:
        if len(_components) > 256:
            _components.clear()
        pattern = f"(^|:){component}(:|$)"
        match = _components[component] = BoundedMatch(pattern, ignore_case=False, shown=component)
    return match(account_name)


def install() -> None:
    """Match Fava's account and advanced filters with `BoundedMatch` (once per process)."""
    from fava.core import filters

    if filters.Match is not BoundedMatch:  # type: ignore[comparison-overlap]
        filters.Match = BoundedMatch  # type: ignore[misc,assignment]
        bounded = types.SimpleNamespace(has_component=has_component)
        filters.account = bounded  # type: ignore[attr-defined,assignment]
