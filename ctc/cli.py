"""The command line `ctc`: a thin shell over the package's functions.

Commands parse options, call functions that neither print nor exit, and turn
the results into output and an exit code. A user's mistake surfaces as one
line on stderr and a non-zero exit, never as a traceback. Each command lives
in its own module under `ctc.commands`; this module only assembles them.
"""

from __future__ import annotations

import sys

import typer

from ctc.commands.check import check
from ctc.commands.imports import import_files
from ctc.commands.report import report_app
from ctc.commands.serve import serve
from ctc.commands.trace import trace
from ctc.errors import UserError

app = typer.Typer(
    name="ctc",
    help="Huvudbok för kostnader och växlingar av kommunbidrag mellan nämnder (CTC).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command()(check)
app.add_typer(report_app, name="report")
app.command()(serve)
app.command()(trace)
app.command("import")(import_files)


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


# Scenarios and forecasts (issue 8): their own modules, registered here so that the
# report module stays untouched; above the __main__ guard so `python -m ctc.cli` sees them.
from ctc.commands.report_scenario import forecast, scenario  # noqa: E402
from ctc.commands.scenario import scenario_app  # noqa: E402

report_app.command("scenario")(scenario)
report_app.command("forecast")(forecast)
app.add_typer(scenario_app, name="scenario")

if __name__ == "__main__":
    sys.exit(main())
