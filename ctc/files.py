"""Replacing a file atomically and durably: the one way every file is written.

A reader (Fava, `ctc check`, another command) must never see half a file, and
a crash or power cut must leave either the old content or the new, never an
empty or torn file. So a file is never written in place: its new content goes
to a temporary file in the same folder, which is flushed and `fsync`ed, then
renamed over the old file with `os.replace` (atomic within one file system),
and finally the folder is `fsync`ed so the rename itself survives a crash. On
any failure the temporary file is removed and the old file is untouched.

The two steps are apart as `stage` (the new content written beside the old,
durable, not yet in place) and `Pending.commit` (the rename), so a change of
several files can write every new content first and rename them all at the
end (`ctc.importers.writing.ledger_files.Changes`, journaled by `ctc.transaction`).

Every temporary file is named `.NAME.XXXXXXXX.tmp` beside its target
(`is_temporary`), and one a journaled change writes under the ledger's lock
`.NAME.ctc.XXXXXXXX.tmp` (`CHANGE_TAG`), so one left by a killed process is
recognised and removed (`ctc.recovery`). Tests inject faults through `fault_hook`: it sees every
write, rename and removal before it happens and may raise, so a full disk or a failed
Nth rename is reproduced exactly, without sleeping or filling a disk.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

Writer = Callable[[BinaryIO], object]
"""Writes a file's new content to an open binary handle."""
FaultHook = Callable[[str, Path], None]
"""Sees an action ("write", "rename" or "remove") and its file before it happens; may raise."""

fault_hook: FaultHook | None = None
"""For tests only: the hook every write and rename passes (None: no faults)."""
TEMPORARY_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""The name `stage` gives a temporary file (`tempfile.mkstemp`'s eight random characters)."""
CHANGE_TAG = "ctc"
"""Marks the temporary files of a journaled change (`ctc.transaction`), written under the lock."""
CHANGE_RE = re.compile(rf"^\..+\.{CHANGE_TAG}\.[a-z0-9_]{{8}}\.tmp$")


def is_temporary(name: str) -> bool:
    """Whether a file name is one of our temporary files."""
    return TEMPORARY_RE.match(name) is not None


def is_change_temporary(name: str) -> bool:
    """Whether a file name is a journaled change's temporary file (written under the lock)."""
    return CHANGE_RE.match(name) is not None


def temporary_file(path: Path, tag: str = "") -> tuple[int, Path]:
    """A new, empty temporary file beside `path` (open descriptor, path), named as above."""
    prefix = f".{path.name}.{tag}." if tag else f".{path.name}."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    return fd, Path(name)


def _fault(action: str, path: Path) -> None:
    if fault_hook is not None:
        fault_hook(action, path)


@dataclass(frozen=True, slots=True)
class Pending:
    """A file's new content, durable in a temporary file beside it, not yet in its place."""

    target: Path
    temporary: Path

    def commit(self) -> None:
        """Put the new content in place (rename), and make the rename durable."""
        try:
            rename(self.temporary, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Drop the new content; the target stays as it was."""
        self.temporary.unlink(missing_ok=True)


def stage(path: Path, write: Writer, mode: int | None = None, tag: str = "") -> Pending:
    """Write `path`'s new content to a temporary file in its folder and `fsync` it.

    The folder must exist. `mode` is the new file's permission bits; by
    default a rewritten file keeps its own and a new file gets the usual
    (0o666 less the umask). `tag` marks the temporary file's name.
    """
    fd, temporary = temporary_file(path, tag)
    try:
        with os.fdopen(fd, "wb") as handle:
            _fault("write", path)
            os.fchmod(handle.fileno(), file_mode(path) if mode is None else mode)
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno is not None and error.filename is None:
            error.filename = str(path)  # a failed write names the file it was for
        raise
    return Pending(path, temporary)


def content_writer(content: bytes) -> Writer:
    """A writer of content held in memory."""
    return lambda handle: handle.write(content)


def copy_writer(source: Path) -> Writer:
    """A writer of another file's bytes (an archived source file, a backup)."""

    def copy(handle: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    return copy


def stage_bytes(path: Path, content: bytes, tag: str = "") -> Pending:
    """`stage` for content held in memory."""
    return stage(path, content_writer(content), tag=tag)


def stage_copy(path: Path, source: Path) -> Pending:
    """`stage` for a copy of another file's bytes."""
    return stage(path, copy_writer(source))


def replace_file(path: Path, write: Writer, mode: int | None = None) -> None:
    """Replace `path` atomically and durably with what `write` writes; see the module docstring."""
    stage(path, write, mode).commit()


def atomic_write_bytes(path: Path, content: bytes, tag: str = "") -> None:
    """Replace `path` with `content`; the folder must exist."""
    stage_bytes(path, content, tag).commit()


def atomic_write(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, line ends as given), creating its folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))


def commit_all(pending: Iterable[Pending]) -> None:
    """Rename every staged file into place, in order; on a failure drop the ones not yet renamed.

    What was renamed before the failure stays renamed: the caller, who knows
    the old contents, puts them back.
    """
    waiting = list(pending)
    try:
        while waiting:
            waiting[0].commit()
            waiting.pop(0)
    finally:
        discard_all(waiting)


def discard_all(pending: Iterable[Pending]) -> None:
    """Drop every staged file's new content."""
    for item in pending:
        item.discard()


def rename(source: Path, target: Path) -> None:
    """Rename a file over another atomically (same folder), and make the rename durable."""
    _fault("rename", target)
    source.replace(target)
    sync_folder(target.parent)


def remove(path: Path) -> bool:
    """Delete a file if it is there, durably; whether it was there."""
    _fault("remove", path)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    sync_folder(path.parent)
    return True


def sync_folder(folder: Path) -> None:
    """`fsync` a folder, so that a rename or removal in it survives a crash.

    Windows has no handle on a folder to sync, and a few file systems refuse
    to sync one (EINVAL); there the rename is as durable as the system makes it.
    """
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


def file_mode(path: Path) -> int:
    """The mode a rewritten file keeps, or a new file's usual mode (0o666 less the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def digest(path: Path) -> str | None:
    """SHA-256 of a file's content, or None when there is no such file."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return None
