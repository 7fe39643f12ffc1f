"""`ctc trace`: the entries behind a figure sum to it, each with its source and decision."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from conftest import EXAMPLE, small_frame, source_files, write_small

from ctc.cli import main
from ctc.errors import UserError
from ctc.reports.motion import motion_report
from ctc.reports.trace import parse_cost_type, resolve_committee, trace_lines, trace_report
from ctc.reports.yearly import yearly_rows

D = Decimal

IMPORTED = """\
2024-03-25 * "=HYPERLINK(\\"https://exempel.invalid\\",\\"Klicka\\")"
  responsibility: "110100"
  source_file: "utfall_2024.xlsx"
  source_sheet: "Utfall"
  source_row: 17
  source_sha256: "5f2b0c7e9d1a4b3c8e6f7a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d"
  row_id: "r-17-1"
  Expenses:Malmo:KS:CTC:Lon     1000.00 SEK
  Liabilities:Malmo:Avrakning  -1000.00 SEK

2024-03-26 * "+46 40 34 10 00 samtal"
  source_file: "utfall_2024.xlsx"
  source_sheet: "Utfall"
  source_row: 18
  Expenses:Malmo:KS:CTC:Lon      250.50 SEK
  Liabilities:Malmo:Avrakning   -250.50 SEK

2024-03-27 * "-korrigering av mars"
  Expenses:Malmo:KS:CTC:Lon     -50.00 SEK
  Liabilities:Malmo:Avrakning     50.00 SEK

2024-03-28 * "@stadskontoret: fika" ^KF-2024-09-26-p190
  Expenses:Malmo:KS:CTC:Lon       10.00 SEK
  Liabilities:Malmo:Avrakning    -10.00 SEK
"""


def test_trace_of_ks_2023_sums_to_the_yearly_figure(frame):
    lines = trace_lines(frame, "KS", 2023)
    (row,) = yearly_rows(frame.costs, ("committee",), 2023, 2023, frame.committee_order)[:1]
    assert row.committee == "KS"
    assert len(lines) == 301  # 297 costs, and income: training sold twice, a grant, a sale
    assert sum(line.amount for line in lines) == row.amount == D("6425606.83")


def test_trace_by_type_sums_to_the_yearly_figure_by_committee_and_type(frame):
    lines = trace_lines(frame, "KS", 2023, "po")
    rows = yearly_rows(frame.costs, ("committee", "type"), 2023, 2023, frame.committee_order)
    figure = next(r.amount for r in rows if r.committee == "KS" and r.cost_type == "po")
    assert sum(line.amount for line in lines) == figure == D("1761606.83")
    assert len(lines) == 184
    survey = trace_lines(frame, "KS", 2023, "enkät")
    assert {line.kind for line in survey} == {"survey"}
    summary = trace_report(frame, "KS", 2023, "enkät").summary
    assert summary == ("3 poster för KS 2023, enkät, sammanlagt 470 000,00 kr.",)
    summary = trace_report(frame, "KS", 2023, "po").summary
    assert summary[1] == (
        "ctc report yearly visar 1 761 606,83 kr för KS 2023, po. Beloppen stämmer."
    )


def test_trace_report_rows_show_source_and_decision(frame):
    report = trace_report(frame, "KS", 2023)
    table = report.tables[0]
    first = trace_lines(frame, "KS", 2023)[0]
    source = first.source.label() if first.source else first.location
    assert table.rows[0].cells == (
        datetime.date(2023, 1, 25),
        "Lön",
        D("25000.00"),
        "Månadslön",
        source,
        # The decision cited with its marks: repealed since, and its day a placeholder.
        "KS-2017-05-03 (upphävt, datum ej verifierat) (tjänst ANA-1)",
    )
    assert table.rows[-1].total and table.rows[-1].cells[2] == D("6425606.83")
    assert report.summary[1].endswith("Beloppen stämmer.")


def test_trace_csv_has_the_required_columns(capsys):
    assert (
        main(["trace", str(EXAMPLE), "--committee", "FrN", "--year", "2024", "--format", "csv"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[:8] == [
        "date",
        "committee",
        "cost_type",
        "kind",
        "amount_sek",
        "narration",
        "source",
        "decision",
    ]
    assert sum(D(r["amount_sek"]) for r in rows) == D("2128129.20")
    moved = [r for r in rows if r["position"] == "UL-HER"]
    assert {r["decision"] for r in moved} == {"KF-2024-09-26-p190 (tjänst UL-HER)"}
    assert {r["area"] for r in moved} == {"Hermodsdal"}


def test_trace_shows_the_source_row_where_the_entry_has_one(tmp_path):
    frame = small_frame(tmp_path, IMPORTED)
    report = trace_report(frame, "KS", 2024)
    sources = [row.cells[4] for row in report.tables[0].rows if not row.total]
    assert sources[:2] == [
        "utfall_2024.xlsx, blad Utfall, rad 17",
        "utfall_2024.xlsx, blad Utfall, rad 18",
    ]
    assert sources[2] == f"small.beancount:{_line(tmp_path, '-korrigering')}"
    records = {
        c.key: v for c, v in zip(report.records.columns, report.records.rows[0].cells, strict=True)
    }
    assert records["source_file"] == "utfall_2024.xlsx"
    assert records["source_row"] == 17
    assert records["row_id"] == "r-17-1"
    assert records["source_sha256"].startswith("5f2b0c7e")
    own = report.tables[0].rows[3].cells[5]
    assert own == "KF-2024-09-26-p190"


def test_motion_names_the_imported_files(tmp_path):
    frame = small_frame(tmp_path, IMPORTED)
    notes = motion_report(frame, 2024, 2024).footnotes
    assert notes[-1] == (
        "Kostnaderna är inlästa ur ekonomisystemets exportfiler utfall_2024.xlsx och förda i "
        "huvudboken small.beancount."
    )


def _line(tmp_path, needle: str) -> int:
    from conftest import line_of

    return line_of(tmp_path / "small.beancount", needle)


def test_ledger_text_that_looks_like_a_formula_stays_text_in_xlsx(tmp_path):
    path = write_small(tmp_path, IMPORTED)
    out = tmp_path / "spår.xlsx"
    assert main(["trace", str(path), "--committee", "KS", "--year", "2024", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out)["Poster"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (
        '=HYPERLINK("https://exempel.invalid","Klicka")',
        "+46 40 34 10 00 samtal",
        "-korrigering av mars",
        "@stadskontoret: fika",
    ):
        cell = cells[text]
        assert cell.data_type == "s", text
        assert cell.value == text
        assert cell.quotePrefix is True
    # The workbook holds no formula anywhere: not in the cells, not in the XML.
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    import zipfile

    with zipfile.ZipFile(out) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())


def test_csv_keeps_ledger_text_exactly(tmp_path, capsys):
    path = write_small(tmp_path, IMPORTED)
    assert main(["trace", str(path), "--committee", "KS", "--year", "2024", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["narration"] == '=HYPERLINK("https://exempel.invalid","Klicka")'
    assert rows[0]["source"] == "utfall_2024.xlsx, blad Utfall, rad 17"


@pytest.mark.parametrize(
    ("committee", "year", "kind", "fragment"),
    [
        ("XyZ", 2023, None, "Okänd nämnd 'XyZ'"),
        ("KS", 2030, None, "Inga kostnader för KS 2030"),
        ("KS", 2023, "löner", "Okänd kostnadstyp 'löner'"),
        ("Linkoping:SON", 2023, None, "Inga kostnader för SON 2023"),
    ],
)
def test_trace_refuses_unknown_committees_types_and_empty_selections(
    frame, committee, year, kind, fragment
):
    with pytest.raises(UserError, match=fragment):
        trace_lines(frame, committee, year, kind)


def test_a_short_name_two_municipalities_share_means_the_one_with_costs(frame):
    assert resolve_committee(frame, "KS") == ("Malmo", "KS")
    assert resolve_committee(frame, "Linkoping:KS") == ("Linkoping", "KS")


def test_cost_type_accepts_codes_and_swedish_names():
    assert parse_cost_type("Lön").value == "salary"
    assert parse_cost_type("övrigt").field == "cost_type"
    assert parse_cost_type("licence").field == "kind"
    assert parse_cost_type(None) is None


LINKOPING = """\
2017-01-01 custom "committee" "KS"
  municipality: "Linkoping"
  name: "Kommunstyrelsen"
