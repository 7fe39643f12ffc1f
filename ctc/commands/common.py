"""Options and helpers shared by the `ctc` commands."""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from ctc import frame_cache, load_cache
from ctc.errors import UserError
from ctc.files import atomic_write_bytes
from ctc.ledger import LEDGER_ENV, Ledger, load_ledger, require_clean, resolve_ledger_path
from ctc.recovery import open_books
from ctc.reports.frame import Frame
from ctc.reports.labels import LANGS
from ctc.reports.result import Report, stamp
from ctc.reports.writers import FORMATS, choose_format, render

UNITS = ("kr", "tkr", "mnkr")

LedgerArg = Annotated[
    Path | None,
    typer.Argument(
        help=f"Huvudboken (standard: ${LEDGER_ENV} eller det medföljande exemplet).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=f"{', '.join(FORMATS)} (standard: efter -o:s filändelse, annars table).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Skriv till filen i stället för till skärmen."),
]
LangOpt = Annotated[str, typer.Option(help="Språk: sv eller en.")]

WarmFrame = Callable[[Path, Path], Frame | None]
"""A report's frame from the frame cache (`ctc.frame_cache`): (the main file's absolute
path, the path as given) -> the frame, or None when the cache is not current."""


def open_ledger(path: Path | None, clean: bool = True) -> Ledger:
    """Load the ledger, say on stderr what opening it did first, and refuse one with errors.

    Opening the books may recover an import a crash interrupted
    (`Ledger.notice`); the user hears of it in one line.
    """
    ledger = load_ledger(path)
    if ledger.notice:
        typer.echo(ledger.notice, err=True)
    return require_clean(ledger) if clean else ledger


def open_frame(path: Path | None, warm: WarmFrame | None = None) -> Frame:
    """The frame a report reads: from the frame cache when `warm` finds it current, else loaded.

    With `warm` (a report the frame cache can answer) a full load also stores
    the frame, so the next such report on the unchanged ledger reads no
    entries. An import a crash interrupted is recovered first either way.
    """
    if warm is None or not load_cache.enabled():
        return open_ledger(path).frame
    resolved = resolve_ledger_path(path)
    notice = open_books(resolved)
    if notice:
        typer.echo(notice, err=True)
    # Absolute as `load_ledger` makes it (links kept): the caches are keyed on it.
    frame = warm(Path(os.path.abspath(resolved)), resolved)  # noqa: PTH100
    if frame is not None:
        return frame
    ledger = open_ledger(path)
    frame_cache.write(ledger)
    return ledger.frame


def echo(text: str) -> None:
    """Write text to stdout as is."""
    sys.stdout.write(text)


def parse_kronor(text: str, option: str) -> Decimal:
    """An amount in kronor as a user types it: `50000000`, `50 000 000` or `49 719 500,50`."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise UserError(
            f"{option} ska vara ett belopp i kronor (till exempel 50000000), inte {text!r}."
        )
    return amount


def check_unit_and_lang(unit: str, lang: str) -> None:
    """Refuse a unit or language the reports do not know."""
    if unit not in UNITS:
        raise UserError(f"Okänd enhet {unit!r} för --unit; välj {', '.join(UNITS)}.")
    if lang not in LANGS:
        raise UserError(f"Okänt språk {lang!r} för --lang; välj {', '.join(LANGS)}.")


def write_output(path: Path, content: bytes) -> None:
    """Write a report file atomically; a path that cannot be written is the user's error."""
    if not path.parent.is_dir():
        raise UserError(f"Kan inte skriva {path}: mappen {path.parent} finns inte.")
    if path.is_dir():
        raise UserError(f"Kan inte skriva {path}: det är en mapp.")
    try:
        atomic_write_bytes(path, content)
    except OSError as error:
        raise UserError(f"Kan inte skriva {path}: {error.strerror or error}.") from None


def run(
    ledger: Path | None,
    fmt: str | None,
    output: Path | None,
    unit: str,
    lang: str,
    build: Callable[[Frame], Report],
    warm: WarmFrame | None = None,
) -> None:
    """Check the shared options, load the ledger's frame, build the report and write it.

    The options are checked before the ledger is loaded, so a mistake in them
    is reported at once. `warm` lets the frame cache answer (`open_frame`).
    """
    chosen = choose_format(fmt, output)
    check_unit_and_lang(unit, lang)
    emit(build(open_frame(ledger, warm)), chosen, output)


def emit(report: Report, fmt: str | None, output: Path | None) -> None:
    """Write a report in the chosen format to `output`, or to stdout."""
    chosen = choose_format(fmt, output)
    report = stamp(report, datetime.datetime.now().astimezone().replace(microsecond=0))
    content = render(report, chosen, bold=output is None and sys.stdout.isatty())
    if output is None:
        echo(content.decode("utf-8"))
        return
    write_output(output, content)
    typer.echo(f"Skrev {output} ({chosen}).", err=True)
