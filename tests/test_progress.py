"""`ctc import` draws a progress bar on a terminal's stderr, and nowhere else."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROCESS_TIMEOUT, ROOT, run_ctc

sys.path.insert(0, str(ROOT / "scripts"))
import bench_inputs


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export big enough (over 1 MB) to be read column-wise."""
    path = tmp_path_factory.mktemp("progress") / "huvudbok.xlsx"
    bench_inputs.write_export(path, 25_000, seed=3)
    return path


def import_with_terminal(path: Path, *flags: str, terminal: bool = True) -> tuple[str, str]:
    """Run `ctc import --dry-run` with stderr on a pseudo-terminal (or captured); (stdout, stderr).

    A terminal needs a real process; without one, `ctc` runs in this process.
    """
    if not terminal:
        result = run_ctc("import", "--dry-run", *flags, str(path), env={"CTC_PROGRESS_DELAY": "0"})
        assert result.returncode == 0, result.stderr
        return result.stdout, result.stderr
    env = {**os.environ, "CTC_PROGRESS_DELAY": "0"}
    command = [sys.executable, "-m", "ctc.cli", "import", "--dry-run", *flags, str(path)]
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal is closed once the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    stdout = process.stdout.read().decode() if process.stdout else ""
    assert process.wait(timeout=PROCESS_TIMEOUT) == 0
    os.close(master)
    return stdout, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_sees_rows_rate_and_time_left(big_export):
    _, stderr = import_with_terminal(big_export)
    assert f"Läser {big_export.name} [" in stderr
    assert "/25 001 rader · " in stderr  # the sheet's rows, header included
    assert " rader/s" in stderr
    assert stderr.rstrip().endswith("\x1b[K"), "the bar is cleared when done"


def test_no_bar_with_json(big_export):
    stdout, stderr = import_with_terminal(big_export, "--json")
    assert '"rows": 25000' in stdout
    assert "rader/s" not in stderr


def test_no_bar_when_stderr_is_not_a_terminal(big_export):
    stdout, stderr = import_with_terminal(big_export, terminal=False)
    assert "datarader 25000: inlästa 1213" in stdout
    assert "rader/s" not in stderr


def test_a_step_that_begins_after_the_delay_is_drawn_at_once(monkeypatch):
    import io

    from ctc import progress

    monkeypatch.setenv(progress.DELAY_ENV, "0")
    stream = io.StringIO()
    with progress.shown(True, stream):
        progress.phase("Läser x.xlsx", 10, lambda: 5)
        # Drawn by the step itself, not by the background thread's next round.
        assert (
            "\r\x1b[KLäser x.xlsx [############------------] · 5/10 rader · " in stream.getvalue()
        )
    assert stream.getvalue().endswith("\r\x1b[K"), "the bar is cleared when done"


def test_no_bar_before_the_delay(monkeypatch):
    import io

    from ctc import progress

    monkeypatch.setenv(progress.DELAY_ENV, "3600")
    stream = io.StringIO()
    with progress.shown(True, stream):
        progress.phase("Läser x.xlsx", 10, lambda: 5)
    assert stream.getvalue() == ""
