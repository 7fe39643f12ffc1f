"""The benchmark suite: how fast and lean the import, the checks and reports are.

    python scripts/bench.py                  # default sizes, prints a table
    python scripts/bench.py --json           # every figure and ratio as JSON
    python scripts/bench.py --rows 1000 --ledger-transactions 1000   # a quick run

Each measurement runs as a whole separate process; wall time is measured
around it and peak memory (max RSS) is read from the kernel for exactly that
process (`os.wait4`). Inputs are generated deterministically (seeded) into a
cache folder outside the repository and reused. See scripts/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_inputs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = (10_000, 100_000, 1_000_000)
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ctc-bench"
PYTHON = sys.executable
CTC = [PYTHON, "-m", "ctc.cli"]
EXAMPLE = ROOT / "ledger" / "main.beancount"
SHARE = 0.05
"""The programme's usual share of an export's rows (the one growth is shown for)."""
DEFAULT_SHARES = (0.0, SHARE, 1.0)
"""Programme shares measured at each size: none, a usual share, an export of the programme only."""
DEFAULT_IMPORT_ROWS = (10_000, 100_000, 200_000)
"""Programme rows imported for real into a copy of the example."""
REPEATS = [3]
"""Runs per measurement (`--repeats`); the fastest counts."""
GROWTH_BASE = 100_000
"""Point 5 compares the time per row at the largest size with this size."""


@dataclass(frozen=True, slots=True)
class Measurement:
    """One process: what it ran, how long it took, how much memory it peaked at."""

    name: str
    seconds: float
    peak_mb: float
    ok: bool
    runs: int = 1


def measure(
    name: str,
    command: list[str],
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
    runs: int | None = None,
) -> Measurement:
    """The fastest of `runs` (default `--repeats`) runs of `command`, each its own process.

    A shared machine adds noise, never speed, so the fastest run is the one
    closest to what the code costs; a run that failed makes the whole failed.
    """
    results = [run_once(name, command, env, stdout) for _ in range(runs or REPEATS[0])]
    fastest = min(results, key=lambda m: m.seconds)
    return Measurement(
        name, fastest.seconds, fastest.peak_mb, all(m.ok for m in results), len(results)
    )


def run_once(
    name: str, command: list[str], env: dict[str, str] | None = None, stdout: Path | None = None
) -> Measurement:
    """Run `command` as its own process; wall time and that process's peak RSS.

    `stdout` keeps what the process printed (a JSON summary to check), written
    to a file so that reading it costs the process nothing.
    """
    sink = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=sink,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    if stdout:
        sink.close()  # type: ignore[union-attr]
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(
        name, round(seconds, 3), round(usage.ru_maxrss / 1024, 1), process.returncode == 0
    )


def python_snippet(code: str) -> list[str]:
    """A command that runs a snippet of Python in a fresh interpreter."""
    return [PYTHON, "-c", code]


FLOOR_CALAMINE = (
    "import sys; from python_calamine import CalamineWorkbook; "
    "CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()"
)
FLOOR_FASTEXCEL = (
    "import sys, fastexcel; fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_polars()"
)
PANDAS_BY_HAND = """
import sys, pandas
df = pandas.read_excel(sys.argv[1], engine="openpyxl")
ctc = df[df["Projekt"] == "CTC"]
committee = ctc["Ansvar"].astype(str).str[:2].map({"11": "KS", "31": "AoS", "52": "GrN", "54": "FsN", "61": "KuN", "65": "FrN"})
ctc.groupby([pandas.to_datetime(ctc["Ver.datum"]).dt.year, committee])["Belopp"].sum()
"""


def bench_export(path: Path, rows: int, share: float, include_pandas: bool) -> dict:
    """Floor, by-hand pandas and our import on one export file, and whether our totals are right."""
    results = {
        "floor_calamine": measure("floor_calamine", [*python_snippet(FLOOR_CALAMINE), str(path)]),
        "floor_fastexcel": measure(
            "floor_fastexcel", [*python_snippet(FLOOR_FASTEXCEL), str(path)]
        ),
    }
    if include_pandas:
        # Minutes per run on the biggest files, and never close to our figures: run once.
        runs = 1 if rows > GROWTH_BASE else None
        results["pandas_openpyxl"] = measure(
            "pandas_openpyxl", [*python_snippet(PANDAS_BY_HAND), str(path)], runs=runs
        )
    summary_file = path.with_suffix(".summary.json")
    command = [*CTC, "import", "--dry-run", "--json", str(path), "--ledger", str(EXAMPLE)]
    results["ctc_import_dry_run"] = measure(
        "ctc_import_dry_run", command, {"CTC_NO_CACHE": "1"}, stdout=summary_file
    )
    floor = min(results["floor_calamine"], results["floor_fastexcel"], key=lambda m: m.seconds)
    ours = results["ctc_import_dry_run"]
    entry = {
        "rows": rows,
        "share": share,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "floor": floor.name,
    }
    entry["measurements"] = {key: asdict(value) for key, value in results.items()}
    entry["totals_match"] = totals_match(summary_file, bench_inputs.read_truth(path))
    entry["ratios"] = {
        "import_vs_floor_time": ratio(ours.seconds, floor.seconds),
        "import_vs_floor_memory": ratio(ours.peak_mb, floor.peak_mb),
    }
    if "pandas_openpyxl" in results:
        pandas = results["pandas_openpyxl"]
        entry["ratios"]["pandas_vs_import_time"] = ratio(pandas.seconds, ours.seconds)
        entry["ratios"]["import_vs_pandas_memory"] = ratio(ours.peak_mb, pandas.peak_mb)
    return entry


def ratio(numerator: float, denominator: float) -> float:
    """A ratio of two measurements, rounded for reading."""
    return round(numerator / denominator, 3) if denominator else float("nan")


def totals_match(summary_file: Path, truth: dict) -> bool:
    """Whether `ctc import`'s figures equal what the generator wrote, to the öre."""
    try:
        (file,) = json.loads(summary_file.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError):
        return False
    return (
        file["rows"] == truth["rows"]
        and file["programme_rows"] == truth["programme_rows"]
        and _amounts(file["programme_total"]) == _amounts(truth["programme_total"])
        and _amounts(file["by_year_committee"]) == _amounts(truth["by_year_committee"])
        and not file["rejected"]
    )


