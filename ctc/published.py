"""Published figures: what a report said when it was published, and whether it still holds.

`ctc report KIND … --publish DECISION` records in the ledger what was
published: a `custom "published" "KIND"` entry citing the decision (the
answer's own decision or protocol), with the report's span and filters, every
figure it printed (exact kronor), the digest of the ledger's files, and a
digest of each entry the report rests on (`ctc.digests`). `ctc check`
recomputes every published report; a figure that no longer reproduces is a
warning naming the figure, by how much it moved and the entries (file:line)
that changed since. It is a warning, not an error: books may rightly change
after an answer (in a closed year the change itself is already an error).
"""

from __future__ import annotations

import collections.abc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser.grammar import ValueType

from ctc.accounts import COST_TYPES, parse_account
from ctc.digests import combined, difference, entry_digest, is_programme_transaction, pack, unpack
from ctc.errors import RuleError, UserError
from ctc.ledger import Ledger, error_location
from ctc.model import FileDigest
from ctc.numbers import format_number
from ctc.positions import EVENT_ORDER, VACANT
from ctc.records import PUBLISHED
from ctc.registers import Decision, customs, first_value, text_meta
from ctc.reports.budget import budget_report
from ctc.reports.frame import Frame
from ctc.reports.labels import label
from ctc.reports.motion import motion_report
from ctc.reports.positions import positions_report
from ctc.reports.result import MONEY_KINDS, Report
from ctc.reports.transfers import transfers_report
from ctc.reports.yearly import parse_by, yearly_report

Args = dict[str, int | str]
"""A report's span and filters, as recorded: from_year, to_year, year, by, transfer_decision,
and for the motion answer the question answered and the published figure held against."""

Builder = Callable[[Frame, Args, str, str], Report]


def _int(args: Args, key: str) -> int | None:
    value = args.get(key)
    return int(value) if value is not None else None


def _str(args: Args, key: str) -> str | None:
    value = args.get(key)
    return str(value) if value is not None else None


def _decimal(args: Args, key: str) -> Decimal | None:
    value = args.get(key)
    return Decimal(str(value)) if value is not None else None


KINDS: dict[str, Builder] = {
    "yearly": lambda frame, a, unit, lang: yearly_report(
        frame,
        parse_by(_str(a, "by") or "committee"),
        _int(a, "from_year"),
        _int(a, "to_year"),
        unit,
        lang,
    ),
    "transfers": lambda frame, a, unit, lang: transfers_report(
        frame, _str(a, "transfer_decision"), _int(a, "year"), unit, lang
    ),
    "positions": lambda frame, a, unit, lang: positions_report(frame, _int(a, "year"), unit, lang),
    "budget": lambda frame, a, unit, lang: budget_report(frame, _int(a, "year"), unit, lang),
    "motion": lambda frame, a, unit, lang: motion_report(
        frame,
        _int(a, "from_year"),
        _int(a, "to_year"),
        unit,
        lang,
        question=_str(a, "question"),
        published=_decimal(a, "published"),
    ),
}
"""Each report that can be published, built from its recorded span and filters."""

ARG_KEYS = ("from_year", "to_year", "year", "by", "transfer_decision", "question", "published")


def build_report(frame: Frame, kind: str, args: Args, unit: str, lang: str) -> Report:
    """A report of a publishable kind, from its span and filters."""
    if kind not in KINDS:
        raise UserError(f"Rapporten {kind!r} kan inte publiceras; välj {', '.join(KINDS)}.")
    return KINDS[kind](frame, args, unit, lang)


# --- Figures -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure a report printed, exact, named by its table, row and column."""

    key: str
    value: Decimal
    money: bool

    def line(self) -> str:
        """The figure as a line of a record: `table | row | column = 1234.50 kr`."""
        return f"{self.key} = {self.value:f}{' kr' if self.money else ''}"


def figures(report: Report) -> dict[str, Figure]:
    """Every number the report's tables show, keyed by table title, row labels and column."""
    found: dict[str, Figure] = {}
    for table in report.tables:
        for row in table.rows:
            labels = [
                str(cell)
                for column, cell in zip(table.columns, row.cells, strict=True)
                if not column.is_number and cell not in (None, "")
            ]
            for column, cell in zip(table.columns, row.cells, strict=True):
                if not column.is_number or not isinstance(cell, Decimal | int):
                    continue
                key = " | ".join([table.title or table.key, " / ".join(labels), column.title])
                while key in found:
                    key += " #"
                found[key] = Figure(key, Decimal(cell), column.kind in MONEY_KINDS)
    return found


