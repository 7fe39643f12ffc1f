"""Where imported entries go in the ledger's files, and writing them all or nothing.

Costs go to `costs/YYYY.beancount` by the year of their date (the ledger's
`include "costs/*.beancount"` picks new years up), positions to
`positions.beancount`, växlingar to `transfers.beancount`, kommunbidrag to
`kommunbidrag.beancount`, and the record of each source file to
`sources.beancount`. New entries are appended, rendered by the one printer
(`ctc.writer`). `Changes` plans every file's new content and hands the plan to
one journaled transaction (`ctc.transaction`): every new content staged beside
its file, a journal, then the renames, each file checked to be as it was read;
a run that fails its check, or a crash, leaves the books as they were.

Undo works on the text: every entry is printed as a first line at column 0
followed by indented lines, so an entry is removed exactly by dropping the
block that carries its file's `source_sha256`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from beancount.core import data

from ctc import records
from ctc.files import content_writer, copy_writer, digest
from ctc.model import SOURCE_FILE_TYPE
from ctc.positions import EVENT_ORDER
from ctc.provenance import SOURCE_SHA256
from ctc.transaction import Change, Transaction, begin
from ctc.transfers import ALLOCATION_TAG, TAG
from ctc.writer import render_entries

HEADERS = {
    "positions.beancount": "; Tjänster (roller, inga personer) och deras förändringar.\n",
    "transfers.beancount": "; Växlingar av kommunbidrag mellan nämnder.\n",
    "kommunbidrag.beancount": "; Kommunbidrag per nämnd och år (KF:s budget, före växlingar).\n",
    "sources.beancount": "; Inlästa källfiler: namn, SHA-256 och arkivets plats (ctc import).\n",
}


def target_of(entry: data.Directive) -> str:
    """The ledger file, relative to the main file's folder, that holds an imported entry.

    The records `ctc` writes itself (closed years, published reports) have their own
    files (`ctc.records`).
    """
    if isinstance(entry, data.Custom):
        if entry.type in EVENT_ORDER:
            return "positions.beancount"
        if entry.type == SOURCE_FILE_TYPE:
            return "sources.beancount"
        if entry.type in records.TARGETS:
            return records.TARGETS[entry.type]
    if isinstance(entry, data.Transaction):
        if TAG in entry.tags:
            return "transfers.beancount"
        if ALLOCATION_TAG in entry.tags:
            return "kommunbidrag.beancount"
    return f"costs/{entry.date.year}.beancount"


def header_of(relative: str) -> str:
    """The comment a new ledger file starts with."""
    if relative.startswith("costs/"):
        return f"; Bokförda kostnader {Path(relative).stem}, inlästa med ctc import.\n"
    return HEADERS.get(relative) or records.HEADERS.get(relative, "; Inläst med ctc import.\n")


@dataclass
class Changes:
    """Planned file contents, written together and undone together (one `Transaction`)."""

    root: Path
    operation: str = "import"
    """What the change is, for the journal and a recovery's message: "import" or "undo"."""
    texts: dict[Path, tuple[bytes | None, str]] = field(default_factory=dict)
    """Path -> (its bytes as read, or None for a new file; its text after)."""
    copies: dict[Path, Path] = field(default_factory=dict)
    """Archive path -> the source file copied there."""
    removals: list[Path] = field(default_factory=list)
    """Archive files to delete."""

    def read(self, path: Path) -> bytes | None:
        """A file's bytes as the plan first read them (None: it does not exist)."""
        if path in self.texts:
            return self.texts[path][0]
        return path.read_bytes() if path.exists() else None

    def current(self, path: Path) -> str | None:
        """The text a file will have, as planned so far (None: it does not exist)."""
        if path in self.texts:
            return self.texts[path][1]
        content = self.read(path)
        return content.decode("utf-8") if content is not None else None

    def set_text(self, path: Path, text: str) -> None:
        """Plan a file's new text."""
        self.texts[path] = (self.read(path), text)

    def append(self, relative: str, entries: list[data.Directive]) -> None:
        """Plan appending entries to a ledger file, creating it with its header if new."""
        self.append_text(relative, render_entries(entries))

    def append_text(self, relative: str, rendered: str) -> None:
        """Plan appending entries already rendered (as `render_entries` renders them)."""
        path = self.root / relative
        text = self.current(path)
        if text is None:
            text = header_of(relative)
        elif text and not text.endswith("\n"):
            text += "\n"
        self.set_text(path, text + "\n" + rendered)

    def paths(self) -> list[Path]:
        """Every file the change writes or removes."""
        return [*self.texts, *self.copies, *self.removals]

    def planned(self) -> list[Change]:
        """Every file's change, with the SHA-256 of what the plan read."""
        changes = [
            Change(path, _sha256(before), content_writer(text.encode("utf-8")))
            for path, (before, text) in self.texts.items()
        ]
        changes += [
            Change(target, None, copy_writer(source)) for target, source in self.copies.items()
        ]
        changes += [Change(path, digest(path), None) for path in self.removals]
        return changes

    def begin(self) -> Transaction:
        """Stage every file and write the journal (`ctc.transaction.begin`); nothing in place yet."""
        return begin(self.root, self.operation, self.planned())


def _sha256(content: bytes | None) -> str | None:
    return hashlib.sha256(content).hexdigest() if content is not None else None


def group_by_target(entries: Iterable[data.Directive]) -> dict[str, list[data.Directive]]:
    """Entries per ledger file, in the order given."""
    grouped: dict[str, list[data.Directive]] = {}
    for entry in entries:
        grouped.setdefault(target_of(entry), []).append(entry)
    return grouped


def remove_source(text: str, sha256: str) -> tuple[str, int]:
    """`text` without the entries that carry `source_sha256` `sha256`; and how many went."""
    marker = f'{SOURCE_SHA256}: "{sha256}"'
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    removed = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if line[:1] in ("", " ", "\t", "\n", ";", "\r") or line.startswith(
            ("option", "plugin", "include")
        ):
            kept.append(line)
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].strip():
            end += 1
        block = lines[index:end]
        if any(marker in part for part in block):
            removed += 1
            if end < len(lines) and not lines[end].strip():
                end += 1
            elif kept and not kept[-1].strip():
                kept.pop()
        else:
            kept.extend(block)
        index = end
    return "".join(kept), removed
