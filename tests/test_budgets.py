"""Fava budgets derived from the kommunbidrag: Fava reads them and they equal the allocations."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from beanquery import query as bql
from conftest import EXAMPLE, append, errors_of
from fava.core import FavaLedger
from fava.core.budgets import parse_budgets
from test_serve import bfile, fetch

from ctc.ledger import load_ledger

D = Decimal
ORE = D("0.01")


@pytest.fixture(scope="module")
def fava() -> FavaLedger:
    return FavaLedger(str(EXAMPLE))


KOMMUNBIDRAG = "account ~ '^Income:Malmo:[^:]+:CTC:Kommunbidrag$'"


def kommunbidrag_per_committee_and_year() -> dict[tuple[str, int], Decimal]:
    """Allocations plus växlingar per committee and year, by plain BQL queries.

    A full-year effect that the committee's allocation for the year says it
    includes (`includes:`, the 2025 budget) is counted once, in the allocation.
    """
    ledger = load_ledger(EXAMPLE)
    _, rows = bql.run_query(
        ledger.entries,
        ledger.options_map,
        f"SELECT account, year, entry_meta('period') AS period, sum(number) WHERE {KOMMUNBIDRAG} "
        "AND ('kommunbidrag' IN tags OR 'vaxling' IN tags) GROUP BY account, year, period",
    )
    _, holding = bql.run_query(
        ledger.entries,
        ledger.options_map,
        f"SELECT account, year WHERE {KOMMUNBIDRAG} AND 'kommunbidrag' IN tags "
        "AND entry_meta('includes') IS NOT NULL",
    )
    included = {(account, year) for account, year in holding}
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for account, year, period, total in rows:
        if period != "full-year" or (account, year) not in included:
            sums[(account.split(":")[2], year)] -= total
    return dict(sums)


def fava_budget(fava: FavaLedger, committee: str, year: int) -> Decimal:
    amounts = fava.budgets.calculate(
        f"Expenses:Malmo:{committee}:CTC", datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    )
    return amounts.get("SEK", D(0)).quantize(ORE)


def test_favas_budget_module_reads_the_generated_budgets_without_error(fava):
    assert fava.errors == []
    assert list(fava.budgets.errors) == []
    budgets, errors = parse_budgets(fava.all_entries_by_type.Custom)
    assert errors == []
    assert set(budgets) == {
        f"Expenses:Malmo:{c}:CTC" for c in ("KS", "AoS", "GrN", "FsN", "KuN", "FrN")
    }
    assert [(b.date_start.year, b.number) for b in budgets["Expenses:Malmo:GrN:CTC"]] == [
        (2018, D(242545)),
        (2019, D(727635)),
        (2020, D(757000)),
        (2021, D(786000)),
        (2022, D(795000)),
        (2023, D(838000)),
        (2024, D(571448)),
        (2025, D(0)),
        (2026, D(0)),
    ]


def test_favas_budget_for_each_committee_and_year_equals_its_kommunbidrag(fava):
    expected = kommunbidrag_per_committee_and_year()
    assert len(expected) == 9 + 5 * 8  # KS 2017–2025, the others 2018–2025
    for (committee, year), amount in expected.items():
        assert fava_budget(fava, committee, year) == amount, (committee, year)
    assert expected[("AoS", 2024)] == D(2647756)
    assert expected[("KS", 2025)] == D(986000)
    assert expected[("AoS", 2025)] == D(6212436)


def test_budgets_are_zero_before_the_first_and_after_the_last_allocated_year(fava):
    for committee in ("KS", "AoS", "GrN", "FsN", "KuN", "FrN"):
        assert fava_budget(fava, committee, 2026) == 0
        assert fava_budget(fava, committee, 2030) == 0
    assert fava_budget(fava, "AoS", 2017) == 0


def test_the_generated_budgets_sum_per_committee_and_year_to_the_allocations(fava):
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for entry in fava.all_entries_by_type.Custom:
        if entry.type == "budget":
            sums[(entry.values[0].value.split(":")[2], entry.date.year)] += entry.values[
                2
            ].value.number
    expected = kommunbidrag_per_committee_and_year()
    assert {key: value for key, value in sums.items() if key in expected} == expected
    assert {value for key, value in sums.items() if key not in expected} == {D(0)}


def test_budgets_after_the_last_costed_year_need_no_po_rate():
    ledger = load_ledger(EXAMPLE)
    budget_years = {e.date.year for e in ledger.entries if getattr(e, "type", None) == "budget"}
    assert max(budget_years) == 2026
    assert ledger.errors == []


def test_a_hand_written_budget_on_a_programme_account_is_refused(example_copy):
    start = append(
        example_copy, '2026-01-01 custom "budget" Expenses:Malmo:AoS:CTC "yearly" 100000 SEK\n'
    )
    errors = errors_of(example_copy)
    assert [line for line, message in errors if "[regel budget-from-kommunbidrag]" in message] == [
        start
    ]


def test_favas_account_page_shows_budget_against_cost(served_example):
    base = f"{served_example.base}/{bfile(served_example)}"
    status, _, body = fetch(
        f"{base}/api/account_report?a=Expenses:Malmo:AoS:CTC&r=changes&interval=year"
    )
    assert status == 200
    data = json.loads(body)["data"]
    by_year = {
        int(dates["begin"][:4]): budget["budget"].get("SEK")
        for dates, budget in zip(
            data["dates"], data["budgets"]["Expenses:Malmo:AoS:CTC"], strict=True
        )
    }
    assert by_year[2024] == 2647756
    assert by_year[2020] == 764000
    assert by_year[2025] == 6212436
