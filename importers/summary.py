"""The summary of an import: per file, what became of every data row, and its control figures.

One shape, two writers: `as_json` (the machine-readable object of `ctc import
--json`, amounts as strings with two decimals) and `as_text` (Swedish, for the
finance officer at the terminal).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ctc.importers.reading.rejection import Rejection
from ctc.numbers import csv_amount, format_number

MAX_LISTED = 50
"""Rejected rows listed in the text summary; the JSON lists them all."""


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What one file's import did, and the figures it is checked by."""

    file: str
    kind: str
    sheet: str | None
    rows: int
    programme_rows: int
    programme_total: Decimal
    by_year_committee: dict[str, Decimal]
    imported: int
    duplicates: int
    not_programme: int
    rejected: tuple[Rejection, ...]
    total_imported: Decimal
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The file's part of the JSON summary."""
        return {
            "file": self.file,
            "kind": self.kind,
            "rows": self.rows,
            "programme_rows": self.programme_rows,
            "programme_total": csv_amount(self.programme_total),
            "by_year_committee": {k: csv_amount(v) for k, v in self.by_year_committee.items()},
            "imported": self.imported,
            "duplicates": self.duplicates,
            "not_programme": self.not_programme,
            "rejected": [
                {"sheet": r.sheet, "row": r.row, "column": r.column, "reason": r.reason}
                for r in self.rejected
            ],
            "total_imported": csv_amount(self.total_imported),
        }


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """A whole run of `ctc import`: its files and the ledger files it wrote."""

    files: tuple[FileSummary, ...]
    written: tuple[str, ...]
    dry_run: bool
    warnings: tuple[str, ...] = ()

    @property
    def rejected(self) -> int:
        """Rejected rows over all files; any fails the whole run."""
        return sum(len(f.rejected) for f in self.files)


@dataclass(frozen=True, slots=True)
class UndoSummary:
    """What `ctc import --undo` removed."""

    file: str
    sha256: str
    removed: int
    """Entries removed (the file's record not counted)."""
    written: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    """Lines for stderr (an interrupted change recovered before the undo)."""

    def as_text(self) -> str:
        """Swedish, for the terminal."""
        if not self.written:
            return f"Provkörning: att ångra {self.file} skulle ta bort {self.removed} poster.\n"
        return (
            f"Ångrade importen av {self.file}: {self.removed} poster togs bort.\n"
            f"Ändrade: {', '.join(self.written)}\n"
        )

    def as_json(self) -> str:
        """One JSON object."""
        return json.dumps(
            {
                "undone": {"file": self.file, "sha256": self.sha256, "removed": self.removed},
                "written": list(self.written),
            },
            ensure_ascii=False,
        )


def as_json(summary: ImportSummary) -> str:
    """The JSON object of `--json`, one line."""
    return json.dumps(
        {"files": [f.as_dict() for f in summary.files], "written": list(summary.written)},
        ensure_ascii=False,
    )


def kronor(amount: Decimal) -> str:
    """An amount in kronor with öre, as the import's summary shows it: `1 234 567,89 kr`."""
    return f"{format_number(amount, 2)} kr"


KIND_NAMES = {
    "utfall": "utfall från ekonomisystemet",
    "tjanster": "tjänsteförteckning",
    "vaxling": "växlingsbeslut",
    "kommunbidrag": "kommunbidrag",
}


def as_text(summary: ImportSummary) -> str:
    """The Swedish summary printed after an import."""
    lines: list[str] = []
    for f in summary.files:
        sheet = f", blad {f.sheet}" if f.sheet else ""
        lines.append(f"{f.file} ({KIND_NAMES.get(f.kind, f.kind)}{sheet})")
        lines.append(
            f"  datarader {f.rows}: inlästa {f.imported}, redan i huvudboken {f.duplicates}, "
            f"inte programmet {f.not_programme}, avvisade {len(f.rejected)}"
        )
        lines.append(
            f"  programmets rader {f.programme_rows}, kontrollsumma {kronor(f.programme_total)}; "
            f"inläst nu {kronor(f.total_imported)}"
        )
        for key, amount in f.by_year_committee.items():
            year, committee = key.split("|")
            lines.append(f"    {year} {committee:<6} {kronor(amount):>20}")
        lines += [f"  {note}" for note in f.notes]
        for r in f.rejected[:MAX_LISTED]:
            lines.append(f"  avvisad: {r.where()}: {r.reason}")
        if len(f.rejected) > MAX_LISTED:
            lines.append(f"  … och {len(f.rejected) - MAX_LISTED} avvisade rader till (se --json)")
    if summary.rejected:
        lines.append("Inget skrevs: rätta de avvisade raderna och läs in filen igen.")
    elif summary.dry_run:
        lines.append("Provkörning (--dry-run): inget skrevs.")
    elif summary.written:
        lines.append("Skrev: " + ", ".join(summary.written))
    else:
        lines.append("Inget nytt att skriva: huvudboken har redan allt.")
    return "\n".join(lines) + "\n"


def rejection_message(summary: ImportSummary) -> str:
    """The one-line error of a run with rejected rows: each distinct reason with its rows."""
    parts = []
    for f in summary.files:
        by_reason: dict[str, list[Rejection]] = {}
        for r in f.rejected:
            by_reason.setdefault(r.reason, []).append(r)
        for reason, rejections in list(by_reason.items())[:5]:
            parts.append(f"{f.file}: {reason} ({_places(rejections)})")
        if len(by_reason) > 5:
            parts.append(f"{f.file}: och {len(by_reason) - 5} skäl till")
    return f"{summary.rejected} rader avvisades, inget skrevs: " + "; ".join(parts)


def _places(rejections: list[Rejection]) -> str:
    """`blad Utfall, kolumn D, rad 7, 8` (at most five rows named)."""
    first = rejections[0]
    rows = [str(r.row) for r in rejections if r.row is not None]
    shown = ", ".join(rows[:5]) + (f" m.fl., {len(rows)} rader" if len(rows) > 5 else "")
    same_column = all(r.column == first.column for r in rejections)
    parts = [f"blad {first.sheet}"] if first.sheet else []
    if same_column and first.column:
        parts.append(f"kolumn {first.column}")
    if rows:
        parts.append(f"rad {shown}")
    return ", ".join(parts)
