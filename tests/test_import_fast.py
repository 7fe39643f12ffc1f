"""The column-wise reading of big exports gives exactly what the row-by-row reading gives.

Big workbooks are read whole as text and screened with polars
(`ctc.importers.reading.fastread`, `ctc.importers.reading.screen`); these tests lower the size
threshold to 0 so that small, tricky workbooks take that path, and compare
every figure, row number, column letter and reason with the careful path.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from conftest import EXAMPLE, ROOT

from ctc.importers.kinds.recognise import locate_file
from ctc.importers.reading import fastread
from ctc.importers.run import run_import
from ctc.importers.summary import as_json
from ctc.mapping import load_mapping
from ctc.writer import render_entries

FIXTURES = ROOT / "tests" / "fixtures" / "exports"
MAPPING = load_mapping(EXAMPLE.parent / "mapping.toml")
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    """The dry-run summary read row by row, and read column-wise (checked to be taken).

    The entries the import would write, and their text, are compared too
    (`assert_booked_alike`).
    """
    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 1 << 40)
    assert locate_file(path).frame is None
    careful = json.loads(as_json(run_import([path], EXAMPLE, dry_run=True)))
    careful_booked = booked(path)
    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 0)
    assert locate_file(path).frame is not None
    fast = json.loads(as_json(run_import([path], EXAMPLE, dry_run=True)))
    assert booked(path) == careful_booked
    return careful, fast


def booked(path: Path) -> tuple[list, dict[int, str]]:
    """The entries importing `path` into the example gives, and their text per year.

    The text is the column-wise rendering, checked here against the printer.
    """
    from ctc.importers.registry import importer_for

    located = locate_file(path)
    extraction = importer_for(located.kind, MAPPING).read(path, [], located)
    entries = extraction.entries()
    assert extraction.batch is not None
    texts = extraction.batch.texts()
    by_year: dict[int, list] = {}
    for entry in entries:
        by_year.setdefault(entry.date.year, []).append(entry)
    assert texts == {year: render_entries(group) for year, group in by_year.items()}
    return entries, texts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_sample_exports_read_column_wise_to_their_expected_totals(name, monkeypatch):
    careful, fast = both_ways(FIXTURES / name, monkeypatch)
    assert fast == careful
    (file,) = fast["files"]
    expected = EXPECTED[name]
    assert (file["rows"], file["programme_rows"]) == (expected["rows"], expected["programme_rows"])
    assert file["programme_total"] == expected["programme_total"]
    assert file["by_year_committee"] == expected["by_year_committee"]


def tricky_export(path: Path) -> Path:
    """An export that starts at C4 under a title, with every kind of unusual row."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Huvudbok")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write(1, 2, "Huvudbok 2023, alla nämnder")
    header = ["Ver.datum", "Konto", "Ansvar", "Projekt", "Text", "Belopp"]
    sheet.write_row(3, 2, header)
    rows: list[list[object]] = [
        [datetime.datetime(2023, 1, 5), 5011, "110240", "CTC", "Lön", 41000],
        [datetime.datetime(2023, 1, 9), 7010, "310310", "ANNAT", "Annat", 0.1 + 0.2],
        [datetime.datetime(2023, 2, 1), 7010, "310310", "CTC", "Konsult", "1 234,50 kr"],
        ["2023-02-03", "6410", "650031", " CTC ", "Kurs", "-250,25"],
        [None, None, None, None, None, None],
        ["Summa", None, None, None, None, 41984.55],
        header,
        [45000, 7620, "540110", "", "Serienummer som datum", 100],
        ["2023-02-30", 7620, "540110", "ANNAT", "Ogiltigt datum", 5],
        [datetime.datetime(2023, 3, 1, 13, 45), 7620, "540110", "CTC", "Med klockslag", 12.5],
        [datetime.datetime(2023, 3, 2), 7620, "999999", "CTC", "Okänd ansvarskod", 10],
        [datetime.datetime(2023, 3, 3), 7620, "540110", "ANNAT", "Bråk av öre", 1.234],
        [datetime.datetime(2023, 3, 4), 7620, "540110", "ANNAT", "Text", "12 kronor"],
        [datetime.datetime(2023, 3, 5), 5011, "110240", "CTC", "Lön", 41000],
        ["Totalt", None, None, None, None, 1],
    ]
    for offset, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=2):
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(offset, column, value, dates)
            elif value is not None:
                sheet.write(offset, column, value)
    book.close()
    return path


