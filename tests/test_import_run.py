"""`ctc import` end to end on real files and the real example ledger."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, run_ctc, run_real_ctc
from test_import_errors import ledger_state
from workbooks import HEADER, ROWS, export, xls_export

from ctc.errors import UserError
from ctc.importers.run import run_import, run_undo
from ctc.importers.summary import as_json
from ctc.ledger import load_ledger
from ctc.lock import ledger_lock
from ctc.provenance import source_of

D = Decimal
FIXTURES = ROOT / "tests" / "fixtures" / "exports"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def imported(main: Path, name: str) -> list:
    """The ledger's entries that came from the file called `name`."""
    return [
        e
        for e in load_ledger(main).entries
        if type(e).__name__ == "Transaction" and e.meta.get("source_file") == name
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_libreoffice_exports_dry_run_to_their_expected_totals(name):
    result = run_ctc("import", "--dry-run", "--json", str(FIXTURES / name))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["written"] == []
    (file,) = summary["files"]
    expected = EXPECTED[name]
    assert file["kind"] == "utfall"
    assert file["rows"] == expected["rows"]
    assert file["programme_rows"] == expected["programme_rows"]
    assert file["programme_total"] == expected["programme_total"]
    assert file["by_year_committee"] == expected["by_year_committee"]
    assert file["not_programme"] == expected["rows"] - expected["programme_rows"]
    assert file["imported"] == expected["programme_rows"]
    assert file["total_imported"] == expected["programme_total"]
    assert file["rejected"] == []


def test_import_writes_costs_by_year_archives_and_passes_check(example_copy):
    path = FIXTURES / "raindance_utfall_2019.xlsx"
    summary = run_import([path], example_copy)
    root = example_copy.parent
    archive = root / "documents/Liabilities/Malmo/Avrakning/2019-12-31.raindance_utfall_2019.xlsx"
    assert set(summary.written) == {
        str(root / "costs/2019.beancount"),
        str(root / "sources.beancount"),
        str(archive),
    }
    assert archive.read_bytes() == path.read_bytes()
    ledger = load_ledger(example_copy)
    assert ledger.errors == []
    entries = imported(example_copy, path.name)
    assert len(entries) == 642
    assert sum(e.postings[0].units.number for e in entries) == D("23684704.95")
    first = min(entries, key=lambda e: e.meta["source_row"])
    source = source_of(first.meta)
    assert (source.file, source.sheet, source.row) == (path.name, "Utfall", 10)
    assert source.sha256 == "b91b8fba81fb3289d9baa7f4e43e5719aff5431d892ee521fd420adf92b31254"
    documents = [e for e in ledger.entries if type(e).__name__ == "Document"]
    assert [d.filename for d in documents] == [str(archive.resolve())]


def test_importing_the_same_files_twice_changes_nothing(example_copy):
    paths = sorted(FIXTURES.glob("*.xlsx"))
    first = run_import(paths, example_copy)
    assert [f.imported for f in first.files] == [642, 637]
    before = ledger_state(example_copy)
    second = run_import(paths, example_copy)
    assert [f.imported for f in second.files] == [0, 0]
    assert [f.duplicates for f in second.files] == [642, 637]
    assert [f.programme_total for f in second.files] == [D("23684704.95"), D("22434568.99")]
    assert second.written == ()
    assert ledger_state(example_copy) == before


def test_an_overlapping_export_adds_only_its_new_rows(example_copy, tmp_path):
    early = export(tmp_path / "jan_feb.xlsx", ROWS[:4])
    later_rows = [
        *ROWS[2:],
        [datetime.date(2021, 3, 25), "V6", 5011, "110240", "CTC", "Månadslön", D("41000.00")],
    ]
    title = [["Utfall mars"], []]
    later = export(tmp_path / "feb_mar.xlsx", later_rows, sheet="Rapport", above=title)
    run_import([early], example_copy)
    summary = run_import([later], example_copy)
    (file,) = summary.files
    assert (file.rows, file.programme_rows, file.imported, file.duplicates) == (4, 3, 2, 1)
    assert file.total_imported == D("39800.00")
    assert file.programme_total == D("58550.50")
    assert load_ledger(example_copy).errors == []


def test_a_ledger_named_relative_to_the_working_folder_is_written(
    example_copy, tmp_path, monkeypatch
):
    monkeypatch.chdir(example_copy.parent.parent)
    relative = Path(example_copy.parent.name) / example_copy.name
    summary = run_import([export(tmp_path / "utfall.xlsx")], relative)
    assert summary.files[0].imported == 4
    assert load_ledger(example_copy).errors == []
    assert run_undo("utfall.xlsx", relative).removed == 4


def test_identical_rows_of_one_file_are_kept_apart_by_occurrence(example_copy, tmp_path):
    twice = export(tmp_path / "två.xlsx", [ROWS[2], ROWS[2]])
    thrice = export(tmp_path / "tre.xlsx", [ROWS[2], ROWS[2], ROWS[2]])
    assert run_import([twice], example_copy).files[0].imported == 2
    summary = run_import([thrice], example_copy)
    assert (summary.files[0].imported, summary.files[0].duplicates) == (1, 2)


def test_the_same_rows_as_xls_are_recognised(example_copy, tmp_path):
    xlsx = export(tmp_path / "utfall.xlsx")
    xls = xls_export(tmp_path / "utfall.xls")
    summary = run_import([xls, xlsx], example_copy)
    assert [(f.rows, f.programme_rows, f.imported, f.duplicates) for f in summary.files] == [
        (5, 4, 4, 0),
        (5, 4, 0, 4),
    ]
    assert summary.files[0].programme_total == D("71432.70")


@pytest.mark.slow  # four writes and loads; fast variants: the undo tests below
def test_undo_removes_exactly_what_an_import_added(example_copy, tmp_path):
    original = ledger_state(example_copy)
    early = export(tmp_path / "jan_feb.xlsx", ROWS[:4])
    later = export(tmp_path / "feb_mar.xlsx", ROWS[2:])
    run_import([early], example_copy)
    after_early = ledger_state(example_copy)
    run_import([later], example_copy)
    undone = run_undo(str(later), example_copy)
    assert undone.removed == 1
    assert ledger_state(example_copy) == after_early
    undone = run_undo("jan_feb.xlsx", example_copy)
    assert undone.removed == 3
    assert ledger_state(example_copy) == original
    with pytest.raises(UserError, match="har inte lästs in"):
        run_undo(str(early), example_copy)


def test_undo_from_the_command_line(example_copy, tmp_path):
    path = export(tmp_path / "fel_fil.xlsx")
    original = ledger_state(example_copy)
    run_import([path], example_copy)
    result = run_ctc("import", "--ledger", str(example_copy), "--undo", str(path))
    assert result.returncode == 0, result.stderr
    assert "4 poster togs bort" in result.stdout
    assert ledger_state(example_copy) == original


def test_a_second_import_waits_for_the_lock(example_copy, tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    before = ledger_state(example_copy)
    with ledger_lock(example_copy):  # held by this process; the installed `ctc` is another
        result = run_real_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "En annan import skriver redan" in result.stderr
    assert ledger_state(example_copy) == before
    assert run_import([path], example_copy).files[0].imported == 4


def test_personnel_text_is_not_copied(example_copy, tmp_path):
    path = export(tmp_path / "lön.xlsx")
    run_import([path], example_copy)
    text = (example_copy.parent / "costs/2021.beancount").read_text(encoding="utf-8")
    assert "Anna" not in text
    entries = sorted(imported(example_copy, path.name), key=lambda e: e.meta["source_row"])
    assert [e.narration for e in entries] == [
        "Månadslön",
        "Arbetsgivaravgifter",
        "Programutbildare",
        "Kurs",
    ]


def test_never_seen_layouts_dry_run_to_their_totals(tmp_path):
    """Other sheet names, header words, title rows, periods, text amounts, extra columns."""
    header = ["Period", "Datum", "TransNo", "Kostnadsställe", "Konto", "Extra", "Project",
              "Beskrivning", "Utfall"]  # fmt: skip
    rows = [
        ["202112", "2021-12-20", "T1", "110100", "5011", "x", "CTC", "Lön", "30 000,00"],
        ["202113", "2022-01-15", "T2", "310455", "7010", "x", "CTC", "Bokslut", "−1 000,50"],
        ["202201", "", "T3", "650031", "6410", "x", "CTC", "Kurs", "2 500,25 kr"],
        ["Period", "Datum", "TransNo", "Kostnadsställe", "Konto", "Extra", "Project", "", "Utfall"],
        [None] * 9,
        ["202201", "20220110", "T4", "540110", "7620", "x", "ANNAT", "Licens", "700"],
        ["Totalt", None, None, None, None, None, None, None, "32 199,75"],
    ]
    other = [["Sammanfattning"], ["Se bladet Data"]]
    path = tmp_path / "huvudbok.xlsx"
    from synthetic_xlsx import write_xlsx

    write_xlsx(path, [("Info", other), ("Data", [["Huvudbok 2021"], [], header, *rows])])
    summary = run_import([path], EXAMPLE, dry_run=True)
    (file,) = summary.files
    assert (file.sheet, file.rows, file.programme_rows, file.not_programme) == ("Data", 4, 3, 1)
    assert file.by_year_committee == {
        "2021|AoS": D("-1000.50"),
        "2021|KS": D("30000.00"),
        "2022|FrN": D("2500.25"),
    }
    assert file.rejected == ()
    assert file.notes == ("1 summarad(er) stämmer med raderna ovanför.",)


def test_period_decides_the_date_and_the_date_is_kept(example_copy, tmp_path):
    header = ["Period", "Bokföringsdatum", "Konto", "Ansvar", "Projekt", "Belopp"]
    rows = [
        ["202113", "2022-01-15", 7010, "310455", "CTC", "100,00"],
        ["202103", None, 7010, "310455", "CTC", "200,00"],
        ["202104", "2021-04-07", 7010, "310455", "CTC", "300,00"],
    ]
    path = export(tmp_path / "perioder.xlsx", rows, header)
    run_import([path], example_copy)
    entries = sorted(imported(example_copy, path.name), key=lambda e: e.meta["source_row"])
    assert [(e.date, e.meta.get("period"), e.meta.get("voucher_date")) for e in entries] == [
        (datetime.date(2021, 12, 31), "202113", datetime.date(2022, 1, 15)),
        (datetime.date(2021, 3, 31), "202103", None),
        (datetime.date(2021, 4, 7), "202104", None),
    ]


def test_json_summary_shape(tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    summary = json.loads(as_json(run_import([path], EXAMPLE, dry_run=True)))
    assert summary == {
        "files": [
            {
                "file": "utfall.xlsx",
                "kind": "utfall",
                "rows": 5,
                "programme_rows": 4,
                "programme_total": "71432.70",
                "by_year_committee": {
                    "2021|AoS": "18750.50",
                    "2021|FrN": "-1200.00",
                    "2021|KS": "53882.20",
                },
                "imported": 4,
                "duplicates": 0,
                "not_programme": 1,
                "rejected": [],
                "total_imported": "71432.70",
            }
        ],
        "written": [],
    }
    assert HEADER[0] == "Ver.datum"


def test_an_xlsm_workbook_is_read_like_an_xlsx(tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    macro = path.rename(tmp_path / "utfall.xlsm")
    (file,) = run_import([macro], EXAMPLE, dry_run=True).files
    assert (file.kind, file.programme_rows, file.programme_total) == ("utfall", 4, D("71432.70"))


def test_the_beangulp_way_identify_account_date_extract_deduplicate(tmp_path):
    from beangulp import archive
    from beangulp.extract import DUPLICATE

    from ctc.importers.registry import importers_for

    importers = importers_for(EXAMPLE)
    path = str(FIXTURES / "raindance_utfall_2019.xlsx")
    matching = [i for i in importers if i.identify(path)]
    assert [i.name for i in matching] == ["utfall"]
    (importer,) = matching
    assert not importer.identify(str(FIXTURES / "expected.json"))
    assert importer.account(path) == "Liabilities:Malmo:Avrakning"
    assert importer.date(path) == datetime.date(2019, 12, 31)
    assert archive.filepath(importer, path) == (
        "Liabilities/Malmo/Avrakning/2019-12-31.raindance_utfall_2019.xlsx"
    )
    entries = importer.extract(path, [])
    assert len(entries) == 642
    example = load_ledger(EXAMPLE).entries
    second = importer.extract(str(ROOT / "importers/examples/utfall_2019.xlsx"), example)
    importer.deduplicate(second, example)
    assert second and all(e.meta.get(DUPLICATE) for e in second)


def test_a_target_file_the_ledger_does_not_include_undoes_the_import(example_copy, tmp_path):
    main_text = example_copy.read_text(encoding="utf-8")
    example_copy.write_text(main_text.replace('include "sources.beancount"\n', ""))
    (example_copy.parent / "sources.beancount").unlink()
    before = ledger_state(example_copy)
    with pytest.raises(UserError, match=r"sources.beancount ingår inte i huvudboken"):
        run_import([export(tmp_path / "utfall.xlsx")], example_copy)
    assert ledger_state(example_copy) == before


def test_undo_dry_run_counts_and_writes_nothing(example_copy, tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    run_import([path], example_copy)
    before = ledger_state(example_copy)
    preview = run_undo(path.name, example_copy, dry_run=True)
    assert (preview.removed, preview.written) == (4, ())
    assert ledger_state(example_copy) == before
