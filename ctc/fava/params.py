"""Years in the CTC pages' query strings: ASCII digits, within the ledger's span.

`str.isdigit()` takes `²` and `٣` for digits, which `int()` then refuses or
reads as another number; a year is therefore one to four of the ASCII digits
0–9, or the request is refused (400). A span is clipped to the years the
ledger has entries in, so no request makes a page compute, or allocate, per
year beyond the books (`?from=1&to=9999` shows the whole ledger).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ctc.errors import UserError

Span = tuple[int, int]
"""First and last year, inclusive."""
YEAR_RE = re.compile(r"[0-9]{1,4}")
YEAR_KEYS = ("from", "to", "year")
"""The query parameters that are years."""


def year_param(args: Mapping[str, str], key: str) -> int | None:
    """The year in `args[key]`; None when absent or empty; a clear error when not a year."""
    value = (args.get(key) or "").strip()
    if not value:
        return None
    if not YEAR_RE.fullmatch(value):
        raise UserError(f"{key} ska vara ett årtal med siffrorna 0–9, inte {value[:20]!r}.")
    return int(value)


def clip(year: int | None, span: Span | None) -> int | None:
    """A year moved into the ledger's span (None stays None, as does any year without a span)."""
    if year is None or span is None:
        return year
    return min(max(year, span[0]), span[1])


def check_years(args: Mapping[str, str]) -> None:
    """Refuse a request whose `from`, `to` or `year` is not a year."""
    for key in YEAR_KEYS:
        year_param(args, key)
