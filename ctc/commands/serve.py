"""`ctc serve`: Fava on the ledger, read-only and on 127.0.0.1 by default."""

from __future__ import annotations

from typing import Annotated

import typer

from ctc.commands.common import LedgerArg
from ctc.ledger import resolve_ledger_path


def serve(
    ledger: LedgerArg = None,
    host: Annotated[str, typer.Option(help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 5000,
    editable: Annotated[bool, typer.Option(help="Tillåt ändringar i Fava.")] = False,
) -> None:
    """Starta Fava på huvudboken (skrivskyddat, på 127.0.0.1)."""
    from ctc.serve import serve as run

    path = resolve_ledger_path(ledger)
    typer.echo(f"Startar Fava på http://{host}:{port}/ för {path}", err=True)
    run(path, host, port, editable)
