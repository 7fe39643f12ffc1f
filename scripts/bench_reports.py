"""Reports, trace and the dashboard on big ledgers: time and memory, and how they grow.

    python scripts/bench_reports.py --transactions 10000 --transactions 100000 --json
    python scripts/bench_reports.py --ledger PATH --trace-year 2023 --json   # a ledger of yours

For each ledger (generated with N programme transactions over ten years by
`bench_inputs.ensure_ledger`, or given), each as its own process, the
fastest of `--repeats` runs: `bean-check --no-cache` (the yardstick), `ctc
check` and `ctc report yearly` with every cache off (cold), the first report
with the caches on (it fills the load cache and the frame cache), then warm:
`ctc check` (load cache), `ctc report yearly` and `ctc trace` (frame cache).
With Fava (`bench_fava`): Fava's income statement and our dashboard on a
fresh server, the dashboard's first load being what issue 17 asks about.
Every figure also per transaction (µs and KB per row), so growth is visible;
`scripts/bench.py --report-transactions N` runs this as part of the suite.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench
import bench_inputs

COLD = {"BEANCOUNT_DISABLE_LOAD_CACHE": "1", "CTC_NO_CACHE": "1"}
TRACED = "KS"
"""The committee `ctc trace` is timed for."""
ENTRY_RE = re.compile(rb"^\d{4}-\d\d-\d\d [*!] ", re.MULTILINE)
"""A transaction's first line, to count the transactions of a given ledger."""


def transactions_in(main: Path) -> int:
    """Transactions in every `.beancount` file of the ledger's folder (a given ledger's size)."""
    return sum(len(ENTRY_RE.findall(p.read_bytes())) for p in main.parent.rglob("*.beancount"))


def busiest_year(report_csv: Path) -> int:
    """The year of the traced committee's largest cost in a yearly CSV: the trace timed."""
    rows = list(csv.DictReader(io.StringIO(report_csv.read_text(encoding="utf-8"))))
    ours = [r for r in rows if r["committee"] == TRACED] or rows
    return int(max(ours, key=lambda r: abs(float(r["amount_sek"])))["year"])


def bench_ledger(main: Path, size: int, cache: Path, trace_year: int | None) -> dict:
    """Every process on one ledger; figures, per-row figures and the issue's ratios."""
    caches = cache / "report-caches"
    shutil.rmtree(caches, ignore_errors=True)
    warm = {"CTC_CACHE_DIR": str(caches)}
    ctc = bench.CTC
    bean_check = shutil.which("bean-check", path=str(Path(bench.PYTHON).parent)) or "bean-check"
    report = [*ctc, "report", "yearly", str(main), "--format", "csv"]
    results = {
        "bean_check": bench.measure("bean_check", [bean_check, "--no-cache", str(main)], COLD),
        "ctc_check": bench.measure("ctc_check", [*ctc, "check", str(main)], COLD),
        "ctc_report_yearly": bench.measure("ctc_report_yearly", report, COLD),
    }
    first_csv = cache / "report-first.csv"
    results["ctc_report_yearly_first"] = bench.measure(
        "ctc_report_yearly_first", report, warm, stdout=first_csv, runs=1
    )
    year = trace_year if trace_year is not None else busiest_year(first_csv)
    trace = [*ctc, "trace", str(main), "--committee", TRACED, "--year", str(year)]
    results["ctc_check_warm"] = bench.measure("ctc_check_warm", [*ctc, "check", str(main)], warm)
    results["ctc_report_yearly_warm"] = bench.measure("ctc_report_yearly_warm", report, warm)
    results["ctc_trace_warm"] = bench.measure("ctc_trace_warm", [*trace, "--format", "csv"], warm)
    base = results["bean_check"].seconds
    return {
        "transactions": size,
        "ledger": str(main),
        "trace": {"committee": TRACED, "year": year},
        "measurements": {key: asdict(value) for key, value in results.items()},
        "per_row": {
            key: {
                "us_per_row": round(value.seconds / size * 1e6, 2),
                "kb_per_row": round(value.peak_mb * 1024 / size, 3),
            }
            for key, value in results.items()
        },
        "ratios": {
            "report_warm_vs_bean_check": bench.ratio(
                results["ctc_report_yearly_warm"].seconds, base
            ),
            "trace_warm_vs_bean_check": bench.ratio(results["ctc_trace_warm"].seconds, base),
            "check_warm_vs_bean_check": bench.ratio(results["ctc_check_warm"].seconds, base),
        },
    }


