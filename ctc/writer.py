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
    """Write `text` to `path` through a temporary file and a rename.

    A reader never sees half a file: either the old content or the new.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
