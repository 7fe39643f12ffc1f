"""Nothing lost when things go wrong: a kill, a full disk, an edit during an import.

Faults are injected deterministically through `ctc.files.fault_hook`, which
sees every write, rename and removal before it happens: it raises the error
a full disk or a missing permission would raise, or copies the ledger's
folder as a process killed at that instant leaves it (`kill_points`). The same
kills with real processes and strace: `scripts/crash_check.py`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_DIR, PROCESS_TIMEOUT, run_ctc
from test_transaction import folder_state, kill_points
from workbooks import ROWS, export

from ctc import files
from ctc.errors import UserError, describe_os_error
from ctc.importers import run as import_run
from ctc.importers.run import run_import, run_undo
from ctc.ledger import load_ledger
from ctc.lock import ledger_lock
from ctc.recovery import stale_temporaries
from ctc.transaction import journal_path

ROLLED_BACK = "En avbruten import har rullats tillbaka: huvudboken är som före den"


def exports(folder: Path, years: tuple[int, ...] = (2019, 2021, 2023)) -> list[Path]:
    """One small export per year, rows new to the example (own vouchers)."""
    paths = []
    for index, year in enumerate(years):
        rows = [[r[0].replace(year=year), f"T{index}{r[1]}", *r[2:]] for r in ROWS]
        paths.append(export(folder / f"krasch_{year}.xlsx", rows))
    return paths


def fail_at(root: Path, nth: int, error: OSError, seen: list | None = None):
    """A fault hook raising `error` at the `nth` write or rename in the ledger's folder.

    A one-file import writes two backups, two new texts and the archive copy,
    the journal, renames it, renames three files, and writes and renames the mark.
    """
    seen = [] if seen is None else seen

    def hook(action: str, path: Path) -> None:
        if action == "remove" or not Path(path).is_relative_to(root):
            return
        seen.append((action, Path(path).name))
        if len(seen) == nth:
            raise error

    return hook


@pytest.fixture
def faults():
    """Set `ctc.files.fault_hook` for one test."""
    yield lambda hook: setattr(files, "fault_hook", hook)
    files.fault_hook = None


WHERE = {
    "a backup": ("write", "2021.beancount"),
    "the archive copy": ("write", "2021-03-09.krasch_2021.xlsx"),
    "the journal": ("rename", ".ctc-import.journal"),
    "a rename": ("rename", "sources.beancount"),
    "the mark": ("write", ".ctc-import.journal"),
    "the mark's rename": ("rename", ".ctc-import.journal"),
}
"""Where each injected fault strikes: the action and the file it is about to touch."""


def full_disk(path: str = "") -> OSError:
    return OSError(errno.ENOSPC, "No space left on device", path)


@pytest.mark.parametrize(
    ("nth", "where"),
    [
        (1, "a backup"),
        (5, "the archive copy"),
        (7, "the journal"),
        (9, "a rename"),
        (11, "the mark"),
        (12, "the mark's rename"),
    ],
)
def test_a_full_disk_anywhere_is_one_line_and_the_books_as_before(
    example_copy, tmp_path, faults, nth, where
):
    root = example_copy.parent
    (source,) = exports(tmp_path, (2021,))
    before = folder_state(root)
    seen = []
    faults(fail_at(root, nth, full_disk(str(root / "costs" / "2021.beancount")), seen))
    result = run_ctc("import", "--ledger", str(example_copy), str(source))
    assert seen[nth - 1] == WHERE[where]
    assert result.returncode == 1, where
    assert result.stderr == (
        "ctc: fel: Kunde inte skriva i huvudboken: disken är full "
        f"({root / 'costs' / '2021.beancount'}); inget ändrades.\n"
    )
    assert folder_state(root) == before, where


def test_a_write_error_is_one_line_without_a_traceback(example_copy, tmp_path, faults):
    root = example_copy.parent
    (source,) = exports(tmp_path, (2021,))
    before = folder_state(root)
    faults(fail_at(root, 7, OSError(errno.EACCES, "Permission denied", str(root / "x"))))
    result = run_ctc("import", "--ledger", str(example_copy), str(source))
    assert result.returncode == 1
    assert result.stderr == (
        f"ctc: fel: Kunde inte skriva i huvudboken: behörighet saknas ({root / 'x'}); "
        "inget ändrades.\n"
    )
    assert folder_state(root) == before


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "a"), "disken är full (a)"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "diskkvoten är slut"),
        (OSError(errno.EPERM, "Operation not permitted", "b"), "behörighet saknas (b)"),
        (OSError(errno.EROFS, "Read-only file system"), "filsystemet är skrivskyddat"),
        (OSError(errno.ETXTBSY, "Text file busy"), "filen används av ett annat program"),
        (OSError(errno.ELOOP, "Too many levels of symbolic links"), "Too many levels of symbolic links"),
    ],
)  # fmt: skip
def test_write_errors_in_plain_swedish(error, said):
    assert describe_os_error(error) == said


def test_a_windows_sharing_violation_is_a_file_in_use():
    error = PermissionError(errno.EACCES, "The process cannot access the file", "c")
    error.winerror = 32
    assert describe_os_error(error) == "filen används av ett annat program (c)"


def test_an_undo_on_a_full_disk_leaves_the_import_in_place(example_copy, tmp_path, faults):
    root = example_copy.parent
    (source,) = exports(tmp_path, (2021,))
    run_import([source], example_copy)
    imported = folder_state(root)
    faults(fail_at(root, 3, full_disk()))
    result = run_ctc("import", "--ledger", str(example_copy), "--undo", source.name)
    assert result.returncode == 1
    assert "disken är full; inget ändrades." in result.stderr
    assert folder_state(root) == imported


def test_killed_during_the_check_the_next_check_rolls_the_import_back(
    example_copy, tmp_path, monkeypatch
):
    """The post-write check of an import that must fail (sources.beancount not included)."""
    root = example_copy.parent
    main_text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(main_text.replace('include "sources.beancount"\n', ""))
    (root / "sources.beancount").unlink()
    before = folder_state(root)
    killed = tmp_path / "killed"
    check = import_run._problem_after

    def kill_here(after, changes):
        shutil.copytree(root, killed)  # what a kill during the check leaves
        return check(after, changes)

    monkeypatch.setattr(import_run, "_problem_after", kill_here)
    with pytest.raises(UserError, match=r"sources.beancount ingår inte i huvudboken"):
        run_import(exports(tmp_path, (2021,)), example_copy)
    assert folder_state(root) == before
    assert (killed / "sources.beancount").exists() and journal_path(killed).exists()
    result = run_ctc("check", str(killed / "main.beancount"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"{ROLLED_BACK} (3 filer kontrollerade).\n")
    assert folder_state(killed) == before


def test_a_file_edited_during_the_import_is_named_and_the_edit_kept(example_copy, tmp_path, faults):
    root = example_copy.parent
    sources = root / "sources.beancount"
    edit = sources.read_text(encoding="utf-8") + "\n; Ändrad i en editor under importen.\n"

    def edit_before_first_rename(action, path):
        if action == "rename" and Path(path) == journal_path(root):
            sources.write_text(edit, encoding="utf-8")

    (source,) = exports(tmp_path, (2021,))
    before = folder_state(root)
    faults(edit_before_first_rename)
    result = run_ctc("import", "--ledger", str(example_copy), str(source))
    assert result.returncode == 1
    assert result.stderr == (
        "ctc: fel: sources.beancount ändrades av ett annat program medan ctc skrev i "
        "huvudboken; inget ändrades (ändringen i filen är kvar). Kör kommandot igen.\n"
    )
    after = folder_state(root)
    assert sources.read_text(encoding="utf-8") == edit
    assert {k: v for k, v in after.items() if k != "sources.beancount"} == {
        k: v for k, v in before.items() if k != "sources.beancount"
    }


@contextlib.contextmanager
def during_import(root: Path, edit: Callable[[], Any]) -> Iterator[list[Any]]:
    """Run `edit` in another thread while the import in the block waits at its first rename.

    The import has read and staged everything then, and renamed nothing; it
    goes on once `edit` is done. Yields the list that receives `edit`'s result.
    """
    reached, done = threading.Event(), threading.Event()
    results: list[Any] = []

    def pause(action, path):
        if action == "rename" and Path(path) == journal_path(root) and not reached.is_set():
            reached.set()
            assert done.wait(PROCESS_TIMEOUT)

    def editor():
        assert reached.wait(PROCESS_TIMEOUT)
        try:
            results.append(edit())
        finally:
            done.set()

    thread = threading.Thread(target=editor)
    files.fault_hook = pause
    thread.start()
    try:
        yield results
    finally:
        files.fault_hook = None
        reached.set()
        thread.join()


def test_a_thread_editing_during_the_import_loses_nothing(example_copy, tmp_path):
    """A second thread saves a file between the import's reading and its renames."""
    root = example_copy.parent
    costs = root / "costs" / "2021.beancount"

    def edit():
        costs.write_text(costs.read_text(encoding="utf-8") + "; redigerad\n", encoding="utf-8")

    with (
        during_import(root, edit),
        pytest.raises(UserError, match=r"^costs/2021\.beancount ändrades"),
    ):
        run_import(exports(tmp_path, (2021,)), example_copy)
    assert costs.read_text(encoding="utf-8").endswith("; redigerad\n")
    assert stale_temporaries(root) == [] and not journal_path(root).exists()


