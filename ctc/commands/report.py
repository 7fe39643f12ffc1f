"""`ctc report NAME`: the reports, each a thin shell over `ctc.reports`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ctc.commands.common import LedgerArg, echo
from ctc.errors import UserError
from ctc.ledger import load_clean_ledger
from ctc.registers import parse_committees
from ctc.reports.frame import cost_lines
from ctc.reports.labels import label
from ctc.reports.table import render
from ctc.reports.yearly import parse_by, yearly_csv, yearly_rows, yearly_table

report_app = typer.Typer(help="Rapporter ur huvudboken.", no_args_is_help=True)


@report_app.command("yearly")
def yearly(
    ledger: LedgerArg = None,
    from_year: Annotated[int | None, typer.Option("--from", help="Första året.")] = None,
    to_year: Annotated[int | None, typer.Option("--to", help="Sista året.")] = None,
    by: Annotated[str, typer.Option(help="committee, type eller committee,type.")] = "committee",
    fmt: Annotated[str, typer.Option("--format", help="table eller csv.")] = "table",
    unit: Annotated[str, typer.Option(help="kr, tkr eller mnkr (tabell).")] = "tkr",
    lang: Annotated[str, typer.Option(help="sv eller en.")] = "sv",
) -> None:
    """Programmets kostnad per år, per nämnd och/eller kostnadstyp."""
    if fmt not in ("table", "csv"):
        raise UserError(f"Okänt format {fmt!r}; välj table eller csv.")
    if unit not in ("kr", "tkr", "mnkr") or lang not in ("sv", "en"):
        raise UserError("--unit ska vara kr, tkr eller mnkr och --lang sv eller en.")
    dimensions = parse_by(by)
    loaded = load_clean_ledger(ledger)
    committees, _ = parse_committees(loaded.entries)
    order = [c.short for c in committees.values()]
    lines = cost_lines(loaded.entries, loaded.options.programme)
    rows = yearly_rows(lines, dimensions, from_year, to_year, order)
    if fmt == "csv":
        echo(yearly_csv(rows))
        return
    title = label("yearly_title", lang).format(programme=loaded.options.programme, unit=unit)
    if loaded.options.synthetic:
        echo(label("synthetic", lang) + "\n")
    echo(title + "\n\n")
    echo(render(yearly_table(rows, dimensions, unit, lang, order), bold=sys.stdout.isatty()))