def bench_pages(main: Path, size: int, page_repeats: int, cache: Path) -> dict:
    """Fava's income statement and our dashboard; the dashboard's first load against the statement.

    The server finds the caches the reports before it filled (`report-caches`),
    as it would after a user's `ctc report`: its first dashboard then reads
    the frame cache's summary instead of building the Frame.
    """
    import bench_fava

    caches = str(cache / "report-caches")
    before = os.environ.get("CTC_CACHE_DIR")
    os.environ["CTC_CACHE_DIR"] = caches  # the server inherits the environment
    try:
        pages = bench_fava.bench_pages(main, repeats=page_repeats)
    finally:
        if before is None:
            os.environ.pop("CTC_CACHE_DIR", None)
        else:
            os.environ["CTC_CACHE_DIR"] = before
    statement = pages["fava_income_statement"]
    dashboard = pages["ctc_dashboard"]
    pages["ratios"]["dashboard_first_vs_income_statement"] = bench.ratio(
        dashboard["first_load_seconds"], statement["seconds"]
    )
    pages["ratios"]["dashboard_first_vs_income_statement_first"] = bench.ratio(
        dashboard["first_load_seconds"], statement["first_load_seconds"]
    )
    pages["per_row"] = {
        "server_load_us_per_row": round(pages["server"]["ledger_load_seconds"] / size * 1e6, 2),
        "server_kb_per_row": round(pages["server"]["peak_rss_mb"] * 1024 / size, 3),
        "dashboard_first_us_per_row": round(dashboard["first_load_seconds"] / size * 1e6, 2),
        "income_statement_us_per_row": round(statement["seconds"] / size * 1e6, 2),
    }
    return pages


def bench_reports(
    sizes: list[int],
    cache: Path,
    seed: int = 1,
    fava: bool = True,
    page_repeats: int = 3,
    ledger: Path | None = None,
    trace_year: int | None = None,
) -> list[dict]:
    """One entry per ledger: generated ones of `sizes` transactions, and `ledger` if given."""
    ledgers = [
        (bench_inputs.ensure_ledger(cache / f"ledger_{n}_{seed}", n, seed), n, None) for n in sizes
    ]
    if ledger is not None:
        ledgers.append((ledger.resolve(), transactions_in(ledger), trace_year))
    results = []
    for main, size, year in ledgers:
        entry = bench_ledger(main, size, cache, year)
        if fava:
            entry["fava"] = bench_pages(main, size, page_repeats, cache)
        results.append(entry)
    return results


def table(results: list[dict]) -> str:
    """The figures as a plain-text table."""
    lines = [f"{'measurement':28} {'txns':>9} {'seconds':>9} {'peak MB':>9} {'µs/row':>9}"]
    for entry in results:
        size = entry["transactions"]
        for name, m in entry["measurements"].items():
            per = entry["per_row"][name]["us_per_row"]
            lines.append(
                f"{name:28} {size:>9} {m['seconds']:>9.2f} {m['peak_mb']:>9.1f} {per:>9.2f}"
            )
        for name, page in (entry.get("fava") or {}).items():
            if isinstance(page, dict) and "first_load_seconds" in page:
                lines.append(
                    f"{name:28} {size:>9} {page['seconds']:>9.2f} {'':>9} "
                    f"(first {page['first_load_seconds']:.2f} s)"
                )
        ratios = {**entry["ratios"], **(entry.get("fava") or {}).get("ratios", {})}
        lines.extend(f"  {name:40} {value:>8}" for name, value in ratios.items())
    return "\n".join(lines)


