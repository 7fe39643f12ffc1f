"""The command line `ctc`: a thin shell over the package's functions.

Commands parse options, call functions that neither print nor exit, and turn
the results into output and an exit code. A user's mistake surfaces as one
line on stderr and a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ctc.errors import UserError
from ctc.ledger import LEDGER_ENV, format_error, load_clean_ledger, load_ledger
from ctc.registers import parse_committees
from ctc.reports.frame import cost_lines
from ctc.reports.labels import label
from ctc.reports.table import render
from ctc.reports.yearly import parse_by, yearly_csv, yearly_rows, yearly_table

app = typer.Typer(
    name="ctc",
    help="Huvudbok för kostnader och växlingar av kommunbidrag mellan nämnder (CTC).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
report_app = typer.Typer(help="Rapporter ur huvudboken.", no_args_is_help=True)
app.add_typer(report_app, name="report")

LedgerArg = Annotated[
    Path | None,
    typer.Argument(
        help=f"Huvudboken (standard: ${LEDGER_ENV} eller det medföljande exemplet).",
        show_default=False,
    ),
]


def echo(text: str) -> None:
    """Write text to stdout as is."""
    sys.stdout.write(text)


@app.command()
def check(ledger: LedgerArg = None) -> None:
    """Kontrollera huvudboken med alla regler; skriver varje fel som fil:rad: meddelande."""
    loaded = load_ledger(ledger)
    for error in loaded.errors:
        echo(format_error(error) + "\n")
    if loaded.errors:
        typer.echo(f"{len(loaded.errors)} fel i {loaded.path}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Inga fel i {loaded.path} ({len(loaded.entries)} poster).", err=True)


@report_app.command("yearly")
def report_yearly(
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


@app.command()
def serve(
    ledger: LedgerArg = None,
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 5000,
    editable: Annotated[bool, typer.Option(help="Tillåt ändringar i Fava.")] = False,
) -> None:
    """Starta Fava på huvudboken (skrivskyddat, på 127.0.0.1)."""
    from ctc.ledger import resolve_ledger_path
    from ctc.serve import serve as run

    path = resolve_ledger_path(ledger)
    typer.echo(f"Startar Fava på http://{host}:{port}/ för {path}", err=True)
    run(path, host, port, editable)


def main(argv: list[str] | None = None) -> int:
    """Run `ctc`; return its exit code. User errors become one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="ctc", standalone_mode=False)
    except UserError as error:
        typer.echo(f"ctc: fel: {error}", err=True)
        return 1
    except typer.TyperException as error:
        context = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and context is not None:
            typer.echo(context.get_help(), err=True)
            return 0
        message = " ".join(error.format_message().split())
        typer.echo(f"ctc: fel: {message}", err=True)
        return error.exit_code
    except typer.Abort:
        typer.echo("ctc: avbrutet", err=True)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
