"""Turning measured unit costs into a scenario: the draft `ctc scenario new --from-actuals` writes.

The draft turns a `Measurement` into a scenario for N areas: each role
becomes a position per area with the FTE per area and the salary per
full-time month it had in the measured years; each kind of other cost becomes
a yearly item per area; central costs are spread evenly over the measured
areas, each area bearing 1/n, and follow every area of the scenario. The
amounts stay in the measured years' own prices and serve as the base year's
(the scenario's first year): indexation applies only to the years after it.
So the draft's cost per area in its base year equals the measured cost per
area and year, within the rounding of FTE (six decimals), salaries and
amounts (öre) and the PO rate (four decimals).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ctc.accounts import COST_TYPES
from ctc.errors import UserError
from ctc.numbers import ORE, format_number, format_sek
from ctc.registers import CommitteeRegister
from ctc.reports.labels import label
from ctc.scenarios.actuals import KindMeasure, Measurement, RoleMeasure
from ctc.scenarios.model import (
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    Assumption,
    Location,
    Scenario,
    ScenarioCommittee,
    ScenarioCost,
    ScenarioPosition,
)

FTE_PLACES = Decimal("0.000001")
PERCENT_PLACES = Decimal("0.0001")
REVISION_PLACES = Decimal("0.01")
DEFAULT_PRICE_INDEX = Decimal("2.0")
PRICE_INDEX_SOURCE = (
    "Antagande i utkastet: Riksbankens inflationsmål, 2 % per år (KPIF); "
    "byt mot SKR:s prisindex för kommunal verksamhet (PKV) för året"
)
CENTRAL = "KS"
"""Every municipality's executive board: the default home of central costs."""

DRAFT = Location("<utkast>", 0)

NOTE_LABELS = {
    "measured_municipality": "Mätt på kommunen",
    "measured_years": "Mätår",
    "measured_entries": "Mätta kostnadsposter",
    "measured_files": "Mätta filer",
    "measured_total": "Mätt kostnad totalt (kr)",
    "measured_areas": "Mätta områden",
    "central_share": "Gemensamma kostnader",
    "cost_per_area": "Mätt kostnad per område och år (kr)",
}
"""The header notes a draft writes about its measurement, with their Swedish labels."""


def default_area_committee(committees: CommitteeRegister, municipality: str, central: str) -> str:
    """The first registered committee of the municipality other than the central one."""
    shorts = [short for m, short in committees if m == municipality]
    if not shorts:
        raise UserError(f"Kommunen {municipality} har inga nämnder i huvudboken.")
    return next((s for s in shorts if s != central), shorts[0])


def _kronor(value: Decimal) -> str:
    """Kronor and öre as a reader of the draft's notes reads them."""
    return f"{format_sek(value, 'kr', 2)} kr"


@dataclass(frozen=True, slots=True)
class DraftPlan:
    """What a draft is for: where, how many areas, which years, which committees."""

    municipality: str
    areas: int
    first_year: int
    last_year: int
    area_committee: str
    """The committee the areas' positions and costs are booked at."""
    central_committee: str = CENTRAL
    """The committee the central positions and costs are booked at."""
    price_index: Decimal = DEFAULT_PRICE_INDEX
    """The yearly price index assumed, in per cent."""
    salary_increase: Decimal | None = None
    """The yearly salary increase assumed, in per cent; None: the measured revision."""
    path: Path = Path("utkast.beancount")


def _header_notes(measurement: Measurement) -> dict[str, Any]:
    """The header notes that record what the draft was measured on (see `NOTE_LABELS`)."""
    n = len(measurement.areas)
    return {
        "measured_municipality": measurement.municipality,
        "measured_years": measurement.span,
        "measured_entries": Decimal(measurement.entries),
        "measured_files": ", ".join(measurement.files),
        "measured_total": measurement.total,
        "measured_areas": Decimal(n),
        "central_share": f"fördelade lika på områdena, 1/{n} per område",
        "cost_per_area": measurement.cost_per_area.quantize(ORE),
    }


def _check_plan(plan: DraftPlan) -> None:
    """Refuse a plan no scenario can have: no area, or years backwards."""
    if plan.areas < 1:
        raise UserError(f"--areas ska vara minst 1, inte {plan.areas}.")
    if plan.first_year > plan.last_year:
        raise UserError(f"--from {plan.first_year} ligger efter --to {plan.last_year}.")


