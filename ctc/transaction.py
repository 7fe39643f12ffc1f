"""Several ledger files changed as one transaction, with a journal to survive a crash.

An import writes cost files, registers, the sources register and archive
copies; an undo rewrites files and removes archives. Each file is replaced
atomically (`ctc.files`), but a crash between two renames would leave some
files new and others old. So, like SQLite's rollback journal:

1. `begin` stages: every new content is written beside its file and every
   file that will be replaced is copied beside it (its backup), all durable.
2. `begin` then writes the journal, `.ctc-import.journal` beside the main
   file: for every file the SHA-256 before and after, and where its staged
   content and backup are. It is written atomically and `fsync`ed before the
   first rename.
3. `apply` checks each file to be byte-identical to what the plan read (else
   someone edited it meanwhile: `ChangedMeanwhileError`) and renames the staged
   content into place; a file to remove is renamed aside to its backup.
4. The caller checks the ledger; `commit` marks the journal committed and
   `finish` then deletes the backups and the journal.

`rollback` puts back every file that holds its new content (from its backup),
removes new files and the folders the change created, and deletes the journal.
After a crash the next opener of the books (`ctc.recovery`) reads the journal
and finishes a committed change or rolls back any other. Both only act on what
the journal says and what the files hold, so both can be interrupted and run
again: a crash during recovery is recovered by the next opener.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ctc.errors import UserError
from ctc.files import (
    CHANGE_TAG,
    Writer,
    atomic_write_bytes,
    copy_writer,
    digest,
    remove,
    rename,
    stage,
    sync_folder,
    temporary_file,
)

JOURNAL_NAME = ".ctc-import.journal"
"""The journal of the change in progress, beside the main ledger file (git-ignored)."""
FORMAT = 1
"""Version of the journal's layout."""


class ChangedMeanwhileError(UserError):
    """A file changed on disk between the plan reading it and the change replacing it."""


def changed_meanwhile(relative: str) -> ChangedMeanwhileError:
    """The error for a file someone else changed between our reading and our writing it."""
    return ChangedMeanwhileError(
        f"{relative} ändrades av ett annat program medan ctc skrev i huvudboken; inget "
        "ändrades (ändringen i filen är kvar). Kör kommandot igen."
    )


@dataclass(frozen=True, slots=True)
class Change:
    """One file of a planned change: what the plan read, and what it becomes."""

    target: Path
    before: str | None
    """SHA-256 of the content the plan read; None: the file must not exist."""
    write: Writer | None
    """Writes the new content; None: the file is removed."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file in the journal; paths relative to the ledger's folder."""

    target: str
    before: str | None
    """SHA-256 before the change; None: the file did not exist."""
    after: str | None
    """SHA-256 after the change; None: the file is removed."""
    staged: str | None
    """The staged new content (None for a removal)."""
    backup: str | None
    """The old content, copied (a rewrite) or to be renamed there (a removal); None if new."""


@dataclass(frozen=True, slots=True)
class Journal:
    """What a change does to every file, so that it can be finished or undone after a crash."""

    operation: str
    """"import" or "undo"."""
    files: tuple[FileEntry, ...]
    folders: tuple[str, ...] = ()
    """Folders the change created, parents first (removed again on rollback if empty)."""
    committed: bool = False
    """Whether the changed ledger passed its check: recovery then finishes instead."""

    def to_bytes(self) -> bytes:
        """The journal as JSON."""
        data = {"format": FORMAT, **asdict(self)}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, content: bytes) -> Journal:
        """The journal from its JSON; ValueError when it is not one."""
        data: dict[str, Any] = json.loads(content)
        if data.pop("format", None) != FORMAT:
            raise ValueError("unknown journal format")
        files = tuple(FileEntry(**entry) for entry in data.pop("files"))
        return cls(files=files, folders=tuple(data.pop("folders")), **data)


def journal_path(root: Path) -> Path:
    """The journal of a ledger's folder."""
    return root / JOURNAL_NAME


def read_journal(root: Path) -> Journal | None:
    """The journal of an interrupted change, or None; a UserError when it is unreadable."""
    path = journal_path(root)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        journal = Journal.from_bytes(content)
    except (ValueError, TypeError, KeyError) as error:
        raise UserError(
            f"Journalen {path} efter en avbruten import går inte att läsa ({error}); "
            "inget återställdes. Kontrollera huvudbokens filer mot versionshanteringen."
        ) from None
    for entry in journal.files:
        for name in (entry.target, entry.staged, entry.backup):
            if name is not None:
                _inside(root, name)
    return journal


