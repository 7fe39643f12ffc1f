"""Options shared by commands that write into a ledger, kept light to import.

`ctc import` must not import the reports before it reads a big export, so its
options live here rather than in `ctc.commands.common`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctc.ledger import LEDGER_ENV

LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help=f"Huvudboken (standard: ${LEDGER_ENV} eller det medföljande exemplet).",
        show_default=False,
    ),
]
