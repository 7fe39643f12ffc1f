"""A lock that keeps two imports from writing into one ledger at once.

The lock is an advisory `flock` on a file beside the main ledger file
(`.ctc-import.lock`, git-ignored). The operating system releases it when the
process ends, however it ends, so a crashed import never leaves a stale lock.
A second import does not wait: it stops with a clear message.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ctc.errors import UserError

LOCK_NAME = ".ctc-import.lock"


@contextlib.contextmanager
def ledger_lock(ledger: Path) -> Iterator[Path]:
    """Hold the ledger's import lock for the duration of the block."""
    path = ledger.parent / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(handle):
            raise UserError(
                f"En annan import skriver redan i {ledger} (låset {path}); "
                "vänta tills den är klar och försök igen."
            )
        yield path
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    """Take the lock without waiting; False when another process holds it."""
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
