"""`ctc report scenario` in every format: the same figures in table, CSV, Markdown and xlsx."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from decimal import Decimal

import openpyxl
from conftest import EXAMPLE, EXAMPLE_DIR
from test_cli import run_ctc
from test_scenario import SMALL

D = Decimal
PILOT = EXAMPLE_DIR / "scenarios" / "linkoping-pilot-2026-2028.beancount"


def report(*args: str) -> str:
    result = run_ctc("report", "scenario", "--scenario", str(PILOT), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_csv_has_the_yearly_reports_header_and_whole_thousands():
    rows = list(csv.reader(io.StringIO(report("--format", "csv"))))
    assert rows[0] == ["year", "committee", "cost_type", "amount_sek"]
    assert rows[1] == ["2026", "SON", "salary", "976000.00"]
    assert {r[0] for r in rows[1:]} == {"2026", "2027", "2028"}
    assert {r[1] for r in rows[1:]} == {"SON", "KS"}
    assert sum(D(r[3]) for r in rows[1:]) == D(19927000)
    # One row per year × committee × cost type within the scenario's years.
    assert len(rows[1:]) == len({tuple(r[:3]) for r in rows[1:]}) == 3 * 2 * 3
    assert all(D(r[3]) % 1000 == 0 for r in rows[1:])


def test_markdown_reads_as_the_economic_consequences_of_a_tjansteskrivelse(tmp_path):
    out = tmp_path / "konsekvenser.md"
    report("-o", str(out))
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "## Ekonomiska konsekvenser"
    assert lines[2] == "OBS: Huvudboken innehåller syntetiska exempeldata, inte verkliga belopp."
    assert (
        "uppskattas till 19,9 mnkr för 2026–2028 (19 927 000 kr): 6,9 mnkr 2026, "
        "6,3 mnkr 2027, 6,7 mnkr 2028." in text
    )
    assert "social- och omsorgsnämnden (SON) 5,5 mnkr, kommunstyrelsen (KS) 14,4 mnkr" in text
    assert "Uppräkning till basåret 2026: Löner: senaste lön i tjänsteregistret per roll" in text
    assert "Finansiering: kostnaden finansieras med utökat kommunbidrag" in text
    assert "| Kommun | Linköping |" in lines and "Linkoping" not in text.replace(
        "--municipality Linkoping", ""
    )
    for heading in (
        "### Kostnad per år, nämnd och kostnadstyp (tkr)",
        "### Antaganden per år",
        "### Tjänster",
        "### Övriga kostnader",
        "### Känslighetsanalys: totalkostnad (tkr)",
        "### Finansiering: belopp att finansiera per nämnd och år (tkr)",
    ):
        assert heading in lines
    assert "| **Summa 2026** |  | **3 797** | **1 614** | **1 466** | **6 877** |" in lines
    assert (
        "| Löneökning +1 procentenhet per år | 6 877 | 6 403 | 6 821 | 20 101 | 174 | 0,9 |"
        in lines
    )
    assert re.search(
        r"^\*\[\d+\] Mätt: Malmö 2019–2023, enkät: 1 320 000,00 kr i 3 omgångar", text, re.M
    )
    assert "Malmo" not in text and "−" not in text
    assert "avrundade en gång till hela tusental kronor" in text


def test_each_year_total_is_the_sum_of_its_committee_rows_as_printed():
    cells = [re.split(r"\s{2,}", line.strip()) for line in report().splitlines()]
    for year in ("2026", "2027", "2028"):
        committees = [c for c in cells if len(c) == 6 and c[0] == year and c[1] in ("SON", "KS")]
        total = next(c for c in cells if c[0] == f"Summa {year}")
        assert len(committees) == 2 and len(total) == 5
        for column in range(2, 6):
            printed = [int(c[column].replace(" ", "")) for c in committees]
            assert sum(printed) == int(total[column - 1].replace(" ", ""))


def test_xlsx_has_number_cells_bold_totals_and_its_provenance(tmp_path):
    out = tmp_path / "konsekvenser.xlsx"
    report("-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Kostnad",
        "Finansiering",
        "Scenario",
        "Antaganden",
        "Tjänster",
        "Övriga kostnader",
        "Känslighet",
        "Underlag",
    ]
    sheet = book["Kostnad"]
    header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "År")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert [c.value for c in sheet[header]] == ["År", "Nämnd", "Lön", "PO", "Övrigt", "Totalt"]
    first = sheet[header + 1]
    assert (first[0].value, first[1].value) == ("2026", "SON")
    # Exact kronor in a number cell, shown in tkr by the format's trailing comma.
    assert first[2].data_type == "n" and first[2].value == 976000
    assert first[2].number_format == "#,##0,"
    summa = next(row for row in sheet.iter_rows() if row[0].value == "Summa 2026")
    assert [c.value for c in summa[2:]] == [3797000, 1614000, 1466000, 6877000]
    assert all(c.font.bold for c in summa)
    files = {row[0].value: row[1].value for row in book["Underlag"].iter_rows() if row[0].value}
    assert files[str(EXAMPLE)] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert files[str(PILOT)] == hashlib.sha256(PILOT.read_bytes()).hexdigest()


def test_text_that_looks_like_a_formula_stays_text_in_xlsx(tmp_path):
    scenario = tmp_path / "scenario.beancount"
    scenario.write_text(SMALL.replace('source: "Test"', 'source: "=HYPERLINK(\\"x\\")"', 1))
    out = tmp_path / "svar.xlsx"
    result = run_ctc("report", "scenario", "--scenario", str(scenario), "-o", str(out))
    assert result.returncode == 0, result.stderr
    cells = [c for row in openpyxl.load_workbook(out)["Scenario"].iter_rows() for c in row]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK("))
    assert formula.value == '=HYPERLINK("x")'
    assert formula.data_type == "s"


def test_xlsx_needs_an_output_file():
    result = run_ctc("report", "scenario", "--scenario", str(PILOT), "--format", "xlsx")
    assert result.returncode == 1
    assert "ange -o FIL.xlsx" in result.stderr
