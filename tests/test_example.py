"""The bundled example: it loads clean, and its figures are exactly these."""

from __future__ import annotations

import datetime
from decimal import Decimal

from beanquery import query as bql
from conftest import EXAMPLE

from ctc.ledger import load_ledger
from ctc.positions import build_history, spell_on
from ctc.reports.frame import cost_lines
from ctc.reports.yearly import yearly_rows, yearly_total
from ctc.transfers import read_transfers

D = Decimal


def test_example_loads_without_errors():
    ledger = load_ledger(EXAMPLE)
    assert ledger.errors == []
    assert ledger.options.synthetic is True
    assert ledger.options.programme == "CTC"


def example_lines():
    ledger = load_ledger(EXAMPLE)
    return cost_lines(ledger.entries, "CTC")


def test_yearly_totals_of_the_example():
    rows = yearly_rows(example_lines(), ("committee",), 2018, 2023)
    by_year: dict[int, Decimal] = {}
    for row in rows:
        by_year[row.year] = by_year.get(row.year, D(0)) + row.amount
    # Net cost: the income of 2022 (84 000) and 2023 (252 000, an internal sale of 36 000
    # among it, matched by an internal purchase) is deducted.
    assert by_year == {
        2018: D("3456117.57"),
        2019: D("6993262.41"),
        2020: D("8476539.21"),
        2021: D("9863211.21"),
        2022: D("10099879.14"),
        2023: D("10835929.92"),
    }
    assert yearly_total(rows) == D("49724939.46")


def test_yearly_by_committee_2023_of_the_example():
    rows = yearly_rows(example_lines(), ("committee",), 2023, 2023)
    assert {r.committee: r.amount for r in rows} == {
        "KS": D("6425606.83"),
        "AoS": D("879096.45"),
        "GrN": D("870280.12"),
        "FsN": D("875569.93"),
        "KuN": D("902753.60"),
        "FrN": D("882622.99"),
    }


def test_yearly_by_type_2019_of_the_example():
    rows = yearly_rows(example_lines(), ("type",), 2019, 2019)
    assert [(r.cost_type, r.amount) for r in rows] == [
        ("salary", D("4238780.00")),
        ("po", D("1659482.41")),
        ("other", D("1095000.00")),
    ]


def test_yearly_totals_agree_with_a_plain_bql_query():
    ledger = load_ledger(EXAMPLE)
    rows = yearly_rows(cost_lines(ledger.entries, "CTC"), ("committee",))
    ours: dict[int, Decimal] = {}
    for row in rows:
        ours[row.year] = ours.get(row.year, D(0)) + row.amount
    _, result = bql.run_query(
        ledger.entries,
        ledger.options_map,
        "SELECT year, sum(number) AS total WHERE account ~ "
        "'^(Expenses:[^:]+:[^:]+:CTC:|Income:[^:]+:[^:]+:CTC:Intakter)' GROUP BY year ORDER BY year",
    )
    assert dict(result) == ours


def test_example_cost_2018_to_2023_is_about_fifty_million():
    rows = yearly_rows(example_lines(), ("committee",), 2018, 2023)
    assert D(45_000_000) <= yearly_total(rows) <= D(55_000_000)


def test_reorganisation_moves_eight_positions_and_keeps_analysis_at_ks():
    ledger = load_ledger(EXAMPLE)
    history, errors = build_history(ledger.entries)
    assert errors == []
    before, after = datetime.date(2024, 8, 31), datetime.date(2024, 9, 1)
    moved = {
        ident: (
            spell_on(history, ident, before).committee,
            spell_on(history, ident, after).committee,
        )
        for ident in history
        if spell_on(history, ident, before).committee != spell_on(history, ident, after).committee
    }
    assert moved == {
        "CUL-1": ("KS", "AoS"),
        "CUL-2": ("KS", "AoS"),
        "CUL-3": ("KS", "AoS"),
        "IMP-1": ("KS", "AoS"),
        "IMP-2": ("KS", "AoS"),
        "IMP-3": ("KS", "AoS"),
        "IMP-4": ("KS", "AoS"),
        "UL-HER": ("AoS", "FrN"),
        "UL-BUN": ("GrN", "FrN"),
        "UL-BEL": ("FsN", "FrN"),
        "UL-MOL": ("KuN", "FrN"),
    }
    assert spell_on(history, "ANA-1", after).committee == "KS"
    assert spell_on(history, "UL-KIR", after).committee == "FrN"
    assert {s.decision for ident in moved for s in history[ident] if s.start == after} == {
        "KF-2024-09-26-p190"
    }


def test_example_vaxlingar_net_to_zero_and_2024_is_four_twelfths():
    transfers = read_transfers(load_ledger(EXAMPLE).entries)
    assert [(t.decision, t.period, t.entry.date.isoformat()) for t in transfers] == [
        ("KS-2017-05-03", "applicable-months", "2018-09-01"),
        ("KS-2017-05-03", "full-year", "2019-01-01"),
        ("KF-2024-09-26-p190", "applicable-months", "2024-09-01"),
        ("KF-2024-09-26-p190", "full-year", "2025-01-01"),
    ]
    for transfer in transfers:
        assert sum(line.amount for line in transfer.lines) == 0
    applicable, full = transfers[2], transfers[3]
    assert applicable.months == 4
    for part, whole in zip(applicable.lines, full.lines, strict=True):
        assert part.amount == (whole.amount * 4 / 12).quantize(D(1), rounding="ROUND_HALF_UP")
    net = {}
    for line in full.lines:
        net[line.committee] = net.get(line.committee, D(0)) + line.amount
    givers = {c for c, amount in net.items() if amount < 0}
    receivers = {c for c, amount in net.items() if amount > 0}
    assert givers == {"KS", "GrN", "FsN", "KuN"}
    assert receivers == {"AoS", "FrN"}
