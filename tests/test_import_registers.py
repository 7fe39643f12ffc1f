"""Positions roster, transfer decisions and kommunbidrag sheets into the ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, append
from synthetic_xlsx import write_xlsx
from test_import_errors import assert_refused, ledger_state

from ctc.errors import UserError
from ctc.importers.run import run_import
from ctc.importers.writing.ledger_files import header_of
from ctc.ledger import load_ledger
from ctc.numbers import round_half_away
from ctc.positions import build_history, spell_on
from ctc.transfers import read_transfers

D = Decimal
EXAMPLES = ROOT / "importers" / "examples"
ROSTER_HEADER = ["Tjänst", "Roll", "Nämnd", "Område", "Ansvar", "Tjänstgöringsgrad",
                 "Månadslön", "Från", "Till", "Beslut"]  # fmt: skip
OPEN = ["PROG-1", "Programsamordnare", "FrN", "Kirseberg", "650031", "50 %", "41 000",
        datetime.date(2025, 3, 1), None, "KF-2024-11-21-p325"]  # fmt: skip
MOVE = ["PROG-1", "Programsamordnare", "Arbetsmarknads- och socialnämnden", "Kirseberg",
        "310310", 0.5, 41000, datetime.date(2025, 7, 1), datetime.date(2025, 12, 31), None]  # fmt: skip


def roster(path: Path, *rows: list) -> Path:
    write_xlsx(path, [("HR", [ROSTER_HEADER, *rows])])
    return path


def test_a_move_without_a_decision_is_refused(example_copy, tmp_path):
    path = roster(tmp_path / "tjanster.xlsx", OPEN, MOVE)
    assert_refused(example_copy, path, "flytten av PROG-1 från FrN till AoS saknar beslut")


UNFUNDED_MOVE_DECISION = """
2025-06-10 custom "decision" "KS-2025-06-10-p150"
  body: "KS"
  municipality: "Malmo"
  paragraph: 150
  title: "Programsamordnaren flyttas till AoS"
  transfer_exception: "AoS betalar tjänsten inom sin ram"
"""


def test_a_roster_becomes_position_entries(example_copy, tmp_path):
    append(example_copy.parent / "decisions.beancount", UNFUNDED_MOVE_DECISION)
    path = roster(tmp_path / "tjanster.xlsx", OPEN, MOVE)
    summary = run_import([path], example_copy, decision="KS-2025-06-10-p150")
    assert summary.files[0].imported == 2
    ledger = load_ledger(example_copy)
    assert ledger.errors == []
    history, _ = build_history(ledger.entries)
    spells = [
        (s.committee, s.unit, s.fte, s.monthly_salary, s.start, s.end) for s in history["PROG-1"]
    ]
    assert spells == [
        (
            "FrN",
            "650031",
            D("0.5"),
            D("41000.00"),
            datetime.date(2025, 3, 1),
            datetime.date(2025, 6, 30),
        ),
        (
            "AoS",
            "310310",
            D("0.5"),
            D("41000.00"),
            datetime.date(2025, 7, 1),
            datetime.date(2025, 12, 31),
        ),
    ]
    assert history["PROG-1"][1].decision == "KS-2025-06-10-p150"
    assert run_import([path], example_copy).files[0].imported == 0


def test_a_move_whose_decision_moves_no_money_is_refused(example_copy, tmp_path):
    path = roster(tmp_path / "tjanster.xlsx", OPEN, MOVE)
    before = ledger_state(example_copy)
    with pytest.raises(
        UserError,
        match=r"PROG-1 flyttas från FrN till AoS enligt KF-2024-09-26-p190, men beslutet växlar inga pengar.*move-with-money",
    ):
        run_import([path], example_copy, decision="KF-2024-09-26-p190")
    assert ledger_state(example_copy) == before


def test_the_example_roster_is_already_in_the_example(example_copy):
    summary = run_import([EXAMPLES / "tjanster.xlsx"], example_copy, dry_run=True)
    (file,) = summary.files
    assert (file.rows, file.imported, file.duplicates, file.rejected) == (111, 0, 111, ())


def without_transfers(main: Path) -> Path:
    """The example without its växlingar and without the 2024 moves their money goes with."""
    (main.parent / "transfers.beancount").write_text(header_of("transfers.beancount"))
    positions = main.parent / "positions.beancount"
    blocks = positions.read_text(encoding="utf-8").split("\n\n")
    kept = [block for block in blocks if 'custom "position-move"' not in block]
    positions.write_text("\n\n".join(kept), encoding="utf-8")
    return main


def moves_roster(path: Path, *positions: str) -> Path:
    """The example roster's rows for the 2024 moves (of `positions`, or all of them)."""
    import build_example
    import example_world

    rows = [
        row
        for row in build_example.roster_rows()[1:]
        if row[7] == example_world.REORG_DATE and row[9] == example_world.KF_2024.id
    ]
    rows = [row for row in rows if not positions or row[0] in positions]
    write_xlsx(path, [("Tjänster", [list(build_example.ROSTER_HEADER), *rows])])
    return path


