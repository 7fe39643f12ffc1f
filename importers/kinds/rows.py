"""Reading the rows of a register sheet (positions, transfer lines, kommunbidrag) by field.

These sheets are small, so clarity wins over speed: each data row becomes a
`Row` whose typed getters raise `RowError` naming the field, which the
importer turns into a rejection with the row's column letter.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ctc.importers.reading.cells import (
    CellError,
    is_blank,
    parse_amount,
    parse_code,
    parse_date,
    parse_fte,
    parse_text,
)
from ctc.importers.reading.layout import Located
from ctc.importers.reading.rejection import Rejection


class RowError(ValueError):
    """A cell of a register row that cannot be used; `field` says which column."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a register sheet, read field by field."""

    number: int
    cells: list[Any]
    fields: dict[str, int]

    def raw(self, field: str) -> Any:
        """The cell of a field, or '' when the sheet has no such column."""
        index = self.fields.get(field)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def has(self, field: str) -> bool:
        """Whether the field's cell holds a value."""
        return not is_blank(self.raw(field))

    def _read(self, field: str, parse: Callable[[Any], Any], required: bool, what: str) -> Any:
        if not self.has(field):
            if required:
                raise RowError(field, f"{what} saknas")
            return None
        try:
            return parse(self.raw(field))
        except CellError as error:
            raise RowError(field, str(error)) from None

    def text(self, field: str, required: bool = False, what: str = "värdet") -> str | None:
        """Free text or a code, stripped."""
        return self._read(field, parse_text, required, what)

    def code(self, field: str, required: bool = False, what: str = "koden") -> str | None:
        """A code: a number written as text stays exact (5011.0 becomes "5011")."""
        return self._read(field, parse_code, required, what)

    def date(
        self, field: str, required: bool = False, what: str = "datumet"
    ) -> datetime.date | None:
        """A date."""
        return self._read(field, parse_date, required, what)

    def amount(self, field: str, required: bool = False, what: str = "beloppet") -> Decimal | None:
        """An amount in kronor, exact to the öre."""
        return self._read(field, parse_amount, required, what)

    def fte(self, field: str, required: bool = False) -> Decimal | None:
        """A degree of employment."""
        return self._read(field, parse_fte, required, "tjänstgöringsgraden")


def data_rows(located: Located) -> Iterator[Row]:
    """The rows below the header that hold a value in any known column."""
    fields = located.header.fields
    indexes = list(fields.values())
    number = located.header.row
    for cells in located.rows:
        number += 1
        if any(i < len(cells) and not is_blank(cells[i]) for i in indexes):
            yield Row(number, cells, fields)


def rejection(located: Located, row: Row, problem: RowError) -> Rejection:
    """A rejection at the problem's column."""
    column = (
        located.header.letter(problem.field) if problem.field in located.header.fields else None
    )
    return Rejection(located.sheet, row.number, column, str(problem))
