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
`--editable` or a form not from the page (each form carries the page's
token, so another site cannot post to it from the user's browser), 409 files other than the previewed ones, 413 too big, 422 a
file or ledger refusing the import, 423 the lock taken).
"""

from __future__ import annotations

import hmac
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
FOREIGN = (
    "Formuläret kommer inte från sidan Läs in på den här servern (eller är från före en "
    "omstart); ladda om sidan och försök igen."
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


@dataclass(frozen=True, slots=True)
class Books:
    """What a run of the page needs to know of the ledger and of the page that sent it."""

    ledger: Path
    """The main ledger file."""
    decisions: DecisionRegister
    token: str
    """The page's form token: a form from anywhere else (another site in the same
    browser, posting to this server) does not have it and is refused."""


def _form(request: Request, books: Books) -> Mapping[str, str]:
    """The request's form, read within the upload limits, from one of the page's own forms."""
    limit(request)
    try:
        form = request.form
    except RequestEntityTooLarge:
        raise _RefusedError(TOO_BIG, 413) from None
    except HTTPException as error:
        raise _RefusedError(f"Formuläret gick inte att läsa: {error.description}", 400) from None
    if not hmac.compare_digest(form.get("token", ""), books.token):
        raise _RefusedError(FOREIGN, 403)
    return form


def upload_of(request: Request, books: Books) -> tuple[list[FileStorage], ImportOptions]:
    """The files and options of an upload from the page's form, read within the limits."""
    form = _form(request, books)
    try:
        return chosen(request.files.getlist(FIELD)), read_options(form, books.decisions)
    except UserError as error:
        raise _RefusedError(str(error), 400) from None


class _RefusedError(Exception):
    """A request refused before any run, with its status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def preview(request: Request, books: Books) -> Result:
    """The dry run of the uploaded files: what `ctc import --dry-run` says about them."""
    return _run(request, books, dry_run=True)


def commit(request: Request, books: Books) -> Result:
    """Import the uploaded files, if they are the previewed ones: `ctc import` itself."""
    return _run(request, books, dry_run=False)


def _run(request: Request, books: Books, dry_run: bool) -> Result:
    try:
        files, options = upload_of(request, books)
    except _RefusedError as refusal:
        return refused(str(refusal), refusal.status)
    try:
        with received(files) as upload:
            if not dry_run and tuple(sorted(upload.digests)) != options.previewed:
                return refused(CHANGED, 409, upload)
            return _import(upload, books.ledger, options, dry_run)
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


def undo(request: Request, books: Books) -> Result:
    """Undo the import of the file whose SHA-256 the form names: `ctc import --undo` itself."""
    try:
        sha = _form(request, books).get("sha256") or ""
    except _RefusedError as refusal:
        return refused(str(refusal), refusal.status)
    if not is_sha256(sha):
        return refused("sha256 ska vara en inläst fils SHA-256 (64 tecken 0–9, a–f).", 400)
    try:
        notice = open_books(books.ledger)
        undone = run_undo(sha, books.ledger)
    except LedgerLockedError as error:
        return refused(str(error), 423)
    except UserError as error:
        return refused(str(error), 422)
    return Result(undone=undone, notices=(notice,) if notice else ())
