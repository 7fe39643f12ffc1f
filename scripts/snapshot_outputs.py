"""Run every `ctc` command on the bundled example and keep what it writes.

A refactoring must not change what users see. This script runs each report in
each format (and `check`, `trace`, the scenario commands and a dry-run import)
as a real `ctc` process, and stores stdout, stderr, the exit code and any file
written, one file per command, in a folder. Run it before and after a change
and compare the folders:

    python scripts/snapshot_outputs.py /tmp/before
    ... change the code ...
    python scripts/snapshot_outputs.py /tmp/after --compare /tmp/before

The reports' generation time comes from a fixed clock (`faketime`, Debian's
package of that name), so two runs of unchanged code give identical bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledger" / "main.beancount"
SCENARIOS = ROOT / "ledger" / "scenarios"
EXAMPLES = ROOT / "importers" / "examples"
FIXED_CLOCK = "2026-01-15 10:00:00"
FORMATS = ("table", "csv", "xlsx", "md")
EXTENSIONS = {"table": "txt", "csv": "csv", "xlsx": "xlsx", "md": "md"}

REPORTS: dict[str, list[list[str]]] = {
    "yearly": [
        [],
        ["--from", "2018", "--to", "2023"],
        ["--by", "committee,type"],
        ["--by", "area", "--unit", "kr"],
        ["--by", "position", "--from", "2024", "--to", "2024"],
        ["--by", "committee,type,area,position", "--unit", "mnkr", "--lang", "en"],
    ],
    "transfers": [[], ["--year", "2024"], ["--year", "2018", "--lang", "en", "--unit", "tkr"]],
    "positions": [[], ["--year", "2024"], ["--lang", "en"]],
    "budget": [[], ["--year", "2024", "--unit", "kr"], ["--lang", "en"]],
    "motion": [
        [],
        ["--from", "2018", "--to", "2023"],
        ["--from", "2019", "--to", "2021", "--lang", "en"],
        ["--question", "KSAU-2024-12-02-p604"],
        ["--from", "2017", "--to", "2025", "--published", "74000000"],
    ],
    "scenario": [
        ["--scenario", str(SCENARIOS / "linkoping-pilot-2026-2028.beancount")],
        ["--scenario", str(SCENARIOS / "malmo-prognos-2022-2023.beancount"), "--unit", "kr"],
    ],
    "forecast": [
        ["--scenario", str(SCENARIOS / "malmo-prognos-2022-2023.beancount")],
        ["--scenario", str(SCENARIOS / "malmo-prognos-2022-2023.beancount"), "--year", "2023"],
    ],
}
"""Each `ctc report` subcommand and the option sets it runs with (in every format)."""

OTHER_COMMANDS: list[list[str]] = [
    ["check"],
    ["trace", "--committee", "KS", "--year", "2023"],
    ["trace", "--committee", "AoS", "--year", "2024", "--type", "salary", "--format", "csv"],
    ["trace", "--committee", "FrN", "--year", "2021", "--format", "md", "--lang", "en"],
    ["scenario", "new", "--from-actuals"],
    ["scenario", "new", "--from-actuals", "--municipality", "Linkoping", "--areas", "2"],
    [
        "scenario",
        "new",
        "--from-actuals",
        "--areas",
        "3",
        "--from",
        "2026",
        "--to",
        "2027",
        "--measure-from",
        "2019",
        "--measure-to",
        "2022",
        "--price-index",
        "2,5",
    ],
    ["report", "yearly", "--from", "2023", "--to", "2018"],
    ["report", "yearly", "--by", "nothing"],
    ["report", "motion", "--unit", "gigakr"],
    ["report", "transfers", "--decision", "no-such-decision"],
    ["trace", "--committee", "XX", "--year", "2023"],
    ["scenario", "new"],
]
"""Commands run once each, as given (errors included: their messages are output too)."""


def commands() -> list[list[str]]:
    """Every command line the snapshot runs, reports in every format."""
    lines = []
    for name, option_sets in REPORTS.items():
        for options in option_sets:
            for fmt in FORMATS:
                lines.append(["report", name, *options, "--format", fmt])
    lines += OTHER_COMMANDS
    lines += [
        ["import", str(path), "--dry-run", "--json"] for path in sorted(EXAMPLES.glob("*.xlsx"))
    ]
    return lines


def slug(command: list[str]) -> str:
    """A file name for a command line: readable and unique."""
    text = " ".join(Path(part).name if "/" in part else part for part in command)
    digest = hashlib.sha256(" ".join(command).encode()).hexdigest()[:8]
    safe = "".join(c if c.isalnum() or c in "-_,." else "_" for c in text)
    return f"{safe[:90]}-{digest}"


def run_one(command: list[str], ctc: Path, work: Path) -> bytes:
    """Run one command in a scratch folder; its exit code, output and written file as bytes."""
    out_file = work / "out.bin"
    out_file.unlink(missing_ok=True)
    argv = list(command)
    if command[:2] == ["scenario", "new"] and "--from-actuals" in command:
        argv += ["-o", str(work / "utkast.beancount"), "--force"]
        out_file = work / "utkast.beancount"
        out_file.unlink(missing_ok=True)
    elif "--format" in command and command[command.index("--format") + 1] == "xlsx":
        argv += ["-o", str(out_file)]
    env = dict(os.environ, CTC_LEDGER=str(LEDGER), CTC_CACHE_DIR=str(work / "cache"))
    env.pop("CTC_NO_CACHE", None)
    done = subprocess.run(
        ["faketime", "-f", FIXED_CLOCK, str(ctc), *argv],
        cwd=work,
        env=env,
        capture_output=True,
        check=False,
    )
    stderr = done.stderr.replace(str(work).encode(), b"<work>")
    parts = [
        f"$ ctc {' '.join(command)}\nexit {done.returncode}\n".encode(),
        b"--- stdout\n" + done.stdout,
        b"--- stderr\n" + stderr,
    ]
    if out_file.exists():
        parts.append(b"--- file\n" + out_file.read_bytes())
    return b"".join(parts)


def snapshot(target: Path, ctc: Path) -> None:
    """Write one file per command into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ctc-snapshot-") as scratch:
        work = Path(scratch)
        for command in commands():
            (target / f"{slug(command)}.out").write_bytes(run_one(command, ctc, work))
        env = dict(os.environ, CTC_CACHE_DIR=str(work / "cache"))
        subprocess.run(
            ["faketime", "-f", FIXED_CLOCK, sys.executable, __file__, str(target), "--fava-only"],
            env=env,
            check=True,
        )


