"""Scenario files: parsing, checks against the ledger, exact costs and sensitivity."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLE_DIR, line_of
from test_cli import assert_one_line_error, run_ctc

from ctc.errors import UserError
from ctc.ledger import load_ledger
from ctc.scenarios.check import load_scenario
from ctc.scenarios.report import scenario_costs, scenario_report

D = Decimal
PILOT = EXAMPLE_DIR / "scenarios" / "linkoping-pilot-2026-2028.beancount"

SMALL = """\
2025-12-01 custom "scenario" "Test: två områden"
  municipality: "Linkoping"
  first_year: 2026
  last_year: 2027
  areas: 2
  source: "Test"

2025-12-01 custom "scenario-committee" "SON"

2026-03-01 custom "scenario-position" "Lokal utvecklingsledare"
  committee: "SON"
  fte: 1.0
  per_area: TRUE
  monthly_salary: 40000 SEK
  source: "Test"

2026-01-01 custom "scenario-cost" "survey" 100000 SEK
  committee: "SON"
  every: 2
  source: "Test"

2026-01-01 custom "scenario-assumption" "po-rate" 42.0
  source: "Test"

2027-01-01 custom "scenario-assumption" "po-rate" 42.0
  source: "Test"

2027-01-01 custom "scenario-assumption" "salary-increase" 3.0
  source: "Test"

2027-01-01 custom "scenario-assumption" "price-index" 2.0
  source: "Test"
