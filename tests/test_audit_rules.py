"""The rules an auditor checks, each broken in a small ledger and reported at its line:
växling arithmetic, moves and money, decision dates and PO rates."""

from __future__ import annotations

from pathlib import Path

from conftest import append, errors_of, line_of, run_ctc, write_small

DECISION_2025 = """
2025-05-14 custom "decision" "KS-2025-05-14-p141"
  body: "KS"
  municipality: "Malmo"
  paragraph: 141
  title: "Licensen för CTC-enkäten flyttas till AoS"
"""


def vaxling(
    applicable: str = "24000",
    full: str = "48000",
    months: str = "6",
    effective: str = "2025-07-01",
    dated: str | None = None,
) -> str:
    """The README's two växling entries, with the figures a test breaks."""
    next_year = int(effective[:4]) + 1
    return f"""
{dated or effective} * "Växling av kommunbidrag: enkätlicens till AoS, tillämpliga månader" #vaxling ^KS-2025-05-14-p141
  decision: "KS-2025-05-14-p141"
  period: "applicable-months"
  effective: {effective}
  months: {months}
  Income:Malmo:KS:CTC:Kommunbidrag    {applicable} SEK
    cost_type: "other"
  Income:Malmo:AoS:CTC:Kommunbidrag  -{applicable} SEK
    cost_type: "other"

{next_year}-01-01 * "Växling av kommunbidrag: enkätlicens till AoS, helårseffekt" #vaxling ^KS-2025-05-14-p141
  decision: "KS-2025-05-14-p141"
  period: "full-year"
  effective: {effective}
  months: 12
  Income:Malmo:KS:CTC:Kommunbidrag    {full} SEK
    cost_type: "other"
  Income:Malmo:AoS:CTC:Kommunbidrag  -{full} SEK
    cost_type: "other"
"""


def rule_errors(path: Path, rule: str) -> list[tuple[int, str]]:
    return [(line, message) for line, message in errors_of(path) if f"[regel {rule}]" in message]


APPLICABLE_LINE = 'tillämpliga månader" #vaxling'


def test_the_readme_vaxling_is_clean(tmp_path):
    assert errors_of(write_small(tmp_path, DECISION_2025 + vaxling())) == []


def test_an_applicable_amount_that_is_not_its_share_of_the_full_year(tmp_path):
    path = write_small(tmp_path, DECISION_2025 + vaxling(full="50000"))
    line = line_of(path, APPLICABLE_LINE)
    posting = line_of(path, "Income:Malmo:KS:CTC:Kommunbidrag    24000")
    messages = rule_errors(path, "transfer-pro-rata")
    assert [m for n, m in messages if n == line] == [
        "Tillämpliga månader på Income:Malmo:KS:CTC:Kommunbidrag (other) "
        f"(rad {posting}) är 24 000 SEK, men helårsbeloppet 50 000 SEK × 6/12 avrundat är "
        "25 000 SEK. [regel transfer-pro-rata]",
        "Tillämpliga månader på Income:Malmo:AoS:CTC:Kommunbidrag (other) "
        f"(rad {posting + 2}) är -24 000 SEK, men helårsbeloppet -50 000 SEK × 6/12 avrundat "
        "är -25 000 SEK. [regel transfer-pro-rata]",
    ]


def test_months_that_disagree_with_the_effective_date(tmp_path):
    path = write_small(tmp_path, DECISION_2025 + vaxling(months="4"))
    line = line_of(path, APPLICABLE_LINE)
    assert rule_errors(path, "transfer-months") == [
        (
            line,
            "Ikraftträdandet 2025-07-01 ger 6 tillämpliga månader (2025, 6/12), men months är 4. "
            "[regel transfer-months]",
        )
    ]


def test_an_applicable_part_dated_other_than_its_effective_date(tmp_path):
    path = write_small(tmp_path, DECISION_2025 + vaxling(dated="2025-08-01"))
    line = line_of(path, APPLICABLE_LINE)
    assert [n for n, _ in rule_errors(path, "transfer-months")] == [line]


