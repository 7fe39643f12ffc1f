"""`ctc report NAME`: the reports, each a thin shell over `ctc.reports`.

Each command checks its own options and hands `run` a function that builds
its report from the ledger's frame; `run` checks the shared options, loads
the frame and writes the report in the format `--format` or `-o` asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from ctc.commands.common import FormatOpt, LangOpt, LedgerArg, OutputOpt, parse_kronor, run
from ctc.reports.budget import budget_report
from ctc.reports.motion import motion_report
from ctc.reports.positions import positions_report
from ctc.reports.result import Report
from ctc.reports.transfers import transfers_report
from ctc.reports.yearly import check_span, parse_by, yearly_report

report_app = typer.Typer(help="Rapporter ur huvudboken.", no_args_is_help=True)

FromOpt = Annotated[int | None, typer.Option("--from", help="Första året.")]
ToOpt = Annotated[int | None, typer.Option("--to", help="Sista året.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Bara detta år.")]
UnitHelp = "Enhet i tabell, md och xlsx: kr, tkr eller mnkr (csv är alltid kronor)."


@report_app.command("yearly")
def yearly(
    ledger: LedgerArg = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    by: Annotated[
        str, typer.Option(help="committee, type, area och/eller position, åtskilda med komma.")
    ] = "committee",
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: Annotated[str, typer.Option(help=UnitHelp)] = "tkr",
    lang: LangOpt = "sv",
) -> None:
    """Programmets kostnad per år, per nämnd, kostnadstyp, område och/eller tjänst."""
    dimensions = parse_by(by)
    check_span(from_year, to_year)
    run(
        ledger,
        fmt,
        output,
        unit,
        lang,
        lambda frame: yearly_report(frame, dimensions, from_year, to_year, unit, lang),
    )


@report_app.command("transfers")
def transfers(
    ledger: LedgerArg = None,
    decision: Annotated[
        str | None, typer.Option(help="Bara växlingar enligt beslutet (id i beslutsregistret).")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Bara växlingar som träder i kraft detta år.")
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: Annotated[str, typer.Option(help=UnitHelp)] = "kr",
    lang: LangOpt = "sv",
) -> None:
    """Växlingar av kommunbidrag: vad varje nämnd lämnar eller tar emot, per beslut."""
    run(ledger, fmt, output, unit, lang, lambda f: transfers_report(f, decision, year, unit, lang))


def year_report(build: Callable[..., Report], summary: str) -> Callable[..., None]:
    """A `ctc report` command for a report filtered by `--year` only."""

    def command(
        ledger: LedgerArg = None,
        year: YearOpt = None,
        fmt: FormatOpt = None,
        output: OutputOpt = None,
        unit: Annotated[str, typer.Option(help=UnitHelp)] = "tkr",
        lang: LangOpt = "sv",
    ) -> None:
        run(ledger, fmt, output, unit, lang, lambda frame: build(frame, year, unit, lang))

    command.__doc__ = summary
    return command


report_app.command("positions")(
    year_report(
        positions_report,
        "Tjänster: årsarbetare och personalkostnad per nämnd och år, och tjänsternas flyttar.",
    )
)
report_app.command("budget")(
    year_report(budget_report, "Kommunbidrag, kostnad och budgetavvikelse per nämnd och år.")
)


MotionSpanHelp = "Inget standardvärde: utan --from och --to gäller åren som --question anger."


@report_app.command("motion")
def motion(
    ledger: LedgerArg = None,
    question: Annotated[
        str | None,
        typer.Option(
            "--question",
            help="Ärendet som besvaras: beslutets id i registret (motionen eller beslutet som "
            "besvarar den); citeras, och ger åren om registret anger from_year och to_year.",
        ),
    ] = None,
    from_year: Annotated[
        int | None, typer.Option("--from", help=f"Första året. {MotionSpanHelp}")
    ] = None,
    to_year: Annotated[
        int | None, typer.Option("--to", help=f"Sista året. {MotionSpanHelp}")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="En tidigare publicerad siffra i kronor att stämma av mot (annars den som "
            "--question:s beslut anger, om någon).",
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    unit: Annotated[str, typer.Option(help=UnitHelp)] = "tkr",
    lang: LangOpt = "sv",
) -> None:
    """Svar på en motion om programmets årliga kostnader, färdigt att klistra in."""
    check_span(from_year, to_year)
    figure = parse_kronor(published, "--published") if published is not None else None
    run(
        ledger,
        fmt,
        output,
        unit,
        lang,
        lambda f: motion_report(
            f, from_year, to_year, unit, lang, question=question, published=figure
        ),
    )


# Scenarios and forecasts have their own module (they read scenario files, not only the ledger).
from ctc.commands.report_scenario import forecast, scenario  # noqa: E402

report_app.command("scenario")(scenario)
report_app.command("forecast")(forecast)
