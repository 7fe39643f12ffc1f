"""The registers of a loaded ledger, read once, and the rule that finds its mapping file.

The ledger keeps its registers as directives: committees, areas, decisions, PO
rates, the positions' history, the växlingar and the records of imported
files. `read_registers` is the one function that turns those directives into
Python values for the rest of the program; a loaded `ctc.ledger.Ledger` holds
its result, and reports, the dashboard, scenarios and the import path read
from there. (The plugins in `ctc.plugins` call the same `parse_*` functions:
they run inside Beancount's load, before any `Ledger` exists, and each reports
the problems of the register it checks.)

`mapping_path` is the one rule for where a ledger's import mapping lives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from beancount.core import data

from ctc.closing import closing_decisions
from ctc.positions import History, build_history
from ctc.provenance import SOURCE_SHA256
from ctc.registers import (
    AreaRegister,
    CommitteeRegister,
    DecisionRegister,
    LedgerOptions,
    MunicipalityNames,
    PoRateRegister,
    customs,
    parse_areas,
    parse_committees,
    parse_decisions,
    parse_municipalities,
    parse_options,
    parse_po_rates,
)
from ctc.transfers import Transfer, read_transfers

SOURCE_FILE_TYPE = "source-file"
"""The `custom` type that records one imported source file."""
MAPPING_FILE = "mapping.toml"
"""The mapping file's name beside the main ledger file, when the ledger names none."""

SourceRegister = dict[str, data.Custom]
"""SHA-256 of an imported file -> its `source-file` record."""


@dataclass(frozen=True, slots=True)
class Registers:
    """Every register of a ledger, parsed from its directives (problems are the plugins')."""

    options: LedgerOptions
    committees: CommitteeRegister
    areas: AreaRegister
    decisions: DecisionRegister
    po_rates: PoRateRegister
    history: History
    """Position id -> its spells, in date order."""
    transfers: tuple[Transfer, ...]
    """Every växling, in ledger order."""
    sources: SourceRegister
    closings: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Closed year -> the decisions that closed and corrected its books (`ctc.closing`)."""
    municipalities: MunicipalityNames = field(default_factory=dict)
    """Municipality key -> its name as written (`Linkoping` -> `Linköping`)."""

    def municipality_name(self, municipality: str) -> str:
        """A municipality as readers see it: `Linköping`, not `Linkoping`."""
        return self.municipalities.get(municipality, municipality)

    def area_names(self, municipality: str | None = None) -> tuple[str, ...]:
        """Area names in register order, of one municipality or of all."""
        names = (name for town, name in self.areas if municipality in (None, town))
        return tuple(dict.fromkeys(names))

    def committee_names(self, municipality: str) -> dict[str, str]:
        """Short name -> full name of one municipality's committees."""
        return {c.short: c.name for (town, _), c in self.committees.items() if town == municipality}


@dataclass(frozen=True, slots=True)
class FileDigest:
    """A ledger file and the SHA-256 of its bytes, for a report's provenance."""

    path: str
    sha256: str


def file_digests(paths: Sequence[str]) -> tuple[FileDigest, ...]:
    """The SHA-256 of each file; a file that cannot be read is left out."""
    digests = []
    for name in dict.fromkeys(paths):
        path = Path(name)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        digests.append(FileDigest(str(path), digest))
    return tuple(digests)


def source_records(entries: Sequence[data.Directive]) -> SourceRegister:
    """SHA-256 -> the `source-file` record of every file imported into the ledger."""
    return {
        str(entry.meta.get(SOURCE_SHA256)): entry
        for entry in customs(entries, SOURCE_FILE_TYPE)
        if entry.meta.get(SOURCE_SHA256)
    }


def read_registers(entries: Sequence[data.Directive]) -> Registers:
    """Read every register from a ledger's entries, once."""
    committees, _ = parse_committees(entries)
    return Registers(
        options=parse_options(entries)[0],
        committees=committees,
        areas=parse_areas(entries)[0],
        decisions=parse_decisions(entries, committees)[0],
        po_rates=parse_po_rates(entries)[0],
        history=build_history(entries)[0],
        transfers=tuple(read_transfers(entries)),
        sources=source_records(entries),
        municipalities=parse_municipalities(entries),
        closings=closing_decisions(entries),
    )


def mapping_candidate(main: Path, options: LedgerOptions) -> Path:
    """The file a ledger's mapping is read from, whether it exists or not.

    The ledger's `custom "ctc-option" "mapping"` (relative to the file that
    names it) when given, else `mapping.toml` beside the main file. The load
    cache watches this file: one appearing beside the ledger changes the load.
    """
    return Path(options.mapping) if options.mapping else main.parent / MAPPING_FILE


def mapping_path(main: Path, options: LedgerOptions) -> Path | None:
    """Where a ledger's import mapping is: the one rule every part of the program follows.

    The file the ledger names (which must then exist), else `mapping.toml`
    beside the main file if there is one, else None: the ledger has no mapping.
    """
    candidate = mapping_candidate(main, options)
    return candidate if options.mapping or candidate.is_file() else None