def test_stale_temporaries_are_removed_by_the_next_command_and_it_says_so(example_copy):
    root = example_copy.parent
    before = folder_state(root)
    (root / "costs" / ".2021.beancount.ctc.k2j4h5g6.tmp").write_text("halv", encoding="utf-8")
    folder = root / "documents" / "Liabilities" / "Malmo"
    folder.mkdir(parents=True)
    (folder / ".2021-03-09.utfall.xlsx.ctc.abcd_123.tmp").write_bytes(b"PK halv")
    older = root / ".sources.beancount.zzzzzzzz.tmp"  # an earlier version's, long ago
    older.write_text("halv", encoding="utf-8")
    os.utime(older, (1_000_000_000, 1_000_000_000))
    report = root / ".rapport.xlsx.yyyyyyyy.tmp"  # `ctc report -o` writing here right now
    report.write_bytes(b"PK")
    (root / "anteckning.tmp").write_text("inte vår", encoding="utf-8")
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == "3 kvarlämnade temporära filer borttagna."
    after = folder_state(root)
    kept = ("anteckning.tmp", ".rapport.xlsx.yyyyyyyy.tmp")
    assert after == {**before, **{name: after[name] for name in kept}}


def test_leftovers_of_a_live_import_are_not_touched(example_copy):
    root = example_copy.parent
    leftover = root / "costs" / ".2021.beancount.ctc.k2j4h5g6.tmp"
    leftover.write_text("en import skriver", encoding="utf-8")
    with ledger_lock(example_copy):
        result = run_ctc("check", str(example_copy))
    assert result.returncode == 0
    assert leftover.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{ledger}"),
        ("report", "yearly", "{ledger}"),
        ("trace", "{ledger}", "--committee", "KS", "--year", "2021"),
        ("import", "--dry-run", "--ledger", "{ledger}", "{export}"),
    ],
    ids=["check", "report", "trace", "dry-run"],
)
def test_read_only_commands_create_nothing_in_the_ledger_folder(example_copy, tmp_path, args):
    root = example_copy.parent
    (source,) = exports(tmp_path, (2021,))
    before = folder_state(root)
    filled = [a.format(ledger=example_copy, export=source) for a in args]
    result = run_ctc(*filled)
    assert result.returncode == 0, result.stderr
    assert folder_state(root) == before
    assert not (root / ".ctc-import.lock").exists()


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    """(The example as a kill at a three-file import's third rename leaves it, the state before)."""
    base = tmp_path_factory.mktemp("interrupted")
    root = base / "ledger"
    shutil.copytree(EXAMPLE_DIR, root, ignore=shutil.ignore_patterns("documents"))
    before = folder_state(root)
    killed = base / "killed"
    renames = []

    def kill_at_third_rename(action, path):
        if action == "rename" and Path(path).is_relative_to(root):
            renames.append(path)
            if len(renames) == 3:
                shutil.copytree(root, killed)

    files.fault_hook = kill_at_third_rename
    try:
        run_import(exports(base), root / "main.beancount")
    finally:
        files.fault_hook = None
    return killed, before


