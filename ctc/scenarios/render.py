"""Writing a scenario as a Beancount file: the inverse of `ctc.scenarios.parse`.

The draft from actuals and the example's Linköping scenario are both written
here, with Beancount's own printer, so what `ctc scenario new` writes is
exactly what `ctc report scenario` reads back.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from ctc.scenarios.model import (
    ASSUMPTION,
    COMMITTEE,
    COST,
    HEADER,
    POSITION,
    Scenario,
    ScenarioCost,
    ScenarioPosition,
)
from ctc.writer import render_entries


def plain(value: Decimal) -> Decimal:
    """A number as a reader writes it: `1.0`, `0.5`, `0.593333`, never `1.000000`."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return normal.quantize(Decimal("0.0"))
    return normal


def _custom(day: datetime.date, type_: str, values: Sequence[Any], **meta: Any) -> data.Custom:
    """A directive with the given metadata; empty and FALSE fields are left out, as a reader would."""
    fields = {"filename": "<scenario>", "lineno": 0}
    fields.update({k: v for k, v in meta.items() if v is not None and v is not False})
    return data.Custom(fields, day, type_, [ValueType(v, type(v)) for v in values])


def _sek(amount: Decimal) -> Amount:
    """An amount in kronor as Beancount writes it."""
    return Amount(amount, "SEK")


def _position(position: ScenarioPosition) -> data.Custom:
    """A position as its `custom "scenario-position"` directive."""
    return _custom(
        position.start,
        POSITION,
        [position.role],
        committee=position.committee,
        fte=plain(position.fte),
        per_area=position.per_area,
        monthly_salary=_sek(position.monthly_salary),
        source=position.source,
    )


def _cost(cost: ScenarioCost) -> data.Custom:
    """A cost item as its `custom "scenario-cost"` directive (`every` only when above 1)."""
    return _custom(
        datetime.date(cost.first_year, 1, 1),
        COST,
        [cost.kind, _sek(cost.amount)],
        committee=cost.committee,
        per_area=cost.per_area,
        every=Decimal(cost.every) if cost.every > 1 else None,
        once=cost.every == 0,
        text=cost.text,
        source=cost.source,
    )


def _header(scenario: Scenario) -> data.Custom:
    """The scenario's `custom "scenario"` header, its notes after the fields it always has."""
    return _custom(
        scenario.written,
        HEADER,
        [scenario.name],
        municipality=scenario.municipality,
        programme=scenario.programme,
        first_year=Decimal(scenario.first_year),
        last_year=Decimal(scenario.last_year),
        base_year=Decimal(scenario.base_year),
        areas=Decimal(scenario.areas),
        estimate=scenario.estimate,
        synthetic=scenario.synthetic,
        source=scenario.source,
        financing=scenario.financing,
        **scenario.notes,
    )


def scenario_sections(scenario: Scenario) -> list[tuple[str, list[data.Custom]]]:
    """(comment, directives) for each part of the file, in the order it is written.

    Only the scenario's own assumptions are written: a PO rate filled in from
    the ledger's register (no location) stays in the ledger.
    """
    committees = [_custom(scenario.written, COMMITTEE, [c.short]) for c in scenario.committees]
    assumptions = [
        _custom(
            datetime.date(a.year, 1, 1),
            ASSUMPTION,
            [a.name, plain(a.percent)],
            source=a.source,
        )
        for a in scenario.assumptions
        if a.location is not None
    ]
    return [
        ("Scenariot", [_header(scenario)]),
        ("Nämnder som berörs", committees),
        (
            "Tjänster (roller, inga personer); belopp i basårets priser",
            [_position(p) for p in scenario.positions],
        ),
        ("Övriga kostnader; belopp i basårets priser", [_cost(c) for c in scenario.costs]),
        ("Antaganden per år (procent)", assumptions),
    ]


def render_scenario(scenario: Scenario, comments: Sequence[str] = ()) -> str:
    """The scenario as Beancount text, with `comments` as `;` lines at the top."""
    parts = ["".join(f"; {line}".rstrip() + "\n" for line in comments)]
    for title, entries in scenario_sections(scenario):
        if entries:
            parts.append(f"; --- {title}\n\n" + render_entries(entries))
    return "\n".join(part for part in parts if part)