def _role_source(measurement: Measurement, role: RoleMeasure) -> str:
    """Where a drafted position's FTE and salary come from, in the measurement's words."""
    where = "gemensam tjänst, fördelad lika på områdena" if role.central else "områdestjänst"
    return (
        f"Mätt: {measurement.municipality} {measurement.span}, {role.role} "
        f"({', '.join(role.positions)}; {where}): "
        f"{format_number(role.fte_years, 4)} årsarbetare i {len(measurement.areas)} områden "
        f"under {len(measurement.years)} år; bokförd lön {_kronor(role.salary)}, "
        f"{_kronor(role.monthly_salary)} per heltidsmånad"
    )


def _positions(measurement: Measurement, plan: DraftPlan) -> list[ScenarioPosition]:
    """A position per area for each measured role, with its FTE per area and salary.

    A role of more than one FTE per area becomes several equal positions, so
    that no position exceeds full time.
    """
    per_area_years = len(measurement.years) * len(measurement.areas)
    start = datetime.date(plan.first_year, 1, 1)
    positions = []
    for role in measurement.roles:
        if not role.fte_months:
            continue
        fte = role.fte_years / per_area_years
        pieces = max(1, math.ceil(fte))
        committee = plan.central_committee if role.central else plan.area_committee
        source = _role_source(measurement, role)
        salary = role.monthly_salary.quantize(ORE)
        share = (fte / pieces).quantize(FTE_PLACES)
        positions += [
            ScenarioPosition(role.role, committee, share, start, salary, True, source, DRAFT)
            for _ in range(pieces)
        ]
    return positions


def _cost(measurement: Measurement, plan: DraftPlan, kind: KindMeasure) -> ScenarioCost:
    """A yearly cost item per area for one measured kind of other cost: its yearly average."""
    per_area_years = len(measurement.years) * len(measurement.areas)
    where = "gemensam kostnad, fördelad lika på områdena" if kind.central else "områdets kostnad"
    text = f"{label(kind.kind)}, genomsnitt per år och område"
    if len(kind.years) < len(measurement.years):
        text += f" (kostnad {', '.join(str(y) for y in kind.years)})"
    return ScenarioCost(
        kind.kind,
        plan.central_committee if kind.central else plan.area_committee,
        (kind.amount / per_area_years).quantize(ORE),
        plan.first_year,
        1,
        True,
        text,
        f"Mätt: {measurement.municipality} {measurement.span}, {label(kind.kind).lower()} "
        f"({where}): {_kronor(kind.amount)} under {len(measurement.years)} år i "
        f"{len(measurement.areas)} områden",
        DRAFT,
    )


def _salary_increase(measurement: Measurement, given: Decimal | None) -> tuple[Decimal, str]:
    """The salary increase and its source: the one given, else the measured revision."""
    if given is not None:
        return given, "Antagande angivet när utkastet skapades (--salary-increase)"
    if measurement.salary_revision is None:
        raise UserError(
            "Huvudbokens tjänsteregister har ingen lönerevision under mätåren; "
            "ange --salary-increase."
        )
    return (
        measurement.salary_revision.quantize(REVISION_PLACES),
        f"Mätt: genomsnittlig lönerevision i huvudbokens tjänsteregister {measurement.span}",
    )


def _assumptions(measurement: Measurement, plan: DraftPlan) -> list[Assumption]:
    """Salary increase and price index for each year after the first; the measured PO share.

    The PO rate is stated for every year, the first included, since the
    measured share of salary is what the draft's base year stands on.
    """
    later = range(plan.first_year + 1, plan.last_year + 1)
    increase, increase_source = _salary_increase(measurement, plan.salary_increase)
    po = measurement.po_percent.quantize(PERCENT_PLACES)
    po_source = (
        f"Mätt: PO som andel av lön {measurement.span} i huvudboken; byt mot SKR:s PO-pålägg "
        "för året när det är publicerat"
    )
    every_year = range(plan.first_year, plan.last_year + 1)
    return [
        *(Assumption(SALARY_INCREASE, y, increase, increase_source, DRAFT) for y in later),
        *(Assumption(PO_RATE, y, po, po_source, DRAFT) for y in every_year),
        *(Assumption(PRICE_INDEX, y, plan.price_index, PRICE_INDEX_SOURCE, DRAFT) for y in later),
    ]


