"""A progress bar on stderr for people waiting on a big file.

The import's slow step is one call into Rust (fastexcel reading the sheet),
which reports nothing while it works. What it does report, on Linux, is the
bytes the process has read (`rchar` in /proc/self/io): the reader consumes
the compressed sheet front to back, so the share of the file read is the
share of the rows read. Where that is not available the bar shows rows only
once they are known.

The bar appears only when asked for (`ctc import` asks when stderr is a
terminal and the output is not JSON) and only after a second, so small files
and scripts never see it. It is drawn from a background thread a few times a
second, and once more when a step begins after that second, so every step
shown is seen however fast it is; the work itself only sets counters.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from ctc.numbers import format_number

DELAY_ENV = "CTC_PROGRESS_DELAY"
DELAY = 1.0
"""Seconds before the bar appears ($CTC_PROGRESS_DELAY overrides it, for tests)."""
INTERVAL = 0.2
WIDTH = 24
PROC_IO = Path("/proc/self/io")

_active: ContextVar[Bar | None] = ContextVar("ctc_progress", default=None)


def bytes_read() -> int | None:
    """Bytes this process has read so far (Linux), or None."""
    try:
        for line in PROC_IO.read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


class Bar:
    """One progress line: a label, rows done of a total, rows per second, time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.label = ""
        self.total = 0
        self.done: Callable[[], int] = lambda: 0
        self.started = time.monotonic()
        self.phase_started = self.started
        self.drawn = False
        self.delay = float(os.environ.get(DELAY_ENV, DELAY))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def phase(self, label: str, total: int, done: Callable[[], int]) -> None:
        """Start a step: what it is, how many rows it covers, and how to count rows done.

        Once the delay has passed, the step is drawn at once: a step shorter
        than the redraw interval would otherwise never be shown.
        """
        with self._lock:
            self.label, self.total, self.done = label, total, done
            self.phase_started = time.monotonic()
        self._draw()

    def line(self) -> str:
        """The bar as text, e.g. `Läser utfall.xlsx [######----] 524 288/1 048 575 rader …`."""
        done = min(max(self.done(), 0), self.total) if self.total else 0
        share = done / self.total if self.total else 0.0
        filled = round(WIDTH * share)
        seconds = max(time.monotonic() - self.phase_started, 1e-6)
        rate = done / seconds
        left = (self.total - done) / rate if rate > 0 else None
        parts = [
            f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}]",
            f"{format_number(Decimal(done))}/{format_number(Decimal(self.total))} rader",
            f"{format_number(Decimal(round(rate)))} rader/s",
        ]
        if left is not None:
            parts.append(f"{left:.0f} s kvar")
        return " · ".join(parts)

    def _draw(self) -> None:
        """Draw the current line, if the delay has passed and a step is under way."""
        with self._lock:
            if time.monotonic() - self.started >= self.delay and self.total:
                self.stream.write("\r\x1b[K" + self.line())
                self.stream.flush()
                self.drawn = True

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            self._draw()

    def start(self) -> None:
        """Begin drawing (after `DELAY`)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop drawing and clear the line."""
        self._stop.set()
        self._thread.join()
        with self._lock:
            if not self.drawn:
                return
            self.stream.write("\r\x1b[K")
            self.stream.flush()


@contextlib.contextmanager
def shown(enabled: bool, stream: TextIO | None = None) -> Iterator[None]:
    """Show a bar for the work inside the block, if `enabled`."""
    if not enabled:
        yield
        return
    bar = Bar(stream or sys.stderr)
    token = _active.set(bar)
    bar.start()
    try:
        yield
    finally:
        bar.stop()
        _active.reset(token)


def phase(label: str, total: int, done: Callable[[], int]) -> None:
    """Tell the bar, if one is shown, that a step over `total` rows has begun."""
    bar = _active.get()
    if bar is not None:
        bar.phase(label, total, done)


def reading(label: str, total_rows: int, file_bytes: int) -> None:
    """A step that reads a file whole in one call: rows counted by the bytes read so far."""
    start = bytes_read()
    if start is None or file_bytes <= 0:
        phase(label, total_rows, lambda: 0)
        return

    def rows_read() -> int:
        now = bytes_read()
        return 0 if now is None else (now - start) * total_rows // file_bytes

    phase(label, total_rows, rows_read)


class Counter:
    """Rows done in a step the code loops over itself."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def __call__(self) -> int:
        return self.value
