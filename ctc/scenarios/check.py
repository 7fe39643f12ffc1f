"""Holding a scenario against the registers of the ledger it is computed from.

A scenario may only name committees and roles the ledger knows, and must
state every assumption its years need: a salary increase and a price index
for each year after the base year, and a PO rate for each year a position is
funded. A PO rate the scenario does not state is taken from the ledger's
register (SKR's published rate) where there is one. Every problem is reported
with the scenario file's line; `load_scenario` turns the first into a
one-line `UserError`. The ledger's registers come from the loaded model
(`ctc.ledger.Ledger.registers`); nothing here reads the ledger's entries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ctc.errors import UserError
from ctc.model import Registers
from ctc.registers import PoRateRegister
from ctc.scenarios.model import (
    ASSUMPTION_NAMES_SV,
    PO_RATE,
    PRICE_INDEX,
    SALARY_INCREASE,
    Assumption,
    Location,
    Scenario,
    ScenarioCost,
    ScenarioError,
    ScenarioPosition,
    report_order,
)
from ctc.scenarios.parse import parse_scenario


def known_roles(registers: Registers) -> set[str]:
    """Every role a position in the ledger has had."""
    return {spell.role for spells in registers.history.values() for spell in spells}


def _unregistered(scenario: Scenario, registered: set[str]) -> list[ScenarioError]:
    """The scenario's committees the ledger does not know in its municipality."""
    return [
        ScenarioError(
            committee.location,
            f"Nämnden {committee.short} finns inte i huvudbokens register för "
            f"{scenario.municipality} (kända: {', '.join(sorted(registered))}).",
        )
        for committee in scenario.committees
        if committee.short not in registered
    ]


def _undeclared(scenario: Scenario) -> list[ScenarioError]:
    """Positions and cost items at a committee the scenario does not list."""
    declared = set(scenario.committee_names)
    return [
        ScenarioError(
            item.location,
            f"Nämnden {item.committee} är inte med bland scenariots nämnder; "
            f'lägg till custom "scenario-committee" "{item.committee}".',
        )
        for item in scenario.items
        if item.committee not in declared
    ]


def _committee_errors(scenario: Scenario, registered: set[str]) -> list[ScenarioError]:
    """Every committee problem: unknown to the ledger first, then missing from the scenario.

    A municipality without registered committees is one problem, not one per committee.
    """
    if not registered:
        return [
            ScenarioError(
                scenario.location,
                f"Kommunen {scenario.municipality} har inga nämnder i huvudboken "
                '(custom "committee" med municipality).',
            )
        ]
    return _unregistered(scenario, registered) + _undeclared(scenario)


def _position_errors(scenario: Scenario, roles: set[str]) -> list[ScenarioError]:
    """Positions in a role the ledger has never had, or starting after the scenario ends."""
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
    return errors


def _item_errors(scenario: Scenario, roles: set[str]) -> list[ScenarioError]:
    """Positions, cost items outside the scenario's years, and items per area without areas."""
    errors = _position_errors(scenario, roles)
    errors += [
        ScenarioError(
            cost.location,
            f"Kostnaden börjar {cost.first_year}, utanför scenariots år "
            f"{scenario.first_year}–{scenario.last_year}.",
        )
        for cost in scenario.costs
        if not scenario.first_year <= cost.first_year <= scenario.last_year
    ]
    errors += [
        ScenarioError(
            item.location, "per_area: TRUE kräver areas: 1 eller fler i scenariots huvud."
        )
        for item in scenario.items
        if item.per_area and scenario.areas < 1
    ]
    return errors


def _missing(name: str, year: int, where: Location, why: str) -> ScenarioError:
    """An assumption the scenario needs and lacks, with the directive to add."""
    return ScenarioError(
        where,
        f"Antagande saknas: {ASSUMPTION_NAMES_SV[name]} för {year}, som {why} behöver; "
        f'lägg till {year}-01-01 custom "scenario-assumption" "{name}" <procent> med source.',
    )


def _missing_growth(scenario: Scenario) -> list[ScenarioError]:
    """Salary increases (for positions) and price indices (for cost items) not stated.

    Each is needed for every year after the base year up to the last; the base
    year's own prices need none.
    """
    errors: list[ScenarioError] = []
    later_years = range(scenario.base_year + 1, scenario.last_year + 1)
    needs: list[tuple[str, Sequence[ScenarioPosition | ScenarioCost], str]] = [
        (SALARY_INCREASE, scenario.positions, "lönerna"),
        (PRICE_INDEX, scenario.costs, "de övriga kostnaderna"),
    ]
    for name, items, why in needs:
        if items:
            errors += [
                _missing(name, year, items[0].location, why)
                for year in later_years
                if scenario.assumption(name, year) is None
            ]
    return errors


def _po_rates(
    scenario: Scenario, rates: PoRateRegister
) -> tuple[list[Assumption], list[ScenarioError]]:
    """The ledger's PO rate for each year a position is funded and the scenario states none.

    The scenario's own rate wins (it is what the scenario assumed); a year
    the ledger has no rate for either is a missing assumption.
    """
    added: list[Assumption] = []
    errors: list[ScenarioError] = []
    for year in scenario.years:
        active = [p for p in scenario.positions if p.start.year <= year]
        if not active or scenario.assumption(PO_RATE, year) is not None:
            continue
        rate = rates.get(year)
        if rate is None:
            errors.append(_missing(PO_RATE, year, active[0].location, "tjänsten"))
            continue
        kind = "uppskattning" if rate.estimate else "publicerad"
        source = f"Huvudbokens PO-sats ({kind}): {rate.source or 'källa saknas'}"
        added.append(Assumption(PO_RATE, year, rate.percent, source, None))
    return added, errors


def resolve_assumptions(
    scenario: Scenario, rates: PoRateRegister
) -> tuple[Scenario, list[ScenarioError]]:
    """Check that every needed assumption is stated; fill PO rates from the ledger's register."""
    errors = _missing_growth(scenario)
    added, missing = _po_rates(scenario, rates)
    if added:
        assumptions = tuple(sorted((*scenario.assumptions, *added), key=report_order))
        scenario = dataclasses.replace(scenario, assumptions=assumptions)
    return scenario, errors + missing


def check_scenario(
    scenario: Scenario, registers: Registers
) -> tuple[Scenario, list[ScenarioError]]:
    """Every way the scenario disagrees with the ledger; the scenario with PO rates filled.

    A scenario that names no programme is about the ledger's own.
    """
    registered = set(registers.committee_names(scenario.municipality))
    errors = _committee_errors(scenario, registered)
    errors += _item_errors(scenario, known_roles(registers))
    if scenario.programme is None:
        scenario = dataclasses.replace(scenario, programme=registers.options.programme)
    scenario, missing = resolve_assumptions(scenario, registers.po_rates)
    return scenario, errors + missing


def load_scenario(path: Path, registers: Registers) -> Scenario:
    """Parse and check a scenario file; the first problem becomes a one-line error."""
    scenario, errors = parse_scenario(path)
    if scenario is not None and not errors:
        scenario, errors = check_scenario(scenario, registers)
    if errors or scenario is None:
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        raise UserError(f"{errors[0]}{more}")
    return scenario
