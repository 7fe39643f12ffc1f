"""Holding a scenario against the ledger it is computed from.

A scenario may only name committees and roles the ledger knows, and must
state every assumption its years need: a salary increase and a price index
for each year after the base year, and a PO rate for each year a position is
funded. A PO rate the scenario does not state is taken from the ledger's
register (SKR's published rate) where there is one. Every problem is reported
with the scenario file's line; `load_scenario` turns the first into a
one-line `UserError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

from beancount.core import data

from ctc.errors import UserError
from ctc.positions import build_history
from ctc.registers import parse_committees, parse_options, parse_po_rates
from ctc.scenario import (
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    Assumption,
    Location,
    Scenario,
    ScenarioError,
    parse_scenario,
)

ASSUMPTION_NAMES_SV = {
    SALARY_INCREASE: "löneökning",
    PO_RATE: "PO-sats",
    PRICE_INDEX: "prisindex",
}


def known_roles(entries: Iterable[data.Directive]) -> set[str]:
    """Every role a position in the ledger has had."""
    history, _ = build_history(entries)
    return {spell.role for spells in history.values() for spell in spells}


def _committee_errors(scenario: Scenario, registered: set[str]) -> list[ScenarioError]:
    errors = []
    if not registered:
        return [
            ScenarioError(
                scenario.location,
                f"Kommunen {scenario.municipality} har inga nämnder i huvudboken "
                '(custom "committee" med municipality).',
            )
        ]
    for committee in scenario.committees:
        if committee.short not in registered:
            errors.append(
                ScenarioError(
                    committee.location,
                    f"Nämnden {committee.short} finns inte i huvudbokens register för "
                    f"{scenario.municipality} (kända: {', '.join(sorted(registered))}).",
                )
            )
    declared = set(scenario.committee_names)
    for item in (*scenario.positions, *scenario.costs):
        if item.committee not in declared:
            errors.append(
                ScenarioError(
                    item.location,
                    f"Nämnden {item.committee} är inte med bland scenariots nämnder; "
                    f'lägg till custom "scenario-committee" "{item.committee}".',
                )
            )
    return errors


def _item_errors(scenario: Scenario, roles: set[str]) -> list[ScenarioError]:
    errors = []
    for position in scenario.positions:
        if position.role not in roles:
            errors.append(
                ScenarioError(
                    position.location,
                    f"Rollen {position.role!r} finns inte bland huvudbokens tjänster; "
                    f"kända roller: {', '.join(sorted(roles))}.",
                )
            )
        elif position.start.year > scenario.last_year:
            errors.append(
                ScenarioError(
                    position.location,
                    f"Tjänsten börjar {position.start}, efter scenariots sista år {scenario.last_year}.",
                )
            )
    for cost in scenario.costs:
        if not scenario.first_year <= cost.first_year <= scenario.last_year:
            errors.append(
                ScenarioError(
                    cost.location,
                    f"Kostnaden börjar {cost.first_year}, utanför scenariots år "
                    f"{scenario.first_year}–{scenario.last_year}.",
                )
            )
    for item in (*scenario.positions, *scenario.costs):
        if item.per_area and scenario.areas < 1:
            errors.append(
                ScenarioError(
                    item.location, "per_area: TRUE kräver areas: 1 eller fler i scenariots huvud."
                )
            )
    return errors


def _missing(scenario: Scenario, name: str, year: int, where: Location, why: str) -> ScenarioError:
    return ScenarioError(
        where,
        f"Antagande saknas: {ASSUMPTION_NAMES_SV[name]} för {year}, som {why} behöver; "
        f'lägg till {year}-01-01 custom "scenario-assumption" "{name}" <procent> med source.',
    )


def resolve_assumptions(
    scenario: Scenario, entries: Sequence[data.Directive]
) -> tuple[Scenario, list[ScenarioError]]:
    """Check that every needed assumption is stated; fill PO rates from the ledger.

    Salary increases and the price index are needed for each year after the
    base year up to the last; a PO rate for each year in which a position is
    funded. The scenario's own PO rate wins over the ledger's (it is what the
    scenario assumed); a missing one is taken from the ledger's register.
    """
    ledger_rates, _ = parse_po_rates(entries)
    errors: list[ScenarioError] = []
    added: list[Assumption] = []
    later_years = range(scenario.base_year + 1, scenario.last_year + 1)
    needs = [
        (SALARY_INCREASE, scenario.positions, later_years, "lönerna"),
        (PRICE_INDEX, scenario.costs, later_years, "de övriga kostnaderna"),
    ]
    for name, items, years, why in needs:
        if not items:
            continue
        for year in years:
            if scenario.assumption(name, year) is None:
                errors.append(_missing(scenario, name, year, items[0].location, why))
    for year in scenario.years:
        active = [p for p in scenario.positions if p.start.year <= year]
        if not active or scenario.assumption(PO_RATE, year) is not None:
            continue
        rate = ledger_rates.get(year)
        if rate is None:
            errors.append(_missing(scenario, PO_RATE, year, active[0].location, "tjänsten"))
            continue
        kind = "uppskattning" if rate.estimate else "publicerad"
        source = f"Huvudbokens PO-sats ({kind}): {rate.source or 'källa saknas'}"
        added.append(Assumption(PO_RATE, year, rate.percent, source, None))
    if added:
        scenario = dataclasses.replace(
            scenario, assumptions=tuple(sorted((*scenario.assumptions, *added), key=_order))
        )
    return scenario, errors


def _order(assumption: Assumption) -> tuple[int, int]:
    return (list(ASSUMPTION_NAMES_SV).index(assumption.name), assumption.year)


def check_scenario(
    scenario: Scenario, entries: Sequence[data.Directive]
) -> tuple[Scenario, list[ScenarioError]]:
    """Every way the scenario disagrees with the ledger; the scenario with PO rates filled."""
    committees, _ = parse_committees(entries)
    registered = {
        short for municipality, short in committees if municipality == scenario.municipality
    }
    errors = _committee_errors(scenario, registered)
    errors += _item_errors(scenario, known_roles(entries))
    if scenario.programme is None:
        options, _ = parse_options(entries)
        scenario = dataclasses.replace(scenario, programme=options.programme)
    scenario, missing = resolve_assumptions(scenario, entries)
    return scenario, errors + missing


def load_scenario(path: Path, entries: Sequence[data.Directive]) -> Scenario:
    """Parse and check a scenario file; the first problem becomes a one-line error."""
    scenario, errors = parse_scenario(path)
    if scenario is not None and not errors:
        scenario, errors = check_scenario(scenario, entries)
    if errors or scenario is None:
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        raise UserError(f"{errors[0]}{more}")
    return scenario
