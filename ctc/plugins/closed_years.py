"""Checks that a closed year's books change only by a recorded correction (`year-closed`).

After `ctc close YEAR --decision ID` the year's programme entries (costs,
kommunbidrag, växlingar) must be exactly those the closing recorded, plus
and minus what later `year-correction` entries account for, each citing a
decision. An entry added or changed since is reported at its own line; entries
removed (or the old form of changed ones) are counted at the last record.
See `ctc.closing`.
"""

from __future__ import annotations

from beancount.core import data

from ctc.closing import read_closed_years, year_problems
from ctc.errors import RuleError

__plugins__ = ("check_closed_years",)


def check_closed_years(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report changes to closed years that no correction accounts for."""
    closed, errors = read_closed_years(entries)
    for state in closed.values():
        errors += year_problems(entries, state)
    return entries, errors
