"""Writing ledger text: one printer for every entry, and atomic file writes.

Importers and the example builder both render entries here, so what the
example shows is exactly what an import writes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from beancount.core import data
from beancount.parser import printer


def render_entries(entries: Iterable[data.Directive]) -> str:
    """Ledger text for `entries`, one blank line between entries."""
    return "\n".join(printer.format_entry(entry) for entry in entries)


def atomic_write(path: Path, text: str) -> None:
    """Write `text` (UTF-8, line ends as given) to `path` through a temporary file and a rename.

    A reader never sees half a file: either the old content or the new.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """Write `content` to `path` through a temporary file in its folder and a rename.

    The folder must exist. A reader never sees half a file, and a failed
    write leaves the old file, if any, untouched.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode a rewritten file keeps, or a new file's usual mode (0o666 less the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
