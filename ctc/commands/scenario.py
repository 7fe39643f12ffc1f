"""`ctc scenario new`: draft a scenario file from the ledger's own unit costs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from ctc.commands.common import LedgerArg, echo
from ctc.errors import UserError
from ctc.files import atomic_write
from ctc.ledger import load_clean_ledger
from ctc.registers import parse_committees
from ctc.reports.actuals import measure_actuals
from ctc.reports.draft import (
    CENTRAL,
    DEFAULT_PRICE_INDEX,
    default_area_committee,
    draft_comments,
    draft_scenario,
)
from ctc.scenario_check import check_scenario
from ctc.scenario_render import render_scenario

scenario_app = typer.Typer(help="Scenarier: vad programmet skulle kosta.", no_args_is_help=True)


def _percent(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise UserError(
            f"{option} ska vara ett tal i procent, till exempel 2,5, inte {text!r}."
        ) from None


@scenario_app.command("new")
def new(
    ledger: LedgerArg = None,
    from_actuals: Annotated[
        bool, typer.Option("--from-actuals", help="Utkast ur huvudbokens utfall (krävs).")
    ] = False,
    municipality: Annotated[
        str | None, typer.Option(help="Kommunen scenariot gäller (standard: den uppmätta).")
    ] = None,
    areas: Annotated[
        int | None, typer.Option(help="Antal områden (standard: de uppmätta).")
    ] = None,
    first_year: Annotated[
        int | None,
        typer.Option("--from", help="Första året (standard: året efter huvudbokens sista)."),
    ] = None,
    last_year: Annotated[
        int | None, typer.Option("--to", help="Sista året (standard: två år efter det första).")
    ] = None,
    measure_from: Annotated[
        int | None, typer.Option(help="Första mätåret (standard: de hela åren).")
    ] = None,
    measure_to: Annotated[int | None, typer.Option(help="Sista mätåret.")] = None,
    area_committee: Annotated[
        str | None, typer.Option(help="Nämnden för områdenas tjänster och kostnader.")
    ] = None,
    central_committee: Annotated[
        str, typer.Option(help="Nämnden för de gemensamma tjänsterna och kostnaderna.")
    ] = CENTRAL,
    price_index: Annotated[str, typer.Option(help="Antaget prisindex per år, procent.")] = str(
        DEFAULT_PRICE_INDEX
    ),
    salary_increase: Annotated[
        str | None, typer.Option(help="Antagen löneökning per år, procent (standard: uppmätt).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Skriv utkastet till filen.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Skriv över en befintlig fil.")] = False,
) -> None:
    """Skapa ett utkast till scenario ur huvudbokens egna enhetskostnader."""
    if not from_actuals:
        raise UserError("Ange --from-actuals: utkast skapas ur huvudbokens utfall.")
    if output is not None and output.exists() and not force:
        raise UserError(f"Filen {output} finns redan; välj ett annat namn eller ange --force.")
    loaded = load_clean_ledger(ledger)
    measurement = measure_actuals(
        loaded.entries, loaded.options, loaded.path, measure_from, measure_to
    )
    target = municipality or measurement.municipality
    committees, _ = parse_committees(loaded.entries)
    booked = max(v.year for v in measurement.verdicts)
    first = first_year if first_year is not None else booked + 1
    last = last_year if last_year is not None else first + 2
    scenario = draft_scenario(
        measurement,
        municipality=target,
        areas=areas if areas is not None else len(measurement.areas),
        first_year=first,
        last_year=last,
        area_committee=area_committee
        or default_area_committee(committees, target, central_committee),
        central_committee=central_committee,
        price_index=_percent(price_index, "--price-index") or Decimal(0),
        salary_increase=_percent(salary_increase, "--salary-increase"),
        path=output or Path("utkast.beancount"),
    )
    _, problems = check_scenario(scenario, loaded.entries)
    if problems:
        raise UserError(f"Utkastet går inte ihop med huvudboken: {problems[0].message}")
    measured = f" --measure-from {measurement.years[0]} --measure-to {measurement.years[-1]}"
    command = (
        f"ctc scenario new --from-actuals --municipality {target} --areas {scenario.areas} "
        f"--from {first} --to {last}" + (measured if measure_from or measure_to else "")
    )
    text = render_scenario(scenario, draft_comments(measurement, command))
    if output is None:
        echo(text)
        return
    atomic_write(output, text)
    typer.echo(f"Skrev utkastet {output}.", err=True)
