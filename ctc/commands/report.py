"""`ctc report NAME`: the reports, each a thin shell over `ctc.reports`.

Each command checks its own options and hands `run` a function that builds
its report from the ledger's frame; `run` checks the shared options, loads
the frame and writes the report in the format `--format` or `-o` asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ctc import frame_cache
from ctc.commands.common import (
    FormatOpt,
    LangOpt,
    LedgerArg,
    OutputOpt,
    check_unit_and_lang,
    emit,
    parse_kronor,
    run,
)
from ctc.published import Args, build_report
from ctc.reports.writers import choose_format
from ctc.reports.yearly import check_span, parse_by

report_app = typer.Typer(help="Rapporter ur huvudboken.", no_args_is_help=True)

FromOpt = Annotated[int | None, typer.Option("--from", help="Första året.")]
ToOpt = Annotated[int | None, typer.Option("--to", help="Sista året.")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Bara detta år.")]
UnitHelp = "Enhet i tabell, md och xlsx: kr, tkr eller mnkr (csv är alltid kronor)."
PublishOpt = Annotated[
    str | None,
    typer.Option(
        "--publish",
        help="Registrera rapporten som publicerad enligt beslutet (id i beslutsregistret): "
        "varje siffra sparas i huvudboken och ctc check varnar om den ändras.",
        show_default=False,
    ),
]


def report_of(
    kind: str,
    args: dict[str, int | str | None],
    options: tuple[Path | None, str | None, Path | None, str, str],
    publish: str | None,
) -> None:
    """Build a report of `kind` and write it; with `publish`, record it as published first.

    `options` is (ledger, format, output, unit, lang).
    """
    ledger, fmt, output, unit, lang = options
    given: Args = {key: value for key, value in args.items() if value is not None}
    if publish is None:
        # Yearly sums only: the frame cache's summary answers it (`ctc.frame_cache`).
        warm = frame_cache.summary_frame if kind == "yearly" else None
        run(
            ledger,
            fmt,
            output,
            unit,
            lang,
            lambda f: build_report(f, kind, given, unit, lang),
            warm,
        )
        return
    choose_format(fmt, output)
    check_unit_and_lang(unit, lang)
    from ctc.recording import publish as record_publication

    report, recorded = record_publication(ledger, kind, given, (unit, lang), publish)
    emit(report, fmt, output)
    count = str(recorded.record.meta["figures"]).count("\n")
    typer.echo(f"Publicerad enligt {publish}: {count} siffror registrerade i huvudboken.", err=True)


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
    publish: PublishOpt = None,
) -> None:
    """Programmets kostnad per år, per nämnd, kostnadstyp, område och/eller tjänst."""
    parse_by(by)
    check_span(from_year, to_year)
    args = {"from_year": from_year, "to_year": to_year, "by": by}
    report_of("yearly", args, (ledger, fmt, output, unit, lang), publish)


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
    publish: PublishOpt = None,
) -> None:
    """Växlingar av kommunbidrag: vad varje nämnd lämnar eller tar emot, per beslut."""
    args: dict[str, int | str | None] = {"transfer_decision": decision, "year": year}
    report_of("transfers", args, (ledger, fmt, output, unit, lang), publish)


def year_report(kind: str, summary: str) -> Callable[..., None]:
    """A `ctc report` command for a report filtered by `--year` only."""

    def command(
        ledger: LedgerArg = None,
        year: YearOpt = None,
        fmt: FormatOpt = None,
        output: OutputOpt = None,
        unit: Annotated[str, typer.Option(help=UnitHelp)] = "tkr",
        lang: LangOpt = "sv",
        publish: PublishOpt = None,
    ) -> None:
        report_of(kind, {"year": year}, (ledger, fmt, output, unit, lang), publish)

    command.__doc__ = summary
    return command


report_app.command("positions")(
    year_report(
        "positions",
        "Tjänster: årsarbetare och personalkostnad per nämnd och år, och tjänsternas flyttar.",
    )
)
report_app.command("budget")(
    year_report("budget", "Kommunbidrag, kostnad och budgetavvikelse per nämnd och år.")
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
    publish: PublishOpt = None,
) -> None:
    """Svar på en motion om programmets årliga kostnader, färdigt att klistra in."""
    check_span(from_year, to_year)
    figure = parse_kronor(published, "--published") if published is not None else None
    args: dict[str, int | str | None] = {
        "from_year": from_year,
        "to_year": to_year,
        "question": question,
        "published": f"{figure:f}" if figure is not None else None,
    }
    report_of("motion", args, (ledger, fmt, output, unit, lang), publish)


@report_app.command("published")
def published(
    ledger: LedgerArg = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "sv",
) -> None:
    """Publicerade rapporter: beslut, rapport, urval, antal siffror och om de stämmer i dag."""
    from ctc.ledger import load_clean_ledger
    from ctc.reports.publications import publications_report

    choose_format(fmt, output)
    check_unit_and_lang("kr", lang)
    emit(publications_report(load_clean_ledger(ledger), lang), fmt, output)


# Scenarios and forecasts have their own module (they read scenario files, not only the ledger).
from ctc.commands.report_scenario import forecast, scenario  # noqa: E402

report_app.command("scenario")(scenario)
report_app.command("forecast")(forecast)