PROCESSES = {
    "bean_check": "`bean-check --no-cache`",
    "ctc_check": "`ctc check`, cold",
    "ctc_report_yearly": "`ctc report yearly`, cold",
    "ctc_report_yearly_first": "first report (fills the caches)",
    "ctc_check_warm": "`ctc check`, warm",
    "ctc_report_yearly_warm": "`ctc report yearly`, warm",
    "ctc_trace_warm": "`ctc trace`, warm",
}
"""Measurement -> its column heading in docs/benchmarks.md."""


def ledger_name(entry: dict) -> str:
    """A ledger as a table row names it: its size, and `given` for one not generated."""
    generated = "/ledger_" in entry["ledger"]
    return f"{entry['transactions']:,}" + ("" if generated else " (given)")


def markdown(results: list[dict]) -> list[str]:
    """The Markdown tables of docs/benchmarks.md: seconds and MB, per row, ratios, Fava."""
    names = [n for n in PROCESSES if all(n in e["measurements"] for e in results)]
    head = "| transactions | " + " | ".join(PROCESSES[n] for n in names) + " |"
    rule = "|---:|" + "---:|" * len(names)
    lines = ["Seconds and peak MB, fastest run:", "", head, rule]
    for e in results:
        cells = [
            f"{e['measurements'][n]['seconds']:.2f} s, {e['measurements'][n]['peak_mb']:.0f} MB"
            for n in names
        ]
        lines.append(f"| {ledger_name(e)} | " + " | ".join(cells) + " |")
    lines += ["", "Per transaction (µs, KB of peak memory):", "", head, rule]
    for e in results:
        cells = [
            f"{e['per_row'][n]['us_per_row']:.1f} µs, {e['per_row'][n]['kb_per_row']:.2f} KB"
            for n in names
        ]
        lines.append(f"| {ledger_name(e)} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| transactions | warm report / bean-check | warm trace / bean-check (committee, year) "
        "| dashboard's first load / income statement (median; first load) |",
        "|---:|---:|---:|---:|",
    ]
    for e in results:
        r, pages = e["ratios"], (e.get("fava") or {}).get("ratios", {})
        dash = (
            f"{pages['dashboard_first_vs_income_statement']}; "
            f"{pages['dashboard_first_vs_income_statement_first']}"
            if pages
            else "–"
        )
        trace = f"{r['trace_warm_vs_bean_check']} ({e['trace']['committee']}, {e['trace']['year']})"
        lines.append(f"| {ledger_name(e)} | {r['report_warm_vs_bean_check']} | {trace} | {dash} |")
    with_fava = [e for e in results if e.get("fava")]
    if with_fava:
        lines += [
            "",
            "| transactions | Fava loads the ledger | server peak | income statement, median "
            "(first load) | dashboard, first load | dashboard, median |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for e in with_fava:
            f = e["fava"]
            statement, dashboard = f["fava_income_statement"], f["ctc_dashboard"]
            lines.append(
                f"| {ledger_name(e)} | {f['server']['ledger_load_seconds']:.2f} s "
                f"| {f['server']['peak_rss_mb']:.0f} MB "
                f"| {statement['seconds']:.3f} s ({statement['first_load_seconds']:.2f} s) "
                f"| {dashboard['first_load_seconds']:.2f} s | {dashboard['seconds']:.3f} s |"
            )
    return lines


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, action="append", default=[])
    parser.add_argument("--ledger", type=Path, help="also measure this ledger")
    parser.add_argument("--trace-year", type=int, help="the year traced in --ledger")
    bench.add_run_options(parser)
    parser.add_argument(
        "--markdown",
        type=Path,
        nargs="+",
        help="print the tables of these runs' JSON, measure nothing",
    )
    return parser.parse_args()


def main() -> int:
    """Generate the ledgers, measure, print."""
    args = parse_args()
    if args.markdown:
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.markdown]
        print("\n".join(markdown([entry for run in runs for entry in run["reports"]])))
        return 0
    bench.REPEATS[0] = args.repeats
    results = bench_reports(
        args.transactions,
        args.cache,
        args.seed,
        not args.no_fava,
        args.page_repeats,
        args.ledger,
        args.trace_year,
    )
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": bench.machine(),
        "command": " ".join(["python", "scripts/bench_reports.py", *sys.argv[1:]]),
        "reports": results,
    }
    print(
        json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report["reports"])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
