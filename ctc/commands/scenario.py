"""`ctc scenario new`: draft a scenario file from the ledger's own unit costs.

A thin shell over `ctc.scenarios.draft_from_actuals`: it parses the options,
loads the ledger, asks for the draft and writes it to the file or stdout.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from ctc.commands.common import LedgerArg, echo, open_ledger
from ctc.errors import UserError
from ctc.files import atomic_write
from ctc.scenarios.draft import CENTRAL, DEFAULT_PRICE_INDEX
from ctc.scenarios.from_actuals import DraftRequest, draft_from_actuals

scenario_app = typer.Typer(help="Scenarier: vad programmet skulle kosta.", no_args_is_help=True)


def _percent(text: str | None, option: str) -> Decimal | None:
    """A percentage option as a number; a decimal comma is accepted, as Swedes write it."""
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
    request = DraftRequest(
        municipality=municipality,
        areas=areas,
        first_year=first_year,
        last_year=last_year,
        measure_from=measure_from,
        measure_to=measure_to,
        area_committee=area_committee,
        central_committee=central_committee,
        price_index=_percent(price_index, "--price-index") or Decimal(0),
        salary_increase=_percent(salary_increase, "--salary-increase"),
        path=output,
    )
    draft = draft_from_actuals(open_ledger(ledger), request)
    if output is None:
        echo(draft.text)
        return
    atomic_write(output, draft.text)
    typer.echo(f"Skrev utkastet {output}.", err=True)
