"""How sensitive a scenario's total is: the whole scenario recomputed with one assumption changed.

Each sensitivity row changes one assumption (the salary increase, the PO
rate, the start date, the number of areas, the FTE of the main position per
area, the central staffing, the survey's cost) and computes the whole
scenario again with `ctc.scenarios.costs`; no total is ever scaled, so every
row is as exact, and rounded the same way, as the base scenario. A decrease
is written with the same minus sign as every negative figure of the report.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from ctc.numbers import format_number
from ctc.scenarios.costs import compute_rows
from ctc.scenarios.model import PO_RATE, SALARY_INCREASE, SURVEY, Scenario, ScenarioPosition


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """The scenario recomputed with one assumption changed."""

    key: str
    label: str
    year_totals: tuple[tuple[int, Decimal], ...]
    total: Decimal
    difference: Decimal
    """The total minus the base scenario's total."""


FTE_STEP = Decimal("0.5")
SURVEY_STEP = Decimal("0.25")
SALARY_STEP = Decimal(1)
PO_STEP = Decimal(1)
START_STEP = 3
"""Months the start date moves in the sensitivity."""
AREA_STEP = 1
CENTRAL_STEP = Decimal("0.5")
"""FTE the central staffing (the positions not per area) changes by."""


def _shift_assumption(scenario: Scenario, name: str, step: Decimal) -> Scenario:
    """The scenario with every year's assumption `name` `step` percentage points higher."""
    assumptions = tuple(
        dataclasses.replace(a, percent=a.percent + step) if a.name == name else a
        for a in scenario.assumptions
    )
    return dataclasses.replace(scenario, assumptions=assumptions)


def _shift_salary_increase(scenario: Scenario, step: Decimal) -> Scenario:
    """The scenario with every year's salary increase `step` percentage points higher."""
    return _shift_assumption(scenario, SALARY_INCREASE, step)


