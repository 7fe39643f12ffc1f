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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_inputs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROWS = (10_000, 100_000, bench_inputs.EXCEL_MAX_ROWS)
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ctc-bench"
PYTHON = sys.executable


@dataclass(frozen=True, slots=True)
class Measurement:
    """One process: what it ran, how long it took, how much memory it peaked at."""

    name: str
    seconds: float
    peak_mb: float
    ok: bool


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Measurement:
    """Run `command` as its own process; wall time and that process's peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
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


def bench_export(path: Path, rows: int, include_pandas: bool) -> dict:
    """Floor, by-hand pandas and our import on one export file."""
    results = {
        "floor_calamine": measure("floor_calamine", [*python_snippet(FLOOR_CALAMINE), str(path)]),
        "floor_fastexcel": measure(
            "floor_fastexcel", [*python_snippet(FLOOR_FASTEXCEL), str(path)]
        ),
    }
    if include_pandas:
        results["pandas_openpyxl"] = measure(
            "pandas_openpyxl", [*python_snippet(PANDAS_BY_HAND), str(path)]
        )
    if ctc_has_import():
        command = [PYTHON, "-m", "ctc.cli", "import", "--dry-run", "--json", str(path)]
        results["ctc_import_dry_run"] = measure("ctc_import_dry_run", command)
    floor = min(results["floor_calamine"], results["floor_fastexcel"], key=lambda m: m.seconds)
    entry = {"rows": rows, "file_mb": round(path.stat().st_size / 2**20, 1), "floor": floor.name}
    entry["measurements"] = {key: asdict(value) for key, value in results.items()}
    if "ctc_import_dry_run" in results:
        ours = results["ctc_import_dry_run"]
        entry["ratios"] = {
            "import_vs_floor_time": round(ours.seconds / floor.seconds, 2),
            "import_vs_floor_memory": round(ours.peak_mb / floor.peak_mb, 2),
        }
        if "pandas_openpyxl" in results:
            pandas = results["pandas_openpyxl"]
            entry["ratios"]["pandas_vs_import_time"] = round(pandas.seconds / ours.seconds, 2)
            entry["ratios"]["import_vs_pandas_memory"] = round(ours.peak_mb / pandas.peak_mb, 2)
    return entry


def ctc_has_import() -> bool:
    """Whether this checkout's `ctc` has the import command yet."""
    result = subprocess.run(
        [PYTHON, "-m", "ctc.cli", "--help"], capture_output=True, text=True, check=False
    )
    return " import " in result.stdout + result.stderr


def bench_ledger(cache: Path, transactions: int) -> dict:
    """bean-check with and without the domain plugins; ctc check and report, cold and cached."""
    with_plugins = bench_inputs.write_ledger(cache / f"ledger_{transactions}", transactions)
    without = bench_inputs.write_ledger(
        cache / f"ledger_{transactions}_bare", transactions, plugins=False
    )
    bean_check = shutil.which("bean-check", path=str(Path(PYTHON).parent)) or "bean-check"
    no_cache = {"BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    cold = {"CTC_NO_CACHE": "1"}
    # ctc's load cache goes under the bench cache, emptied so the first cached run fills it.
    warm = {"CTC_CACHE_DIR": str(cache / f"load_cache_{transactions}")}
    shutil.rmtree(warm["CTC_CACHE_DIR"], ignore_errors=True)
    check = [PYTHON, "-m", "ctc.cli", "check", str(with_plugins)]
    report = [PYTHON, "-m", "ctc.cli", "report", "yearly", str(with_plugins), "--format", "csv"]
    results = {
        "bean_check_plugins": measure(
            "bean_check_plugins", [bean_check, str(with_plugins)], no_cache
        ),
        "bean_check_bare": measure("bean_check_bare", [bean_check, str(without)], no_cache),
        "ctc_check": measure("ctc_check", check, cold),
        "ctc_check_fill_cache": measure("ctc_check_fill_cache", check, warm),
        "ctc_check_warm": measure("ctc_check_warm", check, warm),
        "ctc_report_yearly": measure("ctc_report_yearly", report, cold),
        "ctc_report_yearly_warm": measure("ctc_report_yearly_warm", report, warm),
    }
    base = results["bean_check_plugins"].seconds
    ratios = {
        "plugins_overhead": round(base / results["bean_check_bare"].seconds - 1, 3),
        "ctc_check_vs_bean_check": round(results["ctc_check"].seconds / base, 2),
        "report_vs_bean_check": round(results["ctc_report_yearly"].seconds / base, 2),
        "check_cold_vs_warm": round(
            results["ctc_check"].seconds / results["ctc_check_warm"].seconds, 2
        ),
    }
    return {
        "transactions": transactions,
        "measurements": {key: asdict(value) for key, value in results.items()},
        "ratios": ratios,
    }


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
    for export in report["exports"]:
        for name, m in export["measurements"].items():
            lines.append(
                f"{name:34} {export['rows']:>10} {m['seconds']:>9.2f} {m['peak_mb']:>9.1f}"
            )
        for name, value in export.get("ratios", {}).items():
            lines.append(f"  {name:32} {value:>10}")
    ledger = report["ledger"]
    for name, m in ledger["measurements"].items():
        lines.append(
            f"{name:34} {ledger['transactions']:>10} {m['seconds']:>9.2f} {m['peak_mb']:>9.1f}"
        )
    for name, value in ledger["ratios"].items():
        lines.append(f"  {name:32} {value:>10}")
    return "\n".join(lines)


def main() -> int:
    """Generate inputs, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="export size (repeatable)")
    parser.add_argument("--ledger-transactions", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pandas-max-rows", type=int, default=bench_inputs.EXCEL_MAX_ROWS)
    args = parser.parse_args()
    exports = []
    for rows in args.rows or DEFAULT_ROWS:
        path = bench_inputs.export_path(args.cache, rows, args.seed, 0.05)
        if not path.exists():
            bench_inputs.write_export(path, rows, args.seed)
        exports.append(bench_export(path, rows, rows <= args.pandas_max_rows))
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "exports": exports,
        "ledger": bench_ledger(args.cache, args.ledger_transactions),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
