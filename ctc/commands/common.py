"""Options and helpers shared by the `ctc` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ctc.ledger import LEDGER_ENV

LedgerArg = Annotated[
    Path | None,
    typer.Argument(
        help=f"Huvudboken (standard: ${LEDGER_ENV} eller det medföljande exemplet).",
        show_default=False,
    ),
]


def echo(text: str) -> None:
    """Write text to stdout as is."""
    sys.stdout.write(text)