2017-01-01 open Expenses:Linkoping:KS:CTC:Lon SEK
2017-01-01 open Liabilities:Linkoping:Avrakning SEK

2024-02-25 * "Månadslön"
  Expenses:Linkoping:KS:CTC:Lon     500.00 SEK
  Liabilities:Linkoping:Avrakning  -500.00 SEK
"""


def test_committees_of_two_municipalities_are_named_with_their_municipality(tmp_path):
    from conftest import ONE_SALARY

    frame = small_frame(tmp_path, LINKOPING + "\n" + ONE_SALARY)
    with pytest.raises(UserError, match="skriv en av Malmo:KS, Linkoping:KS"):
        trace_lines(frame, "KS", 2024)
    report = trace_report(frame, "Linkoping:KS", 2024)
    assert report.summary == (
        "1 post för Linkoping:KS 2024, sammanlagt 500,00 kr.",
        "ctc report yearly visar 500,00 kr för Linkoping:KS 2024. Beloppen stämmer.",
    )
    rows = yearly_rows(frame.costs, ("committee",), 2024, 2024, frame.committee_order)
    assert {r.committee: r.amount for r in rows} == {"Malmo:KS": D(1000), "Linkoping:KS": D(500)}


def test_every_example_cost_reaches_its_source_row(frame):
    assert all(line.source is not None for line in frame.costs)
    assert source_files(2018, 2023) == [f"utfall_{year}.xlsx" for year in range(2018, 2024)]
    trace = trace_report(frame, "KS", 2023)
    first = dict(
        zip([c.key for c in trace.records.columns], trace.records.rows[0].cells, strict=True)
    )
    assert (first["source_file"], first["source_sheet"], first["source_row"]) == (
        "utfall_2023.xlsx",
        "Utfall",
        19,
    )
    assert first["source"] == "utfall_2023.xlsx, blad Utfall, rad 19"
    assert len(first["source_sha256"]) == 64
    assert trace.tables[0].rows[-1].cells[2] == D("6425606.83")
