"""Opening the books: finish or undo an interrupted import, and remove what a crash left.

Whoever opens a ledger next after a crash puts it right, as SQLite's next
opener does: `ctc.ledger.load_ledger` (every command), `ctc import` and its
undo (under their lock), `ctc serve` and the Fava extension all pass here
first. If the journal of an interrupted change is there (`ctc.transaction`),
the change is finished when it had passed its check, else rolled back; and
temporary files a killed process left are removed: those of a change at once
(they are only written under the lock), any other of ours (a report written
into the ledger's folder, an older version's) once it is an hour old, so that
a write in progress by a command that takes no lock is never disturbed.
Both happen only under the ledger's lock, never beside a live import.

The functions return one line saying what was done, for the command or the
page to show; they print nothing. When there is nothing to do they touch
nothing: a read-only command creates nothing in the ledger's folder.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ctc.errors import UserError
from ctc.files import is_change_temporary, is_temporary, remove
from ctc.lock import try_ledger_lock
from ctc.transaction import complete, journal_path, prune_folders, read_journal, roll_back

STALE_AFTER = 3600
"""Seconds after which a temporary file not of a change is surely left over."""
DOCUMENTS = "documents"
"""The archive folder, searched at any depth (every other folder only one level down)."""
OPERATIONS = {"import": "import", "undo": "ångring av en import"}

BUSY = "Obs: en import skriver i huvudboken just nu; det som visas kan ändras när den är klar."


def stale_temporaries(root: Path) -> list[Path]:
    """Left-over temporary files in the ledger's folder, its folders one level down and the archive.

    Those are where a change writes (the main folder, `costs/`, `documents/…`)
    and where `ctc` writes other files; the search stays that shallow so that
    opening a ledger never walks a big tree. A change's own are always left
    over when the lock is free; any other only once `STALE_AFTER` old.
    """
    found: list[Path] = []
    folders = [root, *(p for p in _subfolders(root) if p.name != DOCUMENTS)]
    for folder in folders:
        found += [p for p in _files(folder) if is_temporary(p.name)]
    for archive, _, names in os.walk(root / DOCUMENTS):
        found += [Path(archive) / n for n in names if is_temporary(n)]
    return sorted(p for p in found if is_change_temporary(p.name) or _old(p))


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER
    except OSError:
        return False


def _subfolders(root: Path) -> list[Path]:
    try:
        return [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def open_books(ledger: Path) -> str | None:
    """Before a ledger is read: recover an interrupted change if the lock is free.

    Returns the line to show (what was done, or that an import is writing
    right now), or None when there was nothing to do.
    """
    root = ledger.parent
    interrupted = journal_path(root).exists()
    if not interrupted and not stale_temporaries(root):
        return None
    try:
        with try_ledger_lock(ledger) as held:
            if not held:
                return BUSY if interrupted else None
            return recover(root)
    except OSError as error:
        if not interrupted:
            return None  # leftovers only: the books are whole, the cleaning can wait
        raise UserError(
            f"Huvudboken {ledger} har en avbruten import som inte kan återställas: "
            f"{error.strerror or error}."
        ) from None


def recover(root: Path) -> str | None:
    """Finish or roll back an interrupted change and remove leftovers; the caller holds the lock."""
    journal = read_journal(root)
    done = None
    if journal is not None:
        operation = OPERATIONS.get(journal.operation, journal.operation)
        if journal.committed:
            complete(root, journal)
            done = f"En avbruten {operation} har slutförts: huvudboken är som efter den."
        else:
            roll_back(root, journal)
            done = (
                f"En avbruten {operation} har rullats tillbaka: huvudboken är som före den "
                f"({len(journal.files)} filer kontrollerade)."
            )
    removed = 0
    for path in stale_temporaries(root):
        removed += remove(path)
        prune_folders(root, path.parent)
    if not removed:
        return done
    leftovers = (
        "en kvarlämnad temporär fil borttagen"
        if removed == 1
        else f"{removed} kvarlämnade temporära filer borttagna"
    )
    return f"{done[:-1]}; {leftovers}." if done else f"{leftovers[0].upper()}{leftovers[1:]}."
