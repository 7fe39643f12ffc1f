"""The one query layer every report draws its figures from.

`build_frame` walks the loaded ledger (`ctc.ledger.Ledger`) once and gathers
everything a report needs: one `CostLine` per posting on a programme cost or
income account (with its area, position, source row and decisions; income is
a negative cost), one `BudgetLine`
per change of a committee's kommunbidrag (allocations and växlingar), the
växlingar and the positions' history from the ledger's registers. Reports
aggregate these; none of them reads entries on its own.

Narrowing lives here too, as pure methods that return a new frame: a span of
years (`within`), Fava's time and advanced filters (`restrict`), Fava's account
filter down to the postings (`narrow`), one committee (`of_committee`), one
area (`of_area`) and one municipality (`of_municipality`). The command line, the
dashboard and the scenario code call the same ones, so every report and page
agree to the öre. A narrowed frame still names committees as its reports do
(`committee_name`), so callers that want the whole ledger's naming ask the
frame they narrowed from.

Internal items (purchases from and sales to other units of the city) are
real cost and income for the committee that books them. City-wide they are
eliminated by the rule of the ledger's mapping (`Mapping.eliminates`): each
such line is marked `eliminated`, and `Frame.eliminations` holds its
opposite, with cost type `internal`, for the totals that add committees up.
A frame narrowed to part of the city keeps an elimination only when the
counterparty's committee is in the part too.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from beancount.core import data

from ctc.accounts import (
    INCOME,
    INTERNAL,
    INTERNAL_KINDS,
    cost_account,
    kommunbidrag_account,
    parse_account,
)
from ctc.allocations import included_effects, included_in
from ctc.errors import UserError
from ctc.mapping import PERSONNEL_KINDS, Mapping
from ctc.model import FileDigest
from ctc.numbers import posting_number
from ctc.positions import History, Spell
from ctc.provenance import Source, source_of
from ctc.registers import CommitteeRegister, DecisionRegister, LedgerOptions
from ctc.transfers import ALLOCATION_TAG, TAG, Transfer, carrying_decision

if TYPE_CHECKING:
    from ctc.ledger import Ledger

RESPONSIBILITY = "responsibility"
"""The metadata key of the responsibility code (ansvar) a cost was booked on."""
AREA = "area"
"""The metadata key of the area whose unit a cost was booked on (written at import)."""
COUNTERPARTY = "counterparty"
"""The metadata key of the export's `Motpart`: the other unit's code, or an E/I flag."""


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
    counterparty_committee: str | None = None
    """For an internal item: the committee whose unit the counterparty is, when known."""
    eliminated: bool = False
    """Whether city-wide totals eliminate this internal item (see `Frame.eliminations`)."""

    @property
    def is_income(self) -> bool:
        """Whether the line is income (negative in report terms)."""
        return self.cost_type == INCOME

    @property
    def internal(self) -> bool:
        """Whether the line is an internal purchase or sale."""
        return self.kind in INTERNAL_KINDS

    @property
    def counterparty(self) -> str | None:
        """The export's `Motpart` for the line, if recorded."""
        value = self.entry.meta.get(COUNTERPARTY)
        return str(value) if value not in (None, "") else None

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

    def __reduce__(self) -> tuple[type[CostLine], tuple[object, ...]]:
        """Pickle as a call with the fields: unpickled 2 × faster than the dataclass's state.

        The frame cache (`ctc.frame_cache`) stores a year's and committee's lines
        for `ctc trace`; a slotted dataclass's own `__setstate__` looks up its
        fields once per object.
        """
        return (
            CostLine,
            (
                self.date,
                self.municipality,
                self.committee,
                self.programme,
                self.cost_type,
                self.kind,
                self.account,
                self.amount,
                self.entry,
                self.area,
                self.position,
                self.position_decision,
                self.decisions,
                self.source,
                self.counterparty_committee,
                self.eliminated,
            ),
        )


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
    included_in: str | None = None
    """For a växling's full-year effect that the committee's allocation already holds:
    the växling's decision. Sums leave such a line out, so the effect counts once."""

    @property
    def year(self) -> int:
        """The budget year the change applies to."""
        return self.date.year


