"""The command line `ctc`: a thin shell over the package's functions.

Commands parse options, call functions that neither print nor exit, and turn
the results into output and an exit code. A user's mistake surfaces as one
line on stderr and a non-zero exit, never as a traceback. Each command lives
in its own module under `ctc.commands`; this module only assembles them.
"""

from __future__ import annotations

import sys

import typer

from ctc.commands.ahead import read_ahead
from ctc.errors import UserError, describe_os_error

HELP = "Huvudbok för kostnader och växlingar av kommunbidrag mellan nämnder (CTC)."


def _check(app: typer.Typer) -> None:
    from ctc.commands.check import check

    app.command()(check)


def _report(app: typer.Typer) -> None:
    from ctc.commands.report import report_app

    app.add_typer(report_app, name="report")


def _serve(app: typer.Typer) -> None:
    from ctc.commands.serve import serve

    app.command()(serve)


def _trace(app: typer.Typer) -> None:
    from ctc.commands.trace import trace

    app.command()(trace)


def _import(app: typer.Typer) -> None:
    from ctc.commands.imports import import_files

    app.command("import")(import_files)


def _close(app: typer.Typer) -> None:
    from ctc.commands.close import close

    app.command()(close)


def _scenario(app: typer.Typer) -> None:
    from ctc.commands.scenario import scenario_app

    app.add_typer(scenario_app, name="scenario")


COMMANDS = {
    "check": _check,
    "report": _report,
    "serve": _serve,
    "trace": _trace,
    "import": _import,
    "close": _close,
    "scenario": _scenario,
}
"""Each command and how to register it, in the order `ctc --help` lists them."""


def build_app(argv: list[str]) -> typer.Typer:
    """The `ctc` app with the command `argv` names, or with all of them.

    A command's module (and the libraries it needs) is imported only when
    that command runs: `ctc import` on a big export should not first import
    every report.
    """
    app = typer.Typer(
        name="ctc",
        help=HELP,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def root() -> None:
        """Keeps `ctc` a group of commands when only one is registered."""

    named = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, register in COMMANDS.items():
        if named not in COMMANDS or name == named:
            register(app)
    return app


def main(argv: list[str] | None = None) -> int:
    """Run `ctc`; return its exit code. User errors become one line on stderr."""
    args = sys.argv[1:] if argv is None else argv
    if argv is None:  # the real command line, not a test calling in
        read_ahead(args)
    command = typer.main.get_command(build_app(args))
    try:
        result = command.main(args=args, prog_name="ctc", standalone_mode=False)
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
    except OSError as error:
        # A file error no command foresaw (a full disk, no permission): still one line.
        typer.echo(f"ctc: fel: fil- eller diskfel: {describe_os_error(error)}.", err=True)
        return 1
    except typer.Abort:
        typer.echo("ctc: avbrutet", err=True)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