@pytest.fixture
def killed(interrupted, tmp_path) -> Path:
    """A private copy of the interrupted import's ledger folder."""
    target = tmp_path / "killed"
    shutil.copytree(interrupted[0], target)
    return target


@pytest.mark.parametrize(
    "args",
    [("check", "{ledger}"), ("report", "yearly", "{ledger}"), ("import", "--ledger", "{ledger}")],
    ids=["check", "report", "import"],
)
def test_every_command_recovers_an_interrupted_import_and_says_so_in_one_line(
    interrupted, killed, tmp_path, args
):
    filled = [a.format(ledger=killed / "main.beancount") for a in args]
    if filled[0] == "import":
        filled.append(str(export(tmp_path / "annan.xlsx")))
    result = run_ctc(*filled)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"{ROLLED_BACK} (7 filer kontrollerade)."
    if filled[0] != "import":
        assert folder_state(killed) == interrupted[1]


def test_fava_recovers_an_interrupted_import_when_it_loads_the_books(interrupted, killed):
    from fava.application import create_app

    app = create_app([str(killed / "main.beancount")], read_only=True)
    client = app.test_client()
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200
    assert f"{ROLLED_BACK} (7 filer kontrollerade)." in page.get_data(as_text=True)
    assert folder_state(killed) == interrupted[1]


