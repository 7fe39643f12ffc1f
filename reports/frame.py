"""The one query layer every report draws its figures from.

`build_frame` walks the loaded ledger once and gathers everything a report
needs: one `CostLine` per posting on a programme cost account (with its area,
position, source row and decisions), one `BudgetLine` per change of a
committee's kommunbidrag (allocations and växlingar), the växlingar as read by
`ctc.transfers`, the positions' history and the registers. Reports aggregate
these; none of them reads entries on its own, so every report, and the Fava
pages that call the same functions, agree with each other.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from ctc.accounts import parse_account
from ctc.errors import UserError
from ctc.mapping import PERSONNEL_KINDS, Mapping, load_mapping
from ctc.positions import History, Spell, build_history
from ctc.provenance import Source, source_of
from ctc.registers import (
    CommitteeRegister,
    DecisionRegister,
    LedgerOptions,
    parse_areas,
    parse_committees,
    parse_decisions,
    parse_options,
)
from ctc.transfers import ALLOCATION_TAG, TAG, Transfer, carrying_decision, read_transfers

RESPONSIBILITY = "responsibility"
"""The metadata key of the responsibility code (ansvar) a cost was booked on."""


@dataclass(frozen=True, slots=True)
class CostLine:
    """One posting of programme cost, in report terms (cost positive)."""

    date: datetime.date
    municipality: str
    committee: str
    programme: str
    cost_type: str
    kind: str
    account: str
    amount: Decimal
    entry: data.Transaction
    area: str | None = None
    """The area whose unit the cost was booked on; None for common costs (gemensamt)."""
    position: str | None = None
    """The position a payroll cost belongs to; None for other costs."""
    position_decision: str | None = None
    """The decision behind the position's funding on the cost's date."""
    decisions: tuple[str, ...] = ()
    """Decisions the entry itself cites (links and `decision` metadata)."""
    source: Source | None = None
    """The source row the entry was imported from; None for a hand-written entry."""

    @property
    def year(self) -> int:
        """The fiscal year: the calendar year of the booking."""
        return self.date.year

    @property
    def narration(self) -> str:
        """The entry's text."""
        return self.entry.narration or ""

    @property
    def responsibility(self) -> str | None:
        """The responsibility code the cost was booked on, if recorded."""
        value = self.entry.meta.get(RESPONSIBILITY)
        return str(value) if value is not None else None

    @property
    def location(self) -> str:
        """`file:line` of the entry in the ledger: where an auditor finds it."""
        return entry_location(self.entry)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One change of a committee's kommunbidrag: an allocation or a växling line.

    The amount is what the committee gets (positive) or gives (negative); the
    ledger books kommunbidrag as negative income, so the sign is flipped here.
    """

    date: datetime.date
    municipality: str
    committee: str
    programme: str
    amount: Decimal
    kind: str
    """`allocation` (KF's frame, tagged #kommunbidrag) or `transfer` (a växling)."""
    decision: str | None
    entry: data.Transaction

    @property
    def year(self) -> int:
        """The budget year the change applies to."""
        return self.date.year


ALLOCATION = "allocation"
TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class FileDigest:
    """A ledger file and the SHA-256 of its bytes, for the report's provenance."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Frame:
    """Everything the reports read, gathered from one loaded ledger."""

    path: Path | None
    """The ledger's main file."""
    files: tuple[FileDigest, ...]
    """Every file the ledger loaded (main file first), with its SHA-256."""
    options: LedgerOptions
    committees: CommitteeRegister
    areas: tuple[str, ...]
    """Area names in register order."""
    decisions: DecisionRegister
    history: History
    mapping: Mapping | None
    costs: tuple[CostLine, ...]
    budget: tuple[BudgetLine, ...]
    transfers: tuple[Transfer, ...]

    @property
    def programme(self) -> str:
        """The programme the reports are about (`CTC`)."""
        return self.options.programme

    @property
    def committee_order(self) -> list[str]:
        """Committee short names in register order, for sorting report rows."""
        return list(dict.fromkeys(c.short for c in self.committees.values()))

    @property
    def position_order(self) -> list[str]:
        """Position ids in the order the register opens them."""
        return list(self.history)

    @functools.cached_property
    def multi_municipality(self) -> bool:
        """Whether costs or kommunbidrag span more than one municipality.

        Cached: reports ask once per cost line (through `committee_name`), and
        walking every line each time made them quadratic in the ledger's size.
        A narrowed copy (`dataclasses.replace`) is a new object and asks anew.
        """
        found = {line.municipality for line in self.costs}
        found |= {line.municipality for line in self.budget}
        return len(found) > 1

    def committee_name(self, municipality: str, committee: str) -> str:
        """How reports name a committee: `KS`, or `Malmo:KS` when municipalities mix."""
        return f"{municipality}:{committee}" if self.multi_municipality else committee


def entry_location(entry: data.Directive) -> str:
    """`file:line` of an entry, with the file's name only (the ledger folder is implied)."""
    meta = entry.meta or {}
    filename = str(meta.get("filename") or "?")
    return f"{Path(filename).name}:{meta.get('lineno', 0)}"


def entry_decisions(entry: data.Transaction) -> tuple[str, ...]:
    """The decisions an entry cites: its `decision` metadata first, then its links."""
    cited = []
    value = entry.meta.get("decision")
    if isinstance(value, str) and value.strip():
        cited.append(value.strip())
    cited += sorted(entry.links)
    return tuple(dict.fromkeys(cited))


# --- Positions of payroll costs -------------------------------------------------

UnitIndex = dict[str, list[Spell]]
"""Responsibility code -> every spell booked on it, in date order."""


def unit_index(history: History) -> UnitIndex:
    """Index the positions' spells by the responsibility code of their payroll."""
    index: UnitIndex = defaultdict(list)
    for spells in history.values():
        for spell in spells:
            if spell.unit:
                index[spell.unit].append(spell)
    for spells in index.values():
        spells.sort(key=lambda s: s.start)
    return dict(index)


def position_of(index: UnitIndex, unit: str | None, day: datetime.date) -> Spell | None:
    """The spell a payroll cost booked on `unit` on `day` belongs to.

    The position whose spell covers the day; failing that (holiday pay or a
    correction booked after a move or an end), the position that last had the
    unit before the day. None when no position, or more than one, fits.
    """
    if not unit:
        return None
    earlier = [s for s in index.get(unit, []) if s.start <= day]
    covering = {s.position_id: s for s in earlier if s.covers(day)}
    if len(covering) == 1:
        return next(iter(covering.values()))
    if covering or not earlier:
        return None
    return max(earlier, key=lambda s: (s.end or day, s.start))


def funding_decision(history: History, spell: Spell) -> str | None:
    """The decision behind a spell: its own, else the latest one before it.

    A salary revision starts a new spell without a decision; the position is
    still funded under the decision that opened or last moved it.
    """
    decision = None
    for earlier in history.get(spell.position_id, []):
        if earlier.start > spell.start:
            break
        decision = earlier.decision or decision
    return decision


# --- Building the frame ------------------------------------------------------------


def cost_lines(
    entries: Iterable[data.Directive],
    programme: str,
    mapping: Mapping | None = None,
    history: History | None = None,
) -> list[CostLine]:
    """Every posting on a cost account of `programme`, in ledger order.

    With a mapping, each line gets the area of its responsibility code; with the
    positions' history, each payroll line gets the position booked on that code.
    """
    index = unit_index(history or {})
    lines = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            if parsed is None or parsed.is_kommunbidrag or parsed.programme != programme:
                continue
            cost_type = parsed.cost_type or "other"
            unit = entry.meta.get(RESPONSIBILITY)
            unit = str(unit) if unit is not None else None
            area = None
            if mapping is not None and unit and mapping.municipality in ("", parsed.municipality):
                area = mapping.area_of(unit)
            spell = position_of(index, unit, entry.date) if cost_type in PERSONNEL_KINDS else None
            lines.append(
                CostLine(
                    entry.date,
                    parsed.municipality,
                    parsed.committee,
                    parsed.programme,
                    cost_type,
                    parsed.kind or "other",
                    posting.account,
                    posting.units.number,
                    entry,
                    area=area,
                    position=spell.position_id if spell else None,
                    position_decision=funding_decision(history or {}, spell) if spell else None,
                    decisions=entry_decisions(entry),
                    source=source_of(entry.meta),
                )
            )
    return lines


def budget_lines(entries: Iterable[data.Directive], programme: str) -> list[BudgetLine]:
    """Every change of a committee's kommunbidrag for `programme`, in ledger order."""
    lines = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        if TAG in entry.tags:
            kind = TRANSFER
        elif ALLOCATION_TAG in entry.tags:
            kind = ALLOCATION
        else:
            continue
        decision = carrying_decision(entry)
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            if parsed is None or not parsed.is_kommunbidrag or parsed.programme != programme:
                continue
            lines.append(
                BudgetLine(
                    entry.date,
                    parsed.municipality,
                    parsed.committee,
                    parsed.programme,
                    -posting.units.number,
                    kind,
                    decision,
                    entry,
                )
            )
    return lines


def file_digests(paths: Sequence[str]) -> tuple[FileDigest, ...]:
    """The SHA-256 of each ledger file; a file that cannot be read is left out."""
    digests = []
    for name in dict.fromkeys(paths):
        path = Path(name)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        digests.append(FileDigest(str(path), digest))
    return tuple(digests)


def build_frame(
    entries: Sequence[data.Directive],
    options_map: dict[str, Any],
    register_entries: Sequence[data.Directive] | None = None,
) -> Frame:
    """Gather every figure the reports need from a loaded ledger.

    `entries` may be a filtered subset (Fava's time or account filter): the
    frame's figures then hold exactly what the filter lets through. The
    registers (options, committees, decisions, positions) are read from
    `register_entries` when given, so that a filter that drops their
    directives does not drop the registers with them.
    """
    registers = entries if register_entries is None else register_entries
    options, _ = parse_options(registers)
    committees, _ = parse_committees(registers)
    areas, _ = parse_areas(registers)
    decisions, _ = parse_decisions(registers, committees)
    history, _ = build_history(registers)
    mapping = load_mapping(Path(options.mapping)) if options.mapping else None
    filename = options_map.get("filename")
    names = [str(filename)] if filename else []
    names += [str(p) for p in options_map.get("include", [])]
    return Frame(
        path=Path(filename) if filename else None,
        files=file_digests(names),
        options=options,
        committees=committees,
        areas=tuple(dict.fromkeys(name for _, name in areas)),
        decisions=decisions,
        history=history,
        mapping=mapping,
        costs=tuple(cost_lines(entries, options.programme, mapping, history)),
        budget=tuple(budget_lines(entries, options.programme)),
        transfers=tuple(read_transfers(entries)),
    )


def require_mapping(frame: Frame) -> Mapping:
    """The frame's mapping, or a clear error when the ledger names none."""
    if frame.mapping is None:
        raise UserError(
            'Huvudboken anger ingen mappningsfil (custom "ctc-option" "mapping"); '
            "områden kan inte bestämmas utan den."
        )
    return frame.mapping


def load_frame(path: Path | None = None) -> Frame:
    """Load a ledger that passes its checks and gather its frame (for the CLI and tests)."""
    from ctc.ledger import load_clean_ledger

    ledger = load_clean_ledger(path)
    return build_frame(ledger.entries, ledger.options_map)
