"""One change of several files as one transaction (`ctc.transaction`), recovered after any crash.

A crash is simulated exactly: `ctc.files.fault_hook` sees every write and
rename before it happens, and at each one the test copies the ledger's folder
as it is at that instant, which is what a process killed there leaves behind.
Recovery (`ctc.recovery`) then runs on every copy, and on every copy of a
recovery killed at each of its own steps.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from ctc import files
from ctc.files import content_writer, copy_writer, digest
from ctc.lock import ledger_lock
from ctc.recovery import BUSY, open_books, stale_temporaries
from ctc.transaction import Change, ChangedMeanwhileError, begin, journal_path, read_journal

State = dict[str, str]
SOURCES = "; Inlästa källfiler\r\n2021-01-01 note\r\n".encode()
"""A register with Windows line ends and non-ASCII text: kept byte for byte."""


def folder_state(root: Path) -> State:
    """Every file's SHA-256 and every folder, the lock aside: the whole ledger folder."""
    state = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_dir():
            state[relative] = "dir"
        elif path.name != ".ctc-import.lock":
            state[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


class Snapshots:
    """A fault hook that copies the folder at every write and rename: one copy per kill point."""

    def __init__(self, root: Path, into: Path) -> None:
        self.root, self.into, self.taken = root, into, []

    def __call__(self, action: str, path: Path) -> None:
        if not Path(path).is_relative_to(self.root):
            return  # the load cache, outside the ledger's folder
        copy = self.into / f"{len(self.taken):03d}-{action}"
        shutil.copytree(self.root, copy)
        self.taken.append(copy)


def kill_points(root: Path, into: Path, operation: Callable[[], object]) -> list[Path]:
    """Run `operation`; copies of `root` as a kill at each write, rename and removal leaves it."""
    snapshots = Snapshots(root, into)
    files.fault_hook = snapshots
    try:
        operation()
    finally:
        files.fault_hook = None
    return snapshots.taken


def books(root: Path) -> Path:
    """A small folder shaped like a ledger's: a main file, a register, an archive."""
    root.mkdir(parents=True)
    (root / "main.beancount").write_text('include "sources.beancount"\n', encoding="utf-8")
    (root / "sources.beancount").write_bytes(SOURCES)
    (root / "documents").mkdir()
    (root / "documents" / "gammal.xlsx").write_bytes(b"PK old archive")
    (root / "ny.xlsx").write_bytes(b"PK new source")
    return root


def planned(root: Path) -> list[Change]:
    """A rewrite, a new file in a new folder, an archive copy into new folders, a removal."""
    sources = root / "sources.beancount"
    return [
        Change(sources, digest(sources), content_writer(sources.read_bytes() + b"\nny post\n")),
        Change(root / "costs" / "2030.beancount", None, content_writer(b"; Kostnader 2030\n")),
        Change(root / "documents" / "A" / "B" / "ny.xlsx", None, copy_writer(root / "ny.xlsx")),
        Change(
            root / "documents" / "gammal.xlsx", digest(root / "documents" / "gammal.xlsx"), None
        ),
    ]


def run_change(root: Path) -> None:
    """The whole change, as `ctc import` runs it (its check passing between apply and commit)."""
    transaction = begin(root, "import", planned(root))
    transaction.apply()
    transaction.commit()
    transaction.finish()


@pytest.fixture
def before_and_after(tmp_path):
    """(folder before, state before, state after one uninterrupted change)."""
    root = books(tmp_path / "books")
    serial = tmp_path / "serial"
    shutil.copytree(root, serial)
    run_change(serial)
    return root, folder_state(root), folder_state(serial)


def test_the_change_writes_everything_and_leaves_nothing_else(before_and_after):
    root, _, after = before_and_after
    run_change(root)
    assert folder_state(root) == after
    assert (root / "sources.beancount").read_bytes() == SOURCES + b"\nny post\n"
    assert (root / "documents" / "A" / "B" / "ny.xlsx").read_bytes() == b"PK new source"
    assert not (root / "documents" / "gammal.xlsx").exists()
    assert stale_temporaries(root) == []


def test_the_journal_is_in_place_before_the_first_rename_and_says_everything(tmp_path):
    root = books(tmp_path / "books")
    seen = []

    def hook(action, path):
        if action == "rename" and Path(path) != journal_path(root):
            seen.append(read_journal(root))

    files.fault_hook = hook
    try:
        run_change(root)
    finally:
        files.fault_hook = None
    journal = seen[0]
    assert journal is not None and not journal.committed
    rewrite, new, copy, removal = journal.files
    assert rewrite.target == "sources.beancount"
    assert rewrite.before == hashlib.sha256(SOURCES).hexdigest()
    assert (new.target, new.before, new.backup) == ("costs/2030.beancount", None, None)
    assert new.after == hashlib.sha256(b"; Kostnader 2030\n").hexdigest()
    assert copy.after == hashlib.sha256(b"PK new source").hexdigest()
    assert (removal.after, removal.staged) == (None, None)
    assert journal.folders == ("costs", "documents/A", "documents/A/B")
    assert len(seen) == 4  # three renames into place and one aside, all under the same journal


def test_a_kill_at_any_write_or_rename_recovers_to_before_or_after(tmp_path, before_and_after):
    root, before, after = before_and_after
    taken = kill_points(root, tmp_path / "kills", lambda: run_change(root))
    assert len(taken) == 18  # 5 writes staging, journal, 4 renames, mark, 6 removals
    outcomes = []
    for copy in taken:
        line = open_books(copy / "main.beancount")
        state = folder_state(copy)
        assert state in (before, after), copy.name
        outcomes.append(("before" if state == before else "after", line))
    # Killed while staging: the leftovers go. With the journal written, not yet
    # committed: rolled back. Once committed: finished.
    assert outcomes[0] == ("before", "En kvarlämnad temporär fil borttagen.")
    assert outcomes[5] == ("before", "6 kvarlämnade temporära filer borttagna.")
    rolled_back = "En avbruten import har rullats tillbaka: huvudboken är som före den"
    assert outcomes[6] == ("before", f"{rolled_back} (4 filer kontrollerade).")
    assert outcomes[11][0] == "before" and outcomes[11][1].startswith(rolled_back)
    finished = "En avbruten import har slutförts: huvudboken är som efter den."
    assert outcomes[12:] == [("after", finished)] * 6


def test_a_kill_during_recovery_is_recovered_by_the_next_opener(tmp_path, before_and_after):
    root, before, after = before_and_after
    nested = 0
    for copy in kill_points(root, tmp_path / "kills", lambda: run_change(root)):
        recover = functools.partial(open_books, copy / "main.beancount")
        for second in kill_points(copy, tmp_path / "again" / copy.name, recover):
            open_books(second / "main.beancount")
            assert folder_state(second) in (before, after), second
            nested += 1
    assert nested > 20


@pytest.mark.parametrize("nth", range(1, 9))
def test_a_full_disk_at_any_write_or_rename_leaves_the_folder_as_it_was(tmp_path, nth):
    root = books(tmp_path / "books")
    before = folder_state(root)
    count = 0

    def full(action, path):
        nonlocal count
        count += 1
        if count == nth:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

    files.fault_hook = full
    try:
        with pytest.raises(OSError, match="No space"):
            transaction = begin(root, "import", planned(root))
            try:
                transaction.apply()
            except BaseException:
                transaction.rollback()
                raise
    finally:
        files.fault_hook = None
    assert folder_state(root) == before


def test_a_file_edited_after_it_was_read_is_refused_and_the_edit_kept(tmp_path):
    root = books(tmp_path / "books")
    changes = planned(root)
    (root / "sources.beancount").write_bytes(b"; redigerad i Fava\n")
    edited = folder_state(root)
    with pytest.raises(ChangedMeanwhileError, match=r"^sources.beancount ändrades av ett annat"):
        begin(root, "import", changes)
    assert folder_state(root) == edited


def test_an_edit_between_staging_and_renaming_is_refused_and_rolled_back(tmp_path):
    root = books(tmp_path / "books")
    before = folder_state(root)
    sources = planned(root)[0]
    transaction = begin(root, "import", [*planned(root)[1:], sources])
    (root / "sources.beancount").write_bytes(b"; redigerad i Fava\n")
    with pytest.raises(ChangedMeanwhileError, match=r"sources\.beancount"):
        transaction.apply()
    assert (root / "costs" / "2030.beancount").exists()  # renamed before the edited file
    transaction.rollback()
    edit = hashlib.sha256(b"; redigerad i Fava\n").hexdigest()
    assert folder_state(root) == {**before, "sources.beancount": edit}


def test_recovery_waits_while_the_lock_is_held(tmp_path, before_and_after):
    root, _, _ = before_and_after
    taken = kill_points(root, tmp_path / "kills", lambda: run_change(root))
    interrupted = next(c for c in taken if (c / ".ctc-import.journal").exists())
    state = folder_state(interrupted)
    with ledger_lock(interrupted / "main.beancount"):
        assert open_books(interrupted / "main.beancount") == BUSY
        assert folder_state(interrupted) == state
    assert open_books(interrupted / "main.beancount").startswith("En avbruten import")


def test_opening_clean_books_touches_nothing(tmp_path):
    root = books(tmp_path / "books")
    before = sorted(p.name for p in root.iterdir())
    assert open_books(root / "main.beancount") is None
    assert sorted(p.name for p in root.iterdir()) == before  # not even the lock file


def test_an_unreadable_journal_is_one_clear_error_and_nothing_is_touched(tmp_path):
    from ctc.errors import UserError

    root = books(tmp_path / "books")
    journal_path(root).write_text("{inte json", encoding="utf-8")
    state = folder_state(root)
    with pytest.raises(UserError, match="går inte att läsa"):
        open_books(root / "main.beancount")
    assert folder_state(root) == state


def test_a_journal_pointing_outside_the_ledger_is_refused(tmp_path):
    from ctc.errors import UserError

    root = books(tmp_path / "books")
    outside = tmp_path / "offer.txt"
    outside.write_text("behåll mig", encoding="utf-8")
    journal_path(root).write_text(
        '{"format": 1, "operation": "import", "files": [{"target": "../offer.txt", '
        '"before": null, "after": null, "staged": null, "backup": null}], "folders": [], '
        '"committed": false}',
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="pekar utanför"):
        open_books(root / "main.beancount")
    assert outside.read_text(encoding="utf-8") == "behåll mig"