def _inside(root: Path, relative: str) -> Path:
    """A journal's path under the ledger's folder; a journal pointing elsewhere is refused."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise UserError(f"Journalen {journal_path(root)} pekar utanför huvudboken: {relative}.")
    return root / relative


@dataclass
class Transaction:
    """A change staged and journaled; `apply`, then `finish` or `rollback`."""

    root: Path
    journal: Journal

    def path(self, relative: str) -> Path:
        """A journal path as a file."""
        return self.root / relative

    def apply(self) -> None:
        """Put every file in place, each checked to be as the plan read it."""
        for entry in self.journal.files:
            target = self.path(entry.target)
            if digest(target) != entry.before:
                raise changed_meanwhile(entry.target)
            if entry.staged is not None:
                rename(self.path(entry.staged), target)
            elif entry.backup is not None:
                rename(target, self.path(entry.backup))

    def commit(self) -> None:
        """Mark the change committed: from now on recovery finishes it instead of undoing it."""
        committed = replace(self.journal, committed=True)
        atomic_write_bytes(journal_path(self.root), committed.to_bytes(), CHANGE_TAG)
        self.journal = committed

    def finish(self) -> None:
        """Drop the backups and the journal of a committed change.

        If this fails, the committed journal stays, and the next opener finishes.
        """
        complete(self.root, self.journal)

    def rollback(self) -> None:
        """Put every file back as it was, and drop the journal."""
        roll_back(self.root, self.journal)


def begin(root: Path, operation: str, changes: Sequence[Change]) -> Transaction:
    """Stage every change and write the journal; nothing is in place yet.

    If anything fails (a full disk, a file changed meanwhile), everything
    staged is removed and the ledger's folder is as it was.
    """
    entries: list[FileEntry] = []
    created: list[Path] = []
    try:
        for change in changes:
            make_folders(root, change.target.parent, created)
            entries.append(_stage(root, change))
        journal = Journal(operation, tuple(entries), tuple(_relative(root, p) for p in created))
        atomic_write_bytes(journal_path(root), journal.to_bytes(), CHANGE_TAG)
    except BaseException:
        _discard(root, entries, created)
        raise
    return Transaction(root, journal)


def _stage(root: Path, change: Change) -> FileEntry:
    """Stage one change: its new content and the backup of what it replaces."""
    target = change.target
    relative = _relative(root, target)
    backup: Path | None = None
    try:
        if change.before is not None:
            backup = _backup(target, change, relative)
        staged = stage(target, change.write, tag=CHANGE_TAG) if change.write else None
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    return FileEntry(
        target=relative,
        before=change.before,
        after=digest(staged.temporary) if staged else None,
        staged=_relative(root, staged.temporary) if staged else None,
        backup=_relative(root, backup) if backup else None,
    )


def _backup(target: Path, change: Change, relative: str) -> Path:
    """A copy of the file as the plan read it (a rewrite), or where a removal moves it."""
    if change.write is None:
        fd, placeholder = temporary_file(target, CHANGE_TAG)
        os.close(fd)
        return placeholder
    copy = stage(target, copy_writer(target), tag=CHANGE_TAG).temporary
    if digest(copy) != change.before:
        copy.unlink(missing_ok=True)
        raise changed_meanwhile(relative)
    return copy


def _discard(root: Path, entries: Sequence[FileEntry], created: Sequence[Path]) -> None:
    """Remove what staging wrote, when it failed before the journal was in place."""
    for entry in entries:
        for name in (entry.staged, entry.backup):
            if name is not None:
                (root / name).unlink(missing_ok=True)
    remove_folders(reversed(created))


def make_folders(root: Path, folder: Path, created: list[Path]) -> None:
    """Create a folder and its missing parents under `root`, adding each to `created`."""
    missing: list[Path] = []
    while folder != root and not folder.exists():
        missing.insert(0, folder)
        folder = folder.parent
    for path in missing:
        path.mkdir()
        created.append(path)
        sync_folder(path.parent)


def remove_folders(folders: Iterable[Path]) -> None:
    """Remove each folder if it is empty (children before parents)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            continue
        sync_folder(folder.parent)


def _relative(root: Path, path: Path) -> str:
    """`path` relative to the ledger's folder, each given relative or absolute.

    The ledger may be named relative to the working folder (`--ledger
    ledger/main.beancount`) while staged files are named absolute.
    """
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()  # noqa: PTH100


def complete(root: Path, journal: Journal) -> None:
    """Finish a committed change: drop backups and leftovers, then the journal."""
    for entry in journal.files:
        for name in (entry.staged, entry.backup):
            if name is not None:
                remove(_inside(root, name))
        if entry.after is None:
            prune_folders(root, _inside(root, entry.target).parent)
    remove(journal_path(root))


def roll_back(root: Path, journal: Journal) -> None:
    """Put every file back as it was before the change, then drop the journal."""
    for entry in journal.files:
        _restore(root, entry)
    remove_folders(_inside(root, name) for name in reversed(journal.folders))
    remove(journal_path(root))


def _restore(root: Path, entry: FileEntry) -> None:
    """One file back as it was: only if it holds the change's content (else leave it alone)."""
    target = _inside(root, entry.target)
    backup = _inside(root, entry.backup) if entry.backup else None
    if digest(target) == entry.after and (entry.after is not None or _holds(backup, entry)):
        if backup is not None and _holds(backup, entry):
            rename(backup, target)
        elif entry.before is None:
            remove(target)
    for name in (entry.staged, entry.backup):
        if name is not None:
            remove(_inside(root, name))


def _holds(backup: Path | None, entry: FileEntry) -> bool:
    """Whether a backup holds the file's old content."""
    return backup is not None and entry.before is not None and digest(backup) == entry.before


def prune_folders(root: Path, folder: Path) -> None:
    """Remove empty folders from `folder` up to (not including) `root`: what a change left empty."""
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        sync_folder(folder.parent)
        folder = folder.parent
