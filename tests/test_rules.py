"""Each domain rule, broken in a small ledger, reported at the right line."""

from __future__ import annotations

from pathlib import Path

from conftest import errors_of, line_of, write_small

VAXLING_OK = """
2024-09-01 * "Växling" #vaxling ^KF-2024-09-26-p190
  period: "applicable-months"
  Income:Malmo:KS:CTC:Kommunbidrag   1000 SEK
    cost_type: "salary"
  Income:Malmo:AoS:CTC:Kommunbidrag -1000 SEK
    cost_type: "salary"

2025-01-01 * "Växling, helårseffekt" #vaxling ^KF-2024-09-26-p190
  period: "full-year"
  effective: 2024-09-01
  Income:Malmo:KS:CTC:Kommunbidrag   3000 SEK
    cost_type: "salary"
  Income:Malmo:AoS:CTC:Kommunbidrag -3000 SEK
    cost_type: "salary"
"""

POSITION = """
2024-01-01 custom "position" "UL-KIR"
  municipality: "Malmo"
  committee: "FrN"
  role: "Lokal utvecklingsledare"
  area: "Kirseberg"
  fte: 1.0
  monthly_salary: 40000 SEK
"""

SALARY_2024 = """
2024-01-25 * "Månadslön"
  Expenses:Malmo:FrN:CTC:Lon   40000.00 SEK
  Liabilities:Malmo:Avrakning
"""


def messages_at(path: Path, line: int) -> list[str]:
    return [message for number, message in errors_of(path) if number == line]


def test_small_ledger_with_valid_entries_is_clean(tmp_path):
    path = write_small(tmp_path, VAXLING_OK + POSITION + SALARY_2024)
    assert errors_of(path) == []


def test_unbalanced_vaxling_is_reported_at_its_line(tmp_path):
    body = VAXLING_OK.replace("-1000 SEK", "-900 SEK")
    path = write_small(tmp_path, body)
    line = line_of(path, '* "Växling"')
    messages = messages_at(path, line)
    assert any("[regel transfer-nets-to-zero]" in m and "100,00 SEK" in m for m in messages)


def test_vaxling_posting_outside_kommunbidrag_is_reported(tmp_path):
    body = VAXLING_OK.replace("Income:Malmo:AoS:CTC:Kommunbidrag", "Equity:Malmo:KF:Kommunbidrag")
    path = write_small(tmp_path, body)
    line = line_of(path, "Equity:Malmo:KF:Kommunbidrag -1000")
    assert any("bokar på Equity:Malmo:KF:Kommunbidrag" in m for m in messages_at(path, line))


def test_vaxling_without_cost_type_is_reported(tmp_path):
    body = VAXLING_OK.replace(
        '    cost_type: "salary"\n  Income:Malmo:AoS', "  Income:Malmo:AoS", 1
    )
    path = write_small(tmp_path, body)
    line = line_of(path, "Income:Malmo:KS:CTC:Kommunbidrag   1000")
    assert any("cost_type" in m and "transfer-nets-to-zero" in m for m in messages_at(path, line))


def test_kommunbidrag_moved_without_tag_is_reported(tmp_path):
    path = write_small(tmp_path, VAXLING_OK.replace(" #vaxling", ""))
    line = line_of(path, '* "Växling"')
    assert any("#vaxling" in m for m in messages_at(path, line))


def test_full_year_entry_must_be_dated_first_of_january_after(tmp_path):
    body = VAXLING_OK.replace(
        'period: "applicable-months"', 'period: "full-year"\n  effective: 2024-09-01'
    )
    path = write_small(tmp_path, body)
    line = line_of(path, '* "Växling"')
    assert any("Helårseffekten" in m for m in messages_at(path, line))


def test_vaxling_citing_unknown_decision_is_reported(tmp_path):
    path = write_small(tmp_path, VAXLING_OK.replace("^KF-2024-09-26-p190", "^KF-2024-09-27-p191"))
    line = line_of(path, '* "Växling"')
    assert any(
        "KF-2024-09-27-p191 finns inte" in m and "[regel decision-cited]" in m
        for m in messages_at(path, line)
    )


def test_vaxling_without_decision_is_reported(tmp_path):
    path = write_small(tmp_path, VAXLING_OK.replace(" ^KF-2024-09-26-p190", ""))
    line = line_of(path, '* "Växling"')
    assert any("hänvisar inte till något beslut" in m for m in messages_at(path, line))


def test_move_without_decision_is_reported(tmp_path):
    move = """
2024-09-01 custom "position-move" "UL-KIR"
  from_committee: "FrN"
  to_committee: "AoS"
"""
    path = write_small(tmp_path, POSITION + move + SALARY_2024)
    line = line_of(path, 'custom "position-move"')
    assert any("[regel decision-cited]" in m for m in messages_at(path, line))


