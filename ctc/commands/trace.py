"""`ctc trace`: the entries behind one figure, with their sources and decisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctc import frame_cache
from ctc.commands.common import FormatOpt, LangOpt, LedgerArg, OutputOpt, run
from ctc.reports.frame import Frame
from ctc.reports.trace import parse_cost_type, resolve_committee, trace_report


def trace(
    ledger: LedgerArg = None,
    *,
    committee: Annotated[str, typer.Option(help="Nämndens kortnamn, till exempel KS.")],
    year: Annotated[int, typer.Option(help="Året.")],
    cost_type: Annotated[
        str | None,
        typer.Option("--type", help="Bara kostnadstypen salary, po eller other (eller survey …)."),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    lang: LangOpt = "sv",
) -> None:
    """Posterna bakom en nämnds kostnad ett år, med källa (fil, blad, rad) och beslut."""
    parse_cost_type(cost_type)

    def warm(main: Path, shown: Path) -> Frame | None:
        # The committee's lines of the year, from the frame cache's detail.
        return frame_cache.trace_frame(
            main, shown, lambda summary: [(year, *resolve_committee(summary, committee))]
        )

    run(
        ledger,
        fmt,
        output,
        "kr",
        lang,
        lambda f: trace_report(f, committee, year, cost_type, lang),
        warm,
    )
