"""A row that cannot be imported: where it is (sheet, row, column) and why, in Swedish.

Cells, a kind's rows and booking all reject rows the same way, and the
summary lists them, so the shape sits with the reading of the sheet whose
coordinates it names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that cannot be imported, and why (Swedish)."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def where(self) -> str:
        """`blad Utfall, rad 17, kolumn J` for messages."""
        parts = [f"blad {self.sheet}"] if self.sheet else []
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column}")
        return ", ".join(parts)
