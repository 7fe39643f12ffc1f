"""The four steps of an import, each alone: parse, book, deduplicate, write."""

from __future__ import annotations

import datetime
from decimal import Decimal

from conftest import EXAMPLE_DIR
from workbooks import ROWS, export

from ctc.importers.booking.extraction import Item
from ctc.importers.booking.utfall import cost_items
from ctc.importers.kinds.recognise import locate_file
from ctc.importers.kinds.utfall import parse_export
from ctc.importers.reading.identity import SourceFile
from ctc.importers.run import deduplicate
from ctc.importers.writing.ledger_files import Changes, remove_source, target_of
from ctc.mapping import load_mapping
from ctc.writer import render_entries

D = Decimal
MAPPING = load_mapping(EXAMPLE_DIR / "mapping.toml")


def test_parse_sorts_rows_and_numbers_identical_ones(tmp_path):
    path = export(tmp_path / "utfall.xlsx", [*ROWS, ROWS[2]], above=[["Titel"], []])
    located = locate_file(path)
    assert (located.kind.name, located.sheet, located.header.row) == ("utfall", "Utfall", 3)
    parsed = parse_export(located, MAPPING)
    assert (parsed.rows, len(parsed.programme), parsed.not_programme) == (6, 5, 1)
    assert [r.row for r in parsed.programme] == [4, 5, 6, 8, 9]
    third, repeated = parsed.programme[2], parsed.programme[4]
    assert third.row_id.split("-")[0] == repeated.row_id.split("-")[0]
    assert (third.row_id[-2:], repeated.row_id[-2:]) == ("-1", "-2")
    assert parsed.last_date == datetime.date(2021, 3, 9)


def test_booking_maps_codes_to_accounts_and_keeps_provenance(tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    located = locate_file(path)
    parsed = parse_export(located, MAPPING)
    source = SourceFile(path, "0" * 64, located.sheet)
    batch, totals, rejected = cost_items(parsed.programme, MAPPING, source, located.header)
    entries = batch.entries()
    assert rejected == []
    assert [entry.postings[0].account for entry in entries] == [
        "Expenses:Malmo:KS:CTC:Lon",
        "Expenses:Malmo:KS:CTC:PO",
        "Expenses:Malmo:AoS:CTC:Ovrigt:Program",
        "Expenses:Malmo:FrN:CTC:Ovrigt:Utbildning",
    ]
    assert entries[3].meta["area"] == "Kirseberg"
    assert totals.figures() == {
        "2021|AoS": D("18750.50"),
        "2021|FrN": D("-1200.00"),
        "2021|KS": D("53882.20"),
    }


def test_deduplicate_by_identity_alone():
    items = [Item(None, row_id, D(1)) for row_id in ("a-1", "a-2", "b-1", "a-1")]
    known = {"b-1"}
    new, duplicates = deduplicate(items, known)
    assert [i.row_id for i in new] == ["a-1", "a-2"]
    assert duplicates == 2
    assert known == {"a-1", "a-2", "b-1"}


def test_changes_append_roll_back_and_undo_by_text(tmp_path):
    path = export(tmp_path / "utfall.xlsx")
    located = locate_file(path)
    source = SourceFile(path, "f" * 64, located.sheet)
    batch, _, _ = cost_items(
        parse_export(located, MAPPING).programme, MAPPING, source, located.header
    )
    entries = batch.entries()
    assert {target_of(e) for e in entries} == {"costs/2021.beancount"}
    existing = tmp_path / "costs" / "2021.beancount"
    existing.parent.mkdir()
    existing.write_text("; Kostnader 2021.\n")
    changes = Changes(tmp_path)
    changes.append("costs/2021.beancount", entries[:2])
    changes.append("costs/2022.beancount", entries[2:])
    transaction = changes.begin()
    transaction.apply()
    written = existing.read_text(encoding="utf-8")
    assert written == "; Kostnader 2021.\n\n" + render_entries(entries[:2])
    assert (tmp_path / "costs/2022.beancount").read_text().startswith("; Bokförda kostnader 2022")
    text, removed = remove_source(written, "f" * 64)
    assert (text, removed) == ("; Kostnader 2021.\n", 2)
    transaction.rollback()
    assert existing.read_text() == "; Kostnader 2021.\n"
    assert not (tmp_path / "costs/2022.beancount").exists()


def test_group_titles_inside_the_data_are_not_data_rows(tmp_path):
    rows = [["Ansvar 110240 – Kommunstyrelsen"], *ROWS[:2], [], ["Ansvar 310310 – AoS"], *ROWS[2:]]
    parsed = parse_export(locate_file(export(tmp_path / "grupper.xlsx", rows)), MAPPING)
    assert (parsed.rows, len(parsed.programme), parsed.rejected) == (5, 4, ())
