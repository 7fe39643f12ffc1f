"""Forecast against outcome: deviations equal outcome minus forecast, to the öre."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, EXAMPLE_DIR
from fava.core import FavaLedger
from test_cli import assert_one_line_error, run_ctc

from ctc.ledger import Ledger, load_ledger
from ctc.reports.frame import cost_lines
from ctc.reports.yearly import yearly_rows
from ctc.scenarios.forecast import forecast_against_outcome
from ctc.scenarios.report import scenario_costs

D = Decimal
FORECAST = EXAMPLE_DIR / "scenarios" / "malmo-prognos-2022-2023.beancount"


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(EXAMPLE)


def yearly_by_committee(entries, first: int, last: int) -> dict[tuple[int, str, str], Decimal]:
    """Each committee's own gross cost, what a forecast is held against (income left out)."""
    costs = [line for line in cost_lines(entries, "CTC") if not line.is_income]
    rows = yearly_rows(costs, ("committee", "type"), first, last)
    return {(r.year, r.committee, r.cost_type): r.amount for r in rows}


def test_the_example_forecast_against_the_example_outcome(ledger):
    result = forecast_against_outcome(ledger, FORECAST)
    assert result.years == (2022, 2023)
    assert result.committees == ("KS", "AoS", "GrN", "FsN", "KuN", "FrN")
    assert {r.committee: (r.forecast, r.outcome, r.deviation) for r in result.by_committee()} == {
        "KS": (D(12126000), D("12744209.17"), D("618209.17")),
        "AoS": (D(1554000), D("1706629.05"), D("152629.05")),
        "GrN": (D(1554000), D("1689318.47"), D("135318.47")),
        "FsN": (D(1554000), D("1699704.83"), D("145704.83")),
        # 36 000 more than before income and internal items: KuN's internal purchase of 2023
        "KuN": (D(1554000), D("1718394.25"), D("164394.25")),
        "FrN": (D(1554000), D("1713553.29"), D("159553.29")),
    }


def test_the_outcome_is_the_yearly_reports_figure_and_deviation_outcome_minus_forecast(ledger):
    result = forecast_against_outcome(ledger, FORECAST)
    yearly = yearly_by_committee(ledger.entries, 2022, 2023)
    assert {(r.year, r.committee, r.cost_type): r.outcome for r in result.rows} == yearly
    for row in result.rows:
        assert row.deviation == row.outcome - row.forecast
    first = result.rows[0]
    assert (first.year, first.committee, first.cost_type) == (2022, "KS", "salary")
    assert first.deviation_percent.quantize(D("0.01")) == D("3.54")


def test_a_forecast_drafted_from_2019_to_2021_for_2022_and_2023(tmp_path, ledger):
    """The check of issue 8: deviations in the CSV equal outcome minus forecast per committee."""
    scenario = tmp_path / "prognos.beancount"
    drafted = run_ctc(
        "scenario", "new", "--from-actuals", "--measure-from", "2019", "--measure-to", "2021",
        "--from", "2022", "--to", "2023", "-o", str(scenario),
    )  # fmt: skip
    assert drafted.returncode == 0, drafted.stderr
    result = run_ctc("report", "forecast", "--scenario", str(scenario), "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "year",
        "committee",
        "cost_type",
        "forecast_sek",
        "outcome_sek",
        "deviation_sek",
        "deviation_pct",
    ]
    yearly = yearly_by_committee(ledger.entries, 2022, 2023)
    per_committee: dict[str, list[Decimal]] = defaultdict(lambda: [D(0), D(0), D(0)])
    for row in rows:
        forecast, outcome, deviation = (
            D(row[k]) for k in ("forecast_sek", "outcome_sek", "deviation_sek")
        )
        assert deviation == outcome - forecast
        assert outcome == yearly[(int(row["year"]), row["committee"], row["cost_type"])]
        sums = per_committee[row["committee"]]
        for index, value in enumerate((forecast, outcome, deviation)):
            sums[index] += value
    for forecast, outcome, deviation in per_committee.values():
        assert deviation == outcome - forecast
    assert sum(s[1] for s in per_committee.values()) == sum(yearly.values())
    # The draft puts every area at AoS and the central costs at KS.
    assert per_committee["GrN"][0] == 0 and per_committee["GrN"][1] > 0


def test_one_year_only(ledger):
    result = forecast_against_outcome(ledger, FORECAST, 2023, 2023)
    assert result.years == (2023,)
    assert {r.year for r in result.rows} == {2023}


@pytest.mark.parametrize(
    ("scenario", "year", "message"),
    [
        (
            EXAMPLE_DIR / "scenarios" / "linkoping-pilot-2026-2028.beancount",
            None,
            "Inget av scenariots år 2026–2028 har passerat",
        ),
        (FORECAST, "2021", "2021 ligger utanför scenariots år 2022–2023"),
    ],
)
def test_years_that_have_not_passed_or_lie_outside_are_refused(scenario, year, message):
    args = ["report", "forecast", "--scenario", str(scenario)]
    result = run_ctc(*args, *(["--year", year] if year else []))
    assert_one_line_error(result)
    assert message in result.stderr


def test_the_pure_functions_take_the_model_over_favas_entries(ledger):
    """What the dashboard panels call: the model over Fava's loaded entries gives the same figures."""
    fava = FavaLedger(str(EXAMPLE))
    model = Ledger.of(Path(fava.beancount_file_path), fava.all_entries, fava.errors, fava.options)
    pilot = EXAMPLE_DIR / "scenarios" / "linkoping-pilot-2026-2028.beancount"
    assert scenario_costs(model, pilot).rows == scenario_costs(ledger, pilot).rows
    assert (
        forecast_against_outcome(model, FORECAST).rows
        == forecast_against_outcome(ledger, FORECAST).rows
    )
