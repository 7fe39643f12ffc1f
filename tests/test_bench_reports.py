"""The reports benchmark runs end to end on tiny ledgers, so it never rots.

No timing thresholds: it measures, it does not judge. This checks that one run
reports every figure of issue 17's points 3 and 4 (check, report and trace
cold and warm, the dashboard's first load against Fava's income statement,
each also per row) as a positive number, for every size asked.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import PROCESS_TIMEOUT, ROOT, require_browser

pytestmark = pytest.mark.slow

FIGURES = {
    "bean_check",
    "ctc_check",
    "ctc_report_yearly",
    "ctc_report_yearly_first",
    "ctc_check_warm",
    "ctc_report_yearly_warm",
    "ctc_trace_warm",
}
RATIOS = {"report_warm_vs_bean_check", "trace_warm_vs_bean_check", "check_warm_vs_bean_check"}
PAGE_RATIOS = {
    "dashboard_vs_income_statement",
    "dashboard_first_vs_income_statement",
    "dashboard_first_vs_income_statement_first",
}


def run_reports(tmp_path, *extra: str) -> dict:
    """`scripts/bench_reports.py --json` on ledgers of 300 and 600 transactions."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_reports.py"),
            *("--transactions", "300", "--transactions", "600"),
            *("--repeats", "1", "--page-repeats", "1", "--cache", str(tmp_path), "--json"),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=PROCESS_TIMEOUT,
    )
    return json.loads(result.stdout)


def check_ledgers(report: dict) -> None:
    """Every process ran, once, and every figure and ratio is a positive number."""
    assert [entry["transactions"] for entry in report["reports"]] == [300, 600]
    for entry in report["reports"]:
        assert set(entry["measurements"]) == FIGURES
        assert set(entry["per_row"]) == FIGURES
        assert set(entry["ratios"]) == RATIOS
        for measurement in entry["measurements"].values():
            assert measurement["ok"] is True, measurement
            assert measurement["runs"] == 1
            assert measurement["seconds"] > 0 and measurement["peak_mb"] > 0
        assert all(v["us_per_row"] > 0 and v["kb_per_row"] > 0 for v in entry["per_row"].values())
        assert all(value > 0 for value in entry["ratios"].values())
        assert entry["trace"]["committee"] == "KS" and entry["trace"]["year"] >= 2016


def test_bench_reports_without_a_browser(tmp_path):
    report = run_reports(tmp_path, "--no-fava")
    check_ledgers(report)
    assert all("fava" not in entry for entry in report["reports"])


@pytest.mark.browser
def test_bench_reports_with_the_dashboard(tmp_path):
    require_browser()
    report = run_reports(tmp_path)
    check_ledgers(report)
    for entry in report["reports"]:
        fava = entry["fava"]
        assert set(fava["ratios"]) == PAGE_RATIOS
        assert all(value > 0 for value in fava["ratios"].values())
        assert fava["ctc_dashboard"]["first_load_seconds"] > 0
        assert fava["fava_income_statement"]["seconds"] > 0
        assert all(value > 0 for value in fava["per_row"].values())