def test_move_citing_unknown_decision_is_reported(tmp_path):
    move = """
2024-09-01 custom "position-move" "UL-KIR"
  from_committee: "FrN"
  to_committee: "AoS"
  decision: "KS-2024-06-05"
"""
    path = write_small(tmp_path, POSITION + move + SALARY_2024)
    line = line_of(path, 'custom "position-move"')
    assert any("KS-2024-06-05 finns inte" in m for m in messages_at(path, line))


def test_decision_id_must_match_body_date_and_paragraph(tmp_path):
    bad = """
2024-06-05 custom "decision" "KS-2024-06-05-p12"
  body: "KS"
  municipality: "Malmo"
  paragraph: 13
  title: "Fel paragraf i id"
"""
    path = write_small(tmp_path, bad)
    line = line_of(path, '"KS-2024-06-05-p12"')
    assert any(
        "KS-2024-06-05-p13" in m and "[regel decision-register]" in m
        for m in messages_at(path, line)
    )


def test_position_funded_by_two_committees_is_reported(tmp_path):
    second = POSITION.replace("2024-01-01", "2024-03-01").replace('"FrN"', '"AoS"')
    path = write_small(tmp_path, POSITION + second + SALARY_2024)
    line = line_of(path, '2024-03-01 custom "position"')
    messages = messages_at(path, line)
    assert any("redan av FrN" in m and "[regel position-one-committee]" in m for m in messages)


def test_move_from_committee_that_does_not_fund_is_reported(tmp_path):
    move = """
2024-09-01 custom "position-move" "UL-KIR"
  from_committee: "AoS"
  to_committee: "KS"
  decision: "KF-2024-09-26-p190"
"""
    path = write_small(tmp_path, POSITION + move + SALARY_2024)
    line = line_of(path, 'custom "position-move"')
    assert any(
        "finansieras av FrN" in m and "position-one-committee" in m for m in messages_at(path, line)
    )


def test_fte_above_one_is_reported(tmp_path):
    path = write_small(tmp_path, POSITION.replace("fte: 1.0", "fte: 1.25") + SALARY_2024)
    line = line_of(path, 'custom "position"')
    assert any("högst 1" in m and "[regel position-fte]" in m for m in messages_at(path, line))


def test_fte_zero_is_reported(tmp_path):
    path = write_small(tmp_path, POSITION.replace("fte: 1.0", "fte: 0") + SALARY_2024)
    line = line_of(path, 'custom "position"')
    assert any("[regel position-fte]" in m for m in messages_at(path, line))


def test_missing_po_rate_for_a_costed_year_is_reported(tmp_path):
    salary_2025 = SALARY_2024.replace("2024-01-25", "2025-01-25")
    path = write_small(tmp_path, POSITION + SALARY_2024 + salary_2025)
    line = line_of(path, 'custom "position"')
    messages = messages_at(path, line)
    assert any("PO-sats saknas för 2025" in m and "[regel po-rate-exists]" in m for m in messages)


def test_no_po_rate_needed_for_years_without_costs(tmp_path):
    later = VAXLING_OK.replace("2025-01-01", "2026-01-01").replace("2024-09-01", "2025-09-01")
    path = write_small(tmp_path, POSITION + SALARY_2024 + later)
    assert errors_of(path) == []


def test_two_po_rates_for_one_year_are_reported(tmp_path):
    path = write_small(tmp_path, '2024-01-01 custom "po-rate" 44.00\n')
    line = line_of(path, 'po-rate" 44.00')
    assert any("redan en PO-sats för 2024" in m for m in messages_at(path, line))


def test_amount_in_other_currency_is_reported(tmp_path):
    body = SALARY_2024.replace("40000.00 SEK", "40000.00 EUR") + "2017-01-01 commodity EUR\n"
    path = write_small(
        tmp_path,
        body.replace("Liabilities:Malmo:Avrakning", "Liabilities:Malmo:Avrakning  -40000.00 EUR"),
    )
    line = line_of(path, "40000.00 EUR")
    assert any(
        "inte i SEK" in m and "[regel amount-sek-2-decimals]" in m for m in messages_at(path, line)
    )


def test_amount_with_three_decimals_is_reported(tmp_path):
    path = write_small(tmp_path, SALARY_2024.replace("40000.00 SEK", "40000.005 SEK"))
    line = line_of(path, "40000.005 SEK")
    assert any(
        "fler än två decimaler" in m and "[regel amount-sek-2-decimals]" in m
        for m in messages_at(path, line)
    )


def test_salary_with_three_decimals_is_reported(tmp_path):
    path = write_small(tmp_path, POSITION.replace("40000 SEK", "40000.125 SEK") + SALARY_2024)
    line = line_of(path, 'custom "position"')
    assert any("amount-sek-2-decimals" in m for m in messages_at(path, line))


def test_account_of_unregistered_committee_is_reported(tmp_path):
    path = write_small(tmp_path, "2017-01-01 open Expenses:Malmo:SBN:CTC:Lon SEK\n")
    line = line_of(path, "Expenses:Malmo:SBN:CTC:Lon")
    assert any("SBN" in m and "inte är registrerad" in m for m in messages_at(path, line))