def _amounts(value: str | dict[str, str]) -> Decimal | dict[str, Decimal]:
    """Amounts as exact decimals: the truth of an export without programme rows says "0"."""
    if isinstance(value, dict):
        return {key: Decimal(amount) for key, amount in value.items()}
    return Decimal(value)


def growth(exports: list[dict]) -> dict:
    """Time per row of the import at the largest size against 100 000 rows (linear growth).

    Shown for the usual programme share (`SHARE`), or the first share measured.
    """
    shares = [e["share"] for e in exports]
    share = SHARE if SHARE in shares else shares[0] if shares else SHARE
    by_rows = {
        e["rows"]: e["measurements"]["ctc_import_dry_run"]["seconds"]
        for e in exports
        if e["share"] == share
    }
    if len(by_rows) < 2:
        return {}
    small = GROWTH_BASE if GROWTH_BASE in by_rows else min(by_rows)
    large = max(by_rows)
    if large == small:
        return {}
    per_row = {rows: by_rows[rows] / rows for rows in (small, large)}
    return {
        "share": share,
        "from_rows": small,
        "to_rows": large,
        "per_row_ratio": ratio(per_row[large], per_row[small]),
    }


def bench_real_import(cache: Path, rows: int, seed: int) -> dict:
    """The real import of `rows` programme rows into a copy of the example, against its parts.

    The parts are the dry run of the same file (reading, booking and the
    in-memory check) and one cold `bean-check --no-cache` of the ledger the
    import wrote (what loading the result costs). Every run of the import
    gets a fresh copy of the example; the fastest run counts.
    """
    export = bench_inputs.ensure_export(cache, rows, seed, 1.0)
    folder = cache / f"real_import_{rows}_{seed}"
    main = folder / "main.beancount"
    command = [*CTC, "import", "--json", str(export), "--ledger", str(main)]
    summary_file = folder.with_suffix(".summary.json")
    cold = {"CTC_NO_CACHE": "1", "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    runs = []
    for _ in range(REPEATS[0]):
        _fresh_example(folder)
        runs.append(run_once("ctc_import", command, cold, stdout=summary_file))
    fastest = min(runs, key=lambda m: m.seconds)
    real = Measurement(
        "ctc_import", fastest.seconds, fastest.peak_mb, all(m.ok for m in runs), len(runs)
    )
    truth = bench_inputs.read_truth(export)
    imported_all = totals_match(summary_file, truth) and _imported(summary_file) == rows
    bean_check = shutil.which("bean-check", path=str(Path(PYTHON).parent)) or "bean-check"
    check = measure("bean_check_cold", [bean_check, "--no-cache", str(main)], cold)
    _fresh_example(folder)
    dry = measure(
        "ctc_import_dry_run",
        [*CTC, "import", "--dry-run", "--json", str(export), "--ledger", str(main)],
        cold,
    )
    parts = dry.seconds + check.seconds
    return {
        "rows": rows,
        "measurements": {m.name: asdict(m) for m in (real, dry, check)},
        "totals_match": imported_all,
        "ratios": {
            "import_vs_dry_run_plus_check_time": ratio(real.seconds, parts),
            "import_vs_check_memory": ratio(real.peak_mb, check.peak_mb),
        },
        "per_row_us": round(real.seconds / rows * 1e6, 1),
    }


def _fresh_example(folder: Path) -> None:
    """A new copy of the example ledger in `folder` (whatever was there removed)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(
        EXAMPLE.parent, folder, ignore=shutil.ignore_patterns("*.picklecache", ".ctc-*")
    )


def _imported(summary_file: Path) -> int:
    """How many entries a real import's JSON summary says it wrote (-1: unreadable)."""
    try:
        (file,) = json.loads(summary_file.read_text(encoding="utf-8"))["files"]
        return int(file["imported"])
    except (OSError, ValueError, KeyError):
        return -1


def bench_ledger(cache: Path, transactions: int, seed: int) -> dict:
    """bean-check with and without the plugins, ctc check and report yearly, cold and warm."""
    folder = cache / f"ledger_{transactions}_{seed}"
    with_plugins = bench_inputs.ensure_ledger(folder, transactions, seed)
    without = bench_inputs.ensure_ledger(
        folder.with_name(folder.name + "_bare"), transactions, seed, plugins=False
    )
    load_cache = cache / "load-cache"
    shutil.rmtree(load_cache, ignore_errors=True)
    bean_check = shutil.which("bean-check", path=str(Path(PYTHON).parent)) or "bean-check"
    cold = {"BEANCOUNT_DISABLE_LOAD_CACHE": "1", "CTC_NO_CACHE": "1"}
    warm = {"CTC_CACHE_DIR": str(load_cache)}
    report = [*CTC, "report", "yearly", str(with_plugins), "--format", "csv"]
    commands = {
        "bean_check_plugins": ([bean_check, str(with_plugins)], cold),
        "bean_check_bare": ([bean_check, str(without)], cold),
        "ctc_check": ([*CTC, "check", str(with_plugins)], cold),
        "ctc_report_yearly": (report, cold),
        "bean_check_plugins_cached": ([bean_check, str(with_plugins)], {}),
        "ctc_check_cached": ([*CTC, "check", str(with_plugins)], warm),
        "ctc_report_yearly_cached": (report, warm),
    }
    for command, env in (commands["bean_check_plugins_cached"], commands["ctc_check_cached"]):
        run_once("warm-up", command, env)  # fill both caches once
    results = {name: measure(name, command, env) for name, (command, env) in commands.items()}
    base = results["bean_check_plugins"].seconds
    ratios = {
        "plugins_overhead": round(base / results["bean_check_bare"].seconds - 1, 3),
        "ctc_check_vs_bean_check": ratio(results["ctc_check"].seconds, base),
        "report_vs_bean_check": ratio(results["ctc_report_yearly"].seconds, base),
        "cache_speedup_check": ratio(
            results["ctc_check"].seconds, results["ctc_check_cached"].seconds
        ),
        "cache_speedup_report": ratio(
            results["ctc_report_yearly"].seconds, results["ctc_report_yearly_cached"].seconds
        ),
    }
    return {
        "transactions": transactions,
        "folder": str(folder),
        "measurements": {key: asdict(value) for key, value in results.items()},
        "ratios": ratios,
    }


def bench_fava(ledger: Path, repeats: int) -> dict:
    """Fava's income statement and our dashboard on a warm server, in headless Chromium."""
    import bench_fava as pages

    return pages.bench_pages(ledger, repeats=repeats)


def machine() -> dict:
    """The machine the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = f"{names[0]} × {len(names)}" if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f"{total_kb / 2**20:.1f} GiB"
    return {
        "cpu": cpu,
        "ram": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def table(report: dict) -> str:
    """The figures as a plain-text table."""
    lines = [f"{'measurement':34} {'rows/txns':>10} {'seconds':>9} {'peak MB':>9}"]

    def block(measurements: dict, size: int, ratios: dict) -> None:
        for name, m in measurements.items():
            lines.append(f"{name:34} {size:>10} {m['seconds']:>9.2f} {m['peak_mb']:>9.1f}")
        lines.extend(f"  {name:32} {value:>10}" for name, value in ratios.items())

    for export in report["exports"]:
        lines.append(f"export, programme share {export['share']:.0%}")
        block(export["measurements"], export["rows"], export["ratios"])
        lines.append(f"  {'totals_match':32} {export['totals_match']!s:>10}")
    for run in report["real_imports"]:
        lines.append("real import of programme rows into the example")
        block(run["measurements"], run["rows"], run["ratios"])
        lines.append(f"  {'totals_match':32} {run['totals_match']!s:>10}")
    if report["growth"]:
        lines.append(f"  {'growth_per_row_ratio':32} {report['growth']['per_row_ratio']:>10}")
    ledger = report["ledger"]
    block(ledger["measurements"], ledger["transactions"], ledger["ratios"])
    fava = report.get("fava") or {}
    for name in ("fava_income_statement", "ctc_dashboard"):
        if name in fava:
            lines.append(f"{name:34} {ledger['transactions']:>10} {fava[name]['seconds']:>9.2f}")
    lines.extend(f"  {name:32} {value:>10}" for name, value in fava.get("ratios", {}).items())
    return "\n".join(lines)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark script takes: where inputs are kept, how, how often."""
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where inputs are kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeats", type=int, default=3, help="runs per process; fastest counts")
    parser.add_argument("--page-repeats", type=int, default=3, help="page loads timed per page")
    parser.add_argument("--no-fava", action="store_true", help="skip the browser measurements")


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="export size (repeatable)")
    parser.add_argument(
        "--share",
        type=float,
        action="append",
        help="the programme's share of an export's rows, 0 to 1 (repeatable)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        action="append",
        help="programme rows imported for real into a copy of the example (repeatable; 0: none)",
    )
    parser.add_argument("--ledger-transactions", type=int, default=100_000)
    add_run_options(parser)
    parser.add_argument(
        "--pandas-max-rows",
        type=int,
        default=bench_inputs.EXCEL_MAX_ROWS,
        help="skip the pandas baseline above this size",
    )
    parser.add_argument(
        "--report-transactions",
        type=int,
        action="append",
        help="also measure reports, trace and dashboard on a ledger this size (bench_reports.py)",
    )
    return parser.parse_args()


def main() -> int:
    """Generate inputs, measure, print."""
    args = parse_args()
    REPEATS[0] = args.repeats
    exports = []
    for rows in args.rows or DEFAULT_ROWS:
        for share in args.share or DEFAULT_SHARES:
            path = bench_inputs.ensure_export(args.cache, rows, args.seed, share)
            exports.append(bench_export(path, rows, share, rows <= args.pandas_max_rows))
    real_imports = [
        bench_real_import(args.cache, rows, args.seed)
        for rows in args.import_rows or DEFAULT_IMPORT_ROWS
        if rows
    ]
    ledger = bench_ledger(args.cache, args.ledger_transactions, args.seed)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "command": " ".join(["python", "scripts/bench.py", *sys.argv[1:]]),
        "exports": exports,
        "growth": growth(exports),
        "real_imports": real_imports,
        "ledger": ledger,
        "fava": None
        if args.no_fava
        else bench_fava(Path(ledger["folder"]) / "main.beancount", args.page_repeats),
    }
    if args.report_transactions:
        import bench_reports

        report["reports"] = bench_reports.bench_reports(
            args.report_transactions, args.cache, args.seed, not args.no_fava, args.page_repeats
        )
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
