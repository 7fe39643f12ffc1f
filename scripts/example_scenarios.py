"""The example's scenarios, drawn from the example ledger's own unit costs.

The Linköping pilot (`ledger/scenarios/linkoping-pilot-2026-2028.beancount`)
answers the 2019 motion's question — what would a CTC pilot cost? — with the
draft `ctc scenario new --from-actuals` makes from Malmö's full years
2019–2023 (raised to 2026's level: the roles' latest salaries, the ledger's
latest PO rate, the price index; central costs a fixed part plus a part per
area; a start-up cost), adapted as a finance officer would adapt it: the
local development leaders at SON start in March after recruitment, the
central roles sit at KS, the survey runs in rounds every second year at the
measured cost per round, and the cost is to be financed with added
kommunbidrag. It is synthetic (the ledger's amounts are) and an estimate.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ctc.ledger import Ledger, load_ledger
from ctc.numbers import ORE, format_sek
from ctc.positions import History, spell_on
from ctc.reports.labels import label
from ctc.scenarios.actuals import Measurement, RoleMeasure, measure_actuals
from ctc.scenarios.baseyear import Uprating
from ctc.scenarios.draft import DRAFT, PRICE_INDEX_SOURCE, DraftPlan, draft_scenario
from ctc.scenarios.model import (
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    SURVEY,
    Assumption,
    Scenario,
    ScenarioCommittee,
    ScenarioCost,
    ScenarioPosition,
)
from ctc.scenarios.render import render_scenario

PILOT = Path("scenarios") / "linkoping-pilot-2026-2028.beancount"
AREAS = 2
FIRST, LAST = 2026, 2028
RECRUITED = datetime.date(FIRST, 3, 1)
WRITTEN = datetime.date(2025, 12, 1)

COMMENTS = [
    "Linköping: pilot med CTC i två områden 2026–2028 – UPPSKATTNING.",
    "",
    "OBS: SYNTETISKT EXEMPEL. Beloppen kommer ur exemplets (syntetiska) utfall för Malmö",
    "2019–2023 via `ctc scenario new --from-actuals --municipality Linkoping --areas 2",
    "--from 2026 --to 2028`, uppräknade till 2026 års nivå, och anpassat för en pilot: de",
    "lokala utvecklingsledarna vid SON börjar i mars 2026 efter rekrytering, CTC-enkäten görs",
    "vartannat år (2026, 2028) till uppmätt kostnad per omgång, och kostnaden finansieras",
    "med utökat kommunbidrag. Motionen (S) 2019-09-17 och KS 2022 § 65 (Dnr KS 2019-676)",
    "är verkliga; scenariot är inget beslut.",
    "",
    "Genererad av scripts/build_example.py; ändra där, inte här.",
]


AREA_COMMITTEE = "SON"
ROUNDS = range(FIRST, LAST + 1, 2)


def pilot(draft: Scenario, survey_amount: Decimal, survey_source: str) -> Scenario:
    """The draft adapted as a pilot: area staff recruited by March, the survey in rounds."""
    positions = tuple(
        dataclasses.replace(p, start=RECRUITED) if p.committee == AREA_COMMITTEE else p
        for p in draft.positions
    )
    costs = tuple(
        dataclasses.replace(
            c,
            amount=survey_amount,
            every=2,
            text="CTC-enkäten, en omgång vartannat år",
            source=survey_source,
        )
        if c.kind == SURVEY
        else c
        for c in draft.costs
    )
    return dataclasses.replace(
        draft,
        name="Linköping: pilot med CTC i två områden 2026–2028",
        written=WRITTEN,
        source=(
            "Syntetiskt exempel: exemplets enhetskostnader för Malmö 2019–2023 (utkast ur "
            "utfallet, uppräknat till 2026 års nivå), anpassat för en pilot; enkäten i omgångar "
            f"({', '.join(str(y) for y in ROUNDS)})"
        ),
        positions=positions,
        costs=costs,
        financing="kommunbidrag",
    )


def load_example(main: Path) -> Ledger:
    """The freshly written example ledger, which must load clean."""
    ledger = load_ledger(main)
    if ledger.errors:
        raise SystemExit(f"the example ledger has {len(ledger.errors)} errors")
    return ledger


def linkoping_pilot(ledger: Ledger) -> str:
    """The Linköping pilot scenario as file text, measured on the example ledger."""
    measurement = measure_actuals(ledger)
    plan = DraftPlan(
        municipality="Linkoping",
        areas=AREAS,
        first_year=FIRST,
        last_year=LAST,
        area_committee=AREA_COMMITTEE,
        central_committee="KS",
        municipality_name=ledger.registers.municipality_name("Linkoping"),
    )
    draft = draft_scenario(measurement, plan)
    survey = next(k for k in measurement.kinds if k.kind == SURVEY)
    areas = len(measurement.areas)
    increase = (measurement.salary_revision or Decimal(0)).quantize(Decimal("0.01"))
    uprating = Uprating(measurement, FIRST, increase, plan.price_index)
    measured = survey.amount / len(survey.years) / areas
    amount = (measured * uprating.price_factor).quantize(ORE)
    years = ", ".join(str(y) for y in survey.years)
    source = (
        f"Mätt: {measurement.municipality_name} {measurement.span}, enkät: "
        f"{format_sek(survey.amount, 'kr', 2)} kr i {len(survey.years)} omgångar ({years}) i "
        f"{areas} områden, {format_sek(measured, 'kr', 2)} kr per område och omgång; "
        f"{uprating.price_text()}: {format_sek(amount, 'kr', 2)} kr"
    )
    return render_scenario(pilot(draft, amount, source), COMMENTS)


# --- Malmö: a forecast for 2022–2023 written at the end of 2021 ----------------------

FORECAST = Path("scenarios") / "malmo-prognos-2022-2023.beancount"
FORECAST_FIRST, FORECAST_LAST = 2022, 2023
FORECAST_WRITTEN = datetime.date(2021, 12, 15)
PUBLISHED_PO_2021 = Decimal("40.15")

FORECAST_COMMENTS = [
    "Malmö: prognos för CTC 2022–2023, skriven i december 2021 – UPPSKATTNING.",
    "",
    "OBS: SYNTETISKT EXEMPEL. Prognosen bygger på exemplets (syntetiska) enhetskostnader",
    "2019–2021: tjänsterna som de stod i registret 2021-12-31, var och en vid sin nämnd, med",
    "uppmätt lön per heltidsmånad för rollen; områdenas och de gemensamma övriga",
    "kostnaderna som uppmätt genomsnitt per år; CTC-enkäten som uppmätt kostnad per",
    "omgång, nästa omgång 2023. PO-satsen är den senast publicerade när prognosen skrevs",
    "(2021). Håll den mot utfallet med `ctc report forecast --scenario` på den här filen.",
    "",
    "Genererad av scripts/build_example.py; ändra där, inte här.",
]


def _forecast_positions(
    history: History, roles: Sequence[RoleMeasure], start: datetime.date
) -> list[ScenarioPosition]:
    """The positions funded on the last day of 2021, each at its committee, at its role's unit cost."""
    salary = {role.role: role.monthly_salary.quantize(ORE) for role in roles}
    sources = {
        role.role: (
            f"Registret 2021-12-31; lön per heltidsmånad uppmätt 2019–2021 för rollen "
            f"({', '.join(role.positions)}): {format_sek(role.monthly_salary, 'kr', 2)} kr"
        )
        for role in roles
    }
    day = datetime.date(start.year - 1, 12, 31)
    positions = []
    for ident in sorted(history):
        spell = spell_on(history, ident, day)
        if spell is not None:
            positions.append(
                ScenarioPosition(
                    spell.role,
                    spell.committee,
                    spell.fte,
                    start,
                    salary[spell.role],
                    False,
                    sources[spell.role],
                    DRAFT,
                )
            )
    return positions


