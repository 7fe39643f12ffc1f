"""Recording a closed year, a correction of one, or a published report in the ledger.

Each is a small entry `ctc` builds from the loaded ledger (`ctc.closing`,
`ctc.published`) and writes by the import's own path
(`ctc.importers.run.record_entries`): under the import lock, checked with
every rule before it is written, all or nothing. The functions neither print
nor exit: they return what was recorded or raise `UserError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from ctc.closing import closing_record, correction_of_changes, read_closed_years
from ctc.errors import UserError
from ctc.importers.run import record_entries
from ctc.ledger import Ledger
from ctc.published import Args, build_report, ledger_digest, published_record
from ctc.registers import Decision
from ctc.reports.result import Report


@dataclass(frozen=True, slots=True)
class Recorded:
    """What was written: the record, and the ledger files it changed."""

    record: data.Custom
    written: tuple[str, ...]


def registered(ledger: Ledger, decision: str, option: str) -> Decision:
    """A decision of the register, or a clear error naming the option that gave it."""
    found = ledger.registers.decisions.get(decision)
    if found is None:
        raise UserError(f"Beslutet {decision} ({option}) finns inte i beslutsregistret.")
    return found


def close_year(ledger_path: Path | None, year: int, decision: str) -> Recorded:
    """Record that `year`'s books are closed by `decision`: a digest of each programme entry."""
    made: list[data.Custom] = []

    def build(ledger: Ledger) -> list[data.Directive]:
        closed, _ = read_closed_years(ledger.entries)
        if year in closed:
            raise UserError(
                f"{year} är redan avslutat (bokslut enligt {closed[year].decision}); en ändring "
                f"registreras med ctc close {year} --correction BESLUT."
            )
        made.append(
            closing_record(ledger.entries, year, registered(ledger, decision, "--decision"))
        )
        return list(made)

    _, written = record_entries(ledger_path, build)
    return Recorded(made[0], written)


def correct_year(ledger_path: Path | None, year: int, decision: str) -> Recorded:
    """Record that `decision` accounts for how a closed year's entries differ from its records."""
    made: list[data.Custom] = []

    def build(ledger: Ledger) -> list[data.Directive]:
        closed, _ = read_closed_years(ledger.entries)
        if year not in closed:
            raise UserError(
                f"{year} är inte avslutat; stäng det med ctc close {year} --decision ID."
            )
        chosen = registered(ledger, decision, "--correction")
        made.append(correction_of_changes(ledger.entries, closed[year], chosen))
        return list(made)

    _, written = record_entries(ledger_path, build)
    return Recorded(made[0], written)


def publish(
    ledger_path: Path | None,
    kind: str,
    args: Args,
    options: tuple[str, str],
    decision: str,
) -> tuple[Report, Recorded]:
    """Build a report from the ledger and record it as published by `decision`.

    `options` is the report's (unit, lang). The ledger must pass its checks:
    what is published rests on checked books.
    """
    made: list[tuple[Report, data.Custom]] = []

    def build(ledger: Ledger) -> list[data.Directive]:
        if ledger.errors:
            raise UserError(
                f"Huvudboken {ledger.path} har {len(ledger.errors)} fel; kör `ctc check` och "
                "rätta dem innan något publiceras."
            )
        chosen = registered(ledger, decision, "--publish")
        report = build_report(ledger.frame, kind, args, *options)
        digest = ledger_digest(ledger.files, os.path.abspath(ledger.path.parent))  # noqa: PTH100
        record = published_record(report, kind, args, options, chosen, (ledger.entries, digest))
        made.append((report, record))
        return [record]

    _, written = record_entries(ledger_path, build)
    report, record = made[0]
    return report, Recorded(record, written)
