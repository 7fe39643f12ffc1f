"""The ledger's write lock: one writer at a time (an import, an undo, a save in Fava).

The lock is an advisory `flock` on a file beside the main ledger file
(`.ctc-import.lock`, git-ignored). The operating system releases it when the
process ends, however it ends, so a crashed import never leaves a stale lock.
Nobody waits for it: a second import stops with a clear message, Fava's
editor refuses a save while an import holds it (`ctc.serve`), and recovering
an interrupted import (`ctc.recovery`) only runs when it is free.

`flock` locks belong to an open file, not to a process: two opens in one
process exclude each other like two processes do.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ctc.errors import UserError

LOCK_NAME = ".ctc-import.lock"


class LedgerLockedError(UserError):
    """The ledger's lock is taken: another import, undo or save is writing (one line)."""


def lock_path(ledger: Path) -> Path:
    """The lock file of a ledger (its main file's folder)."""
    return ledger.parent / LOCK_NAME


@contextlib.contextmanager
def ledger_lock(ledger: Path) -> Iterator[Path]:
    """Hold the ledger's lock for the duration of the block; a clear error when it is taken."""
    path = lock_path(ledger)
    with try_ledger_lock(ledger) as held:
        if not held:
            raise LedgerLockedError(
                f"En annan import skriver redan i {ledger}, eller så sparar Fava en ändring "
                f"(låset {path}); vänta tills den är klar och försök igen."
            )
        yield path


@contextlib.contextmanager
def try_ledger_lock(ledger: Path) -> Iterator[bool]:
    """Hold the ledger's lock for the block if it is free; yields whether it is held.

    Opening the lock creates its file: call this only when about to write.
    """
    handle = os.open(lock_path(ledger), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        yield _try_lock(handle)
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    """Take the lock without waiting; False when another holder has it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