def test_a_tricky_export_is_sorted_the_same_way_to_the_row_and_column(tmp_path, monkeypatch):
    careful, fast = both_ways(tricky_export(tmp_path / "huvudbok.xlsx"), monkeypatch)
    assert fast == careful
    (file,) = fast["files"]
    assert (file["rows"], file["programme_rows"], file["not_programme"]) == (11, 6, 2)
    assert file["programme_total"] == "83006.75"
    assert file["by_year_committee"] == {
        "2023|AoS": "1234.50",
        "2023|FrN": "-250.25",
        "2023|FsN": "12.50",
        "2023|KS": "82000.00",
    }
    where = [(r["row"], r["column"]) for r in file["rejected"]]
    assert where == [(13, "C"), (15, "E"), (16, "H"), (17, "H")]
    assert [r["reason"] for r in file["rejected"]] == [
        "datumet '2023-02-30' finns inte",
        "ansvarskoden 999999 hör inte till någon nämnd i mappningen (programrad)",
        "beloppet 1.234 har bråkdelar av öre",
        "oläsbart belopp '12 kronor'",
    ]


def without_dimension(source: Path, target: Path) -> Path:
    """A copy of a workbook whose sheets do not declare their dimension."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            new.writestr(item, content)
    return target


def test_a_sheet_without_its_dimension_is_read_row_by_row(tmp_path, monkeypatch):
    path = without_dimension(tricky_export(tmp_path / "a.xlsx"), tmp_path / "b.xlsx")
    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 0)
    located = locate_file(path)
    assert located.frame is None
    assert (located.sheet, located.header.row, located.header.letter("amount")) == (
        "Huvudbok",
        4,
        "H",
    )


def period_export(path: Path) -> Path:
    """An export in the shape of the example's 2018 file: periods, text dates and text amounts."""
    from synthetic_xlsx import write_xlsx

    header = ["Period", "Bokföringsdatum", "TransNo", "Konto", "Ansvar", "Projekt", "Belopp"]
    rows = [
        ["201801", "2018-01-25", "T1", "5011", "110100", "CTC", "22 300,00"],
        ["201801", "2018-01-26", "T2", "5011", "110100", "ANNAT", "1 000,50"],
        ["201802", None, "T3", "7010", "310310", "ANNAT", "−2 000,05"],
        ["201813", "2019-01-15", "T4", "7010", "310310", "ANNAT", "300,5"],
        ["201803", "2018-04-02", "T5", "7010", "310310", "ANNAT", "400"],
        ["201803", "20180305", "T6", "7010", "310310", "ANNAT", "(100,00)"],
        [201804.0, "2018-04-30", "T7", 7010.0, "310310", "ANNAT", 99.99],
        ["201805", "2018-05-02", "T8", "7010", "310455", "CTC", "2 500,25 kr"],
        ["Summa", None, None, None, None, None, "24 501,19"],
    ]
    write_xlsx(path, [("Blad1", [header, *rows])])
    return path


def test_periods_and_swedish_text_amounts_are_screened_exactly(tmp_path, monkeypatch):
    from ctc.importers.reading.screen import screen
    from ctc.importers.run import mapping_for
    from ctc.ledger import load_ledger

    path = period_export(tmp_path / "perioder.xlsx")
    careful, fast = both_ways(path, monkeypatch)
    assert fast == careful
    (file,) = fast["files"]
    assert (file["rows"], file["programme_rows"], file["not_programme"]) == (8, 2, 6)
    assert file["rejected"] == []
    (summary,) = run_import([path], EXAMPLE, dry_run=True).files
    assert summary.notes == ("1 summarad(er) stämmer med raderna ovanför.",)
    located = locate_file(path)
    mapping = mapping_for(load_ledger(EXAMPLE), None)
    screened = screen(located.frame, located.header.fields, mapping, 7)
    # T2 (date in its period), T3 (no date), T7 (number cells): read column-wise.
    assert screened.plain_rows == 3
    assert screened.plain_last_date == datetime.date(2018, 4, 30)


