"""The installed `ctc` command as a user runs it: one real process for each command.

Every other test of a command runs `ctc.cli.main` in the test's own process
(`conftest.run_ctc`); these prove that the entry point pip installed starts
each command, with real standard streams and exit codes. `ctc serve` runs as
the installed command in `conftest.FavaServer` (tests/test_serve.py).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from conftest import EXAMPLE, ROOT, run_real_ctc

D = Decimal


def test_help_lists_every_command():
    result = run_real_ctc("--help")
    assert result.returncode == 0, result.stderr
    for name in ("check", "report", "serve", "trace", "import", "close", "scenario"):
        assert name in result.stdout + result.stderr


def test_check(tmp_path):
    result = run_real_ctc("check", str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(f"Inga fel i {EXAMPLE} (")


def test_report_and_trace():
    yearly = run_real_ctc(
        "report", "yearly", str(EXAMPLE), "--from", "2023", "--to", "2023", "--format", "csv"
    )
    assert yearly.returncode == 0, yearly.stderr
    (ks,) = [
        r
        for r in csv.DictReader(io.StringIO(yearly.stdout))
        if r["committee"] == "KS" and r["cost_type"] == "*"
    ]
    assert ks["amount_sek"] == "6425606.83"
    trace = run_real_ctc(
        "trace", str(EXAMPLE), "--committee", "KS", "--year", "2023", "--format", "csv"
    )
    assert trace.returncode == 0, trace.stderr
    rows = csv.DictReader(io.StringIO(trace.stdout))
    assert sum(D(r["amount_sek"]) for r in rows) == D("6425606.83")


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_close(example_copy):
    result = run_real_ctc(
        "close", "2022", "--decision", "KF-2022-11-24-p323", "--ledger", str(example_copy)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Bokslutet för 2022 registrerat enligt KF-2022-11-24-p323:")
    assert run_real_ctc("check", str(example_copy)).returncode == 0


def test_import_dry_run():
    path = ROOT / "tests" / "fixtures" / "exports" / "raindance_utfall_2019.xlsx"
    result = run_real_ctc("import", "--ledger", str(EXAMPLE), "--dry-run", "--json", str(path))
    assert result.returncode == 0, result.stderr
    (file,) = json.loads(result.stdout)["files"]
    assert (file["kind"], file["imported"]) == ("utfall", 642)


def test_scenario_new_and_a_user_mistake(tmp_path):
    out = tmp_path / "utkast.beancount"
    args = ("scenario", "new", str(EXAMPLE), "--from-actuals", "--from", "2026", "--to", "2026")
    result = run_real_ctc(*args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert 'custom "scenario"' in out.read_text(encoding="utf-8")
    refused = run_real_ctc(*args, "-o", str(out))
    assert refused.returncode != 0
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "finns redan" in refused.stderr and "Traceback" not in refused.stderr
