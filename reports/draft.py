"""A scenario drafted from the ledger's own unit costs (`ctc scenario new --from-actuals`).

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
from decimal import Decimal
from pathlib import Path

from ctc.accounts import COST_TYPES
from ctc.errors import UserError
from ctc.numbers import ORE, format_number, format_sek
from ctc.registers import CommitteeRegister
from ctc.reports.actuals import Measurement
from ctc.reports.labels import label
from ctc.scenario import (
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
    return f"{format_sek(value, 'kr', 2)} kr"


def _positions(
    measurement: Measurement, area_committee: str, central_committee: str, start: datetime.date
) -> list[ScenarioPosition]:
    per_area_years = len(measurement.years) * len(measurement.areas)
    positions = []
    for role in measurement.roles:
        if not role.fte_months:
            continue
        fte = role.fte_years / per_area_years
        pieces = max(1, math.ceil(fte))
        where = "gemensam tjänst, fördelad lika på områdena" if role.central else "områdestjänst"
        source = (
            f"Mätt: {measurement.municipality} {measurement.span}, {role.role} "
            f"({', '.join(role.positions)}; {where}): "
            f"{format_number(role.fte_years, 4)} årsarbetare i {len(measurement.areas)} områden "
            f"under {len(measurement.years)} år; bokförd lön {_kronor(role.salary)}, "
            f"{_kronor(role.monthly_salary)} per heltidsmånad"
        )
        for _ in range(pieces):
            positions.append(
                ScenarioPosition(
                    role.role,
                    central_committee if role.central else area_committee,
                    (fte / pieces).quantize(FTE_PLACES),
                    start,
                    role.monthly_salary.quantize(ORE),
                    True,
                    source,
                    DRAFT,
                )
            )
    return positions


def _costs(
    measurement: Measurement, area_committee: str, central_committee: str, first_year: int
) -> list[ScenarioCost]:
    per_area_years = len(measurement.years) * len(measurement.areas)
    costs = []
    for kind in measurement.kinds:
        where = (
            "gemensam kostnad, fördelad lika på områdena" if kind.central else "områdets kostnad"
        )
        years = ", ".join(str(y) for y in kind.years)
        text = f"{label(kind.kind)}, genomsnitt per år och område"
        if len(kind.years) < len(measurement.years):
            text += f" (kostnad {years})"
        costs.append(
            ScenarioCost(
                kind.kind,
                central_committee if kind.central else area_committee,
                (kind.amount / per_area_years).quantize(ORE),
                first_year,
                1,
                True,
                text,
                f"Mätt: {measurement.municipality} {measurement.span}, {label(kind.kind).lower()} "
                f"({where}): {_kronor(kind.amount)} under {len(measurement.years)} år i "
                f"{len(measurement.areas)} områden",
                DRAFT,
            )
        )
    return costs


def _assumptions(
    measurement: Measurement,
    first_year: int,
    last_year: int,
    price_index: Decimal,
    salary_increase: Decimal | None,
) -> list[Assumption]:
    later = range(first_year + 1, last_year + 1)
    if salary_increase is None:
        if measurement.salary_revision is None:
            raise UserError(
                "Huvudbokens tjänsteregister har ingen lönerevision under mätåren; "
                "ange --salary-increase."
            )
        salary_increase = measurement.salary_revision.quantize(REVISION_PLACES)
        salary_source = (
            f"Mätt: genomsnittlig lönerevision i huvudbokens tjänsteregister {measurement.span}"
        )
    else:
        salary_source = "Antagande angivet när utkastet skapades (--salary-increase)"
    po = measurement.po_percent.quantize(PERCENT_PLACES)
    po_source = (
        f"Mätt: PO som andel av lön {measurement.span} i huvudboken; byt mot SKR:s PO-pålägg "
        "för året när det är publicerat"
    )
    assumptions = [
        Assumption(SALARY_INCREASE, y, salary_increase, salary_source, DRAFT) for y in later
    ]
    assumptions += [
        Assumption(PO_RATE, y, po, po_source, DRAFT) for y in range(first_year, last_year + 1)
    ]
    assumptions += [
        Assumption(PRICE_INDEX, y, price_index, PRICE_INDEX_SOURCE, DRAFT) for y in later
    ]
    return assumptions


def draft_scenario(
    measurement: Measurement,
    *,
    municipality: str,
    areas: int,
    first_year: int,
    last_year: int,
    area_committee: str,
    central_committee: str = CENTRAL,
    price_index: Decimal = DEFAULT_PRICE_INDEX,
    salary_increase: Decimal | None = None,
    path: Path = Path("utkast.beancount"),
) -> Scenario:
    """A scenario for `areas` areas over the years given, from measured unit costs."""
    if areas < 1:
        raise UserError(f"--areas ska vara minst 1, inte {areas}.")
    if first_year > last_year:
        raise UserError(f"--from {first_year} ligger efter --to {last_year}.")
    start = datetime.date(first_year, 1, 1)
    positions = _positions(measurement, area_committee, central_committee, start)
    committees = list(dict.fromkeys([area_committee, central_committee]))
    n = len(measurement.areas)
    notes = {
        "measured_municipality": measurement.municipality,
        "measured_years": measurement.span,
        "measured_entries": Decimal(measurement.entries),
        "measured_files": ", ".join(measurement.files),
        "measured_total": measurement.total,
        "measured_areas": Decimal(n),
        "central_share": f"fördelade lika på områdena, 1/{n} per område",
        "cost_per_area": measurement.cost_per_area.quantize(ORE),
    }
    name = (
        f"Utkast: {measurement.programme} i {municipality}, {areas} områden "
        f"{first_year}–{last_year} (ur utfallet för {measurement.municipality} {measurement.span})"
    )
    source = (
        f"Utkast ur huvudbokens utfall för {measurement.municipality} {measurement.span} "
        f"({measurement.entries} kostnadsposter), i de årens priser"
    )
    return Scenario(
        path=path,
        name=name,
        written=start,
        municipality=municipality,
        programme=measurement.programme,
        first_year=first_year,
        last_year=last_year,
        base_year=first_year,
        areas=areas,
        estimate=True,
        synthetic=measurement.synthetic,
        source=source,
        committees=tuple(ScenarioCommittee(c, DRAFT) for c in committees),
        positions=tuple(positions),
        costs=tuple(_costs(measurement, area_committee, central_committee, first_year)),
        assumptions=tuple(
            _assumptions(measurement, first_year, last_year, price_index, salary_increase)
        ),
        notes=notes,
        location=DRAFT,
    )


def draft_comments(measurement: Measurement, command: str) -> list[str]:
    """The draft file's opening comment: what was measured, what was left out, and how."""
    n = len(measurement.areas)
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
    lines += [
        f"Mätt på utfallet för {measurement.municipality} {measurement.span} "
        f"({len(measurement.years)} hela år, {measurement.entries} kostnadsposter i "
        f"{', '.join(measurement.files)}), i de årens priser (inte uppräknade).",
        "Utelämnade år:",
        *(
            f"  {v.year}: {v.reason if not v.full else 'helt år, men utanför den längsta sammanhängande perioden av hela år'}"
            for v in measurement.verdicts
            if v.year not in measurement.years
        ),
        f"Total kostnad {measurement.span}: {_kronor(measurement.total)}; varav gemensamt "
        f"(inget område) {_kronor(measurement.central)}, fördelat lika på {n} områden (1/{n} per område).",
        f"Kostnad per område och år: {_kronor(measurement.cost_per_area)} "
        f"(total / {n} områden / {len(measurement.years)} år). Per område, inklusive andel av det gemensamma:",
        *(
            f"  {area}: {_kronor(measurement.area_cost_per_year(area))}"
            for area in measurement.areas
        ),
        "Kostnadsmix: "
        + ", ".join(
            f"{label(kind)} {format_number(amount / measurement.total * 100, 1)} %"
            for kind, amount in sorted(measurement.by_type, key=lambda t: COST_TYPES.index(t[0]))
        )
        + ".",
        "Beloppen gäller basåret (scenariots första år); uppräkning sker bara för åren därefter.",
    ]
    return lines
