"""The import page's requests: preview (a dry run), import, undo, each by the CLI's own code path.

Every run goes through `ctc.importers.run` exactly as `ctc import` does:
`open_books` first (an interrupted change recovered), then `run_import` (or
`run_undo`), which take the ledger's lock, check the would-be ledger, write
one transaction, archive the source and record it. The page adds only what a
browser needs: the uploaded files saved for the request and removed after it
(`ctc.fava.uploads`), the import's options read from the form and checked
against the decision register, and the guarantee that what is imported is
what was previewed (each file's SHA-256 travels from the preview to the
import, and bytes that differ are refused).

Each function answers with a `Result`: what to show, and the HTTP status a
refusal carries (400 a request no page sends, 403 a server not started
`--editable`, 409 files other than the previewed ones, 413 too big, 422 a
file or ledger refusing the import, 423 the lock taken).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ctc.errors import UserError
from ctc.fava.importing import is_sha256
from ctc.fava.uploads import FIELD, MAX_FILES, TOO_BIG, Upload, chosen, limit, received
from ctc.importers.run import run_import, run_undo
from ctc.importers.summary import ImportSummary, UndoSummary, rejection_message
from ctc.lock import LedgerLockedError
from ctc.recovery import open_books

if TYPE_CHECKING:
    from flask import Request
    from werkzeug.datastructures import FileStorage

    from ctc.registers import DecisionRegister

EDITABLE_CONFIG = "CTC_EDITABLE"
"""The Flask setting `ctc serve --editable` sets; the page imports only when it is True."""
NOT_EDITABLE = (
    "Huvudboken visas skrivskyddad: servern tar inte emot filer. Starta den med "
    "ctc serve --editable för att läsa in filer här."
)
CHANGED = (
    "Filerna är inte de som förhandsgranskades (eller har ändrats sedan dess); "
    "förhandsgranska dem igen innan du läser in."
)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """The form's options, as `ctc import` takes them: `--decision` and `--correction`."""

    decision: str | None = None
    correction: str | None = None
    previewed: tuple[str, ...] = ()
    """The SHA-256 of each file the preview showed (sorted)."""


@dataclass(frozen=True, slots=True)
class Result:
    """What a request did: a summary to show, a one-line refusal, and the status."""

    status: int = 200
    summary: ImportSummary | None = None
    undone: UndoSummary | None = None
    error: str | None = None
    names: tuple[str, ...] = ()
    digests: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        """Whether the previewed files may be imported: read, checked, no row rejected."""
        return self.error is None and self.summary is not None and not self.summary.rejected

    @property
    def refusal(self) -> str | None:
        """The one line that says why not: the error, else the rejected rows' summary."""
        if self.error is not None:
            return self.error
        if self.summary is not None and self.summary.rejected:
            return rejection_message(self.summary)
        return None


def refused(message: str, status: int, upload: Upload | None = None) -> Result:
    """A refusal, with the upload's private folder left out of the message."""
    text = upload.public(message) if upload is not None else message
    names = upload.names if upload is not None else ()
    return Result(status=status, error=text, names=names)


def read_options(form: Mapping[str, str], decisions: DecisionRegister) -> ImportOptions:
    """The form's options, each checked: a decision of the register, or nothing."""
    values: dict[str, str | None] = {}
    for key, flag in (("decision", "--decision"), ("correction", "--correction")):
        value = (form.get(key) or "").strip()
        if value and value not in decisions:
            raise UserError(f"Beslutet {value[:60]!r} ({flag}) finns inte i beslutsregistret.")
        values[key] = value or None
    previewed = _previewed(form)
    return ImportOptions(values["decision"], values["correction"], previewed)


def _previewed(form: Mapping[str, str]) -> tuple[str, ...]:
    getlist = getattr(form, "getlist", None)
    given: Sequence[str] = getlist("previewed") if getlist else ()
    if len(given) > MAX_FILES or not all(is_sha256(sha) for sha in given):
        raise UserError("previewed ska vara de förhandsgranskade filernas SHA-256.")
    return tuple(sorted(given))


def upload_of(
    request: Request, decisions: DecisionRegister
) -> tuple[list[FileStorage], ImportOptions]:
    """The files and options of an upload, read within the upload limits."""
    limit(request)
    try:
        files = request.files.getlist(FIELD)
        form = request.form
    except RequestEntityTooLarge:
        raise _RefusedError(TOO_BIG, 413) from None
    except HTTPException as error:
        raise _RefusedError(f"Uppladdningen gick inte att läsa: {error.description}", 400) from None
    try:
        return chosen(files), read_options(form, decisions)
    except UserError as error:
        raise _RefusedError(str(error), 400) from None


class _RefusedError(Exception):
    """A request refused before any run, with its status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def preview(request: Request, ledger: Path, decisions: DecisionRegister) -> Result:
    """The dry run of the uploaded files: what `ctc import --dry-run` says about them."""
    return _run(request, ledger, decisions, dry_run=True)


def commit(request: Request, ledger: Path, decisions: DecisionRegister) -> Result:
    """Import the uploaded files, if they are the previewed ones: `ctc import` itself."""
    return _run(request, ledger, decisions, dry_run=False)


def _run(request: Request, ledger: Path, decisions: DecisionRegister, dry_run: bool) -> Result:
    try:
        files, options = upload_of(request, decisions)
    except _RefusedError as refusal:
        return refused(str(refusal), refusal.status)
    try:
        with received(files) as upload:
            if not dry_run and tuple(sorted(upload.digests)) != options.previewed:
                return refused(CHANGED, 409, upload)
            return _import(upload, ledger, options, dry_run)
    except UserError as error:
        return refused(str(error), 422)


def _import(upload: Upload, ledger: Path, options: ImportOptions, dry_run: bool) -> Result:
    try:
        notice = open_books(ledger)
        summary = run_import(
            upload.paths, ledger, None, dry_run, options.decision, correction=options.correction
        )
    except LedgerLockedError as error:
        return refused(str(error), 423, upload)
    except UserError as error:
        return refused(str(error), 422, upload)
    status = 422 if summary.rejected else 200
    notices = (notice,) if notice else ()
    return Result(status, summary, names=upload.names, digests=upload.digests, notices=notices)


def undo(request: Request, ledger: Path) -> Result:
    """Undo the import of the file whose SHA-256 the form names: `ctc import --undo` itself."""
    limit(request)
    try:
        sha = request.form.get("sha256") or ""
    except HTTPException as error:
        return refused(f"Formuläret gick inte att läsa: {error.description}", error.code or 400)
    if not is_sha256(sha):
        return refused("sha256 ska vara en inläst fils SHA-256 (64 tecken 0–9, a–f).", 400)
    try:
        notice = open_books(ledger)
        undone = run_undo(sha, ledger)
    except LedgerLockedError as error:
        return refused(str(error), 423)
    except UserError as error:
        return refused(str(error), 422)
    return Result(undone=undone, notices=(notice,) if notice else ())
