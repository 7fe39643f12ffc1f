"""`ctc check`: load the ledger with every rule and list the problems."""

from __future__ import annotations

import typer

from ctc.commands.common import LedgerArg, echo, open_ledger
from ctc.importers.run import missing_archives
from ctc.ledger import format_error
from ctc.published import drift_warnings


def check(ledger: LedgerArg = None) -> None:
    """Kontrollera huvudboken med alla regler; skriver varje fel som fil:rad: meddelande.

    Inlästa källfiler vars arkivkopia saknas ger en varning, inte ett fel; likaså en
    publicerad siffra som inte längre stämmer (ctc report … --publish).
    """
    loaded = open_ledger(ledger, clean=False)
    for warning in missing_archives(loaded):
        typer.echo(warning, err=True)
    for error in loaded.errors:
        echo(format_error(error) + "\n")
    drifted = [] if loaded.errors else drift_warnings(loaded)
    for warning in drifted:
        echo(warning + "\n")
    if loaded.errors:
        typer.echo(f"{len(loaded.errors)} fel i {loaded.path}.", err=True)
        raise typer.Exit(1)
    warned = f", {len(drifted)} varningar om publicerade siffror" if drifted else ""
    typer.echo(f"Inga fel i {loaded.path} ({len(loaded.entries)} poster{warned}).", err=True)