def parse_figures(text: object) -> dict[str, Figure]:
    """The figures a record holds, one `key = value[ kr]` per line."""
    found: dict[str, Figure] = {}
    for raw in str(text or "").splitlines():
        line = raw.strip()
        if " = " not in line:
            continue
        key, value = line.rsplit(" = ", 1)
        money = value.endswith(" kr")
        try:
            found[key] = Figure(key, Decimal(value.removesuffix(" kr")), money)
        except InvalidOperation:
            continue
    return found


# --- What a report rests on ----------------------------------------------------------


def span_of(args: Args) -> tuple[int | None, int | None]:
    """The years a report covers: its --year, or --from and --to (either end open)."""
    year = _int(args, "year")
    if year is not None:
        return year, year
    return _int(args, "from_year"), _int(args, "to_year")


def basis(entries: Sequence[data.Directive], args: Args) -> list[data.Directive]:
    """The entries a report of this span rests on: programme transactions and positions."""
    first, last = span_of(args)
    return [
        entry
        for entry in entries
        if (first is None or entry.date.year >= first)
        and (last is None or entry.date.year <= last)
        and (
            is_programme_transaction(entry)
            or (isinstance(entry, data.Custom) and entry.type in (*EVENT_ORDER, VACANT))
        )
    ]


def ledger_digest(files: Sequence[FileDigest], root: str) -> str:
    """One SHA-256 over the ledger's files (path relative to its folder, and SHA-256)."""
    lines = sorted(f"{_relative(f.path, root)} {f.sha256}" for f in files)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _relative(path: str, root: str) -> str:
    return path[len(root) :].lstrip("/\\") if path.startswith(root) else path


# --- The record -------------------------------------------------------------------------


def published_record(
    report: Report,
    kind: str,
    args: Args,
    options: tuple[str, str],
    decision: Decision,
    ledger: tuple[Sequence[data.Directive], str],
) -> data.Custom:
    """The entry that records a published report: its figures and what they rest on.

    `options` is (unit, lang); `ledger` is (entries, digest of the ledger's files).
    """
    entries, files_digest = ledger
    rested = [entry_digest(e) for e in basis(entries, args)]
    meta: dict[str, Any] = {
        "filename": "<ctc report --publish>",
        "lineno": 0,
        "decision": decision.id,
        **{key: _meta_value(args[key]) for key in ARG_KEYS if key in args},
        "unit": options[0],
        "lang": options[1],
        "ledger_sha256": files_digest,
        "basis_entries": Decimal(len(rested)),
        "basis_digest": combined(rested),
        "basis": pack(rested),
        "figures": "".join(f"\n    {figure.line()}" for figure in figures(report).values()),
    }
    return data.Custom(meta, decision.date, PUBLISHED, [ValueType(kind, str)])


def _meta_value(value: int | str) -> Decimal | str:
    return Decimal(value) if isinstance(value, int) else value


@dataclass(frozen=True, slots=True)
class Publication:
    """A published report as its record holds it."""

    kind: str
    decision: str
    args: Args
    unit: str
    lang: str
    figures: dict[str, Figure]
    basis: collections.abc.Mapping[str, int]
    entry: data.Custom

    @property
    def span(self) -> str:
        """The years the report covered, as people write them: 2018–2023."""
        first, last = span_of(self.args)
        if first is not None and first == last:
            return str(first)
        return f"{first or ''}–{last or ''}" if first or last else "alla år"


def publications(entries: Sequence[data.Directive]) -> list[Publication]:
    """Every published report the ledger records, in date order."""
    found = []
    for entry in customs(entries, PUBLISHED):
        kind = first_value(entry)
        args: Args = {}
        for key in ARG_KEYS:
            value = entry.meta.get(key)
            if isinstance(value, Decimal):
                args[key] = int(value)
            elif isinstance(value, str):
                args[key] = value
        found.append(
            Publication(
                str(kind),
                text_meta(entry, "decision") or "",
                args,
                text_meta(entry, "unit") or "tkr",
                text_meta(entry, "lang") or "sv",
                parse_figures(entry.meta.get("figures")),
                unpack(entry.meta.get("basis")),
                entry,
            )
        )
    return found


