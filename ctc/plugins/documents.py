"""Archived source files as Beancount `document` entries, present or not.

An import records each source file with `custom "source-file"` (its name,
SHA-256 and where its archived copy is kept, relative to the main ledger
file). This plugin turns every record whose archive is present into a
`document` entry on the record's account, so Fava lists and links it.

Why not write `document` directives into the ledger directly: Beancount
checks those in `beancount.ops.documents` before any plugin runs and reports
a missing file as an error, and archives are kept out of git (they may hold
names), so every fresh clone would fail `bean-check`. A record whose archive
is absent therefore yields no entry and no error; `ctc import` warns about it
instead, and the SHA-256 in the ledger still identifies the file.
"""

from __future__ import annotations

from pathlib import Path

from beancount.core import data

from ctc.errors import RuleError
from ctc.model import SOURCE_FILE_TYPE

__plugins__ = ("archived_documents",)


def archived_documents(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Add a `document` entry for each `source-file` record whose archive exists."""
    root = Path(options_map["filename"]).parent
    documents: data.Entries = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type != SOURCE_FILE_TYPE:
            continue
        archive, account = entry.meta.get("archive"), entry.meta.get("account")
        if not isinstance(archive, str) or not isinstance(account, str):
            continue
        path = (root / archive).resolve()
        if path.is_file():
            meta = data.new_metadata(entry.meta["filename"], entry.meta["lineno"])
            meta["source_sha256"] = entry.meta.get("source_sha256")
            documents.append(
                data.Document(meta, entry.date, account, str(path), frozenset(), frozenset())
            )
    if not documents:
        return entries, []
    return sorted([*entries, *documents], key=data.entry_sortkey), []
