"""`ctc import`: read exports (Excel, SIE 4, CSV) into the ledger, or take an import back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ctc import progress
from ctc.commands.ahead import taken
from ctc.commands.options import LedgerOpt
from ctc.errors import UserError
from ctc.importers.run import run_import, run_undo
from ctc.importers.summary import as_json, as_text, rejection_message
from ctc.ledger import resolve_ledger_path
from ctc.recovery import open_books


def import_files(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Filer att läsa in: Excel (xlsx, xlsm, xlsb, xls), ods, SIE 4 eller CSV.",
            metavar="FIL",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOpt = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="Mappningsfilen (standard: huvudbokens).", show_default=False
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Läs och kontrollera, men skriv inget.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Skriv sammanfattningen som JSON.")] = False,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision", help="Beslut för flyttar som inte anger något.", show_default=False
        ),
    ] = None,
    correction: Annotated[
        str | None,
        typer.Option(
            "--correction",
            help="Beslut som tillåter import i ett avslutat år (en rättelse registreras).",
            show_default=False,
        ),
    ] = None,
    undo: Annotated[
        str | None,
        typer.Option(
            "--undo",
            help="Ta bort exakt det som importen av FILE lade till (fil, filnamn eller SHA-256).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Läs in exporter (utfall, tjänster, växlingsbeslut, kommunbidrag) i huvudboken."""
    if undo is not None:
        if files:
            raise UserError("--undo tar en fil; ange inga andra filer.")
        _open_books(ledger)
        result = run_undo(undo, ledger, dry_run)
        sys.stdout.write((result.as_json() + "\n") if json else result.as_text())
        for warning in result.warnings:
            typer.echo(warning, err=True)
        return
    if not files:
        raise UserError("Ange minst en fil att läsa in (eller --undo FILE).")
    _open_books(ledger)
    ahead = taken(files[0])
    with progress.shown(enabled=not json and sys.stderr.isatty()):
        summary = run_import(
            files, ledger, config, dry_run, decision, correction=correction, ahead=ahead
        )
    sys.stdout.write(as_json(summary) + "\n" if json else as_text(summary))
    for warning in summary.warnings:
        typer.echo(warning, err=True)
    if summary.rejected:
        raise UserError(rejection_message(summary))


def _open_books(ledger: Path | None) -> None:
    """Recover an import a crash interrupted, and say so, before this one starts."""
    notice = open_books(resolve_ledger_path(ledger))
    if notice:
        typer.echo(notice, err=True)
