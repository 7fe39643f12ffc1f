"""Files uploaded to the import page: received within limits, kept only while a request runs.

A browser's upload is read by Werkzeug within the limits set here on the
request (its size in all, its parts, the memory its text fields may take), so
an upload too big is refused before it fills a disk. Each file is written
into a private temporary folder (mode 0700) under its own name, made safe, as
`ctc import` would be given it: the name is what the ledger records, so a
file keeps its Swedish letters. The folder and everything in it is removed
when the request's work is done, however it ends (`received`); nothing of an
upload is ever kept beside the ledger except the archived copy an import
makes itself, and nothing here is served back.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.errors import UserError, describe_os_error

if TYPE_CHECKING:
    from flask import Request
    from werkzeug.datastructures import FileStorage

UPLOAD_LIMIT = 128 << 20
"""Bytes one upload may hold in all: a whole committee's general ledger for a year fits."""
MAX_FILES = 20
MAX_FORM_PARTS = 64
"""Files and fields of one upload form; the page's form has a handful of fields."""
MAX_FIELD_MEMORY = 64 << 10
"""Bytes the text fields of one form may take in memory."""
MAX_NAME = 120
"""Characters kept of a file's name (its extension always kept)."""
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
"""Characters a file name on disk, or a Beancount string, should not carry."""
CHUNK = 1 << 20
FIELD = "files"
"""The form field the files come in."""

TOO_BIG = (
    f"Filerna är större än gränsen för en inläsning ({UPLOAD_LIMIT >> 20} MB tillsammans); "
    "läs in dem en i taget eller med ctc import."
)
TOO_MANY = f"Högst {MAX_FILES} filer åt gången."
NONE_CHOSEN = "Välj minst en fil att läsa in."
NOT_RECEIVED = "Servern kunde inte ta emot filerna, inget lästes in"


@dataclass(frozen=True, slots=True)
class Upload:
    """Uploaded files as saved for this request: paths, the names shown, and SHA-256."""

    folder: Path
    paths: tuple[Path, ...]
    digests: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The files' names, as the import records them."""
        return tuple(path.name for path in self.paths)

    def public(self, message: str) -> str:
        """A message with the private folder left out: `fil.xlsx: …`, not `/tmp/…/fil.xlsx: …`."""
        for path in self.paths:
            message = message.replace(str(path), path.name)
        return message.replace(f"{self.folder}/", "").replace(str(self.folder), "")


def limit(request: Request) -> None:
    """Bound what reading this request's form may take (Werkzeug refuses more with 413)."""
    request.max_content_length = UPLOAD_LIMIT
    request.max_form_parts = MAX_FORM_PARTS
    request.max_form_memory_size = MAX_FIELD_MEMORY


def chosen(files: Sequence[FileStorage]) -> list[FileStorage]:
    """The files actually chosen (a form with an empty picker sends one nameless part)."""
    picked = [f for f in files if f.filename]
    if not picked:
        raise UserError(NONE_CHOSEN)
    if len(picked) > MAX_FILES:
        raise UserError(TOO_MANY)
    return picked


def safe_name(name: str | None) -> str:
    """A file name as the ledger may record it: its last part, no control or path characters.

    Letters of every script are kept (`lönelista_2024.xlsx` stays so); a
    name that is nothing but dots or spaces becomes `fil`.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = UNSAFE.sub("_", text).strip(" .")
    if len(text) > MAX_NAME:
        stem, dot, suffix = text.rpartition(".")
        if dot and 0 < len(suffix) <= 8:
            text = stem[: MAX_NAME - len(suffix) - 1] + "." + suffix
        else:
            text = text[:MAX_NAME]
    return text or "fil"


@contextlib.contextmanager
def received(files: Sequence[FileStorage]) -> Iterator[Upload]:
    """The uploaded files saved in a private folder, removed when the block ends.

    Each file gets a folder of its own, so two files of one name stay apart
    and each keeps its name.
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix="ctc-upload-"))
    except OSError as error:
        raise UserError(f"{NOT_RECEIVED}: {describe_os_error(error)}.") from None
    try:
        paths: list[Path] = []
        digests: list[str] = []
        for index, storage in enumerate(files):
            target = folder / str(index) / safe_name(storage.filename)
            try:
                target.parent.mkdir()
                digests.append(_save(storage, target))
            except OSError as error:
                reason = describe_os_error(error).replace(f" ({error.filename})", "")
                raise UserError(f"{NOT_RECEIVED}: {reason}.") from None
            paths.append(target)
        yield Upload(folder, tuple(paths), tuple(digests))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _save(storage: FileStorage, target: Path) -> str:
    """Copy an upload's bytes to `target`; its SHA-256."""
    digest = hashlib.sha256()
    with target.open("xb") as out:
        while chunk := storage.stream.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()
