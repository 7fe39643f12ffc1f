"""The importer of every kind of workbook `ctc import` knows.

For beangulp's own command line, a ledger's `import.py` can be as short as:

    import beangulp
    from ctc.importers.registry import importers_for
    beangulp.Ingest(importers_for("ledger/main.beancount"))()
"""

from __future__ import annotations

from pathlib import Path

from ctc.importers.booking.importer import WorkbookImporter
from ctc.importers.booking.kommunbidrag import KommunbidragImporter
from ctc.importers.booking.roster import RosterImporter
from ctc.importers.booking.utfall import CostImporter
from ctc.importers.booking.vaxling import TransferImporter
from ctc.importers.kinds.kommunbidrag import KOMMUNBIDRAG
from ctc.importers.kinds.roster import TJANSTER
from ctc.importers.kinds.utfall import UTFALL
from ctc.importers.kinds.vaxling import VAXLING
from ctc.importers.reading.layout import Kind
from ctc.ledger import load_ledger
from ctc.mapping import Mapping

IMPORTERS: dict[str, type[WorkbookImporter]] = {
    UTFALL.name: CostImporter,
    TJANSTER.name: RosterImporter,
    VAXLING.name: TransferImporter,
    KOMMUNBIDRAG.name: KommunbidragImporter,
}
"""Kind name -> its importer; the kinds themselves are `ctc.importers.kinds.recognise.KINDS`."""


def importers(mapping: Mapping, decision: str | None = None) -> list[WorkbookImporter]:
    """One importer of each kind, configured by a ledger's mapping."""
    return [cls(mapping, decision) for cls in IMPORTERS.values()]


def importer_for(kind: Kind, mapping: Mapping, decision: str | None = None) -> WorkbookImporter:
    """The importer of one kind."""
    return IMPORTERS[kind.name](mapping, decision)


def importers_for(ledger: str | Path) -> list[WorkbookImporter]:
    """The importers for a ledger, configured by its mapping (`Ledger.require_mapping`)."""
    return importers(load_ledger(Path(ledger)).require_mapping())