def test_a_missing_full_year_part(tmp_path):
    applicable_only = vaxling().split("\n\n2026-01-01")[0] + "\n"
    path = write_small(tmp_path, DECISION_2025 + applicable_only)
    line = line_of(path, APPLICABLE_LINE)
    assert [(n, "helårseffekt" in m) for n, m in rule_errors(path, "transfer-full-year")] == [
        (line, True)
    ]


def test_a_full_year_part_without_its_applicable_months(tmp_path):
    full_only = "\n2026-01-01" + vaxling().split("\n\n2026-01-01")[1]
    path = write_small(tmp_path, DECISION_2025 + full_only)
    line = line_of(path, 'helårseffekt" #vaxling')
    assert [n for n, _ in rule_errors(path, "transfer-full-year")] == [line]


def test_a_full_year_part_with_other_committees(tmp_path):
    body = vaxling().replace(
        "Income:Malmo:AoS:CTC:Kommunbidrag  -48000", "Income:Malmo:FrN:CTC:Kommunbidrag  -48000"
    )
    path = write_small(tmp_path, DECISION_2025 + body)
    line = line_of(path, APPLICABLE_LINE)
    assert [n for n, _ in rule_errors(path, "transfer-full-year")] == [line]


def test_january_needs_no_full_year_part(tmp_path):
    january = vaxling(effective="2025-01-01", months="12", applicable="48000")
    path = write_small(tmp_path, DECISION_2025 + january.split("\n\n2026-01-01")[0] + "\n")
    # The decision comes after the effect here (retroactive), which is allowed.
    assert errors_of(path) == []


ROUNDED = """
2025-10-01 * "Växling, tillämpliga månader" #vaxling ^KS-2025-05-14-p141
  period: "applicable-months"
  effective: 2025-10-01
  months: 3
  rounding_adjustment: {adjustment}
  Income:Malmo:KS:CTC:Kommunbidrag    {ks} SEK
    cost_type: "salary"
  Income:Malmo:KS:CTC:Kommunbidrag    1 SEK
    cost_type: "po"
  Income:Malmo:AoS:CTC:Kommunbidrag  -1 SEK
    cost_type: "salary"
  Income:Malmo:FrN:CTC:Kommunbidrag  -1 SEK
    cost_type: "salary"

2026-01-01 * "Växling, helårseffekt" #vaxling ^KS-2025-05-14-p141
  period: "full-year"
  effective: 2025-10-01
  Income:Malmo:KS:CTC:Kommunbidrag    6 SEK
    cost_type: "salary"
  Income:Malmo:KS:CTC:Kommunbidrag    2 SEK
    cost_type: "po"
  Income:Malmo:AoS:CTC:Kommunbidrag  -4 SEK
    cost_type: "salary"
  Income:Malmo:FrN:CTC:Kommunbidrag  -4 SEK
    cost_type: "salary"
"""
"""Full year 6 + 2 - 4 - 4; a quarter of each rounds to 2, 1, -1, -1: the remainder -1
goes to the largest line (KS's salary), as `ctc.transfers.applicable_amounts` does."""


def test_the_documented_remainder_on_the_largest_line_is_allowed(tmp_path):
    body = ROUNDED.format(adjustment="-1", ks="1")
    assert errors_of(write_small(tmp_path, DECISION_2025 + body)) == []


def test_an_undocumented_remainder_is_reported(tmp_path):
    body = ROUNDED.format(adjustment="0", ks="1")
    path = write_small(tmp_path, DECISION_2025 + body)
    line = line_of(path, 'tillämpliga månader" #vaxling')
    assert [n for n, _ in rule_errors(path, "transfer-pro-rata")] == [line]


