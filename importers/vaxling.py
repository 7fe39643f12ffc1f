"""The transfer decision (växling): a decision's sheet -> its two växling entries.

The sheet names the decision and its effective date in key cells above the
lines ("Beslut", "Ikraftträdande", optionally "Rubrik", "Nämndbeslut",
"Kommun", "Program"). Each line moves annual amounts from one committee to
another: a position's salary and PO, other costs, or both. Where a line names
a position and leaves salary or PO blank, they come from the ledger: the
position's monthly salary on the effective date × FTE × 12, and the salary ×
the year's PO rate, each rounded to whole kronor.

The entries themselves, and the rounding rule for the applicable months
(full-year amount × months / 12 per line, the residue to the largest line),
are `ctc.transfers`'; this module only reads the decision.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from ctc.accounts import allocation_counter_account
from ctc.importers.base import WorkbookImporter
from ctc.importers.cells import CellError, is_blank, parse_code, parse_date, parse_text
from ctc.importers.context import LedgerContext
from ctc.importers.extraction import Extraction, Item, Rejection
from ctc.importers.identity import SourceFile, fingerprint
from ctc.importers.layout import Column, Kind, Located, normalise
from ctc.importers.rows import Row, RowError, data_rows, rejection
from ctc.numbers import round_half_away
from ctc.transfers import (
    APPLICABLE,
    TransferItem,
    TransferPlan,
    carrying_decision,
    is_transfer,
    transfer_transactions,
)

VAXLING = Kind(
    name="vaxling",
    label="Växlingsbeslutet",
    columns=(
        Column("position", ("Tjänst", "Tjänst-id", "Position")),
        Column("giver", ("Från nämnd", "Lämnande nämnd", "Lämnar", "From committee")),
        Column("receiver", ("Till nämnd", "Mottagande nämnd", "Tar emot", "To committee")),
        Column("salary", ("Lön", "Personalkostnad", "Salary")),
        Column("po", ("PO", "Personalomkostnader")),
        Column("other", ("Övrigt", "Övriga kostnader", "Other")),
        Column("text", ("Text", "Beskrivning", "Avser", "Description")),
    ),
    required=(("giver",), ("receiver",)),
)

KEYS: dict[str, tuple[str, ...]] = {
    "decision": ("Beslut", "Beslut-id", "Beslutets id", "Decision"),
    "effective": ("Ikraftträdande", "Gäller från", "Effective", "Effective date"),
    "title": ("Rubrik", "Title"),
    "links": ("Nämndbeslut", "Övriga beslut", "Länkar", "Links"),
    "municipality": ("Kommun", "Municipality"),
    "programme": ("Program", "Programme"),
}
"""Key cells above the lines: the key word, and its value in the next cell to the right."""

KEY_WORDS = {normalise(word) for word in KEYS["effective"]}
"""Key words that tell a transfer decision from every other kind of sheet."""


def key_values(preamble: tuple[list[Any], ...]) -> dict[str, tuple[Any, int]]:
    """Key -> (value, row number) read from the rows above the lines."""
    words = {normalise(w): key for key, ws in KEYS.items() for w in ws}
    found: dict[str, tuple[Any, int]] = {}
    for number, row in enumerate(preamble, start=1):
        for index, cell in enumerate(row):
            key = words.get(normalise(cell))
            if key is None or key in found:
                continue
            value = next((c for c in row[index + 1 :] if not is_blank(c)), "")
            found[key] = (value, number)
    return found


class TransferImporter(WorkbookImporter):
    """A transfer decision's sheet -> the växling entries (applicable months and full year)."""

    kind = VAXLING

    def archive_account(self) -> str:
        """Decisions on kommunbidrag are archived under the council's side of it."""
        return allocation_counter_account(self.mapping.municipality)

    def read(self, path: Path, existing: data.Entries, located: Located) -> Extraction:
        """Read the key cells and the lines; build the plan and its two entries."""
        context = LedgerContext.of(existing)
        source = self.source(path, located)
        sheet = located.sheet
        keys = key_values(located.preamble)
        rejected: list[Rejection] = []
        head: dict[str, Any] = {}
        unreadable: set[str] = set()
        for key, reader in (
            ("decision", parse_code),
            ("effective", parse_date),
            ("title", parse_text),
            ("links", parse_text),
            ("municipality", parse_text),
            ("programme", parse_text),
        ):
            value, number = keys.get(key, ("", None))
            if is_blank(value):
                head[key] = None
                continue
            try:
                head[key] = reader(value)
            except CellError as error:
                unreadable.add(key)
                rejected.append(Rejection(sheet, number, None, f"{KEYS[key][0]}: {error}"))
        decision_row = keys.get("decision", ("", located.header.row))[1] or located.header.row
        for key in ("decision", "effective"):
            if head.get(key) is None and key not in unreadable:
                rejected.append(
                    Rejection(
                        sheet,
                        None,
                        None,
                        f"cellen {KEYS[key][0]} med ett värde i cellen till höger saknas ovanför raderna",
                    )
                )
        municipality = head.get("municipality") or self.mapping.municipality
        programme = head.get("programme") or self.mapping.programme
        decision = head.get("decision")
        links = [
            link for link in (head.get("links") or "").replace(";", ",").split(",") if link.strip()
        ]
        links = [link.strip() for link in links]
        for ident in [decision, *links]:
            if ident and ident not in context.decisions:
                rejected.append(
                    Rejection(
                        sheet, decision_row, None, f"beslutet {ident} finns inte i beslutsregistret"
                    )
                )
        lines: list[tuple[int, TransferItem]] = []
        count = 0
        effective = head.get("effective")
        for row in data_rows(located):
            count += 1
            try:
                for item in self._items(row, context, municipality, effective):
                    lines.append((row.number, item))
            except RowError as problem:
                rejected.append(rejection(located, row, problem))
        if not lines and not rejected:
            rejected.append(Rejection(sheet, located.header.row, None, "beslutet har inga rader"))
        items: tuple[Item, ...] = ()
        totals: dict[str, Decimal] = {}
        gross = sum((item.full_year for _, item in lines), Decimal(0))
        if not rejected and decision and effective:
            plan = TransferPlan(
                decision,
                (decision, *links),
                municipality,
                programme,
                effective,
                head.get("title") or f"enligt beslut {decision}",
                tuple(item for _, item in lines),
            )
            items, totals = self._entries(plan, [n for n, _ in lines], source, decision_row, gross)
            conflict = _conflict(existing, plan, {i.row_id for i in items})
            if conflict:
                rejected.append(Rejection(sheet, decision_row, None, conflict))
        return Extraction(
            kind=self.kind.name,
            source=source,
            account=self.archive_account(),
            date=effective or datetime.date(1970, 1, 1),
            items=items if not rejected else (),
            rows=count,
            programme_rows=count,
            programme_total=gross,
            by_year_committee=totals,
            not_programme=0,
            rejected=tuple(sorted(rejected, key=lambda r: r.row or 0)),
        )

    def _items(
        self,
        row: Row,
        context: LedgerContext,
        municipality: str,
        effective: datetime.date | None,
    ) -> list[TransferItem]:
        """The transfer items of one line: salary, PO and other, in that order."""
        giver = self._committee(row, "giver", context, municipality)
        receiver = self._committee(row, "receiver", context, municipality)
        if giver == receiver:
            raise RowError("receiver", f"raden flyttar från {giver} till samma nämnd")
        position = row.code("position") or None
        salary = _kronor(row, "salary")
        po = _kronor(row, "po")
        other = _kronor(row, "other")
        if position is not None and (salary is None or po is None):
            salary, po = self._position_cost(row, position, context, effective, salary, po)
        amounts = [("salary", salary), ("po", po), ("other", other)]
        items = [
            TransferItem(giver, receiver, cost_type, amount, position)
            for cost_type, amount in amounts
            if amount
        ]
        if not items:
            raise RowError("position", "raden har varken tjänst eller belopp")
        return items

    def _committee(self, row: Row, field: str, context: LedgerContext, municipality: str) -> str:
        given = row.text(field, required=True, what="nämnden") or ""
        committee = context.committee(municipality, given)
        if committee is None:
            raise RowError(field, f"nämnden {given!r} finns inte i huvudbokens register")
        return committee

    def _position_cost(
        self,
        row: Row,
        position: str,
        context: LedgerContext,
        effective: datetime.date | None,
        salary: Decimal | None,
        po: Decimal | None,
    ) -> tuple[Decimal, Decimal]:
        """Salary and PO of a position from the ledger, for the blanks the line leaves."""
        if effective is None:
            raise RowError(
                "position", "ikraftträdandet saknas, så tjänstens kostnad går inte att räkna"
            )
        if salary is None:
            spell = context.spell(position, effective)
            if spell is None:
                raise RowError(
                    "position",
                    f"tjänsten {position} finns inte i huvudboken den {effective}; ange lön och PO",
                )
            salary = round_half_away(spell.monthly_salary * spell.fte * 12)
        if po is None:
            rate = context.po_rates.get(effective.year)
            if rate is None:
                raise RowError("po", f"PO-sats saknas för {effective.year}; ange PO på raden")
            po = round_half_away(salary * rate.fraction)
        return salary, po

    def _entries(
        self,
        plan: TransferPlan,
        line_rows: list[int],
        source: SourceFile,
        decision_row: int,
        gross: Decimal,
    ) -> tuple[tuple[Item, ...], dict[str, Decimal]]:
        """Both entries with provenance (each posting names its line's row) and the net per committee."""
        identity = fingerprint(
            (
                plan.decision,
                str(plan.effective),
                plan.municipality,
                plan.programme,
                plan.title,
                *plan.links,
                *(
                    f"{i.giver}>{i.receiver}:{i.cost_type}:{i.full_year}:{i.position or ''}"
                    for i in plan.items
                ),
            )
        )
        rows = [row for row in line_rows for _ in (0, 1)]
        items = []
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for entry in transfer_transactions(plan):
            period = entry.meta["period"]
            row_id = f"{identity}-{period}"
            meta = {**source.meta(decision_row, row_id), **_own_meta(entry.meta)}
            postings = [
                posting._replace(meta={**(posting.meta or {}), "source_row": Decimal(row)})
                for posting, row in zip(entry.postings, rows, strict=True)
            ]
            for posting in entry.postings:
                committee = posting.account.split(":")[2]
                totals[f"{entry.date.year}|{committee}"] -= posting.units.number
            applicable = period == APPLICABLE
            items.append(
                Item(
                    entry._replace(meta=meta, postings=postings),
                    row_id,
                    Decimal(0) if applicable else gross,
                    rows=len(set(line_rows)) if applicable else 0,
                )
            )
        return tuple(items), dict(sorted(totals.items()))


def _own_meta(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k not in ("filename", "lineno")}


def _kronor(row: Row, field: str) -> Decimal | None:
    amount = row.amount(field)
    if amount is not None and amount != amount.to_integral_value():
        raise RowError(field, f"helårsbeloppet {amount} ska vara i hela kronor")
    return amount.quantize(Decimal(1)) if amount is not None else None


def _conflict(existing: data.Entries, plan: TransferPlan, row_ids: set[str]) -> str | None:
    """Why the ledger cannot take this decision: another version of it is already there."""
    for entry in existing:
        if (
            is_transfer(entry)
            and carrying_decision(entry) == plan.decision
            and entry.meta.get("effective", entry.date) == plan.effective
            and entry.meta.get("row_id") not in row_ids
        ):
            return (
                f"huvudboken har redan en annan växling enligt {plan.decision} från {plan.effective}; "
                "ångra den med ctc import --undo innan den nya läses in"
            )
    return None
