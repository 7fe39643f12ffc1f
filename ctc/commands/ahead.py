"""Reading a big export while `ctc` itself starts: `ctc import`'s first file, read ahead.

A big workbook is read in one call into Rust (fastexcel) that holds no
Python lock. Started before anything else, it runs while Python imports
the command line, Beancount and the rest of `ctc` and loads the ledger, so
a run that only waits for the read takes about as long as the read.

Only the first file of `ctc import` is read ahead, only when it is a big
workbook, and only when no progress bar is shown (`--json`, or stderr not a
terminal): the bar follows the read from the thread that shows it. A guess
that turns out wrong (another command after all) costs a read nobody asks
for; `run_import` takes the read only for the very path it imports first.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ctc.importers.reading.layout import Located

VALUED = ("--ledger", "--config", "--decision", "--correction")
"""`ctc import`'s options that take a value."""

_started: dict[Path, Future[Located]] = {}


def first_file(argv: list[str], stderr_is_terminal: bool) -> Path | None:
    """The file `ctc import` reads first, if it should be read ahead; else None."""
    if not argv or argv[0] != "import" or any(a.startswith(("--undo", "--help")) for a in argv):
        return None
    if stderr_is_terminal and "--json" not in argv:
        return None  # a progress bar is shown, and follows its own read
    skip = False
    for arg in argv[1:]:
        if skip:
            skip = False
        elif arg in VALUED:
            skip = True
        elif not arg.startswith("-"):
            path = Path(arg)
            return path if path.is_file() else None
    return None


def read_ahead(argv: list[str]) -> None:
    """Start reading `ctc import`'s first file in a thread, if it is a big workbook."""
    path = first_file(argv, sys.stderr.isatty())
    if path is None:
        return
    from ctc.importers.kinds.recognise import locate_file
    from ctc.importers.reading.fastread import prepare_reading

    if not prepare_reading(path):
        return
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctc-read-ahead")
    _started[path] = reader.submit(locate_file, path)
    reader.shutdown(wait=False)


def taken(path: Path) -> Future[Located] | None:
    """The read started for `path`, if any (once)."""
    return _started.pop(path, None)
