"""A scenario drafted from the ledger's actuals, end to end: what `ctc scenario new` does.

`draft_from_actuals` measures the ledger's unit costs (`ctc.scenarios.actuals`),
fills in what the request leaves open from the measurement, drafts the
scenario (`ctc.scenarios.draft`), holds it against the ledger's registers
(`ctc.scenarios.check`) and renders it (`ctc.scenarios.render`). It returns
the scenario and its file text; the command decides where the text goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.errors import UserError
from ctc.scenarios.actuals import Measurement, measure_actuals
from ctc.scenarios.check import check_scenario
from ctc.scenarios.draft import (
    CENTRAL,
    DEFAULT_PRICE_INDEX,
    DraftPlan,
    default_area_committee,
    draft_comments,
    draft_scenario,
)
from ctc.scenarios.model import Scenario
from ctc.scenarios.render import render_scenario

if TYPE_CHECKING:
    from ctc.ledger import Ledger

DRAFT_FILE = Path("utkast.beancount")
"""The path a draft is named by when it is not written to a file."""
YEARS_AHEAD = 2
"""A draft's default span: its first year and the two after it."""


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """What a draft is asked for; None leaves the choice to the measurement.

    The options of `ctc scenario new`, already parsed: the command turns text
    into numbers, the library decides what a missing value means.
    """

    municipality: str | None = None
    """The municipality the scenario is for; None: the measured one."""
    areas: int | None = None
    """How many areas; None: as many as were measured."""
    first_year: int | None = None
    """None: the year after the last booked year."""
    last_year: int | None = None
    """None: two years after the first."""
    measure_from: int | None = None
    """The first year to measure; None (with `measure_to`): the longest run of full years."""
    measure_to: int | None = None
    area_committee: str | None = None
    """None: the municipality's first registered committee other than the central one."""
    central_committee: str = CENTRAL
    price_index: Decimal = DEFAULT_PRICE_INDEX
    salary_increase: Decimal | None = None
    """None: the salary revision measured in the position register."""
    path: Path | None = None
    """The file the draft will be written to, if any."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted scenario, the measurement it stands on and its file text."""

    scenario: Scenario
    measurement: Measurement
    text: str


def plan_draft(ledger: Ledger, request: DraftRequest, measurement: Measurement) -> DraftPlan:
    """The request with every open choice filled in from the measurement and the ledger."""
    municipality = request.municipality or measurement.municipality
    booked = max(v.year for v in measurement.verdicts)
    first = request.first_year if request.first_year is not None else booked + 1
    area_committee = request.area_committee or default_area_committee(
        ledger.registers.committees, municipality, request.central_committee
    )
    return DraftPlan(
        municipality=municipality,
        areas=request.areas if request.areas is not None else len(measurement.areas),
        first_year=first,
        last_year=request.last_year if request.last_year is not None else first + YEARS_AHEAD,
        area_committee=area_committee,
        central_committee=request.central_committee,
        price_index=request.price_index,
        salary_increase=request.salary_increase,
        path=request.path or DRAFT_FILE,
        municipality_name=ledger.registers.municipality_name(municipality),
    )


def draft_command(request: DraftRequest, plan: DraftPlan, measurement: Measurement) -> str:
    """The command line that makes the same draft again, quoted in the draft's comment."""
    command = (
        f"ctc scenario new --from-actuals --municipality {plan.municipality} "
        f"--areas {plan.areas} --from {plan.first_year} --to {plan.last_year}"
    )
    if request.measure_from or request.measure_to:
        command += f" --measure-from {measurement.years[0]} --measure-to {measurement.years[-1]}"
    return command


def draft_from_actuals(ledger: Ledger, request: DraftRequest) -> Draft:
    """Measure, draft, check and render a scenario from the ledger's own unit costs.

    A draft that does not hold against the ledger it was measured on is
    refused with the first problem: a file the user cannot read back is no
    draft. Pure: nothing is printed or written; mistakes raise `UserError`.
    """
    measurement = measure_actuals(ledger, request.measure_from, request.measure_to)
    plan = plan_draft(ledger, request, measurement)
    scenario = draft_scenario(measurement, plan)
    _, problems = check_scenario(scenario, ledger.registers)
    if problems:
        raise UserError(f"Utkastet går inte ihop med huvudboken: {problems[0].message}")
    comments = draft_comments(measurement, draft_command(request, plan, measurement))
    return Draft(scenario, measurement, render_scenario(scenario, comments))