FAVA_PAGES = [
    "CtcDashboard/",
    "CtcDashboard/?time=2018-2023",
    "CtcDashboard/?account=Expenses:Malmo:AoS",
    "CtcDashboard/?filter=%23vaxling",
    "CtcReports/",
    "CtcReports/?report=motion&from=2018&to=2023",
    "CtcReports/?report=yearly&from=2019&to=2020",
    "CtcReports/?report=transfers&year=2024",
    "CtcReports/?report=positions&year=2024",
    "CtcReports/?report=budget",
    "CtcReports/?report=nothing",
    *(
        f"CtcReports/download?report={name}&from=2018&to=2023&unit=tkr&format={fmt}"
        for name in ("motion", "yearly", "transfers", "positions", "budget")
        for fmt in ("xlsx", "md", "csv")
    ),
    "CtcReports/download?report=motion&format=pdf",
]
"""Extension pages of the Fava app, each fetched once through Flask's test client."""


def fava_snapshot(target: Path) -> None:
    """Fetch every extension page in-process (run under faketime by `snapshot`)."""
    from ctc.serve import create_app

    app = create_app(LEDGER)
    client = app.test_client()
    start = client.get("/")
    base = start.headers["Location"].split("/extension/")[0]
    for page in FAVA_PAGES:
        response = client.get(f"{base}/extension/{page}")
        head = f"GET {page}\nstatus {response.status_code}\n".encode()
        name = "fava-" + slug(page.replace("/", " ").split())
        (target / f"{name}.out").write_bytes(head + response.data)


def compare(before: Path, after: Path) -> list[str]:
    """The names of files that differ between two snapshots, or exist in one only."""
    names = {p.name for p in before.iterdir()} | {p.name for p in after.iterdir()}
    differ = []
    for name in sorted(names):
        a, b = before / name, after / name
        if not (a.exists() and b.exists()) or a.read_bytes() != b.read_bytes():
            differ.append(name)
    return differ


def main() -> int:
    """Take a snapshot; with --compare, report every difference from an earlier one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="folder to write the snapshot into")
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    default_ctc = Path(sys.executable).parent / "ctc"
    parser.add_argument("--ctc", type=Path, default=default_ctc, help="the ctc executable")
    parser.add_argument("--fava-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fava_only:
        fava_snapshot(args.target)
        return 0
    if shutil.which("faketime") is None:
        print("faketime is needed (apt-get install faketime)", file=sys.stderr)
        return 2
    snapshot(args.target, args.ctc)
    count = len(list(args.target.iterdir()))
    if args.compare is None:
        print(f"{count} outputs in {args.target}")
        return 0
    differ = compare(args.compare, args.target)
    for name in differ:
        print(f"differs: {name}")
    print(f"{count} outputs, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
