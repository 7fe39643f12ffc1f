"""Shared helpers: small ledgers written to disk and loaded by real Beancount."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

from ctc.ledger import load_ledger
from ctc.plugins import RULES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "ledger"
EXAMPLE = EXAMPLE_DIR / "main.beancount"
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:
    # The scripts (benchmarks, Chromium's settings) are importable from tests.
    sys.path.append(str(SCRIPTS))

PLUGINS = "\n".join(f'plugin "ctc.plugins.{name}"' for name in RULES)

SMALL_HEADER = f"""\
option "operating_currency" "SEK"
{PLUGINS}

2017-01-01 commodity SEK
2017-01-01 custom "committee" "KS"
  municipality: "Malmo"
  name: "Kommunstyrelsen"
2017-01-01 custom "committee" "AoS"
  municipality: "Malmo"
  name: "Arbetsmarknads- och socialnämnden"
2017-01-01 custom "committee" "FrN"
  municipality: "Malmo"
  name: "Fritidsnämnden"
2017-01-01 custom "area" "Kirseberg"
  municipality: "Malmo"
2017-01-01 open Equity:Malmo:KF:Kommunbidrag SEK
2017-01-01 open Liabilities:Malmo:Avrakning SEK
2017-01-01 open Income:Malmo:KS:CTC:Kommunbidrag SEK
2017-01-01 open Income:Malmo:AoS:CTC:Kommunbidrag SEK
2017-01-01 open Income:Malmo:FrN:CTC:Kommunbidrag SEK
2017-01-01 open Expenses:Malmo:KS:CTC:Lon SEK
2017-01-01 open Expenses:Malmo:AoS:CTC:Lon SEK
2017-01-01 open Expenses:Malmo:FrN:CTC:Lon SEK
2024-01-01 custom "po-rate" 43.00
2024-09-26 custom "decision" "KF-2024-09-26-p190"
  body: "KF"
  municipality: "Malmo"
  paragraph: 190
  title: "Verksamhetsförändring inom CTC"
"""


ONE_SALARY = """\
2024-02-25 * "Månadslön"
  Expenses:Malmo:KS:CTC:Lon     1000.00 SEK
  Liabilities:Malmo:Avrakning  -1000.00 SEK
"""
"""A cost entry for a small ledger: one month's salary at KS, with no source."""


@pytest.fixture(autouse=True, scope="session")
def _private_load_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test (and every `ctc` it starts) caches loads in a session folder, not ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CTC_CACHE_DIR", str(tmp_path_factory.mktemp("load-cache")))
        patch.delenv("CTC_NO_CACHE", raising=False)
        yield


