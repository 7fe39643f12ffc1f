"""What the import page shows: the files imported, what undoing one removes, a run's outcome.

The page reads the ledger Fava loaded (`ctc.ledger.Ledger` over its
entries): the sources register for the files imported, and the entries that
carry a file's SHA-256 for what an undo would take away, counted exactly as
`ctc import --undo` counts them (every entry of the file but its record).
The import and the undo themselves are `ctc.importers.run`'s, called as the
command line calls them; this module only prepares what the page says.
"""

from __future__ import annotations

import datetime
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from ctc.errors import UserError
from ctc.importers.summary import KIND_NAMES, ImportSummary, UndoSummary, kronor
from ctc.ledger import Ledger
from ctc.numbers import csv_amount
from ctc.provenance import SOURCE_FILE, SOURCE_SHA256

SHA256_RE = re.compile(r"[0-9a-f]{64}")
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22}")
OUTCOMES_KEPT = 32
"""Outcomes a page keeps for the redirect that shows them; older ones are forgotten."""
COUNTER_ROOTS = ("Liabilities", "Equity")
"""Accounts on the other side of imported entries, left out of the amounts by committee."""


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """One file in the sources register, as the page lists it."""

    sha256: str
    name: str
    kind: str
    """The kind in Swedish (`utfall från ekonomisystemet`)."""
    imported: datetime.date | None
    """The day of import; None for a record written before the ledger kept it."""
    rows: int
    total: Decimal
    archive: str | None


def _imported_file(sha: str, record: data.Custom) -> ImportedFile:
    meta = record.meta
    kind = str(meta.get("kind", ""))
    day = meta.get("imported")
    return ImportedFile(
        sha256=sha,
        name=str(meta.get(SOURCE_FILE) or (record.values[0].value if record.values else "")),
        kind=KIND_NAMES.get(kind, kind),
        imported=day if isinstance(day, datetime.date) else None,
        rows=int(meta.get("rows") or 0),
        total=Decimal(meta.get("programme_total") or 0),
        archive=str(meta["archive"]) if meta.get("archive") else None,
    )


def imported_files(ledger: Ledger) -> list[ImportedFile]:
    """Every imported file, the most recently imported first.

    By the day of import, and within a day by the record's place in its file
    (imports append); records without a day come last, latest written first.
    """
    sources = ledger.registers.sources

    def order(sha: str) -> tuple[datetime.date, str, int]:
        meta = sources[sha].meta
        day = meta.get("imported")
        return (
            day if isinstance(day, datetime.date) else datetime.date.min,
            str(meta.get("filename", "")),
            int(meta.get("lineno", 0)),
        )

    return [_imported_file(sha, sources[sha]) for sha in sorted(sources, key=order, reverse=True)]


@dataclass(frozen=True, slots=True)
class UndoPlan:
    """What undoing one file's import removes, for the confirmation."""

    file: ImportedFile
    entries: int
    """Entries removed, the file's record not counted (as `ctc import --undo` counts)."""
    by_ledger_file: tuple[tuple[str, int], ...]
    """Ledger file (relative to the main file's folder) -> entries removed from it."""
    by_year_committee: tuple[tuple[int, str, Decimal], ...]
    """The programme's amounts that go, per year and committee."""


def undo_plan(ledger: Ledger, sha: str) -> UndoPlan:
    """What undoing the import of the file with SHA-256 `sha` would remove from `ledger`."""
    record = ledger.registers.sources.get(sha)
    if record is None:
        raise UserError("Filen finns inte bland de inlästa filerna; den kan redan vara ångrad.")
    root = ledger.path.parent
    place = (record.meta.get("filename"), record.meta.get("lineno"))
    files: dict[str, int] = {}
    amounts: dict[tuple[int, str], Decimal] = {}
    for entry in ledger.entries:
        meta = entry.meta or {}
        if meta.get(SOURCE_SHA256) != sha or (meta.get("filename"), meta.get("lineno")) == place:
            continue  # the record itself, and the document entry the archive makes of it
        relative = _relative(str(meta.get("filename", "")), root)
        files[relative] = files.get(relative, 0) + 1
        if isinstance(entry, data.Transaction):
            _add_amounts(amounts, entry)
    return UndoPlan(
        file=_imported_file(sha, record),
        entries=sum(files.values()),
        by_ledger_file=tuple(sorted(files.items())),
        by_year_committee=tuple(
            (year, committee, amount) for (year, committee), amount in sorted(amounts.items())
        ),
    )


def _relative(filename: str, root: Path) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.name


def _add_amounts(amounts: dict[tuple[int, str], Decimal], entry: data.Transaction) -> None:
    """The entry's postings on committees' accounts, by year and committee."""
    for posting in entry.postings:
        parts = posting.account.split(":")
        number = posting.units.number if posting.units is not None else None
        if parts[0] in COUNTER_ROOTS or len(parts) < 3 or number is None:
            continue
        key = (entry.date.year, parts[2])
        amounts[key] = amounts.get(key, Decimal(0)) + number


def is_sha256(value: str) -> bool:
    """Whether a parameter is a file's SHA-256 (64 lower-case hex digits)."""
    return bool(SHA256_RE.fullmatch(value))


def check_page_params(args: Mapping[str, str]) -> None:
    """Refuse a query of the import page that no link of it makes (a `UserError`)."""
    undo = args.get("undo")
    if undo is not None and not is_sha256(undo):
        raise UserError("undo ska vara en inläst fils SHA-256 (64 tecken 0–9, a–f).")
    outcome = args.get("outcome")
    if outcome is not None and not TOKEN_RE.fullmatch(outcome):
        raise UserError("outcome är inte ett meddelande från den här sidan.")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a finished import or undo did, shown on the page it redirects to."""

    ok: bool
    lines: tuple[str, ...]


def import_outcome(summary: ImportSummary, root: Path, notices: Sequence[str] = ()) -> Outcome:
    """The lines after an import: per file what was read in, then what was written.

    Written files are named relative to the ledger's folder (`root`).
    """
    lines = [*notices]
    lines += [
        f"{f.file}: {f.imported} rader inlästa (kontrollsumma {kronor(f.programme_total)}, "
        f"inläst nu {kronor(f.total_imported)}); redan i huvudboken {f.duplicates}."
        for f in summary.files
    ]
    if summary.written:
        lines.append("Skrev: " + ", ".join(_relative(name, root) for name in summary.written))
    else:
        lines.append("Inget nytt att skriva: huvudboken har redan allt.")
    return Outcome(True, (*lines, *summary.warnings))


def undo_outcome(summary: UndoSummary, notices: Sequence[str] = ()) -> Outcome:
    """The line after an undo."""
    done = f"Ångrade inläsningen av {summary.file}: {summary.removed} poster togs bort."
    return Outcome(True, (*notices, done, *summary.warnings))


@dataclass
class Outcomes:
    """Outcomes waiting for the page a POST redirects to, by a random token; bounded."""

    kept: OrderedDict[str, Outcome] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> str:
        """Keep an outcome; the token that shows it."""
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.kept[token] = outcome
            while len(self.kept) > OUTCOMES_KEPT:
                self.kept.popitem(last=False)
        return token

    def get(self, token: str | None) -> Outcome | None:
        """The outcome of a token, if it is still kept."""
        if not token:
            return None
        with self.lock:
            return self.kept.get(token)


def amount_value(amount: Decimal) -> str:
    """An amount for a `data-value` attribute: dot-decimal kronor with öre."""
    return csv_amount(amount)
