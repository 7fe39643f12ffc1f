"""Fava's own income statement against our dashboard, in a real browser on a warm server.

    python scripts/bench_fava.py LEDGER [--repeats 3] [--json]

Starts `ctc serve` on the ledger on a free port, warms it (each page loaded
once in the browser, so Fava has loaded the ledger and our extension has
computed its figures), then times each page `repeats` times in headless
Chromium (Debian's `chromium`, driven by Playwright): from the start of
`page.goto` until the page's last document/XHR/fetch response has finished.
Reports the median per page, the ratio dashboard / income statement and the
server's peak RSS. `scripts/bench.py` calls `bench_pages`.

The result, plain numbers only: per page (`fava_income_statement`,
`ctc_dashboard`) the median, fastest and slowest `seconds`, the median
`load_event_seconds` (scripts and drawing done) and `first_load_seconds` (the
warm-up, which computes the page's figures); `ratios`; and `server` with
`ledger_load_seconds` (start until Fava had loaded the ledger) and
`peak_rss_mb` (VmHWM, read before the server stops).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from system_chromium import CHROMIUM_ARGS, chromium_path

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Page, Request

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "fava_income_statement": "income_statement/",
    "ctc_dashboard": "extension/CtcDashboard/",
}
"""Result key -> the page's path under the ledger's slug."""
TRACKED = {"document", "xhr", "fetch"}
"""Resource types whose responses make a page ready: the page itself and its API calls."""
IDLE_SECONDS = 0.3
READY_TIMEOUT = 600.0
PAGE_TIMEOUT_MS = 600_000


def require_chromium() -> str:
    """Chromium's path, or a clear error: Playwright's own download is not available here."""
    path = chromium_path()
    if path is None:
        raise RuntimeError(
            "no Chromium found: apt-get install chromium, or set CTC_CHROMIUM to its binary"
        )
    return path


def free_port() -> int:
    """A TCP port nobody listens on right now, so parallel runs do not collide."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(ledger: Path, port: int) -> subprocess.Popen:
    """`ctc serve` in its own process group, so stopping it takes every child with it."""
    return subprocess.Popen(
        [sys.executable, "-m", "ctc.cli", "serve", str(ledger), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )


def stop_server(process: subprocess.Popen) -> None:
    """Terminate the server's process group; kill it if it does not stop in time."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    if process.stderr:
        process.stderr.close()


def landing_page(port: int, timeout: float) -> str:
    """Where `/` redirects, not followed: Fava loads the ledger to answer, and names its slug.

    Not following the redirect keeps our dashboard (Fava's default page under
    `ctc serve`) out of this figure; its first computation is timed in the browser.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/")
        return connection.getresponse().getheader("Location") or "/"
    finally:
        connection.close()


def wait_ready(port: int, process: subprocess.Popen, timeout: float = READY_TIMEOUT) -> str:
    """Wait until Fava has loaded the ledger and answers `/`; return where it redirects."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"ctc serve stopped: {process.stderr.read() if process.stderr else ''}"
            )
        try:
            return landing_page(port, timeout)
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"ctc serve did not answer within {timeout} s")


def ledger_slug(url: str) -> str:
    """The first path component of a Fava URL: the ledger's slug."""
    return urllib.parse.urlparse(url).path.strip("/").split("/")[0]


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB; 0.0 where /proc is missing."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0.0
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@contextmanager
def served(ledger: Path) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """(the ledger's base URL, the server process, seconds until Fava had loaded the ledger).

    The server is always stopped, whatever happens while it runs.
    """
    port = free_port()
    start = time.perf_counter()
    process = start_server(ledger, port)
    try:
        landing = wait_ready(port, process)
        ready = time.perf_counter() - start
        yield f"http://127.0.0.1:{port}/{ledger_slug(landing)}/", process, ready
    finally:
        stop_server(process)


def response_end(request: Request) -> float:
    """When the browser received the response's last byte, in epoch seconds."""
    timing = request.timing
    if timing["responseEnd"] >= 0:
        return (timing["startTime"] + timing["responseEnd"]) / 1000
    return time.time()


class ResponseTracker:
    """The page's document, XHR and fetch requests: which are pending, when the last ended.

    Events reach Python only while Playwright waits, so the end time is the
    browser's own timing of each response, not when Python heard of it.
    """

    def __init__(self) -> None:
        self.pending: set[Request] = set()
        self.ends: list[float] = []
        self.heard = time.monotonic()

    def started(self, request: Request) -> None:
        """Count a tracked request as pending."""
        if request.resource_type in TRACKED:
            self.pending.add(request)
            self.heard = time.monotonic()

    def finished(self, request: Request) -> None:
        """A tracked request's response arrived: note when its last byte did."""
        if request in self.pending:
            self.ends.append(response_end(request))
        self.failed(request)

    def failed(self, request: Request) -> None:
        """A tracked request is over (a failure makes nothing ready, so no end time)."""
        if request in self.pending:
            self.pending.discard(request)
            self.heard = time.monotonic()

    def idle(self) -> bool:
        """Nothing pending and nothing heard for `IDLE_SECONDS`."""
        return not self.pending and time.monotonic() - self.heard >= IDLE_SECONDS

    def handlers(self) -> dict[str, Callable[[Request], None]]:
        """Playwright page event -> the method that follows it."""
        return {
            "request": self.started,
            "requestfinished": self.finished,
            "requestfailed": self.failed,
        }


def time_page(page: Page, url: str) -> tuple[float, float]:
    """Seconds from `page.goto` until the last tracked response finished (idle wait excluded),
    and until the page's load event (its scripts, styles and drawing done).
    """
    tracker = ResponseTracker()
    handlers = tracker.handlers()
    for event, handler in handlers.items():
        page.on(event, handler)
    try:
        start = time.time()
        page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        loaded = time.time() - start
        while not tracker.idle():
            page.wait_for_timeout(50)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return max(tracker.ends, default=time.time()) - start, loaded


def summary(runs: list[tuple[float, float]], first: tuple[float, float]) -> dict[str, float]:
    """Median, fastest and slowest of the timed runs, the median load event, the warm-up."""
    ready = [seconds for seconds, _ in runs]
    return {
        "seconds": round(statistics.median(ready), 3),
        "min_seconds": round(min(ready), 3),
        "max_seconds": round(max(ready), 3),
        "load_event_seconds": round(statistics.median(load for _, load in runs), 3),
        "first_load_seconds": round(first[0], 3),
    }


def time_pages(base: str, repeats: int) -> dict[str, dict[str, float]]:
    """Warm each page once, then time them in turns, `repeats` times each, in one browser tab.

    Taking turns spreads any drift of the machine over both pages alike; one
    tab means both pages find Fava's scripts in the browser cache alike.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="sv-SE")
            first = {name: time_page(page, base + path) for name, path in PAGES.items()}
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in PAGES}
            for _ in range(repeats):
                for name, path in PAGES.items():
                    runs[name].append(time_page(page, base + path))
        finally:
            browser.close()
    return {name: summary(runs[name], first[name]) for name in PAGES}


def bench_pages(ledger: Path, repeats: int = 3) -> dict[str, Any]:
    """Both pages' median seconds on a warm server, their ratio, and the server's peak RSS."""
    require_chromium()
    with served(ledger) as (base, process, ready):
        pages = time_pages(base, repeats)
        peak = peak_rss_mb(process.pid)
    ratio = pages["ctc_dashboard"]["seconds"] / pages["fava_income_statement"]["seconds"]
    return {
        **pages,
        "ratios": {"dashboard_vs_income_statement": round(ratio, 3)},
        "server": {"ledger_load_seconds": round(ready, 3), "peak_rss_mb": peak},
        "repeats": repeats,
    }


def table(result: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    lines = [f"{'page':24} {'median s':>9} {'min s':>7} {'max s':>7} {'load s':>7} {'first s':>8}"]
    for name in PAGES:
        row = result[name]
        lines.append(
            f"{name:24} {row['seconds']:>9.3f} {row['min_seconds']:>7.3f} "
            f"{row['max_seconds']:>7.3f} {row['load_event_seconds']:>7.3f} "
            f"{row['first_load_seconds']:>8.3f}"
        )
    ratio = result["ratios"]["dashboard_vs_income_statement"]
    server = result["server"]
    lines.append(f"dashboard / income statement: {ratio}")
    lines.append(
        f"Fava loaded the ledger in {server['ledger_load_seconds']} s, "
        f"server peak RSS {server['peak_rss_mb']} MB"
    )
    return "\n".join(lines)


def main() -> int:
    """Measure one ledger and print a table or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    try:
        result = bench_pages(args.ledger, args.repeats)
    except RuntimeError as error:
        print(f"bench_fava: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