"""


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(EXAMPLE)


def write(tmp_path: Path, text: str, name: str = "scenario.beancount") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(costs) -> dict[tuple[int, str, str], Decimal]:
    return {(r.year, r.committee, r.cost_type): r.amount for r in costs.rows}


# --- Exact figures ------------------------------------------------------------------


def test_a_small_scenario_costs_what_a_hand_computation_says(tmp_path, ledger):
    costs = scenario_costs(ledger, write(tmp_path, SMALL))
    # 2026: 40 000 kr x 10 months (from March) x 2 areas; PO 42 %; the survey round.
    # 2027: salary +3 %, 12 months; no survey (every second year); tkr once per row.
    assert rows_of(costs) == {
        (2026, "SON", "salary"): D(800000),
        (2026, "SON", "po"): D(336000),
        (2026, "SON", "other"): D(100000),
        (2027, "SON", "salary"): D(989000),  # 988 800
        (2027, "SON", "po"): D(415000),  # 415 296
        (2027, "SON", "other"): D(0),
    }
    assert costs.total == D(2640000)


def test_the_linkoping_pilot_of_the_example(ledger):
    report = scenario_report(ledger, PILOT)
    costs = report.costs
    scenario = costs.scenario
    assert (scenario.municipality, scenario.first_year, scenario.last_year) == (
        "Linkoping",
        2026,
        2028,
    )
    assert scenario.areas == 2 and scenario.estimate and scenario.synthetic
    assert scenario.committee_names == ("SON", "KS")
    # Raised to 2026: the roles' latest salaries, the ledger's latest PO rate (42,50 %),
    # prices; central roles a fixed part and a part per area; a start-up cost in 2026.
    assert rows_of(costs) == {
        (2026, "SON", "salary"): D(976000),
        (2026, "SON", "po"): D(415000),
        (2026, "SON", "other"): D(221000),
        (2026, "KS", "salary"): D(2821000),
        (2026, "KS", "po"): D(1199000),
        (2026, "KS", "other"): D(1245000),
        (2027, "SON", "salary"): D(1200000),
        (2027, "SON", "po"): D(510000),
        (2027, "SON", "other"): D(225000),
        (2027, "KS", "salary"): D(2891000),
        (2027, "KS", "po"): D(1229000),
        (2027, "KS", "other"): D(291000),
        (2028, "SON", "salary"): D(1230000),
        (2028, "SON", "po"): D(523000),
        (2028, "SON", "other"): D(230000),
        (2028, "KS", "salary"): D(2963000),
        (2028, "KS", "po"): D(1259000),
        (2028, "KS", "other"): D(499000),
    }
    assert [costs.year_total(y) for y in scenario.years] == [D(6877000), D(6346000), D(6704000)]
    assert costs.total == D(19927000)
    assert report.unit_cost_per_area.quantize(D("0.01")) == D("3145955.18")
    assert scenario.financing == "kommunbidrag"


def test_the_pilots_base_year_salaries_are_not_below_the_ledgers_latest_for_the_role(ledger):
    """The check of issue 15: a konsekvensbeskrivning is not biased low by old salaries."""
    scenario = scenario_report(ledger, PILOT).costs.scenario
    latest: dict[str, Decimal] = {}
    last_day = max(line.date for line in ledger.frame.costs)
    for spells in ledger.registers.history.values():
        current = [s for s in spells if s.start <= last_day][-1:]
        for spell in current:
            latest[spell.role] = max(latest.get(spell.role, D(0)), spell.monthly_salary)
    assert latest["Lokal utvecklingsledare"] == D(47600)
    for position in scenario.positions:
        assert position.monthly_salary >= latest[position.role], position.role
    # The PO rate is the ledger's latest (2025), not the 2019–2023 average of 40,80 %.
    assert {a.percent for a in scenario.assumptions if a.name == "po-rate"} == {D("42.5")}


def test_the_pilots_central_costs_are_a_fixed_part_and_a_part_per_area(ledger):
    scenario = scenario_report(ledger, PILOT).costs.scenario
    central = [(p.role, p.fte, p.per_area) for p in scenario.positions if p.committee == "KS"]
    assert central == [
        ("Central utvecklingsledare", D("1.0"), False),
        ("Central utvecklingsledare", D("0.393333"), True),
        ("Implementeringsledare", D("1.0"), False),
        ("Implementeringsledare", D("0.12"), True),
        ("Programsamordnare", D("0.95"), False),
        ("Analytiker, CTC-enkäten (del av tjänst)", D("0.5"), False),
    ]
    fixed = {c.kind for c in scenario.costs if c.committee == "KS" and not c.per_area}
    assert fixed == {"licence", "other", "training"}  # training: the start-up, once
    (startup,) = [c for c in scenario.costs if c.every == 0]
    assert (startup.kind, startup.first_year, startup.amount) == ("training", 2026, D("764859.24"))


def test_the_linkoping_pilots_sensitivity_rows(ledger):
    rows = {r.key: r for r in scenario_report(ledger, PILOT).sensitivity}
    assert {key: (row.total, row.difference) for key, row in rows.items()} == {
        "base": (D(19927000), D(0)),
        "salary+1": (D(20101000), D(174000)),
        "salary-1": (D(19755000), D(-172000)),
        "po+1": (D(20047000), D(120000)),
        "po-1": (D(19806000), D(-121000)),
        "start+3": (D(18504000), D(-1423000)),
        "start-3": (D(20205000), D(278000)),
        "areas+1": (D(24533000), D(4606000)),
        "areas-1": (D(15322000), D(-4605000)),
        "fte+0.5": (D(22353000), D(2426000)),
        "fte-0.5": (D(17499000), D(-2428000)),
        "central+0.5": (D(21377000), D(1450000)),
        "central-0.5": (D(18478000), D(-1449000)),
        "survey+25": (D(20026000), D(99000)),
        "survey-25": (D(19828000), D(-99000)),
    }
    assert rows["fte+0.5"].label == "FTE +0,5 per område (Lokal utvecklingsledare, SON)"
    assert rows["central-0.5"].label == (
        "Gemensam bemanning -0,5 FTE (Central utvecklingsledare, KS)"
    )
    # One minus sign: the labels use the one every negative figure is written with.
    assert not any("−" in row.label for row in rows.values())


def test_sensitivity_rows_move_in_the_expected_direction(ledger):
    rows = {r.key: r.total for r in scenario_report(ledger, PILOT).sensitivity}
    base = rows["base"]
    assert rows["salary+1"] > base > rows["salary-1"]
    assert rows["fte+0.5"] > base > rows["fte-0.5"]
    assert rows["survey+25"] > base > rows["survey-25"]
    assert rows["po+1"] > base > rows["po-1"]
    assert rows["areas+1"] > base > rows["areas-1"]
    assert rows["central+0.5"] > base > rows["central-0.5"]
    assert rows["start-3"] > base > rows["start+3"]


def test_sensitivity_is_recomputed_not_scaled(ledger):
    rows = {r.key: dict(r.year_totals) for r in scenario_report(ledger, PILOT).sensitivity}
    # A salary increase applies after the base year: the base year does not move.
    assert rows["salary+1"][2026] == rows["base"][2026]
    assert rows["salary+1"][2028] - rows["base"][2028] > rows["salary+1"][2027] - rows["base"][2027]
    # The survey runs in 2026 and 2028 only: 2027 does not move with its cost.
    assert rows["survey+25"][2027] == rows["base"][2027]
    # 2026 has the survey round at base prices: 25 % of 2 areas x 97 159,11 kr (48 580 kr),
    # each year's committee rows rounded once to tkr.
    assert rows["survey+25"][2026] - rows["base"][2026] == D(48000)


def test_year_totals_are_the_sums_of_their_committee_rows(ledger):
    costs = scenario_report(ledger, PILOT).costs
    for year in costs.scenario.years:
        committee_rows = [r.amount for r in costs.rows if r.year == year]
        assert costs.year_total(year) == sum(committee_rows)
    assert costs.total == sum(costs.year_total(y) for y in costs.scenario.years)


# --- The documented example ------------------------------------------------------------


def readme_scenario() -> str:
    text = (EXAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- scenario -->\n```beancount\n(.*?)```", text, re.DOTALL)
    assert block is not None
    return block.group(1)


def test_the_guides_complete_scenario_example_costs_what_the_guide_says(tmp_path, ledger):
    costs = scenario_costs(ledger, write(tmp_path, readme_scenario()))
    by_year_type: dict[tuple[int, str], Decimal] = {}
    for row in costs.rows:
        key = (row.year, row.cost_type)
        by_year_type[key] = by_year_type.get(key, D(0)) + row.amount
    assert by_year_type == {
        (2026, "salary"): D(1076000),
        (2026, "po"): D(457000),
        (2026, "other"): D(130000),
        (2027, "salary"): D(1273000),
        (2027, "po"): D(541000),
        (2027, "other"): D(0),
    }


# --- Errors: one line naming the file and line -----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            '"scenario-committee" "SON"',
            '"scenario-committee" "SBN"',
            '"scenario-committee" "SBN"',
            "Nämnden SBN finns inte i huvudbokens register för Linkoping",
        ),
        (
            '"scenario-position" "Lokal utvecklingsledare"',
            '"scenario-position" "Trygghetsvärd"',
            '"Trygghetsvärd"',
            "Rollen 'Trygghetsvärd' finns inte bland huvudbokens tjänster",
        ),
        ("fte: 1.0", "fte: 1.5", '"scenario-position"', "FTE (tjänstgöringsgrad) ska vara större"),
        ("fte: 1.0", "fte: 0", '"scenario-position"', "FTE (tjänstgöringsgrad) ska vara större"),
        (
            '2027-01-01 custom "scenario-assumption" "po-rate" 42.0\n  source: "Test"\n',
            "",
            '"scenario-position"',
            "Antagande saknas: PO-sats för 2027",
        ),
        (
            '2027-01-01 custom "scenario-assumption" "price-index" 2.0\n  source: "Test"\n',
            "",
            '"scenario-cost"',
            "Antagande saknas: prisindex för 2027",
        ),
        (
            '2027-01-01 custom "scenario-assumption" "salary-increase" 3.0\n  source: "Test"\n',
            "",
            '"scenario-position"',
            "Antagande saknas: löneökning för 2027",
        ),
        (
            '  every: 2\n  source: "Test"\n',
            "  every: 2\n",
            '"scenario-cost"',
            "source: saknas",
        ),
        (
            "  per_area: TRUE\n",
            "  per_areas: TRUE\n",
            '"scenario-position"',
            "Okänt fält per_areas; scenario-position känner committee, fte, per_area",
        ),
        (
            '  committee: "SON"\n  every: 2',
            '  committee: "KS"\n  every: 2',
            '"scenario-cost"',
            "Nämnden KS är inte med bland scenariots nämnder",
        ),
    ],
)
def test_a_bad_scenario_gets_one_line_naming_its_line(tmp_path, ledger, old, new, needle, message):
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new, 1))
    with pytest.raises(UserError) as caught:
        load_scenario(path, ledger.registers)
    text = str(caught.value)
    assert text.startswith(f"{path}:{line_of(path, needle)}: "), text
    assert message in text
    assert "\n" not in text


def test_a_po_rate_the_scenario_does_not_state_comes_from_the_ledger(tmp_path, ledger):
    text = """\
