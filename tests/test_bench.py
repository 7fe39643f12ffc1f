"""The benchmark suite runs end to end on a tiny size, so it never rots.

No timing thresholds: the suite measures, it does not judge. This checks that
one run reports every figure of the performance issue's points 2–7 as a
positive number, and that the import's totals match the generated files.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROCESS_TIMEOUT, ROOT, require_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EXPORT_FIGURES = {"floor_calamine", "floor_fastexcel", "pandas_openpyxl", "ctc_import_dry_run"}
EXPORT_RATIOS = {
    "import_vs_floor_time",
    "import_vs_floor_memory",
    "pandas_vs_import_time",
    "import_vs_pandas_memory",
}
REAL_IMPORT_FIGURES = {"ctc_import", "ctc_import_dry_run", "bean_check_cold"}
REAL_IMPORT_RATIOS = {"import_vs_dry_run_plus_check_time", "import_vs_check_memory"}
LEDGER_FIGURES = {
    "bean_check_plugins",
    "bean_check_bare",
    "ctc_check",
    "ctc_report_yearly",
    "bean_check_plugins_cached",
    "ctc_check_cached",
    "ctc_report_yearly_cached",
}
LEDGER_RATIOS = {
    "plugins_overhead",
    "ctc_check_vs_bean_check",
    "report_vs_bean_check",
    "cache_speedup_check",
    "cache_speedup_report",
}


def run_suite(tmp_path, *extra: str) -> dict:
    """`scripts/bench.py --json` on 1 000 and 2 000 rows (each programme share), real imports
    of 300 and 600 programme rows, and a 1 000-transaction ledger."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            *("--rows", "1000", "--rows", "2000"),
            *("--import-rows", "300", "--import-rows", "600"),
            *("--ledger-transactions", "1000", "--page-repeats", "1", "--repeats", "1"),
            *("--cache", str(tmp_path), "--json", *extra),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=PROCESS_TIMEOUT,
    )
    return json.loads(result.stdout)


def test_bench_suite_reports_every_figure(tmp_path):
    require_browser()
    report = run_suite(tmp_path)
    assert set(report) == {
        "date",
        "machine",
        "command",
        "exports",
        "growth",
        "real_imports",
        "ledger",
        "fava",
    }
    assert set(report["machine"]) == {"cpu", "ram", "python", "system"}
    assert [(export["rows"], export["share"]) for export in report["exports"]] == [
        (rows, share) for rows in (1000, 2000) for share in (0.0, 0.05, 1.0)
    ]
    for export in report["exports"]:
        assert set(export["measurements"]) == EXPORT_FIGURES
        assert set(export["ratios"]) == EXPORT_RATIOS
        assert export["totals_match"] is True
        assert all(value > 0 for value in export["ratios"].values())
    assert report["growth"]["from_rows"] == 1000 and report["growth"]["to_rows"] == 2000
    assert report["growth"]["share"] == 0.05 and report["growth"]["per_row_ratio"] > 0
    assert [run["rows"] for run in report["real_imports"]] == [300, 600]
    for run in report["real_imports"]:
        assert set(run["measurements"]) == REAL_IMPORT_FIGURES
        assert set(run["ratios"]) == REAL_IMPORT_RATIOS
        assert run["totals_match"] is True
        assert all(value > 0 for value in run["ratios"].values())
    ledger = report["ledger"]
    assert set(ledger["measurements"]) == LEDGER_FIGURES
    assert set(ledger["ratios"]) == LEDGER_RATIOS
    for measurement in [
        *(m for export in report["exports"] for m in export["measurements"].values()),
        *(m for run in report["real_imports"] for m in run["measurements"].values()),
        *ledger["measurements"].values(),
    ]:
        assert measurement["ok"] is True, measurement
        assert measurement["runs"] == 1
        assert measurement["seconds"] > 0 and measurement["peak_mb"] > 0
    fava = report["fava"]
    assert fava["fava_income_statement"]["seconds"] > 0
    assert fava["ctc_dashboard"]["seconds"] > 0
    assert fava["ratios"]["dashboard_vs_income_statement"] > 0
