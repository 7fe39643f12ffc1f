"""Error types shared by the package.

`UserError` is for mistakes a user can fix (a missing file, a bad option): the
command line prints its message on one line and exits non-zero, never with a
traceback. `RuleError` is the Beancount error tuple our plugins return, so
`bean-check` and Fava show each violation with file and line.
"""

from __future__ import annotations

import errno
from typing import Any, NamedTuple

REASONS = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EBUSY: "filen används av ett annat program",
    errno.ETXTBSY: "filen används av ett annat program",
    errno.EIO: "läs- eller skrivfel på disken",
}
"""Plain Swedish for the write errors a user can do something about."""


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


def describe_os_error(error: OSError) -> str:
    """A failed file operation in a few words: what went wrong, and with which file.

    Windows reports a file another program holds open as a permission error
    with a sharing violation (winerror 32 or 33).
    """
    if getattr(error, "winerror", None) in (32, 33):
        reason = "filen används av ett annat program"
    else:
        reason = REASONS.get(error.errno or 0) or error.strerror or str(error)
    return f"{reason} ({error.filename})" if error.filename else reason