def _shift_start(scenario: Scenario, months: int) -> Scenario:
    """The scenario with every position starting `months` later (earlier when negative).

    A start stays within the scenario's years: never before its first January,
    never after its last December.
    """

    def moved(day: datetime.date) -> datetime.date:
        index = day.year * 12 + day.month - 1 + months
        index = max(scenario.first_year * 12, min(index, scenario.last_year * 12 + 11))
        return datetime.date(index // 12, index % 12 + 1, 1)

    positions = tuple(dataclasses.replace(p, start=moved(p.start)) for p in scenario.positions)
    return dataclasses.replace(scenario, positions=positions)


def _shift_areas(scenario: Scenario, step: int) -> Scenario:
    """The scenario with `step` more areas (at least one)."""
    return dataclasses.replace(scenario, areas=max(scenario.areas + step, 1))


def central_role(scenario: Scenario) -> ScenarioPosition | None:
    """The largest position that is not per area: the central staffing the sensitivity changes."""
    fixed = [p for p in scenario.positions if not p.per_area]
    return max(fixed, key=lambda p: p.fte, default=None)


def _shift_central(scenario: Scenario, step: Decimal) -> Scenario:
    """The scenario with `step` more FTE of central staffing (a half position more, or less)."""
    target = central_role(scenario)
    if target is None:
        return scenario
    if step > 0:
        extra = dataclasses.replace(target, fte=step)
        return dataclasses.replace(scenario, positions=(*scenario.positions, extra))
    positions = tuple(
        dataclasses.replace(p, fte=max(p.fte + step, Decimal(0))) if p is target else p
        for p in scenario.positions
    )
    return dataclasses.replace(scenario, positions=positions)


def area_role(scenario: Scenario) -> ScenarioPosition | None:
    """The position whose FTE the sensitivity changes: the largest per area, else the largest."""
    candidates = [p for p in scenario.positions if p.per_area] or list(scenario.positions)
    return max(candidates, key=lambda p: p.fte, default=None)


def _shift_fte(scenario: Scenario, step: Decimal) -> Scenario:
    """The scenario with the `area_role` position's FTE per area changed by `step`."""
    target = area_role(scenario)
    if target is None:
        return scenario
    change = step if target.per_area else step * max(scenario.areas, 1)
    positions = tuple(
        dataclasses.replace(p, fte=max(p.fte + change, Decimal(0))) if p is target else p
        for p in scenario.positions
    )
    return dataclasses.replace(scenario, positions=positions)


def _scale_survey(scenario: Scenario, factor: Decimal) -> Scenario:
    """The scenario with every survey cost scaled by `factor`."""
    costs = tuple(
        dataclasses.replace(c, amount=c.amount * factor) if c.kind == SURVEY else c
        for c in scenario.costs
    )
    return dataclasses.replace(scenario, costs=costs)


def _percent(value: Decimal) -> str:
    """A fraction as whole per cent for a row's label: 0.25 -> `25`."""
    return format_number(value * 100, 0)


def variants(scenario: Scenario) -> list[tuple[str, str, Scenario]]:
    """(key, Swedish label, changed scenario) for every sensitivity row, base first."""
    role = area_role(scenario)
    where = f" ({role.role}, {role.committee})" if role is not None else ""
    fte_label = "per område" if role is None or role.per_area else "totalt per område"
    step = format_number(FTE_STEP, 1)
    central = central_role(scenario)
    central_where = f" ({central.role}, {central.committee})" if central is not None else ""
    half = format_number(CENTRAL_STEP, 1)
    survey = _percent(SURVEY_STEP)
    return [
        ("base", "Grundscenario", scenario),
        (
            "salary+1",
            "Löneökning +1 procentenhet per år",
            _shift_salary_increase(scenario, SALARY_STEP),
        ),
        (
            "salary-1",
            "Löneökning -1 procentenhet per år",
            _shift_salary_increase(scenario, -SALARY_STEP),
        ),
        ("po+1", "PO-sats +1 procentenhet", _shift_assumption(scenario, PO_RATE, PO_STEP)),
        ("po-1", "PO-sats -1 procentenhet", _shift_assumption(scenario, PO_RATE, -PO_STEP)),
        ("start+3", f"Start {START_STEP} månader senare", _shift_start(scenario, START_STEP)),
        ("start-3", f"Start {START_STEP} månader tidigare", _shift_start(scenario, -START_STEP)),
        ("areas+1", f"Antal områden +{AREA_STEP}", _shift_areas(scenario, AREA_STEP)),
        ("areas-1", f"Antal områden -{AREA_STEP}", _shift_areas(scenario, -AREA_STEP)),
        ("fte+0.5", f"FTE +{step} {fte_label}{where}", _shift_fte(scenario, FTE_STEP)),
        ("fte-0.5", f"FTE -{step} {fte_label}{where}", _shift_fte(scenario, -FTE_STEP)),
        (
            "central+0.5",
            f"Gemensam bemanning +{half} FTE{central_where}",
            _shift_central(scenario, CENTRAL_STEP),
        ),
        (
            "central-0.5",
            f"Gemensam bemanning -{half} FTE{central_where}",
            _shift_central(scenario, -CENTRAL_STEP),
        ),
        ("survey+25", f"Enkätkostnad +{survey} %", _scale_survey(scenario, 1 + SURVEY_STEP)),
        ("survey-25", f"Enkätkostnad -{survey} %", _scale_survey(scenario, 1 - SURVEY_STEP)),
    ]


def sensitivity(scenario: Scenario) -> tuple[SensitivityRow, ...]:
    """The total of the scenario with each assumption changed, each fully recomputed."""
    rows = []
    base_total: Decimal | None = None
    for key, label, changed in variants(scenario):
        computed = compute_rows(changed)
        per_year = tuple(
            (year, sum((r.amount for r in computed if r.year == year), Decimal(0)))
            for year in scenario.years
        )
        total = sum((amount for _, amount in per_year), Decimal(0))
        base_total = total if base_total is None else base_total
        rows.append(SensitivityRow(key, label, per_year, total, total - base_total))
    return tuple(rows)
