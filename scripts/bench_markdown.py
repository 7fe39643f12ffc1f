"""Render a `bench.py --json` result as the Markdown tables of docs/benchmarks.md.

    python scripts/bench.py --json > run.json
    python scripts/bench_markdown.py run.json

Every figure comes from the JSON; nothing is typed in by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def header(report: dict) -> list[str]:
    """Date, machine and the command that reproduces the run."""
    machine = report["machine"]
    return [
        f"- Date: {report['date']}",
        f"- Machine: {machine['cpu']}, {machine['ram']} RAM, {machine['system']}",
        f"- Python: {machine['python']}",
        f"- Command: `{report['command']}`",
    ]


def process(measurements: dict, name: str) -> str:
    """`1.23 s, 456 MB` for one process, or a dash when it did not run."""
    if name not in measurements:
        return "–"
    m = measurements[name]
    return f"{m['seconds']:.2f} s, {m['peak_mb']:.0f} MB"


def exports(report: dict) -> list[str]:
    """One row per export size and programme share: every process's seconds and peak MB, and
    the ratios."""
    lines = [
        "| rows | programme share | file MB | floor: calamine | floor: fastexcel | pandas (openpyxl) | `ctc import --dry-run` "
        "| import / floor time | import / floor memory | pandas / import time "
        "| import / pandas memory | totals to the öre |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for export in report["exports"]:
        m, r = export["measurements"], export["ratios"]
        calamine, fastexcel, pandas, ours = (
            process(m, name)
            for name in (
                "floor_calamine",
                "floor_fastexcel",
                "pandas_openpyxl",
                "ctc_import_dry_run",
            )
        )
        lines.append(
            f"| {export['rows']:,} | {export.get('share', 0.05):.0%} | {export['file_mb']} | {calamine} | {fastexcel} | {pandas} "
            f"| {ours} | {r['import_vs_floor_time']} "
            f"| {r['import_vs_floor_memory']} | {r.get('pandas_vs_import_time', '–')} "
            f"| {r.get('import_vs_pandas_memory', '–')} "
            f"| {'yes' if export['totals_match'] else 'NO'} |"
        )
    growth = report.get("growth") or {}
    if growth:
        lines += [
            "",
            f"Time per row at {growth['to_rows']:,} rows against {growth['from_rows']:,} rows "
            f"({growth.get('share', 0.05):.0%} programme rows): **{growth['per_row_ratio']}**.",
        ]
    return lines


def real_imports(report: dict) -> list[str]:
    """The real import of N programme rows against its dry run plus one cold check."""
    lines = [
        "| programme rows | `ctc import` | `ctc import --dry-run` | `bean-check --no-cache` after "
        "| import / (dry run + check) time | import / check memory | µs per row | totals |",
        "|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for run in report.get("real_imports") or []:
        m, r = run["measurements"], run["ratios"]
        ours, dry, check = (
            process(m, name) for name in ("ctc_import", "ctc_import_dry_run", "bean_check_cold")
        )
        lines.append(
            f"| {run['rows']:,} | {ours} | {dry} | {check} "
            f"| {r['import_vs_dry_run_plus_check_time']} | {r['import_vs_check_memory']} "
            f"| {run['per_row_us']} | {'yes' if run['totals_match'] else 'NO'} |"
        )
    return lines


def ledger(report: dict) -> list[str]:
    """The ledger's processes and ratios."""
    block = report["ledger"]
    lines = [
        f"Ledger of {block['transactions']:,} programme transactions:",
        "",
        "| process | seconds | peak MB |",
        "|---|---:|---:|",
    ]
    for name, m in block["measurements"].items():
        lines.append(f"| `{name}` | {m['seconds']:.2f} | {m['peak_mb']:.0f} |")
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| `{name}` | {value} |" for name, value in block["ratios"].items()]
    return lines


def fava(report: dict) -> list[str]:
    """Fava's page and ours on the warm server."""
    pages = report.get("fava")
    if not pages:
        return ["(Fava not measured in this run.)"]
    lines = ["| page | median s | min–max s | first load s |", "|---|---:|---:|---:|"]
    for name in ("fava_income_statement", "ctc_dashboard"):
        p = pages[name]
        lines.append(
            f"| `{name}` | {p['seconds']:.3f} | {p['min_seconds']:.3f}–{p['max_seconds']:.3f} "
            f"| {p['first_load_seconds']:.2f} |"
        )
    server = pages.get("server", {})
    lines += [
        "",
        f"Dashboard / income statement: **{pages['ratios']['dashboard_vs_income_statement']}**. "
        f"Server: ledger load {server.get('ledger_load_seconds', '–')} s, "
        f"peak RSS {server.get('peak_rss_mb', '–')} MB.",
    ]
    return lines


def render(report: dict) -> str:
    """All sections, separated by blank lines."""
    parts = [
        header(report),
        ["### Import"],
        exports(report),
        ["### Real import"],
        real_imports(report),
        ["### Ledger"],
        ledger(report),
        ["### Fava"],
        fava(report),
    ]
    return "\n\n".join("\n".join(part) for part in parts) + "\n"


if __name__ == "__main__":
    print(render(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), end="")