# --- Drift ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Drift:
    """A published figure that no longer reproduces."""

    publication: Publication
    key: str
    then: Decimal | None
    now: Decimal | None
    money: bool
    changed: tuple[data.Directive, ...]
    """The entries the report rests on now that were not there when it was published."""

    @property
    def difference(self) -> Decimal:
        """How much the figure moved: now minus then."""
        return (self.now or Decimal(0)) - (self.then or Decimal(0))


def drifts(frame: Frame, entries: Sequence[data.Directive]) -> list[Drift]:
    """Every published figure of the ledger that no longer reproduces."""
    found: list[Drift] = []
    for publication in publications(entries):
        found += publication_drifts(frame, entries, publication)
    return found


def publication_drifts(
    frame: Frame, entries: Sequence[data.Directive], publication: Publication
) -> list[Drift]:
    """The figures of one publication that differ now, with the entries changed since."""
    try:
        report = build_report(
            frame, publication.kind, publication.args, publication.unit, publication.lang
        )
        now = figures(report)
    except UserError:
        now = {}
    changed, _ = difference(
        basis(entries, publication.args), collections.Counter(publication.basis)
    )
    result = []
    for key in [*publication.figures, *(k for k in now if k not in publication.figures)]:
        then, current = publication.figures.get(key), now.get(key)
        if then is not None and current is not None and then.value == current.value:
            continue
        known = then or current
        money = known.money if known is not None else False
        result.append(
            Drift(
                publication,
                key,
                then.value if then else None,
                current.value if current else None,
                money,
                tuple(relevant(changed, key, frame, publication.lang)),
            )
        )
    return result


def relevant(
    changed: Sequence[data.Directive], key: str, frame: Frame, lang: str
) -> Iterator[data.Directive]:
    """The changed entries that can move a figure: of the year, committee and cost type it names."""
    parts = key.split(" | ")[1:]
    words = {word for part in parts for word in part.replace("/", " ").split()}
    years = {int(w) for w in words if w.isdigit() and len(w) == 4}
    committees = words & set(frame.committee_order)
    named = {label(t, lang): t for t in COST_TYPES}
    types = {named[part] for part in parts if part in named}
    for entry in changed:
        if years and entry.date.year not in years:
            continue
        committee, cost_types = _touches(entry)
        if committees and not committees & committee:
            continue
        if types and not types & cost_types:
            continue
        yield entry


def _touches(entry: data.Directive) -> tuple[set[str], set[str]]:
    """The committees and cost types an entry books on (a position's, for its directives)."""
    if isinstance(entry, data.Transaction):
        parsed = [p for p in (parse_account(p.account) for p in entry.postings) if p is not None]
        return {p.committee for p in parsed}, {p.cost_type for p in parsed if p.cost_type}
    meta = entry.meta or {}
    keys = ("committee", "from_committee", "to_committee")
    return {str(meta[k]) for k in keys if k in meta}, {"salary", "po"}


SHOWN = 5
"""Changed entries named per drifted figure; the rest are counted."""


def location(entry: data.Directive, root: Path) -> str:
    """`file:line` of an entry, the file relative to the ledger's folder."""
    meta = entry.meta or {}
    path = Path(str(meta.get("filename") or "?"))
    name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return f"{name}:{meta.get('lineno', 0)}"


def drift_message(drift: Drift, root: Path) -> str:
    """One line: which published figure, by how much, and the entries that changed it."""
    unit = " kr" if drift.money else ""

    def number(value: Decimal | None) -> str:
        return "saknas" if value is None else f"{format_number(value, 2)}{unit}"

    publication = drift.publication
    sign = "+" if drift.difference > 0 else ""
    where = ", ".join(location(e, root) for e in drift.changed[:SHOWN])
    if len(drift.changed) > SHOWN:
        where += f" och {len(drift.changed) - SHOWN} till"
    since = f"; ändrat sedan: {where}" if where else ""
    return (
        f"varning: publicerat enligt {publication.decision} ({publication.kind} "
        f"{publication.span}) stämmer inte längre: {drift.key} var {number(drift.then)}, "
        f"nu {number(drift.now)} ({sign}{format_number(drift.difference, 2)}{unit}){since}."
    )


def drift_warnings(ledger: Ledger) -> list[str]:
    """`file:line: varning: …` for each published figure that no longer reproduces."""
    root = ledger.path.parent.resolve()
    return [
        f"{error_location(RuleError(d.publication.entry.meta, '', None))}: {drift_message(d, root)}"
        for d in drifts(ledger.frame, ledger.entries)
    ]
