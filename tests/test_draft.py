"""The draft from actuals: what it measures on the example, and that its unit cost holds."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery import query as bql
from conftest import EXAMPLE
from test_cli import assert_one_line_error, run_ctc

from ctc.ledger import load_ledger
from ctc.mapping import load_mapping
from ctc.reports.frame import cost_lines
from ctc.scenarios.actuals import measure_actuals
from ctc.scenarios.parse import parse_scenario
from ctc.scenarios.report import scenario_report

D = Decimal


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(EXAMPLE)


@pytest.fixture(scope="module")
def measurement(ledger):
    return measure_actuals(ledger)


def test_it_measures_the_full_years_and_says_why_others_are_left_out(measurement):
    assert measurement.municipality == "Malmo"
    assert measurement.years == (2019, 2020, 2021, 2022, 2023)
    assert {v.year: (v.full, v.reason) for v in measurement.verdicts} == {
        2017: (False, "delår: kostnader saknas i 7 månader"),
        2018: (False, "delår: 5 av 5 områden saknar en tjänst hela året"),
        2019: (True, "helt år"),
        2020: (True, "helt år"),
        2021: (True, "helt år"),
        2022: (True, "helt år"),
        2023: (True, "helt år"),
        2024: (False, "omorganisation: 11 tjänster bytte nämnd under året"),
        2025: (True, "helt år"),
    }
    assert measurement.entries == 2308
    assert measurement.files == tuple(f"costs/{y}.beancount" for y in range(2019, 2024))


def test_its_figures_on_the_example(measurement):
    assert measurement.total == D("46568821.89")
    assert measurement.central == D("26570939.06")
    assert measurement.cost_per_area == D("1862752.8756")
    assert dict(measurement.area_own)["Kirseberg"] == D("4081427.63")
    roles = {(r.role, r.central): r for r in measurement.roles}
    local = roles[("Lokal utvecklingsledare", False)]
    assert (local.fte_months, local.salary, local.po) == (
        D(300),
        D("12435880.00"),
        D("5062002.83"),
    )
    central = roles[("Central utvecklingsledare", True)]
    assert central.fte_months == D(178)  # CUL-1 and CUL-2 60 months each, CUL-3 from 2019-03
    assert measurement.po_percent.quantize(D("0.0001")) == D("40.8013")
    assert measurement.salary_revision.quantize(D("0.01")) == D("2.49")


def test_cost_per_area_equals_an_independent_measurement(ledger, measurement):
    """Own cost of each area by the mapping, plus 1/5 of the central cost, per year.

    Gross cost: no income, and no internal purchase from the programme's own units
    (the example's one, at KuN from KS in 2023, is eliminated city-wide).
    """
    _, rows = bql.run_query(
        ledger.entries,
        ledger.options_map,
        "SELECT sum(number) WHERE account ~ '^Expenses:Malmo:[^:]+:CTC:' "
        "AND NOT account ~ ':Interna$' AND year >= 2019 AND year <= 2023",
    )
    assert rows[0][0] == measurement.total
    mapping = load_mapping(Path(ledger.options.mapping))
    own: dict[str | None, Decimal] = defaultdict(Decimal)
    for line in cost_lines(ledger.entries, "CTC"):
        if 2019 <= line.year <= 2023 and not line.is_income and not line.internal:
            own[mapping.area_of(line.entry.meta["responsibility"])] += line.amount
    central = own.pop(None)
    per_area = {area: (amount + central / 5) / 5 for area, amount in own.items()}
    assert sum(per_area.values()) / 5 == measurement.cost_per_area
    for area, value in per_area.items():
        assert measurement.area_cost_per_year(area) == value


def test_the_draft_for_two_areas_states_what_it_measured_and_holds_its_unit_cost(
    tmp_path, ledger, measurement
):
    out = tmp_path / "utkast.beancount"
    result = run_ctc(
        "scenario", "new", "--from-actuals", "--areas", "2", "--from", "2026", "--to", "2028",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Mätt på utfallet för Malmö 2019–2023 (5 hela år, 2308 kostnadsposter" in text
    assert "  2024: omorganisation: 11 tjänster bytte nämnd under året" in text
    assert 'measured_years: "2019–2023"' in text
    assert "cost_per_area: 1862752.88" in text
    scenario, errors = parse_scenario(out)
    assert errors == []
    assert (scenario.areas, scenario.first_year, scenario.last_year, scenario.base_year) == (
        2,
        2026,
        2028,
        2026,
    )
    assert scenario.committee_names == ("AoS", "KS")
    report = scenario_report(ledger, out)
    # Raised to the base year, and central costs mostly fixed: two areas cost more per area
    # than the five measured ones did in their own years' prices.
    assert report.unit_cost_per_area > measurement.cost_per_area
    assert 'uprating: "Löner: senaste lön i tjänsteregistret per roll' in text
    # Each salary is the role's latest in the register, raised by the measured revision.
    latest = {s.role: s for s in measurement.latest}
    for position in scenario.positions:
        floor = latest[position.role].salary
        assert position.monthly_salary == (floor * (1 + D("2.49") / 100)).quantize(D("0.01"))
    # Fixed central positions, and a start-up cost once in the first year.
    assert any(not p.per_area for p in scenario.positions)
    assert [c.text for c in scenario.costs if c.every == 0] == [
        "Uppstart: utbildning innan programmet är i full gång"
    ]
    assert report.costs.year_total(2027) < report.costs.year_total(2026)  # the start-up


def test_the_draft_prints_to_stdout_and_never_overwrites_without_force(tmp_path):
    result = run_ctc("scenario", "new", "--from-actuals", "--from", "2026", "--to", "2026")
    assert result.returncode == 0
    assert 'custom "scenario" "Utkast: CTC i Malmö, 5 områden 2026–2026' in result.stdout
    out = tmp_path / "utkast.beancount"
    out.write_text("mitt eget scenario\n", encoding="utf-8")
    refused = run_ctc("scenario", "new", "--from-actuals", "-o", str(out))
    assert_one_line_error(refused)
    assert "finns redan" in refused.stderr
    assert out.read_text(encoding="utf-8") == "mitt eget scenario\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--areas", "2"], "Ange --from-actuals"),
        (["--from-actuals", "--municipality", "Stockholm"], "Kommunen Stockholm har inga nämnder"),
        (["--from-actuals", "--measure-from", "2030"], "Mätperioden 2030–2025 är baklänges"),
        (
            ["--from-actuals", "--measure-from", "2010", "--measure-to", "2012"],
            "inga kostnader för Malmo år 2010",
        ),
        (["--from-actuals", "--areas", "0"], "--areas ska vara minst 1"),
    ],
)
def test_draft_mistakes_get_one_line(args, message):
    result = run_ctc("scenario", "new", *args)
    assert_one_line_error(result)
    assert message in result.stderr
