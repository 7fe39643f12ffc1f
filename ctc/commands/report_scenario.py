"""`ctc report scenario` and `ctc report forecast`: thin shells over the scenario reports.

Registered on `ctc report` at the end of `ctc.cli`. Without `--format`, the
format follows `-o`'s extension (`.csv`, `.md`, `.xlsx`), else a terminal
table. Everything is computed before anything is written, and files are
written atomically, so an error leaves no file behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ctc.commands.common import LedgerArg, echo
from ctc.errors import UserError
from ctc.ledger import Ledger, load_clean_ledger
from ctc.registers import parse_committees
from ctc.reports.forecast import forecast_against_outcome, forecast_csv
from ctc.reports.scenario import scenario_csv, scenario_report
from ctc.reports.scenario_document import Document, render_markdown, render_text
from ctc.reports.scenario_sections import forecast_document, provenance, scenario_document
from ctc.reports.scenario_xlsx import write_xlsx
from ctc.writer import atomic_write

FORMATS = ("table", "csv", "md", "xlsx")
UNITS = ("kr", "tkr", "mnkr")

ScenarioOption = Annotated[
    Path,
    typer.Option("--scenario", help="Scenariofilen (se ledger/README.md).", show_default=False),
]
UnitOption = Annotated[str, typer.Option(help="kr, tkr eller mnkr.")]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="table, csv, md eller xlsx (standard: efter -o).")
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Skriv till filen i stället för till skärmen.")
]


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, or the one `-o`'s extension names, or a terminal table."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        fmt = suffix if suffix in FORMATS else "table"
    if fmt not in FORMATS:
        raise UserError(f"Okänt format {fmt!r}; välj {', '.join(FORMATS)}.")
    if fmt == "xlsx" and output is None:
        raise UserError("Formatet xlsx skrivs till en fil; ange -o FIL.xlsx.")
    return fmt


def prepare(
    ledger: Path | None, fmt: str | None, output: Path | None, unit: str
) -> tuple[str, Ledger]:
    """Check the options before any work, then load the ledger: (format, ledger)."""
    form = output_format(fmt, output)
    if unit not in UNITS:
        raise UserError(f"Okänd enhet {unit!r}; välj {', '.join(UNITS)}.")
    return form, load_clean_ledger(ledger)


def deliver(fmt: str, csv_text: str | None, document: Document, output: Path | None) -> None:
    """Write the report in its format to `output`, or print it."""
    if fmt == "xlsx" and output is not None:
        write_xlsx(document, output)
        return
    if fmt == "csv" and csv_text is not None:
        text = csv_text
    elif fmt == "md":
        text = render_markdown(document)
    else:
        text = render_text(document, bold=output is None and sys.stdout.isatty())
    if output is None:
        echo(text)
    else:
        atomic_write(output, text)


def committee_names(loaded: Ledger, municipality: str) -> dict[str, str]:
    """Short name -> full name of the municipality's committees."""
    committees, _ = parse_committees(loaded.entries)
    return {c.short: c.name for (m, _), c in committees.items() if m == municipality}


def scenario(
    scenario: ScenarioOption,
    ledger: LedgerArg = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    unit: UnitOption = "tkr",
) -> None:
    """Vad ett scenario kostar per år, nämnd och kostnadstyp, med antaganden och känslighet."""
    form, loaded = prepare(ledger, fmt, output, unit)
    report = scenario_report(loaded.entries, scenario)
    names = committee_names(loaded, report.costs.scenario.municipality)
    document = scenario_document(
        report, unit, names, loaded.options.synthetic, provenance(loaded.path, scenario)
    )
    deliver(form, scenario_csv(report.costs.rows), document, output)


def forecast(
    scenario: ScenarioOption,
    ledger: LedgerArg = None,
    year: Annotated[int | None, typer.Option("--year", help="Bara det här året.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    unit: UnitOption = "kr",
) -> None:
    """Prognos mot utfall för ett scenario vars år har passerat, per nämnd och kostnadstyp."""
    form, loaded = prepare(ledger, fmt, output, unit)
    result = forecast_against_outcome(loaded.entries, scenario, year, year)
    document = forecast_document(
        result, unit, loaded.options.synthetic, provenance(loaded.path, scenario)
    )
    deliver(form, forecast_csv(result.rows), document, output)