def _forecast_costs(
    measurement: Measurement, area_committees: dict[str, str]
) -> list[ScenarioCost]:
    """Other costs: each area's at its committee, the central ones at KS; the survey per round."""
    years = len(measurement.years)
    costs = []
    for kind in measurement.kinds:
        if kind.central:
            targets = [("KS", Decimal(1))]
        else:
            targets = [(c, Decimal(1) / len(area_committees)) for c in area_committees.values()]
        rounds = kind.kind == SURVEY
        per_year = kind.amount / (len(kind.years) if rounds else years)
        first = max(kind.years) + 2 if rounds else FORECAST_FIRST
        what = "per omgång" if rounds else "per år"
        for committee, share in targets:
            costs.append(
                ScenarioCost(
                    kind.kind,
                    committee,
                    (per_year * share).quantize(ORE),
                    first,
                    2 if rounds else 1,
                    False,
                    f"{label(kind.kind)}, uppmätt genomsnitt {what}",
                    f"Mätt: Malmö 2019–2021, {label(kind.kind).lower()}: "
                    f"{format_sek(kind.amount, 'kr', 2)} kr ({', '.join(map(str, kind.years))})",
                    DRAFT,
                )
            )
    return costs


def _forecast_assumptions(measurement: Measurement) -> tuple[Assumption, ...]:
    """The measured salary revision, SKR's PO rate of 2021 and the draft's price index."""
    revision = (measurement.salary_revision or Decimal(0)).quantize(Decimal("0.01"))
    return (
        Assumption(
            SALARY_INCREASE,
            FORECAST_LAST,
            revision,
            "Mätt: genomsnittlig lönerevision i tjänsteregistret 2019–2021",
            DRAFT,
        ),
        *(
            Assumption(
                PO_RATE,
                year,
                PUBLISHED_PO_2021,
                "SKR:s PO-pålägg 2021, det senast publicerade när prognosen skrevs",
                DRAFT,
            )
            for year in (FORECAST_FIRST, FORECAST_LAST)
        ),
        Assumption(PRICE_INDEX, FORECAST_LAST, Decimal("2.0"), PRICE_INDEX_SOURCE, DRAFT),
    )


