"""Pure functions: Swedish numbers, växling rounding, position history, mapping."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from ctc.errors import UserError
from ctc.mapping import load_mapping
from ctc.numbers import csv_amount, format_number, format_sek, round_half_away
from ctc.positions import build_history, spell_on
from ctc.transfers import TransferItem, TransferPlan, applicable_amounts, transfer_transactions

D = Decimal
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (D("1234567.891"), 2, "1 234 567,89"),
        (D("-1234.5"), 0, "-1 235"),
        (D("999.5"), 0, "1 000"),
        (D("0"), 1, "0,0"),
    ],
)
def test_format_number_is_swedish(value, decimals, text):
    assert format_number(value, decimals) == text


def test_units_round_once_from_exact_kronor():
    assert format_sek(D("50019012.09"), "mnkr") == "50,0"
    assert format_sek(D("1234567.49"), "tkr") == "1 235"
    assert csv_amount(D("12")) == "12.00"


def test_round_half_away_from_zero():
    assert round_half_away(D("2.5")) == D(3)
    assert round_half_away(D("-2.5")) == D(-3)


def test_applicable_amounts_are_rounded_per_line():
    shares, residue = applicable_amounts([D(100), D(-100)], 4)
    assert shares == [D(33), D(-33)]
    assert residue == 0


def test_rounding_residue_goes_to_the_largest_line():
    # One giver, two receivers: -83.33 rounds to -83, each 41.67 to 42, so the
    # rounded lines sum to +1; the -1 goes to the largest line, the giver's.
    shares, residue = applicable_amounts([D(-1000), D(500), D(500)], 1)
    assert shares == [D(-84), D(42), D(42)]
    assert residue == D(-1)
    # 83.58 -> 84, -41.67 -> -42, -41.92 -> -42: already zero, nothing moves.
    shares, residue = applicable_amounts([D(1003), D(-500), D(-503)], 1)
    assert shares == [D(84), D(-42), D(-42)]
    assert residue == D(0)


def test_transfer_transactions_split_the_year():
    plan = TransferPlan(
        "KF-2024-09-26-p190",
        ("KF-2024-09-26-p190",),
        "Malmo",
        "CTC",
        datetime.date(2024, 9, 1),
        "test",
        (TransferItem("KS", "AoS", "salary", D(600000), "CUL-1"),),
    )
    applicable, full = transfer_transactions(plan)
    assert applicable.date == datetime.date(2024, 9, 1)
    assert full.date == datetime.date(2025, 1, 1)
    assert [p.units.number for p in applicable.postings] == [D(200000), D(-200000)]
    assert [p.units.number for p in full.postings] == [D(600000), D(-600000)]
    assert applicable.meta["months"] == 4
    assert full.meta["effective"] == datetime.date(2024, 9, 1)


HISTORY = """
2017-01-01 custom "position" "UL-1"
  municipality: "Malmo"
  committee: "AoS"
  role: "Lokal utvecklingsledare"
  fte: 1.0
  monthly_salary: 40000 SEK
2018-04-01 custom "position-change" "UL-1"
  monthly_salary: 41000 SEK
2024-09-01 custom "position-move" "UL-1"
  from_committee: "AoS"
  to_committee: "FrN"
  decision: "KF-2024-09-26-p190"
2025-12-31 custom "position-end" "UL-1"
"""


def test_position_history_has_one_spell_per_state():
    entries, _, _ = loader.load_string(HISTORY)
    history, errors = build_history(entries)
    assert errors == []
    spells = history["UL-1"]
    assert [(s.committee, s.monthly_salary, s.start, s.end) for s in spells] == [
        ("AoS", D(40000), datetime.date(2017, 1, 1), datetime.date(2018, 3, 31)),
        ("AoS", D(41000), datetime.date(2018, 4, 1), datetime.date(2024, 8, 31)),
        ("FrN", D(41000), datetime.date(2024, 9, 1), datetime.date(2025, 12, 31)),
    ]
    assert spell_on(history, "UL-1", datetime.date(2026, 1, 1)) is None


def test_example_mapping_knows_the_fixture_coding():
    mapping = load_mapping(ROOT / "ledger" / "mapping.toml")
    assert [
        mapping.committee_of(c)
        for c in (
            "110100",
            "110240",
            "310310",
            "310455",
            "520101",
            "540110",
            "610020",
            "650030",
            "650031",
        )
    ] == [
        "KS",
        "KS",
        "AoS",
        "AoS",
        "GrN",
        "FsN",
        "KuN",
        "FrN",
        "FrN",
    ]
    assert [
        mapping.kind_of(a)
        for a in ("5011", "5021", "5611", "5711", "6410", "6530", "7010", "7620", "7050")
    ] == [
        "salary",
        "salary",
        "po",
        "po",
        "training",
        "other",
        "programmes",
        "licence",
        "survey",
    ]
    assert mapping.area_of("650032") == "Hermodsdal"
    assert mapping.area_of("310310") is None
    # Income and internal items, as the fixtures' README documents the coding.
    assert [mapping.kind_of(a) for a in ("3010", "3510", "3590", "7690")] == [
        "income",
        "income",
        "internal_income",
        "internal_purchase",
    ]
    assert mapping.kind_of("2011") is None
    assert (mapping.counterparty, mapping.eliminate) == ("code", "programme")
    assert mapping.is_programme("CTC", None) and not mapping.is_programme("OMRLYFT", "410")


def test_broken_mapping_gets_a_clear_error(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(
        '[[committee]]\nshort = "KS"\nresponsibility = ["11*"]\n[[cost_type]]\nkind = "lön"\naccounts = ["5000-5599"]\n'
    )
    with pytest.raises(UserError, match="okänd kostnadstyp 'lön'"):
        load_mapping(path)
    path.write_text("[[committee]\n")
    with pytest.raises(UserError, match="går inte att läsa"):
        load_mapping(path)
