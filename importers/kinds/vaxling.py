"""The transfer decision (växling): its key cells and its lines.

The sheet names the decision and its effective date in key cells above the
lines ("Beslut", "Ikraftträdande", optionally "Rubrik", "Nämndbeslut",
"Kommun", "Program"): a key word, and its value in the next cell to the
right. The key word "Ikraftträdande" is what tells a transfer decision from
every other kind of sheet. Each line below the header moves annual amounts,
in whole kronor, from one committee to another: a position's salary and PO,
other costs, or both.

Checking the decision and the lines against the ledger, and the entries, are
`ctc.importers.booking.vaxling`'s job.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ctc.importers.kinds.rows import Row, RowError
from ctc.importers.reading.cells import CellError, is_blank, parse_code, parse_date, parse_text
from ctc.importers.reading.layout import Column, Kind, Located, normalise
from ctc.importers.reading.rejection import Rejection

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

READERS: dict[str, Callable[[object], Any]] = {
    "decision": parse_code,
    "effective": parse_date,
    "title": parse_text,
    "links": parse_text,
    "municipality": parse_text,
    "programme": parse_text,
}
"""How each key cell's value is read, in the order its problems are reported."""

REQUIRED_KEYS = ("decision", "effective")


@dataclass(frozen=True, slots=True)
class DecisionHead:
    """A decision's key cells, read: None where the sheet leaves one out or it cannot be read."""

    decision: str | None
    effective: datetime.date | None
    title: str | None
    links: tuple[str, ...]
    """Further decisions the transfer carries out (committee decisions), in order."""
    municipality: str | None
    programme: str | None
    row: int
    """The decision's row (its key cell's, else the header's): where its problems point."""


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


def decision_head(located: Located) -> tuple[DecisionHead, list[Rejection]]:
    """The decision's key cells, and a rejection for each that cannot be read or is missing."""
    keys = key_values(located.preamble)
    head: dict[str, Any] = dict.fromkeys(READERS)
    rejected: list[Rejection] = []
    missing: list[str] = []
    for key, reader in READERS.items():
        value, number = keys.get(key, ("", None))
        if is_blank(value):
            missing += [key] if key in REQUIRED_KEYS else []
            continue
        try:
            head[key] = reader(value)
        except CellError as error:
            rejected.append(Rejection(located.sheet, number, None, f"{KEYS[key][0]}: {error}"))
    rejected += [
        Rejection(
            located.sheet,
            None,
            None,
            f"cellen {KEYS[key][0]} med ett värde i cellen till höger saknas ovanför raderna",
        )
        for key in missing
    ]
    row = keys.get("decision", ("", located.header.row))[1] or located.header.row
    links = (head.pop("links") or "").replace(";", ",").split(",")
    found = tuple(link.strip() for link in links if link.strip())
    return DecisionHead(links=found, row=row, **head), rejected


def kronor(row: Row, field: str) -> Decimal | None:
    """A line's full-year amount: whole kronor, or None where the line leaves it blank."""
    amount = row.amount(field)
    if amount is not None and amount != amount.to_integral_value():
        raise RowError(field, f"helårsbeloppet {amount} ska vara i hela kronor")
    return amount.quantize(Decimal(1)) if amount is not None else None