def malmo_forecast(ledger: Ledger) -> str:
    """A forecast for 2022–2023 from the unit costs of 2019–2021, as file text."""
    measurement = measure_actuals(ledger, 2019, 2021)
    history = ledger.registers.history
    start = datetime.date(FORECAST_FIRST, 1, 1)
    positions = _forecast_positions(history, measurement.roles, start)
    area_committees = {
        p.area: p.committee
        for spells in history.values()
        for p in spells
        if p.area and p.covers(datetime.date(FORECAST_FIRST - 1, 12, 31))
    }
    committees = [
        c
        for c in ledger.registers.committee_names("Malmo")
        if any(p.committee == c for p in positions)
    ]
    positions.sort(key=lambda p: committees.index(p.committee))
    scenario = Scenario(
        path=FORECAST,
        name="Malmö: prognos för CTC 2022–2023 (skriven i december 2021)",
        written=FORECAST_WRITTEN,
        municipality="Malmo",
        programme="CTC",
        first_year=FORECAST_FIRST,
        last_year=FORECAST_LAST,
        base_year=FORECAST_FIRST,
        areas=len(measurement.areas),
        estimate=True,
        synthetic=True,
        source=(
            "Syntetiskt exempel: exemplets enhetskostnader 2019–2021 och tjänsteregistret "
            "2021-12-31"
        ),
        committees=tuple(ScenarioCommittee(c, DRAFT) for c in committees),
        positions=tuple(positions),
        costs=tuple(_forecast_costs(measurement, area_committees)),
        assumptions=_forecast_assumptions(measurement),
        location=DRAFT,
    )
    return render_scenario(scenario, FORECAST_COMMENTS)
