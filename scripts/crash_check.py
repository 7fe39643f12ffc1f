"""Kill `ctc import` (and an undo) at every rename and check that nothing is lost.

    python scripts/crash_check.py [--keep DIR]

For a three-file import into a copy of the example ledger, and for an undo of
one of those files, this runs the installed `ctc` under strace once for every
N, with `strace -f -e inject=rename:signal=KILL:when=N`: the process is killed
at its Nth rename, before the rename happens (the load cache's renames count
too: each run has a fresh, private cache folder). After each kill:

1. `ctc check` on the ledger must leave it byte-identical to the state before
   or after the change (every file of the ledger's folder, archives included,
   no temporary file, no journal) and say in one line what it recovered;
2. running the same command again must give the serial result: the state
   after one uninterrupted run.

The sweep ends at the first N that the command survives (it did fewer
renames). Needs Linux and strace (`apt-get install strace`). Prints one line
per N and a summary; exits 1 if any N fails. Not part of the test suite (it
runs a few dozen real processes); `tests/test_crash_safety.py` simulates the
same kills in-process on every write and rename.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from workbooks import ROWS, export  # noqa: E402

LOCK = ".ctc-import.lock"
YEARS = (2019, 2021, 2023)
TIMEOUT = 600
"""Seconds before a hanging `ctc` is given up on (a safety net, not a measure)."""

State = dict[str, str]
"""Relative path -> SHA-256 (files) or "dir" (folders): a ledger folder's whole content."""


def ledger_state(folder: Path) -> State:
    """Every file's SHA-256 and every folder under `folder`, the lock file aside."""
    state: State = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir():
            state[relative] = "dir"
        elif path.name != LOCK:
            state[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def ctc(*args: str, cache: Path, strace_when: int | None = None) -> subprocess.CompletedProcess:
    """Run the installed `ctc`, under strace killing it at its Nth rename if asked."""
    command = [str(Path(sys.executable).with_name("ctc")), *args]
    if strace_when is not None:
        inject = f"inject=rename:signal=KILL:when={strace_when}"
        command = ["strace", "-f", "-qq", "-o", os.devnull, "-e", "trace=rename", "-e", inject]
        command += [str(Path(sys.executable).with_name("ctc")), *args]
    env = {**os.environ, "CTC_CACHE_DIR": str(cache)}
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False
    )


@dataclass
class Case:
    """One command swept: the ledger before, the serial state after, the command's arguments."""

    name: str
    before: Path
    args: list[str]
    after: State


def make_inputs(work: Path) -> list[Path]:
    """Three small exports, one per year, rows new to the example."""
    paths = []
    for index, year in enumerate(YEARS):
        rows = [[r[0].replace(year=year), f"K{index}{r[1]}", *r[2:]] for r in ROWS]
        paths.append(export(work / f"krasch_{year}.xlsx", rows))
    return paths


def serial(case_dir: Path, before: Path, args: list[str], work: Path) -> State:
    """The state after one uninterrupted run of the command."""
    target = case_dir / "serial"
    shutil.copytree(before, target)
    result = ctc(*_for(args, target), cache=Path(tempfile.mkdtemp(dir=work)))
    if result.returncode != 0:
        raise SystemExit(f"the serial run failed: {result.stderr}")
    return ledger_state(target)


def _for(args: list[str], ledger: Path) -> list[str]:
    return [a.replace("{ledger}", str(ledger / "main.beancount")) for a in args]


def sweep(case: Case, work: Path) -> list[str]:
    """Kill the command at rename 1, 2, … until it survives; a line per N, failures marked."""
    lines = []
    before = ledger_state(case.before)
    for when in range(1, 1000):
        run = work / f"{case.name}-{when}"
        shutil.copytree(case.before, run)
        cache = Path(tempfile.mkdtemp(dir=work))
        killed = ctc(*_for(case.args, run), cache=cache, strace_when=when)
        if killed.returncode >= 0:
            lines.append(f"{case.name}: N={when}: no kill ({when - 1} renames), sweep done")
            return lines
        lines.append(check_after_kill(case, run, cache, when, before))
    return lines


def check_after_kill(case: Case, run: Path, cache: Path, when: int, before: State) -> str:
    """After a kill: `ctc check` recovers to before or after; a rerun gives the serial result."""
    check = ctc("check", str(run / "main.beancount"), cache=cache)
    state = ledger_state(run)
    said = next(
        (line for line in check.stderr.splitlines() if "avbrut" in line or "temporära" in line), ""
    )
    recovered = "before" if state == before else "after" if state == case.after else None
    rerun = ctc(*_for(case.args, run), cache=cache)
    serial_ok = rerun.returncode == 0 and ledger_state(run) == case.after
    ok = recovered is not None and check.returncode == 0 and serial_ok
    mark = "ok  " if ok else "FAIL"
    detail = "" if ok else f" [{_difference(state, before, case.after)}; {rerun.stderr.strip()}]"
    return (
        f"{mark} {case.name}: N={when}: check left the {recovered or 'MIXED'} state"
        f"{' (' + said + ')' if said else ''}; rerun {'serial' if serial_ok else 'NOT serial'}"
        f"{detail}"
    )


def _difference(state: State, before: State, after: State) -> str:
    """The paths that make a state neither before nor after."""
    odd = sorted(p for p in state.keys() | before.keys() if state.get(p) != before.get(p))
    return "differs from before in " + ", ".join(odd[:6])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="work in DIR and keep it (default: a temp dir)")
    options = parser.parse_args()
    if shutil.which("strace") is None:
        print("strace is not installed (apt-get install strace)", file=sys.stderr)
        return 2
    work = options.keep or Path(tempfile.mkdtemp(prefix="ctc-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run_all(work)
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run_all(work: Path) -> int:
    """Sweep the import, then the undo of its second file; print every line."""
    base = work / "base"
    shutil.copytree(ROOT / "ledger", base, ignore=shutil.ignore_patterns("documents", LOCK))
    inputs = make_inputs(work)
    import_args = ["import", "--ledger", "{ledger}", *map(str, inputs)]
    imported = work / "imported"
    shutil.copytree(base, imported)
    if ctc(*_for(import_args, imported), cache=Path(tempfile.mkdtemp(dir=work))).returncode:
        raise SystemExit("the import to undo failed")
    undo_args = ["import", "--ledger", "{ledger}", "--undo", inputs[1].name]
    cases = [
        Case("import", base, import_args, serial(work / "s-import", base, import_args, work)),
        Case("undo", imported, undo_args, serial(work / "s-undo", imported, undo_args, work)),
    ]
    failures = 0
    for case in cases:
        for line in sweep(case, work):
            print(line, flush=True)
            failures += line.startswith("FAIL")
    print(f"{'all kills recovered' if not failures else f'{failures} FAILED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