def test_error_cells_are_named_the_same_way_column_wise(tmp_path, monkeypatch):
    from test_import_hostile import xlsxwriter_export

    def broken(book, sheet) -> None:  # type: ignore[no-untyped-def]
        sheet.write_formula(3, 6, "=1/0", None, "#DIV/0!")
        sheet.write_formula(2, 0, "=#REF!", None, "#REF!")

    careful, fast = both_ways(xlsxwriter_export(tmp_path / "fel.xlsx", broken), monkeypatch)
    assert fast == careful
    (file,) = fast["files"]
    assert [(r["row"], r["column"], r["reason"]) for r in file["rejected"]] == [
        (3, "A", "cellen visar Excels felvärde #REF! (formeln går inte att räkna ut)"),
        (4, "G", "cellen visar Excels felvärde #DIV/0! (formeln går inte att räkna ut)"),
    ]


def programme_export(path: Path) -> Path:
    """Programme rows of every shape the column-wise reading must read as the sorter does.

    Codes with spaces and control characters around them, text with runs of
    every kind of whitespace, quotes and backslashes, Swedish text amounts
    with a minus sign or a negative zero, numbers written with spaces or an
    exponent, periods with and without a date (also one outside its period,
    and the closing period 13), a year 0, duplicated rows, and rows the
    mapping cannot place.
    """
    from synthetic_xlsx import write_xlsx

    header = [
        "Period",
        "Datum",
        "Ver.nr",
        "Konto",
        "Ansvar",
        "Projekt",
        "Motpart",
        "Text",
        "Belopp",
    ]
    ctc = "CTC"
    rows: list[list[object]] = [
        ["202301", "2023-01-05", "V1", " 5011 ", "110240\x1c", ctc, "", "Lön  januari", 41000],
        ["202301", "2023-01-05", "V1", " 5011 ", "110240\x1c", ctc, "", "Lön  januari", 41000],
        ["202302", None, "V2", "7010", "310310", " CTC\u3000", "I", 'Citat "x" \\ y', "1 234,50"],
        ["202302", "2023-03-01", "V3", "7010", "310310", ctc, "E", "Utanför perioden", "−250,25"],
        ["202313", "2023-12-31", "V4", "6410", "650031", ctc, "", "Bokslut", "-0,00"],
        ["202303", "2023-03-02", "V5", "6410", "650031", ctc, "", "\x1cKurs\x1f\xa0", "0,00"],
        ["202303", "2023-03-03", "V6", "6410", "650031", ctc, "", "Mellanslag i tal", "1 234.5"],
        ["202303", "2023-03-04", "V7", "6410", "650031", ctc, "", "Stort tal", 1e15],
        ["202304", "0000-01-01", "V8", "6410", "650031", ctc, "", "År noll", 5],
        ["202304", "2023-04-05", "V9", "7620", "540110", ctc, "", "Tab\ti text", 0.1 + 0.2],
        ["202304", "2023-04-06", "V10", "9999", "540110", ctc, "", "Okänt konto", 7],
        ["202304", "2023-04-07", "V11", "7620", "999999", ctc, "", "Okänd ansvarskod", 8],
        ["202304", "2023-04-08", "V12", "7620", "540110", "ANNAT", "", "Annat projekt", 9],
        ["202305", "2023-05-02", "V13", "5611", "110240", ctc, "", "", "-12 000"],
    ]
    write_xlsx(path, [("Huvudbok", [header, *rows])])
    return path