def test_the_2024_vaxling_is_four_twelfths_of_its_full_year_effect(example_copy, tmp_path):
    main = without_transfers(example_copy)
    moves = moves_roster(tmp_path / "flyttar.xlsx")
    summary = run_import([moves, EXAMPLES / "vaxling_2024.xlsx"], main)
    moved, file = summary.files
    assert moved.imported == 11
    assert file.kind == "vaxling" and file.imported == 16
    assert load_ledger(main).errors == []
    applicable, full = read_transfers(load_ledger(main).entries)
    assert (applicable.decision, applicable.months, full.months) == ("KF-2024-09-26-p190", 4, 12)
    for part, whole in zip(applicable.lines, full.lines, strict=True):
        assert part.amount == round_half_away(whole.amount * 4 / 12)
    assert sum(line.amount for line in applicable.lines) == 0
    assert sum(line.amount for line in full.lines) == 0
    by_committee = {}
    for line in applicable.lines:
        by_committee[line.committee] = by_committee.get(line.committee, D(0)) + line.amount
    # The example's figures (PO at the ledger's 2024 rate, 46 %).
    assert by_committee == {
        "KS": D("-2070812"),
        "AoS": D("1766756"),
        "FrN": D("1206880"),
        "GrN": D("-300552"),
        "FsN": D("-302888"),
        "KuN": D("-299384"),
    }
    assert file.by_year_committee["2024|AoS"] == D("1766756")
    assert sum(file.by_year_committee.values()) == 0


def test_salary_and_po_of_a_listed_position_come_from_the_ledger(example_copy, tmp_path):
    main = without_transfers(example_copy)
    sheet = [
        ["Beslut", "KF-2024-09-26-p190"],
        ["Ikraftträdande", "2024-09-01"],
        [],
        ["Tjänst", "Från nämnd", "Till nämnd", "Lön", "PO", "Övrigt"],
        ["CUL-1", "KS", "AoS", None, None, None],
        [None, "KS", "AoS", None, None, "12 000"],
    ]
    path = tmp_path / "beslut.xlsx"
    write_xlsx(path, [("Växling", sheet)])
    run_import([moves_roster(tmp_path / "flytt.xlsx", "CUL-1"), path], main)
    history, _ = build_history(load_ledger(main).entries)
    spell = spell_on(history, "CUL-1", datetime.date(2024, 9, 1))
    salary = round_half_away(spell.monthly_salary * spell.fte * 12)
    po = round_half_away(salary * D("0.46"))  # the ledger's PO rate for 2024
    _, full = read_transfers(load_ledger(main).entries)
    assert [(line.committee, line.cost_type, line.amount) for line in full.lines] == [
        ("KS", "salary", -salary),
        ("AoS", "salary", salary),
        ("KS", "po", -po),
        ("AoS", "po", po),
        ("KS", "other", D("-12000")),
        ("AoS", "other", D("12000")),
    ]
    assert [p.meta["source_row"] for p in full.entry.postings] == [5, 5, 5, 5, 6, 6]


