"""Turning measured unit costs into a scenario: the draft `ctc scenario new --from-actuals` writes.

The draft turns a `Measurement` into a scenario for N areas, in the base
year's prices (the scenario's first year; `ctc.scenarios.baseyear` states how
each measured figure was raised to it):

- each area role becomes a position per area, with the FTE per area it had;
- central costs are mostly fixed: each central role keeps one position of its
  largest size whatever the number of areas, and only what the measured
  municipality had beyond that follows the areas (per area); licences and
  other central costs are fixed, the survey, training and programmes per area;
- the training booked before the first full year is a start-up cost, once,
  in the first year;
- salaries are the roles' latest salaries, PO the ledger's rate for each year.

Every choice is written into the draft (the header's notes, each item's
source), so a reviewer sees what stands on what and can change it.
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
from ctc.scenarios.baseyear import Uprating, po_rate_for, po_source
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
    "uprating": "Uppräkning till basåret",
    "startup": "Uppstartskostnad",
}

CENTRAL_RULE = (
    "fast del och del per område: varje gemensam roll har en tjänst av sin största storlek "
    "oavsett antal områden, och det som den mätta kommunen hade utöver det räknas per område; "
    "licenser och övriga gemensamma kostnader är fasta, enkät, utbildning och program räknas "
    "per område"
)
"""How the draft splits central costs into a fixed part and a part per area, in words."""

FIXED_KINDS = frozenset({"licence", "other"})
"""Central kinds of other cost that do not grow with the number of areas."""
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
    municipality_name: str = ""
    """The municipality as written (`Linköping`); `municipality` is the ledger's key."""


def _header_notes(measurement: Measurement, uprating: Uprating) -> dict[str, Any]:
    """The header notes that record what the draft was measured on (see `NOTE_LABELS`)."""
    n = len(measurement.areas)
    notes: dict[str, Any] = {
        "measured_municipality": measurement.municipality_name or measurement.municipality,
        "measured_years": measurement.span,
        "measured_entries": Decimal(measurement.entries),
        "measured_files": ", ".join(measurement.files),
        "measured_total": measurement.total,
        "measured_areas": Decimal(n),
        "central_share": CENTRAL_RULE,
        "cost_per_area": measurement.cost_per_area.quantize(ORE),
        "uprating": uprating.note(),
    }
    for kind in measurement.startup:
        notes["startup"] = (
            f"{label(kind.kind).lower()} bokförd före mätåren "
            f"({', '.join(str(y) for y in kind.years)}): {_kronor(kind.amount)}, en gång första året"
        )
    return notes


def _check_plan(plan: DraftPlan) -> None:
    """Refuse a plan no scenario can have: no area, or years backwards."""
    if plan.areas < 1:
        raise UserError(f"--areas ska vara minst 1, inte {plan.areas}.")
    if plan.first_year > plan.last_year:
        raise UserError(f"--from {plan.first_year} ligger efter --to {plan.last_year}.")


def _name(measurement: Measurement) -> str:
    """The measured municipality as written."""
    return measurement.municipality_name or measurement.municipality


def _role_source(measurement: Measurement, role: RoleMeasure, salary: str, part: str) -> str:
    """Where a drafted position's FTE and salary come from, in the measurement's words."""
    return (
        f"Mätt: {_name(measurement)} {measurement.span}, {role.role} "
        f"({', '.join(role.positions)}; {part}): "
        f"{format_number(role.fte_years, 4)} årsarbetare i {len(measurement.areas)} områden "
        f"under {len(measurement.years)} år. Lön: {salary}"
    )


def _split(measurement: Measurement, role: RoleMeasure) -> tuple[Decimal, Decimal]:
    """(fixed FTE, FTE per area) of a role: area roles are all per area.

    A central role keeps one position of its largest size as a fixed part (a
    programme needs each central function at least once), and what the
    measured municipality had beyond that is spread over its areas.
    """
    per_year = role.fte_years / len(measurement.years)
    if not role.central:
        return Decimal(0), per_year / len(measurement.areas)
    fixed = min(role.largest_fte, per_year)
    return fixed, (per_year - fixed) / len(measurement.areas)


def _pieces(fte: Decimal) -> list[Decimal]:
    """FTE split into equal positions of at most full time (none for nothing)."""
    if fte <= 0:
        return []
    count = max(1, math.ceil(fte))
    share = (fte / count).quantize(FTE_PLACES)
    return [share] * count if share > 0 else []


def _positions(
    measurement: Measurement, plan: DraftPlan, uprating: Uprating
) -> list[ScenarioPosition]:
    """The positions for each measured role: its fixed part, then its part per area.

    A part of more than one FTE becomes several equal positions, so that no
    position exceeds full time.
    """
    start = datetime.date(plan.first_year, 1, 1)
    positions = []
    for role in measurement.roles:
        if not role.fte_months:
            continue
        committee = plan.central_committee if role.central else plan.area_committee
        salary, how = uprating.salary(role)
        fixed, per_area = _split(measurement, role)
        for fte in _pieces(fixed):
            source = _role_source(measurement, role, how, "gemensam tjänst, fast del")
            positions.append(
                ScenarioPosition(role.role, committee, fte, start, salary, False, source, DRAFT)
            )
        part = "gemensam tjänst, del per område" if role.central else "områdestjänst"
        for fte in _pieces(per_area):
            source = _role_source(measurement, role, how, part)
            positions.append(
                ScenarioPosition(role.role, committee, fte, start, salary, True, source, DRAFT)
            )
    return positions


