"""The finance-system export importer: parse the sheet, book the programme rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from ctc.accounts import cost_counter_account
from ctc.errors import UserError
from ctc.importers.base import WorkbookImporter
from ctc.importers.booking import cost_items
from ctc.importers.extraction import Extraction
from ctc.importers.layout import Located
from ctc.importers.utfall import UTFALL, parse_export


class CostImporter(WorkbookImporter):
    """Booked rows of a finance system (Raindance, Unit4/Agresso, Visma) -> cost entries."""

    kind = UTFALL

    def archive_account(self) -> str:
        """Exports are archived under the settlement account every booked cost is credited to."""
        return cost_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Parse the export, then book its programme rows through the mapping."""
        fields = located.header.fields
        if not (
            ("project" in fields and self.mapping.projects)
            or ("activity" in fields and self.mapping.activities)
        ):
            marks = ", ".join(sorted(self.mapping.projects | self.mapping.activities))
            raise UserError(
                f"{path.name}: blad {located.sheet}, rad {located.header.row}: exporten har ingen "
                f"kolumn som mappningen märker programmets rader med (Projekt eller Aktivitet: {marks})."
            )
        parsed = parse_export(located, self.mapping)
        source = self.source(path, located)
        items, totals, unmapped = cost_items(parsed.programme, self.mapping, source, located.header)
        rejected = sorted((*parsed.rejected, *unmapped), key=lambda r: (r.row or 0, r.column or ""))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=parsed.last_date or datetime.date(1970, 1, 1),
            items=tuple(items),
            rows=parsed.rows,
            programme_rows=len(parsed.programme),
            programme_total=sum((row.amount for row in parsed.programme), Decimal(0)),
            by_year_committee=totals.figures(),
            not_programme=parsed.not_programme,
            rejected=tuple(rejected),
            notes=parsed.notes,
        )