2024-12-01 custom "scenario" "Test: ett år"
  municipality: "Malmo"
  first_year: 2025
  last_year: 2025
  areas: 1
  source: "Test"

2024-12-01 custom "scenario-committee" "KS"

2025-01-01 custom "scenario-position" "Central utvecklingsledare"
  committee: "KS"
  fte: 1.0
  monthly_salary: 50000 SEK
  source: "Test"
"""
    costs = scenario_costs(ledger, write(tmp_path, text))
    rate = costs.scenario.assumption("po-rate", 2025)
    assert rate is not None and rate.location is None
    assert rate.percent == D("42.50")
    assert rate.source.startswith("Huvudbokens PO-sats (uppskattning)")
    assert rows_of(costs) == {(2025, "KS", "salary"): D(600000), (2025, "KS", "po"): D(255000)}


def test_a_syntax_error_names_its_line(tmp_path, ledger):
    path = write(tmp_path, SMALL.replace("fte: 1.0", "fte: 1,0"))
    with pytest.raises(UserError, match=rf"^{re.escape(str(path))}:\d+: "):
        load_scenario(path, ledger.registers)


def test_a_file_with_other_directives_is_refused(tmp_path, ledger):
    path = write(tmp_path, SMALL + "\n2026-01-01 open Expenses:Test SEK\n")
    with pytest.raises(UserError) as caught:
        load_scenario(path, ledger.registers)
    assert f":{line_of(path, 'open Expenses:Test')}: En scenariofil innehåller bara" in str(
        caught.value
    )


def test_the_cli_refuses_a_bad_scenario_and_writes_nothing(tmp_path):
    path = write(tmp_path, SMALL.replace("fte: 1.0", "fte: 1.5"))
    out = tmp_path / "svar.md"
    result = run_ctc("report", "scenario", "--scenario", str(path), "-o", str(out))
    assert_one_line_error(result)
    assert f"{path}:{line_of(path, 'scenario-position')}:" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]