def _cost(
    measurement: Measurement, plan: DraftPlan, kind: KindMeasure, uprating: Uprating
) -> ScenarioCost:
    """A yearly cost item for one measured kind of other cost, raised to the base year.

    An area's kind and the central survey, training and programmes are per
    area; central licences and other central costs are fixed.
    """
    years = len(measurement.years)
    fixed = kind.central and kind.kind in FIXED_KINDS
    divisor = years if fixed else years * len(measurement.areas)
    amount = (kind.amount / divisor * uprating.price_factor).quantize(ORE)
    if fixed:
        where, text = "gemensam kostnad, fast", f"{label(kind.kind)}, genomsnitt per år"
    else:
        where = "gemensam kostnad, per område" if kind.central else "områdets kostnad"
        text = f"{label(kind.kind)}, genomsnitt per år och område"
    if len(kind.years) < len(measurement.years):
        text += f" (kostnad {', '.join(str(y) for y in kind.years)})"
    return ScenarioCost(
        kind.kind,
        plan.central_committee if kind.central else plan.area_committee,
        amount,
        plan.first_year,
        1,
        not fixed,
        text,
        f"Mätt: {_name(measurement)} {measurement.span}, {label(kind.kind).lower()} "
        f"({where}): {_kronor(kind.amount)} under {years} år i {len(measurement.areas)} "
        f"områden; {uprating.price_text()}",
        DRAFT,
    )


def _startup(measurement: Measurement, plan: DraftPlan, uprating: Uprating) -> list[ScenarioCost]:
    """The start-up cost: the training booked before the first full year, once, fixed."""
    items = []
    for kind in measurement.startup:
        years = plan.first_year - int((kind.years[0] + kind.years[-1]) / 2)
        factor = (1 + uprating.price_index / 100) ** max(years, 0)
        amount = (kind.amount * factor).quantize(ORE)
        items.append(
            ScenarioCost(
                kind.kind,
                plan.central_committee,
                amount,
                plan.first_year,
                0,
                False,
                "Uppstart: utbildning innan programmet är i full gång",
                f"Mätt: {_name(measurement)}, {label(kind.kind).lower()} bokförd före mätåren "
                f"({', '.join(str(y) for y in kind.years)}): {_kronor(kind.amount)}, uppräknad "
                f"med prisindex i {years} år",
                DRAFT,
            )
        )
    return items


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
    """Salary increase and price index for each year after the first; PO for every year.

    The PO rate is stated for every year, the first included: the ledger's
    rate for the year, else its latest, so no year stands on past averages.
    """
    later = range(plan.first_year + 1, plan.last_year + 1)
    increase, increase_source = _salary_increase(measurement, plan.salary_increase)
    every_year = range(plan.first_year, plan.last_year + 1)
    return [
        *(Assumption(SALARY_INCREASE, y, increase, increase_source, DRAFT) for y in later),
        *(_po(measurement, y) for y in every_year),
        *(Assumption(PRICE_INDEX, y, plan.price_index, PRICE_INDEX_SOURCE, DRAFT) for y in later),
    ]


def _po(measurement: Measurement, year: int) -> Assumption:
    """The year's PO rate: the ledger's for the year or its latest; the measured share only
    when the ledger has no rate at all."""
    rate = po_rate_for(measurement, year)
    if rate is None:
        share = measurement.po_percent.quantize(PERCENT_PLACES)
        source = f"Mätt: PO som andel av lön {measurement.span}; huvudboken har ingen PO-sats"
        return Assumption(PO_RATE, year, share, source, DRAFT)
    return Assumption(PO_RATE, year, rate.percent, po_source(rate, year), DRAFT)


def draft_scenario(measurement: Measurement, plan: DraftPlan) -> Scenario:
    """A scenario for the plan's areas and years, from measured unit costs."""
    _check_plan(plan)
    first, last = plan.first_year, plan.last_year
    committees = list(dict.fromkeys([plan.area_committee, plan.central_committee]))
    measured = f"{_name(measurement)} {measurement.span}"
    increase, _ = _salary_increase(measurement, plan.salary_increase)
    uprating = Uprating(measurement, first, increase, plan.price_index)
    costs = [_cost(measurement, plan, kind, uprating) for kind in measurement.kinds]
    return Scenario(
        path=plan.path,
        name=(
            f"Utkast: {measurement.programme} i {plan.municipality_name or plan.municipality}, "
            f"{plan.areas} områden {first}–{last} (ur utfallet för {measured})"
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
            f"({measurement.entries} kostnadsposter), uppräknat till {first} års nivå"
        ),
        committees=tuple(ScenarioCommittee(c, DRAFT) for c in committees),
        positions=tuple(_positions(measurement, plan, uprating)),
        costs=(*costs, *_startup(measurement, plan, uprating)),
        assumptions=tuple(_assumptions(measurement, plan)),
        notes=_header_notes(measurement, uprating),
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
        f"Mätt på utfallet för {_name(measurement)} {measurement.span} "
        f"({years} hela år, {measurement.entries} kostnadsposter i "
        f"{', '.join(measurement.files)}), i de årens priser.",
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
        "Utkastets belopp är uppräknade till basåret (scenariots första år): "
        "se uprating i huvudet och källan vid varje post.",
        f"Gemensamma kostnader: {CENTRAL_RULE}.",
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
