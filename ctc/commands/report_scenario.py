"""`ctc report scenario` and `ctc report forecast`: thin shells over the scenario reports.

Registered on `ctc report` at the end of `ctc.cli`. They write through the
same writers as every other report: without `--format`, the format follows
`-o`'s extension (`.csv`, `.md`, `.xlsx`), else a terminal table. Everything
is computed before anything is written, and files are written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctc.commands.common import (
    FormatOpt,
    LedgerArg,
    OutputOpt,
    check_unit_and_lang,
    emit,
    open_ledger,
)
from ctc.ledger import Ledger
from ctc.reports.writers import choose_format
from ctc.scenarios.forecast_document import build_forecast_report
from ctc.scenarios.report_document import build_scenario_report

ScenarioOption = Annotated[
    Path,
    typer.Option("--scenario", help="Scenariofilen (se ledger/README.md).", show_default=False),
]
UnitOption = Annotated[str, typer.Option(help="kr, tkr eller mnkr.")]


def prepare(ledger: Path | None, fmt: str | None, output: Path | None, unit: str) -> Ledger:
    """Check the options before any work, then load the ledger."""
    choose_format(fmt, output)
    check_unit_and_lang(unit, "sv")
    return open_ledger(ledger)


def scenario(
    scenario: ScenarioOption,
    ledger: LedgerArg = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: UnitOption = "tkr",
) -> None:
    """Vad ett scenario kostar per år, nämnd och kostnadstyp, med antaganden och känslighet."""
    loaded = prepare(ledger, fmt, output, unit)
    emit(build_scenario_report(loaded, scenario, unit), fmt, output)


def forecast(
    scenario: ScenarioOption,
    ledger: LedgerArg = None,
    year: Annotated[int | None, typer.Option("--year", help="Bara det här året.")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: UnitOption = "kr",
) -> None:
    """Prognos mot utfall för ett scenario vars år har passerat, per nämnd och kostnadstyp."""
    loaded = prepare(ledger, fmt, output, unit)
    emit(build_forecast_report(loaded, scenario, year, unit), fmt, output)