def test_serving_recovers_first_and_says_so(interrupted, killed, monkeypatch):
    import ctc.serve

    served = []
    monkeypatch.setattr(
        ctc.serve, "serve", lambda path, *args: served.append(folder_state(path.parent))
    )
    result = run_ctc("serve", str(killed / "main.beancount"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"{ROLLED_BACK} (7 filer kontrollerade)."
    assert served == [interrupted[1]]


def test_the_load_cache_cleans_up_after_a_killed_write_and_a_full_disk(
    example_copy, tmp_path, monkeypatch, faults
):
    from ctc import load_cache

    cache = tmp_path / "cache"
    monkeypatch.setenv("CTC_CACHE_DIR", str(cache))
    target = load_cache.cache_file(example_copy.resolve(), cache)
    cache.mkdir()
    leftover = cache / f".{target.name}.q1w2e3r4.tmp"
    leftover.write_bytes(b"halv pickle")

    def full(action, path):
        if Path(path).parent == cache:
            raise full_disk(str(path))

    faults(full)
    assert load_ledger(example_copy).errors == []
    assert sorted(p.name for p in cache.iterdir()) == []  # leftover removed, nothing written
    files.fault_hook = None
    assert load_ledger(example_copy).errors == []
    assert sorted(p.name for p in cache.iterdir()) == [target.name]


def test_an_unforeseen_file_error_in_any_command_is_one_line(tmp_path, faults):
    faults(lambda action, path: (_ for _ in ()).throw(full_disk(str(path))))
    output = tmp_path / "utkast.beancount"
    result = run_ctc(
        "scenario", "new", "--from-actuals", "--municipality", "Linkoping", "--areas", "2", "--from", "2026",
        "--to", "2027", "-o", str(output),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("ctc: fel: ")
    assert result.stderr.count("\n") == 1 and "disken är full" in result.stderr
    assert not output.exists() and list(tmp_path.iterdir()) == []


# --- Every kill point, end to end --------------------------------------------------------


def kill_everywhere(example_copy: Path, tmp_path: Path, operation) -> list[Path]:
    """Copies of the ledger as a kill at each write, rename and removal of `operation` leaves it."""
    return kill_points(example_copy.parent, tmp_path / "kills", operation)


def assert_recovered_then_serial(copies, before, after, rerun) -> list[str]:
    """After each kill `ctc check` leaves before or after; rerunning gives the serial result."""
    outcomes = []
    for copy in copies:
        result = run_ctc("check", str(copy / "main.beancount"))
        assert result.returncode == 0, (copy.name, result.stderr)
        state = folder_state(copy)
        assert state in (before, after), copy.name
        outcomes.append("before" if state == before else "after")
        rerun(copy / "main.beancount")
        assert folder_state(copy) == after, copy.name
    return outcomes


@pytest.mark.slow  # two dozen imports and checks; fast variants: the tests above
def test_a_kill_anywhere_in_a_three_file_import_is_recovered(example_copy, tmp_path):
    root = example_copy.parent
    sources = exports(tmp_path)
    before = folder_state(root)
    copies = kill_everywhere(example_copy, tmp_path, lambda: run_import(sources, example_copy))
    after = folder_state(root)
    outcomes = assert_recovered_then_serial(
        copies, before, after, lambda main: run_import(sources, main)
    )
    assert outcomes.count("before") >= 14 and outcomes[-1] == "after"


@pytest.mark.slow  # a dozen undos and checks; fast variant: the undo on a full disk
def test_a_kill_anywhere_in_an_undo_is_recovered(example_copy, tmp_path):
    root = example_copy.parent
    sources = exports(tmp_path)
    run_import(sources, example_copy)
    before = folder_state(root)
    name = sources[1].name
    copies = kill_everywhere(example_copy, tmp_path, lambda: run_undo(name, example_copy))
    after = folder_state(root)
    assert not (root / "documents/Liabilities/Malmo/Avrakning/2021-03-09.krasch_2021.xlsx").exists()

    def rerun(main: Path) -> None:
        try:
            run_undo(name, main)
        except UserError as error:  # undone already: the serial result stands
            assert "ingen inläst fil heter så" in str(error)

    outcomes = assert_recovered_then_serial(copies, before, after, rerun)
    assert "before" in outcomes and outcomes[-1] == "after"


# --- A real full disk --------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs a little larger than the example ledger (needs root; skipped otherwise)."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    size = sum(p.stat().st_size for p in EXAMPLE_DIR.rglob("*") if p.is_file()) + 1_000_000
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow  # imports until a real disk is full
def test_imports_into_a_small_disk_until_it_fills(small_disk, tmp_path):
    root = small_disk / "ledger"
    shutil.copytree(EXAMPLE_DIR, root, ignore=shutil.ignore_patterns("documents"))
    main = root / "main.beancount"
    filler = small_disk / "filler.bin"  # deleted at the end, to free space again
    filler.write_bytes(bytes(300_000))
    years = tuple(range(2018, 2025)) * 20
    failed = None
    for index, year in enumerate(years):
        rows = [[r[0].replace(year=year), f"D{index}{r[1]}", *r[2:]] for r in ROWS]
        source = export(tmp_path / f"disk_{index}.xlsx", rows)
        before = folder_state(root)
        result = run_ctc("import", "--ledger", str(main), str(source))
        if result.returncode != 0:
            failed = (source, result.stderr, before)
            break
    assert failed is not None, "the disk never filled"
    source, stderr, before = failed
    assert stderr.count("\n") == 1 and "disken är full" in stderr and "inget ändrades" in stderr
    assert folder_state(root) == before
    ledger = load_ledger(main)
    assert ledger.errors == []
    booked = {
        e.meta.get("source_sha256")
        for e in ledger.entries
        if getattr(e, "type", None) != "source-file"
    }
    assert set(ledger.registers.sources) <= booked  # nothing recorded that is not in the books
    filler.unlink()  # space again: the same import now goes through whole
    result = run_ctc("import", "--ledger", str(main), str(source))
    assert result.returncode == 0, result.stderr
    archives = list((root / "documents").rglob(f"*{source.name}"))
    assert [a.read_bytes() for a in archives] == [source.read_bytes()]
