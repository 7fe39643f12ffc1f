"""Every kind of workbook `ctc import` knows, and the importer of each.

For beangulp's own command line, a ledger's `import.py` can be as short as:

    import beangulp
    from ctc.importers.registry import importers_for
    beangulp.Ingest(importers_for("ledger/main.beancount"))()
"""

from __future__ import annotations

from pathlib import Path

from ctc.importers.base import WorkbookImporter
from ctc.importers.costs import CostImporter
from ctc.importers.kommunbidrag import KOMMUNBIDRAG, KommunbidragImporter
from ctc.importers.layout import Kind
from ctc.importers.roster import TJANSTER, RosterImporter
from ctc.importers.utfall import UTFALL
from ctc.importers.vaxling import KEY_WORDS, VAXLING, TransferImporter
from ctc.mapping import Mapping

KINDS: tuple[Kind, ...] = (VAXLING, TJANSTER, KOMMUNBIDRAG, UTFALL)
"""The kinds `locate` chooses between; on a tie the earlier wins."""

KEY_KINDS: dict[str, Kind] = dict.fromkeys(KEY_WORDS, VAXLING)

IMPORTERS: dict[str, type[WorkbookImporter]] = {
    UTFALL.name: CostImporter,
    TJANSTER.name: RosterImporter,
    VAXLING.name: TransferImporter,
    KOMMUNBIDRAG.name: KommunbidragImporter,
}


def importers(mapping: Mapping, decision: str | None = None) -> list[WorkbookImporter]:
    """One importer of each kind, configured by a ledger's mapping."""
    return [cls(mapping, decision) for cls in IMPORTERS.values()]


def importer_for(kind: Kind, mapping: Mapping, decision: str | None = None) -> WorkbookImporter:
    """The importer of one kind."""
    return IMPORTERS[kind.name](mapping, decision)


def importers_for(ledger: str | Path) -> list[WorkbookImporter]:
    """The importers for a ledger, configured by its mapping file (for beangulp's CLI)."""
    from ctc.importers.run import mapping_for
    from ctc.ledger import load_ledger

    loaded = load_ledger(Path(ledger))
    return importers(mapping_for(loaded, None))
