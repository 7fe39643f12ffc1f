"""Scenarios: what a programme would cost, and how a forecast held, in one place.

The scenario loop, module by module:

    actuals            measure the ledger's unit costs through its Frame
    baseyear           raise measured unit costs to a scenario's base year, stated
    draft              turn a measurement into a scenario
    from_actuals       the whole `ctc scenario new`: measure, draft, check, render
    model              the scenario's values and the directives of its file
    parse              read a scenario file (Beancount's parser, every error with its line)
    check              hold a scenario against the ledger's registers
    render             write a scenario file
    costs              what a scenario costs per year, committee and cost type
    sensitivity        the scenario recomputed with one assumption changed
    report             `ctc report scenario`'s figures: checked, costed, sensitivity
    forecast           a scenario against the ledger's outcome for the years passed
    document           the reports' document shape and provenance
    report_document    the scenario report's sections ("Ekonomiska konsekvenser")
    forecast_document  the forecast report's sections

Every function takes the loaded ledger (`ctc.ledger.Ledger`): its Frame for
booked costs, its registers for committees, areas, positions and PO rates,
its mapping for the municipality it books. None prints, exits or reads the
environment; the commands (`ctc.commands.scenario`, `ctc.commands.report_scenario`)
and the dashboard's panels (`ctc.fava.scenarios`) call them.
"""

from __future__ import annotations

from ctc.scenarios.check import load_scenario
from ctc.scenarios.forecast import ForecastResult, forecast_against_outcome
from ctc.scenarios.from_actuals import Draft, DraftRequest, draft_from_actuals
from ctc.scenarios.model import Scenario
from ctc.scenarios.parse import parse_scenario, scenario_files
from ctc.scenarios.report import ScenarioReport, scenario_costs, scenario_report

__all__ = [
    "Draft",
    "DraftRequest",
    "ForecastResult",
    "Scenario",
    "ScenarioReport",
    "draft_from_actuals",
    "forecast_against_outcome",
    "load_scenario",
    "parse_scenario",
    "scenario_costs",
    "scenario_files",
    "scenario_report",
]
