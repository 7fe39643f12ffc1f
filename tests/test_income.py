"""Income and internal items: imported, reported per committee, eliminated city-wide.

The check of issue 15: an export with a programme's external costs, external
income, an internal purchase with its matching internal sale, and an internal
purchase from a programme unit with no sale on the programme, imported into a
copy of the example. Every programme row is imported, and the sum of the
yearly CSV moves by exactly external cost minus external income, whatever the
grouping.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, run_ctc
from workbooks import export

from ctc.errors import UserError
from ctc.ledger import load_ledger
from ctc.mapping import load_mapping
from ctc.reports.budget import budget_rows

D = Decimal
DAY = datetime.date(2024, 5, 14)
HEADER = ["Ver.datum", "Ver.nr", "Konto", "Ansvar", "Projekt", "Motpart", "Text", "Belopp"]

EXTERNAL_COST = [
    [DAY, "H1", 6410, "310310", "CTC", "E", "Kurs för områdesteamen", D("12500.00")],
    [DAY, "H2", 7010, "650031", "CTC", None, "Programutbildare", D("8000.50")],
]
EXTERNAL_INCOME = [
    [DAY, "H3", 3510, "110240", "CTC", "E", "Utbildning såld till en region", D("-20000.00")],
    [DAY, "H4", 3010, "310310", "CTC", None, "Bidrag", D("-15000.25")],
]
INTERNAL_PAIR = [
    [DAY, "H5", 7690, "520101", "CTC", "110240", "Köpt utbildning av KS", D("4000.00")],
    [DAY, "H6", 3590, "110240", "CTC", "520101", "Såld utbildning till GrN", D("-4000.00")],
]
FROM_A_PROGRAMME_UNIT = [
    [DAY, "H7", 7690, "540110", "CTC", "650030", "Köpt av FrN, såld utanför CTC", D("2500.00")],
]
OTHER_WORK = [[DAY, "H8", 7010, "310310", "ANNAT", None, "Annat projekt", D("999.00")]]
ROWS = [*EXTERNAL_COST, *EXTERNAL_INCOME, *INTERNAL_PAIR, *FROM_A_PROGRAMME_UNIT, *OTHER_WORK]
PROGRAMME_ROWS = 7
MOVE = D("12500.00") + D("8000.50") - D("20000.00") - D("15000.25")
"""External cost minus external income: what the city's net cost moves by."""


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ledger"
    shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("documents"))
    return target / "main.beancount"


def yearly_sum(ledger: Path, *by: str) -> Decimal:
    args = ["report", "yearly", str(ledger), "--format", "csv", *(["--by", *by] if by else [])]
    result = run_ctc(*args)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:3] == ["year", "committee", "cost_type"]
    assert list(rows[0])[-1] == "amount_sek"
    return sum((D(row["amount_sek"]) for row in rows), D(0))


GROUPINGS = [(), ("committee,type",), ("type",), ("area",), ("position",), ("committee,area",)]


def import_held_out(ledger: Path, tmp_path: Path, rows=ROWS) -> dict:
    path = export(tmp_path / "utfall_motpart.xlsx", rows, HEADER)
    result = run_ctc("import", str(path), "--ledger", str(ledger), "--json")
    assert result.returncode == 0, result.stderr
    (summary,) = json.loads(result.stdout)["files"]
    return summary


def test_every_programme_row_is_imported_and_the_city_total_moves_by_cost_minus_income(
    copy, tmp_path
):
    before = {by: yearly_sum(copy, *by) for by in GROUPINGS}
    assert len(set(before.values())) == 1
    summary = import_held_out(copy, tmp_path)
    assert summary["programme_rows"] == summary["imported"] == PROGRAMME_ROWS
    assert summary["not_programme"] == 1 and summary["rejected"] == []
    after = {by: yearly_sum(copy, *by) for by in GROUPINGS}
    for by in GROUPINGS:
        assert after[by] - before[by] == MOVE, by


def test_each_committee_keeps_its_own_internal_items_and_the_eliminations_are_rows(copy, tmp_path):
    import_held_out(copy, tmp_path)
    result = run_ctc(
        "report", "yearly", str(copy), "--from", "2024", "--to", "2024",
        "--by", "committee,type", "--format", "csv",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    internal = [(r["committee"], r["amount_sek"]) for r in rows if r["cost_type"] == "internal"]
    # The pair (GrN bought, KS sold) cancels; FsN's purchase from FrN's unit is eliminated alone.
    assert internal == [("KS", "4000.00"), ("GrN", "-4000.00"), ("FsN", "-2500.00")]
    income = {r["committee"]: D(r["amount_sek"]) for r in rows if r["cost_type"] == "income"}
    assert income == {"KS": D("-24000.00"), "AoS": D("-15000.25")}
    frame = load_ledger(copy).frame.within(2024, 2024)
    budget = {r.committee: r for r in budget_rows(frame, 2024)}
    assert (budget["KS"].internal_income, budget["GrN"].internal_cost) == (D(4000), D(4000))
    assert budget["FsN"].internal_cost == D("2500.00")
    assert budget["KS"].income == D("24000.00") and budget["AoS"].income == D("15000.25")


def test_the_rule_is_the_mappings_flags_place_no_counterparty(copy, tmp_path):
    mapping = copy.parent / "mapping.toml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace('counterparty = "code"', 'counterparty = "flag"'), "utf-8")
    before = yearly_sum(copy)
    import_held_out(copy, tmp_path)
    # No counterparty can be placed: nothing is eliminated, the internal items count.
    assert yearly_sum(copy) - before == MOVE + D("2500.00")
    mapping.write_text(text.replace('eliminate = "programme"', 'eliminate = "all"'), "utf-8")
    assert yearly_sum(copy) - before == MOVE


def test_an_internal_purchase_from_outside_the_programme_is_a_cost_to_the_city(copy, tmp_path):
    before = yearly_sum(copy)
    outside = [[DAY, "H9", 7690, "610020", "CTC", "810000", "Lokalhyra, servicenämnden", D("900")]]
    import_held_out(copy, tmp_path, outside)
    assert yearly_sum(copy) - before == D(900)


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[internal]\ncounterparty = "kod"\n', "counterparty ska vara code eller flag"),
        ('[internal]\neliminate = "vissa"\n', "eliminate ska vara programme eller all eller none"),
        ('[[income_type]]\nkind = "extern"\naccounts = ["3000"]\n', "okänd intäktstyp 'extern'"),
    ],
)
def test_a_broken_income_or_internal_setting_is_one_clear_error(tmp_path, toml, fragment):
    path = tmp_path / "mapping.toml"
    base = '[[committee]]\nshort = "KS"\nresponsibility = ["11*"]\n'
    path.write_text(base + '[[cost_type]]\nkind = "other"\naccounts = ["4000-8999"]\n' + toml)
    with pytest.raises(UserError, match=fragment):
        load_mapping(path)