def test_a_changed_decision_sheet_is_refused_until_the_old_one_is_undone(example_copy, tmp_path):
    sheet = [
        ["Beslut", "KF-2024-09-26-p190"],
        ["Ikraftträdande", datetime.date(2024, 9, 1)],
        [],
        ["Tjänst", "Från nämnd", "Till nämnd", "Övrigt"],
        [None, "KS", "AoS", 1000],
    ]
    path = tmp_path / "ny_version.xlsx"
    write_xlsx(path, [("Växling", sheet)])
    assert_refused(example_copy, path, "redan en annan växling enligt KF-2024-09-26-p190")


def test_a_decision_that_is_not_in_the_register_is_refused(example_copy, tmp_path):
    sheet = [
        ["Beslut", "KS-2030-01-01-p1"],
        ["Ikraftträdande", "2030-02-01"],
        ["Tjänst", "Från nämnd", "Till nämnd", "Övrigt"],
        [None, "KS", "AoS", 1000],
    ]
    path = tmp_path / "okänt.xlsx"
    write_xlsx(path, [("Växling", sheet)])
    assert_refused(example_copy, path, "beslutet KS-2030-01-01-p1 finns inte i beslutsregistret")


KB_HEADER = ["År", "Nämnd", "Kommunbidrag", "Beslut"]


def test_kommunbidrag_rows_become_allocations(example_copy, tmp_path):
    path = tmp_path / "kb.xlsx"
    rows = [[2026, "KS", "1 200 000", None], [2026, "Fritidsnämnden", 950000, None]]
    write_xlsx(path, [("KB", [KB_HEADER, *rows])])
    summary = run_import([path], example_copy)
    (file,) = summary.files
    assert file.by_year_committee == {"2026|FrN": D("950000.00"), "2026|KS": D("1200000.00")}
    assert file.total_imported == D("2150000.00")
    ledger = load_ledger(example_copy)
    assert ledger.errors == []
    allocations = [
        e for e in ledger.entries
        if type(e).__name__ == "Transaction" and "kommunbidrag" in e.tags and e.date.year == 2026
    ]  # fmt: skip
    assert [(e.narration, e.postings[0].units.number) for e in allocations] == [
        ("Kommunbidrag 2026 för CTC: Kommunstyrelsen (stadskontoret)", D("-1200000.00")),
        ("Kommunbidrag 2026 för CTC: Fritidsnämnden", D("-950000.00")),
    ]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ([2024, "KS", 1000, None], "KS har redan kommunbidrag för CTC 2024"),
        ([2026, "SBN", 1000, None], "nämnden 'SBN' finns inte"),
        ([26, "KS", 1000, None], "året '26' ska vara fyra siffror"),
    ],
)
def test_bad_kommunbidrag_rows_are_refused(example_copy, tmp_path, row, fragment):
    path = tmp_path / "kb.xlsx"
    write_xlsx(path, [("KB", [KB_HEADER, row])])
    before = ledger_state(example_copy)
    assert_refused(example_copy, path, fragment)
    assert ledger_state(example_copy) == before


def test_a_decision_sheet_without_its_effective_date_is_refused(example_copy, tmp_path):
    sheet = [
        ["Beslut", "KF-2024-09-26-p190"],
        ["Ikraftträdande", "snart"],
        ["Tjänst", "Från nämnd", "Till nämnd", "Övrigt"],
        [None, "KS", "AoS", 1000],
    ]
    path = tmp_path / "utan_datum.xlsx"
    write_xlsx(path, [("Växling", sheet)])
    assert_refused(example_copy, path, "Ikraftträdande: oläsbart datum 'snart'", "rad 2")