def test_a_remainder_on_another_line_is_reported(tmp_path):
    body = ROUNDED.format(adjustment="-1", ks="2").replace(
        "Income:Malmo:KS:CTC:Kommunbidrag    1 SEK", "Income:Malmo:KS:CTC:Kommunbidrag    0 SEK"
    )
    path = write_small(tmp_path, DECISION_2025 + body)
    assert rule_errors(path, "transfer-pro-rata") != []


def test_broken_readme_vaxlingar_on_a_copy_of_the_example_fail_ctc_check(example_copy):
    """What the issue's auditor did: the README's template, appended to the example."""
    readme = (Path(__file__).resolve().parent.parent / "ledger" / "README.md").read_text(
        encoding="utf-8"
    )
    start = readme.index('2025-05-14 custom "decision" "KS-2025-05-14-p141"')
    block = readme[start : readme.index("```", start)]
    broken = block.replace("-48000 SEK", "-50000 SEK").replace("    48000 SEK", "    50000 SEK")
    first = append(example_copy, broken.replace("months: 6", "months: 4"))
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 1
    line = first + block[: block.index("2025-07-01 *")].count("\n")
    assert f"main.beancount:{line}: Ikraftträdandet 2025-07-01 ger 6" in result.stdout
    assert "[regel transfer-months]" in result.stdout
    assert f"main.beancount:{line}: Tillämpliga månader på Income:Malmo:KS" in result.stdout
    assert "[regel transfer-pro-rata]" in result.stdout


# --- Moves and money ---------------------------------------------------------------

POSITION_AT_KS = """
2024-01-01 custom "position" "ANA-1"
  municipality: "Malmo"
  committee: "KS"
  role: "Analytiker"
  fte: 0.5
  monthly_salary: 48000 SEK
"""

MOVE_TO_AOS = """
2024-09-01 custom "position-move" "ANA-1"
  from_committee: "KS"
  to_committee: "AoS"
  decision: "KF-2024-09-26-p190"
"""

MONEY_FOR_ANA = """
2024-09-01 * "Växling" #vaxling ^KF-2024-09-26-p190
  period: "applicable-months"
  Income:Malmo:KS:CTC:Kommunbidrag   1000 SEK
    cost_type: "salary"
    position: "ANA-1"
  Income:Malmo:AoS:CTC:Kommunbidrag -1000 SEK
    cost_type: "salary"
    position: "ANA-1"

2025-01-01 * "Växling, helårseffekt" #vaxling ^KF-2024-09-26-p190
  period: "full-year"
  effective: 2024-09-01
  Income:Malmo:KS:CTC:Kommunbidrag   3000 SEK
    cost_type: "salary"
    position: "ANA-1"
  Income:Malmo:AoS:CTC:Kommunbidrag -3000 SEK
    cost_type: "salary"
    position: "ANA-1"
"""


def test_a_move_with_its_money_is_clean(tmp_path):
    assert errors_of(write_small(tmp_path, POSITION_AT_KS + MOVE_TO_AOS + MONEY_FOR_ANA)) == []


def test_a_move_whose_decision_moves_no_money(tmp_path):
    path = write_small(tmp_path, POSITION_AT_KS + MOVE_TO_AOS)
    line = line_of(path, 'custom "position-move"')
    assert rule_errors(path, "move-with-money") == [
        (
            line,
            "Tjänsten ANA-1 flyttas från KS till AoS enligt KF-2024-09-26-p190, men beslutet "
            "växlar inga pengar för tjänsten (ingen växlingsrad med position: ANA-1); lägg till "
            "växlingen, eller ange skälet med transfer_exception: på beslutet. "
            "[regel move-with-money]",
        )
    ]


def test_money_for_a_position_that_does_not_move(tmp_path):
    """The issue's case: a decision sheet moved ANA-1's money, the register still says KS."""
    path = write_small(tmp_path, POSITION_AT_KS + MONEY_FOR_ANA)
    lines = [line_of(path, '* "Växling" #vaxling'), line_of(path, '* "Växling, helårseffekt"')]
    found = rule_errors(path, "move-with-money")
    assert [n for n, _ in found] == lines[:1]
    assert "flyttar pengar för tjänsten ANA-1 från KS till AoS från 2024-09-01" in found[0][1]


