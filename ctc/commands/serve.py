"""`ctc serve`: Fava on the ledger, read-only and on 127.0.0.1 by default."""

from __future__ import annotations

from typing import Annotated

import typer

from ctc.commands.common import LedgerArg
from ctc.ledger import resolve_ledger_path
from ctc.recovery import open_books


def serve(
    ledger: LedgerArg = None,
    host: Annotated[
        str, typer.Option(help="Adress att lyssna på (standard 127.0.0.1).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 5000,
    editable: Annotated[bool, typer.Option(help="Tillåt ändringar av filerna i Fava.")] = False,
    public: Annotated[
        bool, typer.Option(help="Tillåt en annan adress än 127.0.0.1 (kräver omvänd proxy).")
    ] = False,
) -> None:
    """Starta Fava med CTC-panelerna (skrivskyddat, bara på den här datorn)."""
    from ctc.serve import check_host
    from ctc.serve import serve as run

    path = resolve_ledger_path(ledger)
    warning = check_host(host, public)
    if warning:
        typer.echo(warning, err=True)
    notice = open_books(path)
    if notice:
        typer.echo(notice, err=True)
    mode = "redigerbar" if editable else "skrivskyddad"
    typer.echo(f"Startar Fava ({mode}) på http://{host}:{port}/ för {path}", err=True)
    run(path, host, port, editable)
