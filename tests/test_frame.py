"""The Frame's filters: pure narrowing that the command line and the dashboard share.

Each filter is checked on the example with exact figures, and against plain BQL
where BQL can say the same thing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from beanquery import query as bql
from conftest import EXAMPLE

from ctc.accounts import kommunbidrag_account
from ctc.ledger import load_ledger

D = Decimal


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(EXAMPLE)


def total(frame) -> Decimal:
    return sum((line.amount for line in frame.costs), D(0))


def bql_sum(ledger, where: str) -> Decimal:
    _, rows = bql.run_query(ledger.entries, ledger.options_map, f"SELECT sum(number) WHERE {where}")
    return rows[0][0]


def test_the_model_builds_its_frame_once(ledger):
    assert ledger.frame is ledger.frame
    assert ledger.frame.files == ledger.files
    assert ledger.frame.areas == ledger.registers.area_names()


def test_within_keeps_the_years_and_agrees_with_bql(ledger):
    frame = ledger.frame.within(2018, 2023)
    assert {line.year for line in frame.costs} == set(range(2018, 2024))
    assert total(frame) == D("49724939.46")
    assert total(frame) == bql_sum(
        ledger,
        "account ~ '^(Expenses:[^:]+:[^:]+:CTC:|Income:[^:]+:[^:]+:CTC:Intakter)' "
        "AND year >= 2018 AND year <= 2023",
    )
    # Either end may be open; registers are kept whole.
    assert total(ledger.frame.within(None, 2017)) == total(ledger.frame.within(2017, 2017))
    assert frame.history == ledger.frame.history


def test_within_takes_a_vaxling_by_the_year_it_takes_effect(ledger):
    effective_2024 = ledger.frame.within(2024, 2024).transfers
    assert {t.effective.year for t in effective_2024} == {2024}
    # The full-year effect is dated 1 January 2025 but takes effect with the decision.
    assert {t.entry.date.year for t in effective_2024} == {2024, 2025}


def test_of_committee_is_one_committees_figures(ledger):
    aos = ledger.frame.within(2023, 2023).of_committee("Malmo", "AoS")
    assert {(line.municipality, line.committee) for line in aos.costs} == {("Malmo", "AoS")}
    assert total(aos) == D("879096.45")
    assert total(aos) == bql_sum(ledger, "account ~ '^Expenses:Malmo:AoS:CTC' AND year = 2023")
    received = ledger.frame.within(2024, 2024).of_committee("Malmo", "AoS").budget
    assert sum((line.amount for line in received), D(0)) == D("2647756.00")
    # Its side of each växling only.
    lines = [li for t in ledger.frame.of_committee("Malmo", "AoS").transfers for li in t.lines]
    assert lines and {li.committee for li in lines} == {"AoS"}


def test_of_area_is_the_costs_booked_on_the_areas_units(ledger):
    kirseberg = ledger.frame.of_area("Kirseberg")
    assert total(kirseberg) == D("6170008.89")
    assert list(kirseberg.history) == ["UL-KIR"]
    assert kirseberg.budget == () and kirseberg.transfers == ()
    # KS's own costs less its income of 2023 (training sold, a grant and an internal sale)
    assert total(ledger.frame.within(2023, 2023).of_area(None)) == D("6425606.83")
    assert ledger.frame.of_area("Möllevången").eliminations == ()


def test_of_municipality_keeps_one_municipality(ledger):
    malmo = ledger.frame.of_municipality("Malmo")
    assert total(malmo) == total(ledger.frame)
    linkoping = ledger.frame.of_municipality("Linkoping")
    assert linkoping.costs == () and linkoping.history == {}


def test_restrict_keeps_the_lines_of_the_given_entries(ledger):
    entries_2022 = [e for e in ledger.entries if e.date.year == 2022]
    restricted = ledger.frame.restrict(entries_2022)
    assert total(restricted) == D("10099879.14")
    assert total(restricted) == total(ledger.frame.within(2022, 2022))
    assert ledger.frame.restrict([]).costs == ()


def test_narrow_keeps_only_the_postings_an_account_filter_lets_through(ledger):
    aos_income = kommunbidrag_account("Malmo", "AoS", "CTC")
    narrowed = ledger.frame.narrow(lambda account: account == aos_income)
    assert narrowed.costs == ()
    assert {line.committee for line in narrowed.budget} == {"AoS"}
    assert ledger.frame.narrow(None) is ledger.frame


def test_filters_return_new_frames_and_leave_the_original_whole(ledger):
    before = len(ledger.frame.costs)
    ledger.frame.within(2020, 2020).of_committee("Malmo", "KS").of_area(None)
    assert len(ledger.frame.costs) == before


def test_internal_items_between_the_programmes_units_are_eliminated_city_wide(ledger):
    frame = ledger.frame.within(2023, 2023)
    internal = {(line.committee, line.kind): line for line in frame.costs if line.internal}
    purchase = internal[("KuN", "internal_purchase")]
    sale = internal[("KS", "internal_income")]
    assert (purchase.amount, purchase.counterparty, purchase.counterparty_committee) == (
        D("36000.00"),
        "110240",
        "KS",
    )
    assert (sale.amount, sale.counterparty, sale.counterparty_committee) == (
        D("-36000.00"),
        "610020",
        "KuN",
    )
    assert purchase.eliminated and sale.eliminated
    assert sorted((e.committee, e.cost_type, e.amount) for e in frame.eliminations) == [
        ("KS", "internal", D("36000.00")),
        ("KuN", "internal", D("-36000.00")),
    ]
    # The city's net cost: the pair cancels.
    assert sum((line.amount for line in frame.city_lines), D(0)) == total(frame)


def test_narrowing_keeps_an_elimination_only_with_its_counterparty(ledger):
    frame = ledger.frame.within(2023, 2023)
    assert frame.of_committee("Malmo", "KuN").eliminations == ()
    both = frame.narrow(lambda account: ":KuN:" in account or ":KS:" in account)
    assert len(both.eliminations) == 2
    assert frame.narrow(lambda account: True).eliminations == frame.eliminations