def draft_scenario(measurement: Measurement, plan: DraftPlan) -> Scenario:
    """A scenario for the plan's areas and years, from measured unit costs."""
    _check_plan(plan)
    first, last = plan.first_year, plan.last_year
    committees = list(dict.fromkeys([plan.area_committee, plan.central_committee]))
    measured = f"{measurement.municipality} {measurement.span}"
    return Scenario(
        path=plan.path,
        name=(
            f"Utkast: {measurement.programme} i {plan.municipality}, {plan.areas} områden "
            f"{first}–{last} (ur utfallet för {measured})"
        ),
        written=datetime.date(first, 1, 1),
        municipality=plan.municipality,
        programme=measurement.programme,
        first_year=first,
        last_year=last,
        base_year=first,
        areas=plan.areas,
        estimate=True,
        synthetic=measurement.synthetic,
        source=(
            f"Utkast ur huvudbokens utfall för {measured} "
            f"({measurement.entries} kostnadsposter), i de årens priser"
        ),
        committees=tuple(ScenarioCommittee(c, DRAFT) for c in committees),
        positions=tuple(_positions(measurement, plan)),
        costs=tuple(_cost(measurement, plan, kind) for kind in measurement.kinds),
        assumptions=tuple(_assumptions(measurement, plan)),
        notes=_header_notes(measurement),
        location=DRAFT,
    )


LEFT_OUT_FULL = "helt år, men utanför den längsta sammanhängande perioden av hela år"
"""Why a full year was not measured: it lies outside the longest run of full years."""


def _left_out(measurement: Measurement) -> list[str]:
    """Each year with booked cost that was not measured, and why."""
    return [
        f"  {v.year}: {v.reason if not v.full else LEFT_OUT_FULL}"
        for v in measurement.verdicts
        if v.year not in measurement.years
    ]


def _cost_mix(measurement: Measurement) -> str:
    """Each cost type's share of the measured cost, in the cost types' order."""
    shares = sorted(measurement.by_type, key=lambda t: COST_TYPES.index(t[0]))
    parts = (
        f"{label(kind)} {format_number(amount / measurement.total * 100, 1)} %"
        for kind, amount in shares
    )
    return "Kostnadsmix: " + ", ".join(parts) + "."


def _measured(measurement: Measurement) -> list[str]:
    """What the measurement rests on: its years, files, totals and the cost per area."""
    n = len(measurement.areas)
    years = len(measurement.years)
    return [
        f"Mätt på utfallet för {measurement.municipality} {measurement.span} "
        f"({years} hela år, {measurement.entries} kostnadsposter i "
        f"{', '.join(measurement.files)}), i de årens priser (inte uppräknade).",
        "Utelämnade år:",
        *_left_out(measurement),
        f"Total kostnad {measurement.span}: {_kronor(measurement.total)}; varav gemensamt "
        f"(inget område) {_kronor(measurement.central)}, fördelat lika på {n} områden (1/{n} per område).",
        f"Kostnad per område och år: {_kronor(measurement.cost_per_area)} "
        f"(total / {n} områden / {years} år). Per område, inklusive andel av det gemensamma:",
        *(
            f"  {area}: {_kronor(measurement.area_cost_per_year(area))}"
            for area in measurement.areas
        ),
        _cost_mix(measurement),
        "Beloppen gäller basåret (scenariots första år); uppräkning sker bara för åren därefter.",
    ]


def draft_comments(measurement: Measurement, command: str) -> list[str]:
    """The draft file's opening comment: what was measured, what was left out, and how.

    A reviewer must be able to redo the draft (`command`) and to see which
    years it stands on before trusting a figure in it.
    """
    lines = [
        f"Utkast till scenario, skapat av `{command}`.",
        "Granska och ändra: nämnder, startmånader, enkätomgångar och antaganden.",
        "",
    ]
    if measurement.synthetic:
        lines += [
            "OBS: Huvudboken innehåller syntetiska exempeldata; utkastet är lika syntetiskt.",
            "",
        ]
    return lines + _measured(measurement)
