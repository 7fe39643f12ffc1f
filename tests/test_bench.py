"""The benchmark suite runs end to end on a tiny size, so it never rots."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_bench_suite_reports_every_figure(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--rows",
            "1000",
            "--ledger-transactions",
            "1000",
            "--cache",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert set(report) >= {"date", "machine", "exports", "ledger"}
    assert set(report["machine"]) == {"cpu", "ram", "python", "system"}
    (export,) = report["exports"]
    assert export["rows"] == 1000
    assert set(export["measurements"]) >= {"floor_calamine", "floor_fastexcel", "pandas_openpyxl"}
    for measurement in [
        *export["measurements"].values(),
        *report["ledger"]["measurements"].values(),
    ]:
        assert measurement["ok"] is True, measurement
        assert measurement["seconds"] > 0 and measurement["peak_mb"] > 0
    assert set(report["ledger"]["ratios"]) == {
        "plugins_overhead",
        "ctc_check_vs_bean_check",
        "report_vs_bean_check",
        "check_cold_vs_warm",
    }
    assert set(report["ledger"]["measurements"]) >= {"ctc_check", "ctc_check_warm"}
    # The benchmark's load cache stays under its own cache folder.
    assert (tmp_path / "load_cache_1000").is_dir()
