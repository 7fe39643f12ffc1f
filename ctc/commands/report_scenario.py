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

from ctc.commands.common import FormatOpt, LedgerArg, OutputOpt, check_unit_and_lang, emit
from ctc.ledger import Ledger, load_clean_ledger
from ctc.registers import parse_committees
from ctc.reports.forecast import forecast_against_outcome, forecast_records
from ctc.reports.scenario import scenario_records, scenario_report
from ctc.reports.scenario_document import as_report
from ctc.reports.scenario_sections import forecast_document, provenance, scenario_document
from ctc.reports.writers import choose_format

ScenarioOption = Annotated[
    Path,
    typer.Option("--scenario", help="Scenariofilen (se ledger/README.md).", show_default=False),
]
UnitOption = Annotated[str, typer.Option(help="kr, tkr eller mnkr.")]


def prepare(ledger: Path | None, fmt: str | None, output: Path | None, unit: str) -> Ledger:
    """Check the options before any work, then load the ledger."""
    choose_format(fmt, output)
    check_unit_and_lang(unit, "sv")
    return load_clean_ledger(ledger)


def committee_names(loaded: Ledger, municipality: str) -> dict[str, str]:
    """Short name -> full name of the municipality's committees."""
    committees, _ = parse_committees(loaded.entries)
    return {c.short: c.name for (m, _), c in committees.items() if m == municipality}


def scenario(
    scenario: ScenarioOption,
    ledger: LedgerArg = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: UnitOption = "tkr",
) -> None:
    """Vad ett scenario kostar per år, nämnd och kostnadstyp, med antaganden och känslighet."""
    loaded = prepare(ledger, fmt, output, unit)
    report = scenario_report(loaded.entries, scenario)
    names = committee_names(loaded, report.costs.scenario.municipality)
    document = scenario_document(report, unit, names, loaded.options.synthetic)
    records = scenario_records(report.costs.rows)
    emit(as_report(document, "scenario", records, provenance(loaded.path, scenario)), fmt, output)


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
    result = forecast_against_outcome(loaded.entries, scenario, year, year)
    document = forecast_document(result, unit, loaded.options.synthetic)
    records = forecast_records(result.rows)
    emit(as_report(document, "forecast", records, provenance(loaded.path, scenario)), fmt, output)
