"""Retroactive decisions: effects dated before the decision behind them.

A decision may take effect before it is made (Malmö's 2024 reorganisation
applied from 2024-09-01 by KF's decision of 2024-09-26). Reports say so; an
effect more than a year before its decision is an error (the plugin
`ctc.plugins.decision_dates`).
"""

from __future__ import annotations

import datetime


def year_before(day: datetime.date) -> datetime.date:
    """The same date one year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def is_retroactive(effective: datetime.date, decided: datetime.date) -> bool:
    """Whether an effect starts before the decision behind it was made."""
    return effective < decided


def decided_too_late(effective: datetime.date, decided: datetime.date) -> bool:
    """Whether an effect starts more than a year before its decision: an error."""
    return effective < year_before(decided)
