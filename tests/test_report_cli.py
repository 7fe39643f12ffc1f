"""The report commands as users run them: issue 5's checks, formats, one-line errors."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE
from test_cli import assert_one_line_error, run_ctc

from ctc.cli import main

D = Decimal


def csv_rows(result) -> list[dict[str, str]]:
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def yearly_total(*args: str) -> Decimal:
    rows = csv_rows(run_ctc("report", "yearly", "--format", "csv", *args))
    return sum((D(r["amount_sek"]) for r in rows), D(0))


def test_transfers_csv_nets_to_zero_and_2024_is_four_twelfths():
    rows = csv_rows(run_ctc("report", "transfers", "--format", "csv"))
    assert list(rows[0]) == [
        "decision",
        "effective_date",
        "committee",
        "cost_type",
        "applicable_months_sek",
        "full_year_sek",
    ]
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [D(0), D(0)])
    for row in rows:
        sums[row["decision"]][0] += D(row["applicable_months_sek"])
        sums[row["decision"]][1] += D(row["full_year_sek"])
    assert dict(sums) == {"KS-2017-05-03": [0, 0], "KF-2024-09-26-p190": [0, 0]}
    reorganisation = [r for r in rows if r["effective_date"] == "2024-09-01"]
    assert len(reorganisation) == 6 * 3
    net: dict[str, Decimal] = defaultdict(Decimal)
    for row in reorganisation:
        full, part = D(row["full_year_sek"]), D(row["applicable_months_sek"])
        assert abs(part - full * 4 / 12) < 1, row
        assert part == (full * 4 / 12).quantize(D(1)), row
        net[row["committee"]] += full
    assert {c for c, amount in net.items() if amount < 0} == {"KS", "GrN", "FsN", "KuN"}
    assert {c for c, amount in net.items() if amount > 0} == {"AoS", "FrN"}
    for row in reorganisation:
        giving = row["committee"] in ("KS", "GrN", "FsN", "KuN")
        assert (D(row["full_year_sek"]) < 0) == giving, row


def test_motion_xlsx_grand_total_equals_the_yearly_total(tmp_path):
    out = tmp_path / "answer.xlsx"
    result = run_ctc("report", "motion", "--from", "2018", "--to", "2023", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    sheet = openpyxl.load_workbook(out).worksheets[0]
    numbers = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert numbers and all(c.data_type == "n" for c in numbers)
    assert not any(
        isinstance(c.value, str) and c.value.replace(" ", "").replace(",", "").isdigit()
        for row in sheet.iter_rows()
        for c in row
    )
    total_row = next(row for row in sheet.iter_rows() if row[0].value == "Totalt")
    grand = D(str(total_row[-1].value))
    assert grand == yearly_total("--from", "2018", "--to", "2023") == D("49724939.46")


def test_trace_sums_to_the_yearly_figure_for_each_committee():
    yearly = csv_rows(
        run_ctc("report", "yearly", "--from", "2024", "--to", "2024", "--format", "csv")
    )
    for row in yearly:
        trace = csv_rows(
            run_ctc("trace", "--committee", row["committee"], "--year", "2024", "--format", "csv")
        )
        assert sum(D(t["amount_sek"]) for t in trace) == D(row["amount_sek"]), row


def test_format_follows_the_output_files_extension(tmp_path, capsys):
    for name, start in (
        ("svar.csv", "year,committee,cost_type,amount_sek\r\n"),
        ("svar.md", "**OBS: Huvudboken"),
        ("svar.txt", "OBS: Huvudboken"),
    ):
        out = tmp_path / name
        question = ["--question", "KSAU-2024-12-02-p604"]
        assert main(["report", "motion", str(EXAMPLE), *question, "-o", str(out)]) == 0
        assert out.read_bytes().decode("utf-8").startswith(start), name
    assert capsys.readouterr().out == ""
    rows = list(csv.DictReader(io.StringIO((tmp_path / "svar.csv").read_text(encoding="utf-8"))))
    # The question's years, 2018–2023: the city's net cost, as the yearly CSV sums to.
    assert sum(D(r["amount_sek"]) for r in rows) == D("49724939.46")


def test_writing_a_file_replaces_it_whole(tmp_path):
    out = tmp_path / "svar.md"
    out.write_text("gammalt innehåll som är mycket längre än det nya " * 1000, encoding="utf-8")
    assert main(["report", "budget", str(EXAMPLE), "--year", "2024", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("**OBS")
    assert [p.name for p in tmp_path.iterdir()] == ["svar.md"]


def test_yearly_csv_by_area_and_position_adds_columns_before_the_amount(capsys):
    args = ["report", "yearly", "--from", "2024", "--to", "2024", "--by", "position,area"]
    assert main([*args, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["year", "committee", "cost_type", "area", "position", "amount_sek"]
    assert rows[0] == {
        "year": "2024",
        "committee": "*",
        "cost_type": "*",
        "area": "Bellevuegården",
        "position": "UL-BEL",
        "amount_sek": "806124.40",
    }
    assert rows[-1]["area"] == "gemensamt" and rows[-1]["position"] == ""
    assert sum(D(r["amount_sek"]) for r in rows) == yearly_total("--from", "2024", "--to", "2024")


def test_reports_in_english(capsys):
    assert main(["report", "budget", "--year", "2024", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("NOTE: The ledger holds synthetic example data")
    assert "CTC: kommunbidrag, cost and budget deviation 2024, tkr" in out


def test_the_reports_are_listed_in_help(capsys):
    assert main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    for name in ("yearly", "transfers", "positions", "budget", "motion"):
        assert name in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["report", "nosuch"], "No such command 'nosuch'"),
        (["trace", "--committee", "XYZ", "--year", "2023"], "Okänd nämnd 'XYZ'"),
        (["trace", "--committee", "KS", "--year", "2030"], "Inga kostnader för KS 2030"),
        (["trace", "--committee", "KS"], "Missing option '--year'"),
        (["report", "transfers", "--decision", "KF-2099-01-01"], "finns inte i beslutsregistret"),
        (["report", "transfers", "--year", "2030"], "Inga växlingar"),
        (["report", "positions", "--year", "2030"], "Inga tjänster finansieras 2030"),
        (["report", "budget", "--year", "2030"], "Inga kommunbidrag eller kostnader"),
        (
            ["report", "motion", "--from", "2030", "--to", "2031"],
            "Inga kostnader för programmet under 2030–2031",
        ),
        (["report", "motion"], "Ange vilka år svaret gäller: --from och --to, eller --question"),
        (["report", "motion", "--from", "2030"], "Ange vilka år svaret gäller"),
        (["report", "motion", "--question", "KF-2099-01-01"], "finns inte i beslutsregistret"),
        (["report", "motion", "--question", "KS-2024-09-11"], "Ange vilka år svaret gäller"),
        (
            ["report", "motion", "--from", "2018", "--to", "2023", "--published", "cirka"],
            "--published ska vara ett belopp",
        ),
        (["report", "motion", "--from", "2023", "--to", "2018"], "--from 2023 ligger efter"),
        (["report", "motion", "--format", "xlsx"], "ange -o FIL.xlsx"),
        (["report", "budget", "--unit", "mkr"], "Okänd enhet 'mkr'"),
        (["report", "budget", "--lang", "de"], "Okänt språk 'de'"),
        (["report", "yearly", "-o", "svar.pdf"], "Filändelsen .pdf"),
        (["report", "yearly", "--by", "area,kön"], "Okänd gruppering"),
    ],
)
def test_report_mistakes_get_one_line_and_nonzero_exit(args, fragment):
    result = run_ctc(*args)
    assert_one_line_error(result)
    assert fragment in result.stderr


def test_an_output_path_that_cannot_be_written_is_one_line(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    for target, fragment in (
        (tmp_path / "saknas" / "svar.md", "mappen"),
        (blocker / "svar.md", "mappen"),
        (tmp_path, "det är en mapp"),
    ):
        result = run_ctc("report", "budget", "--format", "md", "-o", str(target))
        assert_one_line_error(result)
        assert f"Kan inte skriva {target}" in result.stderr and fragment in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_nobody_may_write_to_is_one_line():
    # Not even root may create files in /proc, so this holds in any CI container.
    result = run_ctc("report", "budget", "-o", "/proc/svar.csv")
    assert_one_line_error(result)
    assert "Kan inte skriva /proc/svar.csv" in result.stderr


def test_yearly_by_area_reads_the_books_without_a_mapping(tmp_path):
    from conftest import ONE_SALARY, write_small

    # The area is what the entry's `area` metadata says; a cost without one is common.
    area_cost = ONE_SALARY.replace('"Månadslön"', '"Månadslön"\n  area: "Kirseberg"')
    path = write_small(tmp_path, ONE_SALARY + "\n" + area_cost)
    assert not (tmp_path / "mapping.toml").exists()
    result = run_ctc(
        "report", "yearly", str(path), "--by", "area", "--unit", "kr", "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "year,committee,cost_type,area,amount_sek",
        "2024,*,*,Kirseberg,1000.00",
        "2024,*,*,gemensamt,1000.00",
    ]
