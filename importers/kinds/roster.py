"""The positions roster ("tjänster"): HR's list of positions and their changes, by position.

Each row states a position's situation from a date ("Från"), and until a
date ("Till") if the position ends: committee, role, area, responsibility
code, FTE, monthly salary, and the decision behind the change. Here every row
is checked for its position id and its dates, and the rows are grouped per
position in date order; comparing each row with the state before it and
turning it into an entry is `ctc.importers.booking.roster`'s job.

A position is a role, never a person: the roster's names, if any, are not read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ctc.importers.kinds.rows import Row, RowError, data_rows, rejection
from ctc.importers.reading.layout import Column, Kind, Located
from ctc.importers.reading.rejection import Rejection

TJANSTER = Kind(
    name="tjanster",
    label="Tjänsteförteckningen",
    columns=(
        Column("position", ("Tjänst", "Tjänst-id", "Tjänstens id", "Position", "Position id")),
        Column("role", ("Roll", "Befattning", "Role")),
        Column("committee", ("Nämnd", "Committee")),
        Column("area", ("Område", "Area")),
        Column("unit", ("Ansvar", "Resp", "Kostnadsställe", "Unit")),
        Column("fte", ("Tjänstgöringsgrad", "Sysselsättningsgrad", "Omfattning", "FTE")),
        Column("salary", ("Månadslön", "Lön", "Monthly salary", "Salary")),
        Column("start", ("Från", "Fr.o.m.", "From", "Giltig från", "Startdatum")),
        Column("end", ("Till", "T.o.m.", "To", "Giltig till", "Slutdatum")),
        Column("decision", ("Beslut", "Beslut-id", "Decision")),
        Column("note", ("Anteckning", "Kommentar", "Note")),
        Column("municipality", ("Kommun", "Municipality")),
    ),
    required=(("position",), ("committee",), ("start",)),
)


@dataclass(frozen=True, slots=True)
class Dated:
    """A roster row, its position, and the span it states: from `start`, and until `end` if given."""

    row: Row
    position: str
    start: datetime.date
    end: datetime.date | None


@dataclass(slots=True)
class RosterRows:
    """A roster's rows per position (each position's in date order), and the rows refused."""

    by_position: dict[str, list[Dated]] = field(default_factory=dict)
    rows: int = 0
    """Data rows, refused ones included."""
    rejected: list[Rejection] = field(default_factory=list)


def roster_rows(located: Located) -> RosterRows:
    """Every data row with a position id and readable dates, grouped per position in date order."""
    found = RosterRows()
    for row in data_rows(located):
        found.rows += 1
        try:
            dated = _dated(row)
        except RowError as problem:
            found.rejected.append(rejection(located, row, problem))
            continue
        found.by_position.setdefault(dated.position, []).append(dated)
    for rows in found.by_position.values():
        rows.sort(key=lambda dated: (dated.start, dated.row.number))
    return found


def _dated(row: Row) -> Dated:
    """A row's position id and span; a missing id or start, or an end before the start, is refused."""
    ident = row.code("position", required=True, what="tjänstens id") or ""
    start = row.date("start", required=True, what="från-datumet")
    end = row.date("end")
    if start is None:
        raise RowError("start", "från-datumet saknas")
    if end is not None and end < start:
        raise RowError("end", f"till-datumet {end} ligger före från-datumet {start}")
    return Dated(row, ident, start, end)
