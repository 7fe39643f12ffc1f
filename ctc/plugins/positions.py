"""Checks that a position is funded by exactly one committee on any date.

The position directives (`position`, `position-change`, `position-move`,
`position-end`) must tell one consistent story per position: it is opened
once while not funded, moved only from the committee that funds it, and its
FTE is greater than 0 and at most 1. Committees and areas must be registered.
"""

from __future__ import annotations

from beancount.core import data

from ctc.errors import RuleError, rule_error
from ctc.positions import History, build_history
from ctc.registers import AreaRegister, CommitteeRegister, parse_areas, parse_committees

__plugins__ = ("check_positions",)


def _register_errors(
    history: History, committees: CommitteeRegister, areas: AreaRegister
) -> list[RuleError]:
    errors = []
    for spells in history.values():
        for spell in spells:
            if (spell.municipality, spell.committee) not in committees:
                message = f"Tjänsten {spell.position_id}: nämnden {spell.committee} i {spell.municipality} är inte registrerad."
                errors.append(rule_error("position-register", spell.meta, message, None))
            if spell.area is not None and (spell.municipality, spell.area) not in areas:
                message = f'Tjänsten {spell.position_id}: området {spell.area} är inte registrerat (custom "area").'
                errors.append(rule_error("position-register", spell.meta, message, None))
    return errors


def check_positions(
    entries: data.Entries, options_map: data.Options
) -> tuple[data.Entries, list[RuleError]]:
    """Report positions funded twice, moved from the wrong committee, or with a bad FTE."""
    history, errors = build_history(entries)
    committees, _ = parse_committees(entries)
    areas, _ = parse_areas(entries)
    return entries, errors + _register_errors(history, committees, areas)