def write_small(tmp_path: Path, body: str) -> Path:
    """A small ledger: the shared header plus `body`, written to a file."""
    path = tmp_path / "small.beancount"
    path.write_text(SMALL_HEADER + "\n" + body, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line number of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def errors_of(path: Path) -> list[tuple[int, str]]:
    """(line, message) of every error Beancount and our plugins report."""
    ledger = load_ledger(path)
    return [(e.source.get("lineno", 0) if e.source else 0, e.message) for e in ledger.errors]


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled example; returns its main file."""
    target = tmp_path / "ledger"
    shutil.copytree(
        EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("*.picklecache", "documents", ".ctc-*")
    )
    return target / "main.beancount"


def append(path: Path, text: str) -> int:
    """Append entries to a ledger file; return the line where they start."""
    existing = path.read_text(encoding="utf-8")
    start = existing.count("\n") + 2
    path.write_text(existing + "\n" + text, encoding="utf-8")
    return start


# --- Running `ctc` ----------------------------------------------------------------------

PROCESS_TIMEOUT = 300
"""Seconds after which a test gives up on a process or a server: a safety net for one
that hangs, never a measure of speed (a busy machine may be many times slower than an
idle one; speed is measured by `scripts/bench.py`, never asserted)."""


def run_ctc(
    *args: str, env: dict[str, str | None] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `ctc ARGS` in this process, as a real process would look from outside.

    `ctc.cli.main` runs with stdout and stderr captured as UTF-8 bytes and
    decoded as `subprocess.run(..., text=True)` decodes them (universal
    newlines), so a test reads `returncode`, `stdout` and `stderr` alike for
    both. `env` sets (or, with None, removes) environment variables and `cwd`
    the working folder for this run only; both are restored afterwards, as are
    `sys.stdin`, `sys.stdout` and `sys.stderr`. An exception the CLI lets
    through becomes a traceback on stderr and exit code 1, as in a process.
    Use `run_real_ctc` where a real process matters.
    """
    from ctc.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (exit_.code is not None)
        except Exception:
            stderr.write(traceback.format_exc())
            code = 1
        stdout.flush()
        stderr.flush()
    return subprocess.CompletedProcess(
        ["ctc", *args], int(code), decoded(out.getvalue()), decoded(err.getvalue())
    )


def decoded(data: bytes) -> str:
    """Bytes a process wrote, as `subprocess.run(..., text=True)` returns them."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict").read()


def ctc_executable() -> Path:
    """The installed `ctc` command: the entry point beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("ctc")
    if beside.is_file():
        return beside
    found = shutil.which("ctc")
    if found is None:
        pytest.fail("no `ctc` command installed (pip install -e '.[test]')")
    return Path(found)


def run_real_ctc(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed `ctc` as a real process, the way a user does."""
    return subprocess.run(
        [str(ctc_executable()), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )


# --- A real browser --------------------------------------------------------------------


def require_browser() -> str:
    """Chromium's path for Playwright; skip without it, or fail when CI requires it.

    CI sets CTC_REQUIRE_BROWSER=1 (in .ci/run), which turns a missing
    Playwright or Chromium into a failure instead of a skip.
    """
    from system_chromium import chromium_path

    required = os.environ.get("CTC_REQUIRE_BROWSER") == "1"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("CTC_REQUIRE_BROWSER=1 but Playwright is not installed")
        pytest.skip("Playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        if required:
            pytest.fail(
                "CTC_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)"
            )
        pytest.skip("no Chromium on this machine (apt-get install chromium to run browser tests)")
    return path


# --- A real Fava server ------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class FavaServer:
    """`ctc serve` (the installed command) running in its own process on a free port.

    Its stderr goes to a file, not a pipe, so a chatty server never blocks on a
    full pipe, and a server that dies or never answers fails with what it wrote.
    """

    def __init__(self, ledger: Path, *args: str) -> None:
        self.ledger = ledger
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            [str(ctc_executable()), "serve", str(ledger), "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def stderr(self) -> str:
        """What the server has written to stderr so far."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def wait_exit(self) -> int:
        """Wait for the server to exit by itself; its exit code."""
        return self.process.wait(timeout=PROCESS_TIMEOUT)

    def wait_ready(self, timeout: float = PROCESS_TIMEOUT) -> None:
        """Wait until the dashboard answers 200; fail with the server's stderr if it never does.

        The wait is generous on purpose: a loaded machine may take many times longer
        to start Fava than an idle one, and readiness is not a measure of speed.
        """
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"ctc serve exited with {self.process.returncode}:\n{self.stderr()}"
                )
            try:
                with urllib.request.urlopen(self.base + "/", timeout=timeout) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"ctc serve did not answer within {timeout} s:\n{self.stderr()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=PROCESS_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def served_example(tmp_path_factory: pytest.TempPathFactory):
    """A read-only `ctc serve` on a private copy of the example, ready to query."""
    target = tmp_path_factory.mktemp("served") / "ledger"
    shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("*.picklecache"))
    before = snapshot(target)
    server = FavaServer(target / "main.beancount")
    try:
        server.wait_ready()
        server.snapshot_before = before
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def frame():
    """The bundled example's frame, loaded once: every report's figures come from it."""
    from ctc.ledger import load_frame

    return load_frame(EXAMPLE)


def small_frame(tmp_path: Path, body: str):
    """The frame of a small ledger (the shared header plus `body`), checked clean."""
    from ctc.ledger import load_frame

    return load_frame(write_small(tmp_path, body))


def source_files(from_year: int = 0, to_year: int = 9999) -> list[str]:
    """The files the example's costs were imported from, by plain BQL on their metadata."""
    from beanquery import query as bql

    ledger = load_ledger(EXAMPLE)
    _, rows = bql.run_query(
        ledger.entries,
        ledger.options_map,
        "SELECT DISTINCT entry_meta('source_file') AS f "
        "WHERE account ~ '^Expenses:[^:]+:[^:]+:CTC:' "
        f"AND year >= {from_year} AND year <= {to_year}",
    )
    return sorted(str(f) for (f,) in rows if f is not None)


def files_footnote(files: list[str]) -> str:
    """The motion's footnote on imported files, as it should read for `files`."""
    if files:
        return (
            f"Kostnaderna är inlästa ur ekonomisystemets exportfiler {', '.join(files)} "
            "och förda i huvudboken main.beancount."
        )
    return (
        "Kostnaderna är förda direkt i huvudboken main.beancount; inga av dem är inlästa "
        "ur importerade filer."
    )
