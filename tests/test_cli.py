"""The command line: exit codes, CSV contract, and one-line errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, append, line_of, run_ctc

from ctc.cli import main

UNBALANCED_VAXLING = """\
2024-09-01 * "Växling: testlinje" #vaxling ^KF-2024-09-26-p190
  period: "applicable-months"
  Income:Malmo:KS:CTC:Kommunbidrag    10000 SEK
    cost_type: "other"
  Income:Malmo:AoS:CTC:Kommunbidrag   -9000 SEK
    cost_type: "other"
"""


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_check_passes_on_the_example(capsys):
    assert main(["check", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out == ""


def test_check_without_argument_uses_the_bundled_example(capsys, monkeypatch):
    monkeypatch.delenv("CTC_LEDGER", raising=False)
    assert main(["check"]) == 0
    assert str(EXAMPLE) in capsys.readouterr().err


def test_check_reads_the_ledger_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CTC_LEDGER", str(tmp_path / "saknas.beancount"))
    assert main(["check"]) == 1
    assert "saknas.beancount finns inte" in capsys.readouterr().err


def test_check_reports_an_appended_unbalanced_vaxling(example_copy):
    start = append(example_copy, UNBALANCED_VAXLING)
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 1
    expected = f"main.beancount:{start}: Växlingen nettar inte till noll"
    assert any(
        expected in line and "[regel transfer-nets-to-zero]" in line
        for line in result.stdout.splitlines()
    )


def test_check_reports_an_appended_vaxling_with_unknown_decision(example_copy):
    text = UNBALANCED_VAXLING.replace("-9000", "-10000").replace(
        "KF-2024-09-26-p190", "KS-2024-06-05-p99"
    )
    start = append(example_copy, text)
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 1
    assert f"main.beancount:{start}: Beslutet KS-2024-06-05-p99 finns inte" in result.stdout
    assert "[regel decision-cited]" in result.stdout


def test_check_reports_a_position_funded_by_two_committees(example_copy):
    text = """\
2024-10-01 custom "position" "UL-KIR"
  municipality: "Malmo"
  committee: "AoS"
  role: "Lokal utvecklingsledare"
  area: "Kirseberg"
  fte: 1.0
  monthly_salary: 42000 SEK
