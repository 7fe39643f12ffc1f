"""Error types shared by the package.

`UserError` is for mistakes a user can fix (a missing file, a bad option): the
command line prints its message on one line and exits non-zero, never with a
traceback. `RuleError` is the Beancount error tuple our plugins return, so
`bean-check` and Fava show each violation with file and line.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class UserError(Exception):
    """A mistake in the user's input, reported as one plain line."""


class RuleError(NamedTuple):
    """A violated domain rule, shaped like Beancount's own error tuples."""

    source: dict[str, Any] | None
    message: str
    entry: Any


def rule_error(rule: str, source: dict[str, Any] | None, message: str, entry: Any) -> RuleError:
    """Build a `RuleError` whose message names the rule it breaks.

    The rule id is appended in brackets so that a finance officer can look the
    rule up in `ledger/README.md`, and a test can match it.
    """
    return RuleError(source, f"{message} [regel {rule}]", entry)