ALLOCATION = "allocation"
TRANSFER = "transfer"


@dataclass(frozen=True)
class Frame:
    """Everything the reports read, gathered from one loaded ledger.

    A frame is a value: the filters below return a new, narrower frame and
    never touch files, so the command line and the Fava pages narrow the same
    way and get the same figures.
    """

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
    costs: tuple[CostLine, ...]
    budget: tuple[BudgetLine, ...]
    transfers: tuple[Transfer, ...]
    closings: dict[int, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """Closed year -> the decisions that closed and corrected its books."""
    elimination_rule: str | None = None
    """The mapping's rule for internal items (`programme`, `all`, `none`); None without a mapping."""

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
    def eliminations(self) -> tuple[CostLine, ...]:
        """The opposite of every eliminated internal item, with cost type `internal`.

        Adding these to the cost lines gives the city's net cost: an internal
        purchase and its matching sale cancel, and an internal purchase from
        one of the programme's units stops counting twice.
        """
        return tuple(
            dataclasses.replace(line, cost_type=INTERNAL, amount=-line.amount)
            for line in self.costs
            if line.eliminated
        )

    @property
    def city_lines(self) -> tuple[CostLine, ...]:
        """The cost and income lines and the eliminations: what sums to the city's net cost."""
        return (*self.costs, *self.eliminations)

    @property
    def allocations(self) -> tuple[BudgetLine, ...]:
        """KF's kommunbidrag allocations (the budget lines that are not växlingar)."""
        return tuple(line for line in self.budget if line.kind == ALLOCATION)

    @functools.cached_property
    def multi_municipality(self) -> bool:
        """Whether costs or kommunbidrag span more than one municipality.

        Cached: reports ask once per cost line (through `committee_name`), and
        walking every line each time made them quadratic in the ledger's size.
        A narrowed frame is a new object and asks anew.
        """
        found = {line.municipality for line in self.costs}
        found |= {line.municipality for line in self.budget}
        return len(found) > 1

    def committee_name(self, municipality: str, committee: str) -> str:
        """How reports name a committee: `KS`, or `Malmo:KS` when municipalities mix."""
        return f"{municipality}:{committee}" if self.multi_municipality else committee

    # --- Filters: each returns a narrower frame -------------------------------------

    def within(self, first: int | None, last: int | None) -> Frame:
        """The figures of the years `first` to `last` (either end open).

        Costs and kommunbidrag by the year they are booked in, växlingar by the
        year they take effect. Registers (positions, decisions) are kept whole.
        """
        return dataclasses.replace(
            self,
            costs=tuple(line for line in self.costs if in_span(line.year, first, last)),
            budget=tuple(line for line in self.budget if in_span(line.year, first, last)),
            transfers=tuple(t for t in self.transfers if in_span(t.effective.year, first, last)),
        )

    def restrict(self, entries: Iterable[data.Directive]) -> Frame:
        """The figures of the given entries only: Fava's time and advanced filters.

        Fava filters entries; its filtered list holds the very entry objects
        the frame was built from, so the frame keeps the lines of those.
        """
        kept = {id(entry) for entry in entries}
        return dataclasses.replace(
            self,
            costs=tuple(line for line in self.costs if id(line.entry) in kept),
            budget=tuple(line for line in self.budget if id(line.entry) in kept),
            transfers=tuple(t for t in self.transfers if id(t.entry) in kept),
        )

    def narrow(self, account_ok: AccountPredicate | None) -> Frame:
        """Only the postings whose accounts pass an account filter (Fava's `account`).

        Fava keeps whole entries that touch a matching account; the frame goes
        one step further, so that a filter on one committee shows that
        committee's figures alone: its costs, its kommunbidrag, its side of
        each växling and its positions.
        """
        if account_ok is None:
            return self
        programme = self.programme

        def committee_ok(municipality: str, committee: str) -> bool:
            return account_ok(
                kommunbidrag_account(municipality, committee, programme)
            ) or account_ok(cost_account(municipality, committee, programme, "salary"))

        transfers = []
        for transfer in self.transfers:
            lines = tuple(
                li for li in transfer.lines if committee_ok(li.municipality, li.committee)
            )
            if lines:
                transfers.append(dataclasses.replace(transfer, lines=lines))
        history = {
            ident: [s for s in spells if committee_ok(s.municipality, s.committee)]
            for ident, spells in self.history.items()
        }

        def kept(line: CostLine) -> CostLine:
            other = line.counterparty_committee
            if line.eliminated and other is not None and not committee_ok(line.municipality, other):
                return dataclasses.replace(line, eliminated=False)
            return line

        return dataclasses.replace(
            self,
            costs=tuple(kept(line) for line in self.costs if account_ok(line.account)),
            budget=tuple(b for b in self.budget if committee_ok(b.municipality, b.committee)),
            transfers=tuple(transfers),
            history={ident: spells for ident, spells in history.items() if spells},
        )

    def of_committee(self, municipality: str, committee: str) -> Frame:
        """One committee's figures: its costs, its kommunbidrag, its side of each växling."""

        def ours(account: str) -> bool:
            parsed = parse_account(account)
            return parsed is not None and (parsed.municipality, parsed.committee) == (
                municipality,
                committee,
            )

        return self.narrow(ours)

    def of_area(self, area: str | None) -> Frame:
        """The costs booked on one area's units (None: the common costs) and its positions.

        Kommunbidrag and växlingar belong to committees, not areas: none are
        kept; nor are eliminations, which are city-wide.
        """
        return dataclasses.replace(
            self,
            costs=tuple(
                dataclasses.replace(line, eliminated=False)
                for line in self.costs
                if line.area == area
            ),
            budget=(),
            transfers=(),
            history={
                ident: kept
                for ident, spells in self.history.items()
                if (kept := [s for s in spells if s.area == area])
            },
        )

    def of_municipality(self, municipality: str) -> Frame:
        """The figures and positions of one municipality."""
        return dataclasses.replace(
            self,
            costs=tuple(line for line in self.costs if line.municipality == municipality),
            budget=tuple(line for line in self.budget if line.municipality == municipality),
            transfers=tuple(
                t
                for t in self.transfers
                if all(line.municipality == municipality for line in t.lines)
            ),
            history={
                ident: spells
                for ident, spells in self.history.items()
                if spells and spells[0].municipality == municipality
            },
        )


AccountPredicate = Callable[[str], bool]
"""Whether an account passes an account filter."""


def in_span(year: int, first: int | None, last: int | None) -> bool:
    """Whether a year lies in the span `first`–`last` (either end open)."""
    return (first is None or year >= first) and (last is None or year <= last)


def entry_location(entry: data.Directive) -> str:
    """`file:line` of an entry, with the file's name only (the ledger folder is implied)."""
    meta = entry.meta or {}
    return f"{file_name(str(meta.get('filename') or '?'))}:{meta.get('lineno', 0)}"


@functools.lru_cache(maxsize=1024)
def file_name(path: str) -> str:
    """A file's name without its folder (once per file: a trace asks once per line)."""
    return Path(path).name


def entry_decisions(entry: data.Transaction) -> tuple[str, ...]:
    """The decisions an entry cites: its `decision` metadata first, then its links."""
    if not entry.links and "decision" not in entry.meta:
        return ()  # most imported rows cite nothing: skip the work below
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

NONE: tuple[None, None] = (None, None)
"""No position and no decision: a cost line that belongs to no position."""


def cost_lines(
    entries: Iterable[data.Directive],
    programme: str,
    history: History | None = None,
    mapping: Mapping | None = None,
) -> list[CostLine]:
    """Every posting on a cost or income account of `programme`, in ledger order.

    Each line's area is the entry's `area` metadata, which the import writes
    from the mapping when it books the row (one source: what the books say).
    With the positions' history, each payroll line gets the position booked on
    its responsibility code. With the mapping, each internal item gets its
    counterparty's committee and whether city-wide totals eliminate it.
    """
    index = unit_index(history or {})
    # Many payroll rows share a unit and a day: their position is looked up once.
    positions: dict[tuple[str | None, datetime.date], tuple[str | None, str | None]] = {}

    def position(unit: str | None, day: datetime.date) -> tuple[str | None, str | None]:
        found = positions.get((unit, day))
        if found is None:
            spell = position_of(index, unit, day)
            found = (spell.position_id, funding_decision(history or {}, spell)) if spell else NONE
            positions[(unit, day)] = found
        return found

    lines = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            parsed = parse_account(posting.account)
            amount = posting_number(posting)
            if (
                parsed is None
                or parsed.is_kommunbidrag
                or parsed.programme != programme
                or amount is None
            ):
                continue
            cost_type = parsed.cost_type or "other"
            unit = entry.meta.get(RESPONSIBILITY)
            unit = str(unit) if unit is not None else None
            area = entry.meta.get(AREA)
            ident, decision = position(unit, entry.date) if cost_type in PERSONNEL_KINDS else NONE
            line = CostLine(
                entry.date,
                parsed.municipality,
                parsed.committee,
                parsed.programme,
                cost_type,
                parsed.kind or "other",
                posting.account,
                amount,
                entry,
                area=str(area) if area else None,
                position=ident,
                position_decision=decision,
                decisions=entry_decisions(entry),
                source=source_of(entry.meta),
            )
            lines.append(with_counterparty(line, mapping) if line.internal else line)
    return lines


def with_counterparty(line: CostLine, mapping: Mapping | None) -> CostLine:
    """An internal item with its counterparty's committee and the mapping's elimination verdict.

    The rule applies to the mapping's own municipality; other municipalities'
    internal items are not eliminated (their mapping is not this one).
    """
    if mapping is None or line.municipality != mapping.municipality:
        return line
    return dataclasses.replace(
        line,
        counterparty_committee=mapping.counterparty_committee(line.counterparty),
        eliminated=mapping.eliminates(line.kind, line.counterparty),
    )


def budget_lines(entries: Sequence[data.Directive], programme: str) -> list[BudgetLine]:
    """Every change of a committee's kommunbidrag for `programme`, in ledger order.

    A växling's full-year line that the committee's allocation for the year
    already includes is marked `included_in` (`ctc.allocations`).
    """
    included = included_effects(entries)
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
            amount = posting_number(posting)
            if (
                parsed is None
                or not parsed.is_kommunbidrag
                or parsed.programme != programme
                or amount is None
            ):
                continue
            lines.append(
                BudgetLine(
                    entry.date,
                    parsed.municipality,
                    parsed.committee,
                    parsed.programme,
                    -amount,
                    kind,
                    decision,
                    entry,
                    included_in(entry, parsed.municipality, parsed.committee, included),
                )
            )
    return lines


def ledger_mapping(ledger: Ledger) -> Mapping | None:
    """The ledger's mapping for the elimination rule; None when it has none or it cannot be read.

    Reports do not need the mapping otherwise, so a broken mapping file stops
    imports (which name it) but not reports: they then eliminate nothing and
    say so (`Frame.elimination_rule` is None).
    """
    try:
        return ledger.mapping
    except UserError:
        return None


def build_frame(ledger: Ledger) -> Frame:
    """Gather every figure the reports need from a loaded ledger (no file is read here)."""
    registers = ledger.registers
    entries = ledger.entries
    mapping = ledger_mapping(ledger)
    return Frame(
        path=ledger.path if ledger.options_map.get("filename") else None,
        files=ledger.files,
        options=registers.options,
        committees=registers.committees,
        areas=registers.area_names(),
        decisions=registers.decisions,
        history=registers.history,
        costs=tuple(cost_lines(entries, registers.options.programme, registers.history, mapping)),
        budget=tuple(budget_lines(entries, registers.options.programme)),
        transfers=registers.transfers,
        closings=registers.closings,
        elimination_rule=mapping.eliminate if mapping is not None else None,
    )
