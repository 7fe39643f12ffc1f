"""What `ctc report scenario` computes: a scenario file, checked and costed, with its sensitivity.

The scenario is read from its file and held against the loaded ledger's
registers (`ctc.ledger.Ledger`); the costs and the sensitivity are computed
from the scenario alone. The same functions serve the command, the
dashboard's scenario panels and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ctc.scenarios.check import load_scenario
from ctc.scenarios.costs import ScenarioCosts, costs_of, unit_cost_per_area
from ctc.scenarios.sensitivity import SensitivityRow, sensitivity

if TYPE_CHECKING:
    from ctc.ledger import Ledger


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    """Everything `ctc report scenario` shows."""

    costs: ScenarioCosts
    unit_cost_per_area: Decimal | None
    """Annual cost per area in the base year's prices, before indexation (exact)."""
    sensitivity: tuple[SensitivityRow, ...]


def scenario_costs(ledger: Ledger, path: Path) -> ScenarioCosts:
    """Load a scenario file, check it against the ledger's registers, and cost it.

    Pure: no printing, no Flask; a bad file raises `UserError` naming its line.
    """
    return costs_of(load_scenario(path, ledger.registers))


def scenario_report(ledger: Ledger, path: Path) -> ScenarioReport:
    """The cost rows, the unit cost per area and the sensitivity table of a scenario."""
    costs = scenario_costs(ledger, path)
    scenario = costs.scenario
    return ScenarioReport(costs, unit_cost_per_area(scenario), sensitivity(scenario))