"""
    start = append(example_copy, text)
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if f"main.beancount:{start}:" in line)
    assert "UL-KIR finansieras redan av FrN" in line
    assert "[regel position-one-committee]" in line


def test_check_output_is_one_line_per_problem(example_copy):
    append(example_copy, UNBALANCED_VAXLING)
    result = run_ctc("check", str(example_copy))
    for line in result.stdout.splitlines():
        path, number, message = line.split(":", 2)
        assert path.endswith(".beancount") and number.isdigit() and message.strip()


def test_yearly_csv_has_the_contract_header_and_exact_rows(capsys):
    assert (
        main(
            ["report", "yearly", str(EXAMPLE), "--from", "2023", "--to", "2023", "--format", "csv"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "year,committee,cost_type,amount_sek"
    assert "\r\n" in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {
        "year": "2023",
        "committee": "KS",
        "cost_type": "*",
        # cost 6 677 606.83 minus income 252 000 (training sold 96 000, a grant 120 000,
        # an internal sale 36 000): KS's own net cost
        "amount_sek": "6425606.83",
    }
    # The city-wide elimination of the internal sale at KS and the purchase at KuN.
    assert rows[-2:] == [
        {"year": "2023", "committee": "KS", "cost_type": "internal", "amount_sek": "36000.00"},
        {"year": "2023", "committee": "KuN", "cost_type": "internal", "amount_sek": "-36000.00"},
    ]
    assert len(rows) == 8


def test_yearly_csv_2018_to_2023_sums_to_about_fifty_million(capsys):
    assert main(["report", "yearly", "--from", "2018", "--to", "2023", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    total = sum(Decimal(row["amount_sek"]) for row in rows)
    # The net cost: gross 50 024 939.46 less the income of 2022–2023 (300 000).
    assert total == Decimal("49724939.46")


def test_yearly_csv_by_committee_and_type(capsys):
    args = [
        "report",
        "yearly",
        "--from",
        "2019",
        "--to",
        "2019",
        "--by",
        "type,committee",
        "--format",
        "csv",
    ]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[:3] == [
        {"year": "2019", "committee": "KS", "cost_type": "salary", "amount_sek": "1830580.00"},
        {"year": "2019", "committee": "KS", "cost_type": "po", "amount_sek": "716672.11"},
        # training 120 000 + licence 120 000 + print 30 000 + survey 410 000
        {"year": "2019", "committee": "KS", "cost_type": "other", "amount_sek": "680000.00"},
    ]
    assert len(rows) == 18


def test_yearly_table_has_swedish_numbers_and_totals(capsys):
    assert main(["report", "yearly", "--from", "2018", "--to", "2023", "--unit", "kr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OBS: Huvudboken innehåller syntetiska exempeldata")
    total_line = [line for line in out.splitlines() if line.startswith("Totalt")][-1]
    assert total_line.endswith("49 724 939")


def test_yearly_table_fits_eighty_columns(capsys):
    assert main(["report", "yearly"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["report", "yearly", "--from", "2023", "--to", "2018"],
            "--from 2023 ligger efter --to 2018",
        ),
        (["report", "yearly", "saknas.beancount"], "saknas.beancount finns inte"),
        (["report", "yearly", "--by", "nämnd"], "Okänd gruppering"),
        (["report", "yearly", "--format", "pdf"], "Okänt format"),
        (["report", "yearly", "--from", "2030"], "Inga kostnader"),
        (["check", "saknas.beancount"], "saknas.beancount finns inte"),
        (["report", "yearly", "--okänd"], "No such option"),
    ],
)
def test_user_mistakes_get_one_line_and_nonzero_exit(args, fragment):
    result = run_ctc(*args)
    assert_one_line_error(result)
    assert fragment in result.stderr


def test_report_on_a_broken_ledger_is_one_line(tmp_path):
    broken = tmp_path / "trasig.beancount"
    broken.write_text(
        'option "operating_currency" "SEK"\n2024-01-01 open Assets:Kassa\n2024-01-02 * "x"\n  Assets:Kassa 10 SEK\n'
    )
    result = run_ctc("report", "yearly", str(broken))
    assert_one_line_error(result)
    assert "ctc check" in result.stderr


def test_check_on_a_broken_ledger_lists_the_problem_with_its_line(tmp_path):
    broken = tmp_path / "trasig.beancount"
    broken.write_text(
        '2024-01-01 open Assets:Kassa\n2024-01-02 * "x"\n  Assets:Kassa 10 SEK\n2024-01-03 oops\n'
    )
    result = run_ctc("check", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"trasig.beancount:{line_of(broken, 'oops')}:" in result.stdout


def test_check_warns_but_passes_when_an_archived_source_is_missing(example_copy):
    archive = example_copy.parent.parent / "importers" / "examples"
    assert (
        not archive.exists()
    )  # the copy's sources point outside it: like a fresh clone without archives
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 0
    warnings = [
        line for line in result.stderr.splitlines() if line.startswith("varning: arkivet för")
    ]
    assert len(warnings) == 13
    assert "utfall_2023.xlsx" in result.stderr


def test_an_in_process_run_restores_the_environment_folder_and_streams(tmp_path):
    before = (dict(os.environ), Path.cwd(), sys.stdin, sys.stdout, sys.stderr)
    result = run_ctc("check", env={"CTC_LEDGER": "saknas.beancount"}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "ctc: fel: Huvudboken saknas.beancount finns inte.\n"
    assert (dict(os.environ), Path.cwd(), sys.stdin, sys.stdout, sys.stderr) == before