def test_programme_rows_are_read_column_wise_exactly_as_row_by_row(tmp_path, monkeypatch):
    careful, fast = both_ways(programme_export(tmp_path / "program.xlsx"), monkeypatch)
    assert fast == careful
    (file,) = fast["files"]
    assert (file["rows"], file["programme_rows"], file["not_programme"]) == (14, 12, 1)
    assert file["programme_total"] == "1000000000072234.05"
    assert [(r["row"], r["column"]) for r in file["rejected"]] == [(10, "B"), (12, "D"), (13, "E")]
    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 0)
    entries, _ = booked(tmp_path / "program.xlsx")
    first, second = (str(e.meta["row_id"]) for e in entries[:2])
    assert first[:-2] == second[:-2] and (first[-2:], second[-2:]) == ("-1", "-2")


def test_the_column_wise_rows_are_most_of_them(tmp_path, monkeypatch):
    """The rows `programme_export` reads column-wise (not all go to the sorter)."""
    from ctc.importers.reading.screen import screen

    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 0)
    located = locate_file(programme_export(tmp_path / "program.xlsx"))
    screened = screen(located.frame, located.header.fields, MAPPING, 9)
    ours = screened.programme.collect()["__index"].to_list()
    assert [index + 2 for index in ours] == [2, 3, 4, 7, 11, 12, 13, 15]


def test_row_identities_column_wise_are_the_fingerprints_row_by_row():
    import polars as pl

    from ctc.importers.reading.identity import Occurrences, fingerprint, row_ids

    rows = [("a", "b\u00e5"), ("", ""), ("a", "b\u00e5"), ("\x1f", "ü\n"), ("a", "b\u00e5")]
    frame = pl.DataFrame(rows, schema=["x", "y"], orient="row")
    occurrences = Occurrences()
    expected = [occurrences.row_id(fingerprint(row)) for row in rows]
    assert row_ids(frame, [pl.col("x"), pl.col("y")]).to_list() == expected
    assert expected[2].endswith("-2") and expected[4].endswith("-3")


def test_whitespace_is_what_python_takes_for_whitespace():
    import polars as pl

    from ctc.importers.reading.screen import PYTHON_SPACE, python_strip, python_words

    every = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert every == PYTHON_SPACE
    values = [f"{c}a{c}{c}b{c}" for c in every]
    frame = pl.DataFrame({"v": values}).select(
        python_strip(pl.col("v")), python_words(pl.col("v")).alias("w")
    )
    assert frame["v"].to_list() == [v.strip() for v in values]
    assert frame["w"].to_list() == [" ".join(v.split()) for v in values]


def ledger_files(folder: Path) -> dict[str, bytes]:
    """Every file of a ledger folder (its archived sources too), by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".ctc-") and "picklecache" not in path.name
    }


def test_a_real_import_writes_the_same_files_byte_for_byte_either_way(tmp_path, monkeypatch):
    """Importing an export read row by row and read column-wise writes identical books.

    The export has new programme rows and rows of other activities; importing
    it again finds every programme row a duplicate of what the ledger holds.
    """
    from bench_inputs import write_export

    export = tmp_path / "utfall_2025.xlsx"
    write_export(export, 400, seed=3, share=0.3, year=2025)
    results = []
    for name, threshold in (("careful", 1 << 40), ("fast", 0)):
        monkeypatch.setattr(fastread, "FAST_READ_BYTES", threshold)
        assert (locate_file(export).frame is None) == (name == "careful")
        folder = tmp_path / name
        shutil.copytree(
            EXAMPLE.parent, folder, ignore=shutil.ignore_patterns("*.picklecache", ".ctc-*")
        )
        before = ledger_files(folder)
        first = json.loads(as_json(run_import([export], folder / "main.beancount")))
        again = json.loads(as_json(run_import([export], folder / "main.beancount", dry_run=True)))
        changed = {
            relative: content
            for relative, content in ledger_files(folder).items()
            if before.get(relative) != content
        }
        results.append((changed, first["files"], again["files"]))
    careful, fast = results
    assert fast == careful
    changed, (file,), (repeated,) = careful
    assert file["imported"] == file["programme_rows"] > 100 and not file["rejected"]
    assert "costs/2025.beancount" in changed
    assert repeated["imported"] == 0 and repeated["duplicates"] == file["programme_rows"]
