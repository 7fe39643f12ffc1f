"""`ctc close YEAR`: record that a year's books are closed, or a correction of a closed year."""

from __future__ import annotations

from typing import Annotated

import typer

from ctc.commands.options import LedgerOpt
from ctc.errors import UserError
from ctc.recording import close_year, correct_year


def close(
    year: Annotated[int, typer.Argument(help="Året vars bokslut registreras.", show_default=False)],
    decision: Annotated[
        str | None,
        typer.Option("--decision", help="Beslutet om bokslutet (id i beslutsregistret)."),
    ] = None,
    correction: Annotated[
        str | None,
        typer.Option(
            "--correction",
            help="Registrera en rättelse av ett avslutat år enligt beslutet, för ändringarna sedan bokslutet.",
        ),
    ] = None,
    ledger: LedgerOpt = None,
) -> None:
    """Registrera årets bokslut: en kontrollsumma för varje programpost det året."""
    if (decision is None) == (correction is None):
        raise UserError("Ange antingen --decision (bokslut) eller --correction (rättelse).")
    if decision is not None:
        recorded = close_year(ledger, year, decision)
        count = recorded.record.meta["entries"]
        typer.echo(f"Bokslutet för {year} registrerat enligt {decision}: {count} poster.")
    else:
        recorded = correct_year(ledger, year, str(correction))
        typer.echo(f"Rättelsen av {year} registrerad enligt {correction}.")
    for path in recorded.written:
        typer.echo(f"Skrev {path}", err=True)