def test_money_moving_the_wrong_way_is_reported(tmp_path):
    wrong = MOVE_TO_AOS.replace('to_committee: "AoS"', 'to_committee: "FrN"')
    path = write_small(tmp_path, POSITION_AT_KS + wrong + MONEY_FOR_ANA)
    assert len(rule_errors(path, "move-with-money")) == 2


def test_a_position_established_at_the_receiver_takes_the_money(tmp_path):
    established = POSITION_AT_KS.replace("2024-01-01", "2024-09-01").replace(
        'committee: "KS"', 'committee: "AoS"'
    )
    assert errors_of(write_small(tmp_path, established + MONEY_FOR_ANA)) == []


def test_a_stated_exception_allows_either_way(tmp_path):
    path = write_small(tmp_path, POSITION_AT_KS + MOVE_TO_AOS)
    text = path.read_text(encoding="utf-8").replace(
        '  title: "Verksamhetsförändring inom CTC"\n',
        '  title: "Verksamhetsförändring inom CTC"\n'
        '  transfer_exception: "AoS betalar analytikern inom sin ram"\n',
    )
    path.write_text(text, encoding="utf-8")
    assert errors_of(path) == []
    path.write_text(text.replace(MOVE_TO_AOS, MONEY_FOR_ANA), encoding="utf-8")
    assert errors_of(path) == []


# --- Decision dates ------------------------------------------------------------------


def test_an_effect_more_than_a_year_before_its_decision(tmp_path):
    early = MOVE_TO_AOS.replace("2024-09-01", "2023-09-25")
    body = POSITION_AT_KS.replace("2024-01-01", "2023-01-01") + early
    path = write_small(tmp_path, body + MONEY_FOR_ANA.replace("2024-09-01", "2023-09-25"))
    move = line_of(path, 'custom "position-move"')
    vaxling_line = line_of(path, '* "Växling" #vaxling')
    found = rule_errors(path, "decision-date")
    assert move in [n for n, _ in found]
    assert vaxling_line in [n for n, _ in found]
    assert (
        move,
        "Beslutet KF-2024-09-26-p190 fattades 2024-09-26, mer än ett år efter det som ska gälla "
        "från 2023-09-25; rätta datumet eller beslutets id. [regel decision-date]",
    ) in found


def test_an_effect_a_year_before_its_decision_is_retroactive_not_wrong(tmp_path):
    body = POSITION_AT_KS.replace("2024-01-01", "2023-01-01") + MOVE_TO_AOS.replace(
        "2024-09-01", "2023-09-26"
    )
    path = write_small(tmp_path, body + MONEY_FOR_ANA.replace("2024-09-01", "2023-09-26"))
    assert rule_errors(path, "decision-date") == []


# --- PO rates ------------------------------------------------------------------------

PO_2026 = """
2026-03-25 * "Arbetsgivaravgifter"
  Expenses:Malmo:KS:CTC:PO      420.00 SEK
  Liabilities:Malmo:Avrakning  -420.00 SEK
"""


def test_a_po_cost_in_a_year_without_a_po_rate(tmp_path):
    body = "2017-01-01 open Expenses:Malmo:KS:CTC:PO SEK\n" + PO_2026
    path = write_small(tmp_path, body)
    line = line_of(path, '* "Arbetsgivaravgifter"')
    assert rule_errors(path, "po-rate-exists") == [
        (
            line,
            "PO-sats saknas för 2026, men huvudboken bokför PO det året "
            '(Expenses:Malmo:KS:CTC:PO); lägg till 2026-01-01 custom "po-rate" med årets '
            "procentsats. [regel po-rate-exists]",
        )
    ]
