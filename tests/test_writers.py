"""The output formats: thin writers over one result shape, checked on real files."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, files_footnote, source_files

from ctc.errors import UserError
from ctc.reports.budget import budget_report
from ctc.reports.motion import motion_report
from ctc.reports.positions import positions_report
from ctc.reports.result import Column, Provenance, Report, Row, Table, stamp
from ctc.reports.table import TextTable, wrap
from ctc.reports.table import render as render_table
from ctc.reports.trace import trace_report
from ctc.reports.transfers import transfers_report
from ctc.reports.writers import choose_format, render
from ctc.reports.yearly import yearly_report

D = Decimal
SNAPSHOT = ROOT / "tests" / "snapshots" / "motion_2018_2023.md"
MOMENT = datetime.datetime(
    2025, 1, 15, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def all_reports(frame) -> list[Report]:
    return [
        yearly_report(frame),
        yearly_report(frame, ("committee", "type", "area", "position"), 2024, 2024),
        transfers_report(frame),
        positions_report(frame),
        budget_report(frame),
        motion_report(frame, 2018, 2023),
        trace_report(frame, "FrN", 2024),
    ]


def small_report(text: str = 'Hej, "värld" | =1+1') -> Report:
    columns = (
        Column("name", "Namn"),
        Column("year", "År", "year"),
        Column("amount", "Belopp", "money"),
    )
    rows = (Row((text, 2024, D("1234567.49"))), Row(("Totalt", None, D("1234567.49")), True))
    table = Table("Blad", "Tabell", columns, rows, ("En anteckning.",))
    return Report(
        name="test",
        title="Rubrik",
        tables=(table,),
        records=Table("records", "records", columns, rows),
        provenance=Provenance(
            "/tmp/main.beancount", (("/tmp/main.beancount", "ab" * 32),), (("--year", "2024"),)
        ),
        notice="OBS: syntetiskt.",
        summary=("En mening.",),
        footnotes=("En fotnot.",),
        unit="tkr",
    )


# --- table ----------------------------------------------------------------------------


def test_every_report_fits_an_80_column_terminal(frame):
    for report in all_reports(frame):
        text = ANSI.sub("", render(report, "table", bold=True).decode("utf-8"))
        widest = max(len(line) for line in text.splitlines())
        assert widest <= 80, (report.name, widest)


def test_table_shows_swedish_numbers_and_bold_totals_on_a_terminal():
    text = render(small_report(), "table", bold=True).decode("utf-8")
    assert text.splitlines()[0] == "OBS: syntetiskt."
    assert "\x1b[1mTotalt" in text
    assert "1 235" in text
    plain = render(small_report(), "table").decode("utf-8")
    assert "\x1b" not in plain and "-----" in plain


def test_wrap_breaks_at_spaces_then_punctuation_then_cuts():
    assert wrap("Områdesteam Kirseberg: insatser", 22) == ["Områdesteam Kirseberg:", "insatser"]
    assert wrap("KF-2024-09-26-p190", 10) == ["KF-2024-", "09-26-p190"]
    assert wrap("Arbetsgivaravgifter", 10) == ["Arbetsgiva", "ravgifter"]


def test_text_table_wraps_long_text_instead_of_overflowing():
    table = TextTable(["Text", "Belopp"], [["ord " * 40, "1 000"]], right=[False, True])
    lines = render_table(table).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 3


# --- csv ------------------------------------------------------------------------------


def test_csv_is_rfc4180_with_one_header_and_no_total_rows():
    text = render(small_report(), "csv").decode("utf-8")
    assert text == 'name,year,amount\r\n"Hej, ""värld"" | =1+1",2024,1234567.49\r\n'
    assert list(csv.reader(io.StringIO(text)))[1][0] == 'Hej, "värld" | =1+1'


# --- md -------------------------------------------------------------------------------


def test_markdown_escapes_pipes_and_bolds_totals():
    text = render(stamp(small_report(), MOMENT), "md").decode("utf-8")
    assert text.splitlines()[0] == "**OBS: syntetiskt.**"
    assert '| Hej, "värld" \\| =1+1 | 2024 | 1 235 |' in text
    assert "| **Totalt** |  | **1 235** |" in text
    assert "|---|---|---:|" in text
    assert text.endswith("Skapad: 2025-01-15T09:30:00+01:00\n")


def test_motion_markdown_matches_the_approved_snapshot(frame):
    """The whole answer, compared line by line with the approved Markdown.

    Only the generated-at line is left out. Approve a changed answer with
    CTC_UPDATE_SNAPSHOTS=1 and review the diff of the snapshot before committing.
    """
    answer = motion_report(frame, question="KSAU-2024-12-02-p604")
    text = render(stamp(answer, MOMENT), "md").decode("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("Skapad: ")]
    assert "7. " + files_footnote(source_files(2018, 2023)) in lines
    if os.environ.get("CTC_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == SNAPSHOT.read_text(encoding="utf-8").splitlines()


# --- xlsx -----------------------------------------------------------------------------


def open_xlsx(report: Report, tmp_path: Path):
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(render(stamp(report, MOMENT), "xlsx"))
    return openpyxl.load_workbook(path)


def test_motion_xlsx_cell_by_cell(frame, tmp_path):
    book = open_xlsx(motion_report(frame, 2018, 2023), tmp_path)
    assert book.sheetnames == ["Per nämnd", "Per kostnadstyp", "Underlag"]
    sheet = book["Per nämnd"]
    assert sheet["A1"].value.startswith("OBS: Huvudboken innehåller syntetiska exempeldata")
    assert sheet["A2"].value == "Svar: CTC:s årliga kostnader 2018–2023"
    header = 11  # below the notice, the title, six sentences and the table's title
    assert [c.value for c in sheet[header]] == [
        "År",
        "KS",
        "AoS",
        "GrN",
        "FsN",
        "KuN",
        "FrN",
        "Interna poster (eliminering)",
        "Totalt",
    ]
    assert all(c.font.b for c in sheet[header])
    assert sheet.freeze_panes == f"A{header + 1}"
    first = sheet[header + 1]
    assert (first[0].value, first[0].data_type, first[0].number_format) == (2018, "n", "0")
    assert (first[1].value, first[1].data_type, first[1].number_format) == (
        2276158.37,
        "n",
        "#,##0,",
    )
    total = sheet[header + 7]
    assert total[0].value == "Totalt" and all(c.font.b for c in total)
    assert total[8].value == pytest.approx(49724939.46, abs=0.001)
    assert D(str(total[8].value)) == D("49724939.46")
    for row in sheet.iter_rows(min_row=header + 1, max_row=header + 7, min_col=2):
        assert all(c.data_type == "n" and isinstance(c.value, int | float) for c in row)
    assert sheet.column_dimensions["A"].width == len("Totalt") + 2
    assert sheet.column_dimensions["B"].width == len("28 511") + 2
    notes = [c.value for c in sheet["A"][header + 8 :] if c.value]
    assert notes[0].startswith("1. Kostnaderna och intäkterna är de som bokförts")
    assert any("avrundningsdifferenser" in note for note in notes)


def test_xlsx_provenance_sheet_names_ledger_sha256_filters_and_time(frame, tmp_path):
    book = open_xlsx(motion_report(frame, 2018, 2023), tmp_path)
    pairs = {
        row[0].value: row[1].value for row in book["Underlag"].iter_rows(max_col=2) if row[0].value
    }
    main = frame.path
    assert pairs["Huvudbok"] == str(main)
    assert pairs["SHA-256"] == hashlib.sha256(main.read_bytes()).hexdigest()
    assert pairs["Urval --from"] == "2018" and pairs["Urval --to"] == "2023"
    assert pairs["Skapad"] == datetime.datetime(2025, 1, 15, 9, 30)
    assert pairs["Obs"].startswith("OBS:")
    files = {row[0].value for row in book["Underlag"].iter_rows(max_col=1)}
    assert str(main.parent / "costs" / "2023.beancount") in files


def test_xlsx_number_formats_follow_the_unit_and_kind(frame, tmp_path):
    book = open_xlsx(motion_report(frame, 2018, 2023, unit="mnkr"), tmp_path)
    assert book["Per nämnd"]["B12"].number_format == "#,##0.0,,"
    book = open_xlsx(trace_report(frame, "KS", 2023), tmp_path)
    sheet = book["Poster"]
    assert [c.value for c in sheet[6]][:3] == ["Datum", "Typ", "Belopp, kr"]
    assert sheet["A7"].value == datetime.datetime(2023, 1, 25)
    assert sheet["A7"].number_format == "yyyy-mm-dd"
    assert (sheet["C7"].value, sheet["C7"].number_format) == (25000, "#,##0.00")
    book = open_xlsx(positions_report(frame, 2024), tmp_path)
    sheet = book["Per nämnd och år"]
    assert [c.value for c in sheet[5]][:3] == ["År", "Nämnd", "Årsarb."]
    assert (sheet["C6"].value, sheet["C6"].number_format) == (5, "0.00")


def test_one_sheet_per_table(frame, tmp_path):
    book = open_xlsx(transfers_report(frame), tmp_path)
    # Sheets are named by the växling's effective date; each sheet's title cites the decision.
    assert book.sheetnames == ["Växling 2018-09-01", "Växling 2024-09-01", "Underlag"]
    assert book["Växling 2018-09-01"]["A3"].value == (
        "Växling enligt KS 2017-05-03 (Dnr STK-2016-166; upphävt; datum ej verifierat), "
        "i kraft 2018-09-01"
    )
    book = open_xlsx(positions_report(frame), tmp_path)
    assert book.sheetnames == ["Per nämnd och år", "Per tjänst och år", "Historik", "Underlag"]


def test_xlsx_bytes_are_deterministic_but_for_the_time(frame):
    report = budget_report(frame, 2024)
    first = render(stamp(report, MOMENT), "xlsx")
    assert render(stamp(report, MOMENT), "xlsx") == first
    assert render(stamp(report, MOMENT + datetime.timedelta(seconds=1)), "xlsx") != first


def test_english_reports(frame):
    report = motion_report(frame, 2018, 2023, lang="en")
    assert report.title == "Answer: yearly costs of CTC 2018–2023"
    assert report.notice.startswith("NOTE: The ledger holds synthetic example data")
    assert [c.title for c in report.tables[1].columns] == [
        "Year",
        "Salary",
        "Payroll overhead",
        "Other",
        "Income",
        "Total",
    ]


# --- choosing the format -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "output", "chosen"),
    [
        (None, None, "table"),
        (None, "svar.xlsx", "xlsx"),
        (None, "svar.CSV", "csv"),
        (None, "svar.md", "md"),
        (None, "svar.txt", "table"),
        ("md", None, "md"),
        ("csv", "svar.csv", "csv"),
    ],
)
def test_format_follows_the_option_then_the_extension(fmt, output, chosen):
    assert choose_format(fmt, Path(output) if output else None) == chosen


@pytest.mark.parametrize(
    ("fmt", "output", "fragment"),
    [
        ("pdf", None, "Okänt format 'pdf'"),
        (None, "svar.pdf", "Filändelsen .pdf"),
        ("csv", "svar.xlsx", "--format csv stämmer inte med filändelsen .xlsx"),
        ("xlsx", None, "ange -o FIL.xlsx"),
    ],
)
def test_format_mistakes_are_the_users(fmt, output, fragment):
    with pytest.raises(UserError, match=re.escape(fragment)):
        choose_format(fmt, Path(output) if output else None)
