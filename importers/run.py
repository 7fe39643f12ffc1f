"""`ctc import` as library functions: import files into a ledger, or undo an import.

The four steps stay apart: each importer parses its sheet and maps rows to
entries (`read`), `deduplicate` drops what the ledger already holds by exact
row identity, and `Changes` writes the rest into the right files. Around them
this module keeps the guarantees: a lock keeps two imports apart; a file with
any rejected row fails the whole run and nothing is written; everything is
written atomically, the ledger is loaded again with every check, and if it
does not pass, every file is put back as it was.

The functions neither print nor exit: they return an `ImportSummary` or raise
`UserError`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser.grammar import ValueType

from ctc.closing import corrections_for, read_closed_years
from ctc.errors import UserError, describe_os_error
from ctc.importers.booking.batch import CostBatch
from ctc.importers.booking.extraction import AnyItem, Extraction
from ctc.importers.booking.importer import known_row_ids
from ctc.importers.kinds.recognise import locate_file, reread
from ctc.importers.reading.fastread import give_back_memory, prepare_reading
from ctc.importers.reading.identity import file_sha256
from ctc.importers.reading.layout import Located
from ctc.importers.registry import importer_for
from ctc.importers.summary import FileSummary, ImportSummary, UndoSummary
from ctc.importers.writing.ledger_files import (
    Changes,
    group_by_target,
    remove_source,
    target_of,
)
from ctc.ledger import Ledger, format_error, load_ledger, resolve_ledger_path
from ctc.load_cache import collector_paused
from ctc.lock import ledger_lock
from ctc.mapping import Mapping, load_mapping
from ctc.model import SOURCE_FILE_TYPE
from ctc.provenance import SOURCE_FILE
from ctc.recovery import recover
from ctc.transaction import Transaction
from ctc.would_be import would_be_errors

DOCUMENTS = "documents"
"""The folder beside the main ledger file where source files are archived (git-ignored)."""
ARCHIVE_NAME = "{date:%Y-%m-%d}.{name}"
"""beangulp's archive file name: the file's date, a dot, its name."""
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
WRITE_FAILED = "Kunde inte skriva i huvudboken"


def mapping_for(ledger: Ledger, config: Path | None) -> Mapping:
    """The mapping an import uses: `--config`, else the ledger's own (`Ledger.mapping`)."""
    if config is not None:
        return load_mapping(config)
    return ledger.require_mapping()


def deduplicate(items: Iterable[AnyItem], known: set[str]) -> tuple[list[AnyItem], int]:
    """The items whose row identity is new (recorded in `known`), and how many rows were not."""
    new: list[AnyItem] = []
    duplicates = 0
    for item in items:
        if item.row_id in known:
            duplicates += item.rows
        else:
            known.add(item.row_id)
            new.append(item)
    return new, duplicates


def missing_archives(ledger: Ledger) -> list[str]:
    """A warning for each imported file whose archived copy is not present (a fresh clone)."""
    root = ledger.path.parent
    warnings = []
    for record in ledger.registers.sources.values():
        archive = record.meta.get("archive")
        if archive and not (root / str(archive)).is_file():
            warnings.append(
                f"varning: arkivet för {record.meta.get(SOURCE_FILE)} saknas ({archive}); "
                "huvudboken har filens SHA-256."
            )
    return warnings


def _summary(
    extraction: Extraction, new: list[AnyItem], batch: CostBatch | None, duplicates: int
) -> FileSummary:
    imported = sum(item.rows for item in new)
    total = sum((item.amount for item in new), Decimal(0))
    if batch is not None:
        imported += len(batch)
        total += batch.total
    return FileSummary(
        file=extraction.source.name,
        kind=extraction.kind,
        sheet=extraction.source.sheet,
        rows=extraction.rows,
        programme_rows=extraction.programme_rows,
        programme_total=extraction.programme_total,
        by_year_committee=extraction.by_year_committee,
        imported=imported,
        duplicates=duplicates + extraction.unchanged,
        not_programme=extraction.not_programme,
        rejected=extraction.rejected,
        total_imported=total,
        notes=extraction.notes,
    )


def _check_accounts(ledger: Ledger, extraction: Extraction, stage: _Staged) -> None:
    opened = {entry.account for entry in ledger.entries if isinstance(entry, data.Open)}
    accounts = [account for item in stage.new for account in item.accounts]
    if stage.batch is not None:
        accounts += stage.batch.accounts_in_order()
    for account in accounts:
        if account not in opened:
            raise UserError(
                f"{extraction.source.name}: kontot {account} är inte öppnat i "
                f"huvudboken {ledger.path}; lägg till ett open-direktiv för det."
            )


@dataclass(frozen=True, slots=True)
class _Staged:
    extraction: Extraction
    new: list[AnyItem]
    duplicates: int
    batch: CostBatch | None = None
    """The file's new entries held column-wise, after those in `new`."""
    built: bool = False
    """Whether the batch's entries were added to what later importers see."""

    def entries(self) -> list[data.Directive]:
        """Every new entry, built (the batch's too)."""
        built: list[data.Directive] = [item.entry for item in self.new]
        return built + (self.batch.entries() if self.batch is not None else [])


def run_import(
    paths: Sequence[Path],
    ledger_path: Path | None = None,
    config: Path | None = None,
    dry_run: bool = False,
    decision: str | None = None,
    kept_at: dict[Path, str] | None = None,
    correction: str | None = None,
    ahead: Future[Located] | None = None,
    imported_on: datetime.date | None = None,
) -> ImportSummary:
    """Import `paths` into the ledger; see the module docstring.

    `kept_at` names source files that are already kept where the ledger can
    find them (the example's committed workbooks): for those, the given path
    (relative to the ledger's folder) is recorded instead of a copy under
    `documents/`. `correction` is the decision that allows booking into a
    closed year (`ctc.closing`). `ahead` is the first file's reading, when
    it was started before (`ctc.commands.ahead`). `imported_on` is the day of
    import each new file's record carries (today unless given: the example pins it).
    """
    path = resolve_ledger_path(ledger_path)
    with _writing(path, dry_run) as notices, ThreadPoolExecutor(max_workers=1) as reader:
        # The first file is read while the ledger loads: the reader runs in Rust
        # without the GIL, so a big export and the ledger take the longer one's time.
        # Its Python part (imports) runs first, here, so the thread goes straight to Rust.
        first = ahead
        if paths and first is None:
            prepare_reading(paths[0])
            first = reader.submit(copy_context().run, locate_file, paths[0])
        ledger = load_ledger(path)
        if ledger.errors:
            raise UserError(
                f"Huvudboken {path} har {len(ledger.errors)} fel; rätta dem (ctc check) före importen."
            )
        mapping = mapping_for(ledger, config)
        if decision is not None and decision not in ledger.registers.decisions:
            raise UserError(f"Beslutet {decision} (--decision) finns inte i beslutsregistret.")
        staged = _stage_all(paths, first, ledger, mapping, decision)
        first = ahead = None  # the sheet as read is not needed any more
        failed = any(stage.extraction.rejected for stage in staged)
        files = tuple(
            _summary(
                stage.extraction,
                [] if failed else stage.new,
                None if failed else stage.batch,
                stage.duplicates,
            )
            for stage in staged
        )
        extra = [] if failed else check_would_be(ledger, staged, correction)
        if dry_run or failed:
            return ImportSummary(files, (), dry_run, notices)
        changes = _plan(ledger, staged, kept_at or {}, extra, imported_on)
        # Everything read and booked is in `changes` now. Let it go before the
        # written ledger is loaded to be checked, so that the two are never held
        # at once; that load's ledger also gives the warnings.
        del ledger, staged, extra
        written, after = _commit_loaded(path, changes)
        warnings = tuple(missing_archives(after)) if after is not None else ()
        return ImportSummary(files, written, dry_run, notices + warnings)


def _stage_all(
    paths: Sequence[Path],
    first: Future[Located] | None,
    ledger: Ledger,
    mapping: Mapping,
    decision: str | None,
) -> list[_Staged]:
    """Read, book and deduplicate every file, in order; `first` is the first file's reading."""
    known = known_row_ids(ledger.entries)
    existing = list(ledger.entries)
    staged: list[_Staged] = []
    for index, source in enumerate(paths):
        with collector_paused():
            located = first.result() if first and index == 0 else None
            if located is None or reread(located, mapping.formats):
                located = locate_file(source, mapping.formats)
            existing += _unbuilt(staged, located.kind.name)
            extraction = importer_for(located.kind, mapping, decision).read(
                source, existing, located
            )
        stage = _deduplicated(extraction, known, more=index + 1 < len(paths))
        if not extraction.rejected:
            _check_accounts(ledger, extraction, stage)
        if index + 1 < len(paths):  # the next file's importer sees these entries
            existing += [item.entry for item in stage.new]
        staged.append(stage)
    return staged


def _deduplicated(extraction: Extraction, known: set[str], more: bool) -> _Staged:
    """A file's new entries: those whose row identity neither the ledger nor an earlier file has.

    `more`: other files follow, so this file's identities join `known`.
    """
    new, duplicates = deduplicate(extraction.items, known)
    batch = extraction.batch
    if batch is not None:
        batch, repeated = batch.without(known)
        duplicates += repeated
        if more:
            known.update(batch.row_ids())
    return _Staged(extraction, new, duplicates, batch)


BOOKED_ONLY = frozenset({"utfall"})
"""Kinds whose importer reads nothing of the ledger's booked cost entries."""


def _unbuilt(staged: list[_Staged], kind: str) -> list[data.Directive]:
    """Earlier files' column-wise entries, built once for an importer that reads the ledger.

    An export's importer reads nothing of the ledger (`BOOKED_ONLY`), so its
    files' entries stay unbuilt while only exports follow one another.
    """
    if kind in BOOKED_ONLY:
        return []
    built: list[data.Directive] = []
    for index, stage in enumerate(staged):
        if stage.batch is not None and len(stage.batch) and not stage.built:
            built += stage.batch.entries()
            staged[index] = dataclasses.replace(stage, built=True)
    return built


@contextlib.contextmanager
def _writing(path: Path, dry_run: bool) -> Iterator[tuple[str, ...]]:
    """The ledger's lock for a run that writes, an interrupted change recovered first.

    Yields what the recovery did (a line to show), if anything. A dry run
    takes no lock: it writes nothing.
    """
    if dry_run:
        yield ()
        return
    with ledger_lock(path):
        try:
            notice = recover(path.parent)
        except OSError as error:
            raise UserError(
                f"Kunde inte återställa en avbruten import: {describe_os_error(error)}; "
                "nästa ctc-kommando försöker igen."
            ) from None
        yield (notice,) if notice else ()


def check_would_be(
    ledger: Ledger, staged: Sequence[_Staged], correction: str | None = None
) -> list[data.Directive]:
    """Refuse an import the ledger would not pass, before anything is written.

    The dry run and the real run both ask here, so a dry run fails exactly
    where the real run would: the loaded entries plus the new ones go through
    the ledger's plugins and Beancount's validations in memory
    (`ctc.would_be`), with no file parsed again, no lock and no write. An
    export's booked rows, held column-wise, are checked through
    representatives where that gives the full check's answer. Returns the
    corrections an import into a closed year writes (`ctc.closing`).
    """
    new = [item.entry for stage in staged for item in stage.new]
    batches = [stage.batch for stage in staged if stage.batch is not None and len(stage.batch)]
    extra: list[data.Directive] = list(
        corrections_for(
            ledger.entries,
            _in_closed_years(ledger, staged),
            ledger.registers.decisions,
            correction,
        )
    )
    errors = would_be_errors(ledger.entries, ledger.options_map, [*new, *extra], batches)
    problem = refusal(errors) if errors else _unincluded(ledger, _targets(staged, extra))
    if problem is not None:
        raise UserError(problem)
    return extra


def _in_closed_years(ledger: Ledger, staged: Sequence[_Staged]) -> list[data.Directive]:
    """The new entries, with those of the column-wise batches only where a year is closed."""
    closed, _ = read_closed_years(ledger.entries)
    entries: list[data.Directive] = []
    for stage in staged:
        entries += [item.entry for item in stage.new]
        if stage.batch is not None:
            entries += stage.batch.in_years(closed)
    return entries


def _targets(staged: Sequence[_Staged], extra: Sequence[data.Directive]) -> list[str]:
    """The ledger files the new entries go to, in the order they first appear."""
    targets: list[str] = []
    for stage in staged:
        targets += [target_of(item.entry) for item in stage.new]
        if stage.batch is not None:
            targets += [target_of(entry) for entry in stage.batch.first_of_years()]
    targets += [target_of(entry) for entry in extra]
    return list(dict.fromkeys(targets))


def refusal(errors: Sequence[Any]) -> str:
    """The one line an import refused by the ledger's checks ends with."""
    return (
        f"Efter ändringen skulle huvudboken ha {len(errors)} fel, inget skrevs; "
        f"först: {format_error(errors[0])}"
    )


INCLUDE_RE = re.compile(r'^include\s+"([^"]+)"', re.MULTILINE)


def _unincluded(ledger: Ledger, targets: Sequence[str]) -> str | None:
    """Why new entries would land in a file the ledger does not include, or None.

    An existing file must be among the files the ledger loaded; a new one must
    match an `include` of the main file (`costs/*.beancount` picks up new years).
    """
    root = ledger.path.parent
    included = {Path(name).resolve() for name in ledger.options_map.get("include", [])}
    patterns: list[str] | None = None
    for relative in targets:
        path = (root / relative).resolve()
        if path.exists():
            if path in included:
                continue
        else:
            if patterns is None:
                patterns = _include_patterns(ledger.path)
            if any(fnmatch.fnmatch(str(path), pattern) for pattern in patterns):
                continue
        return (
            f"{relative} ingår inte i huvudboken {ledger.path}, inget skrevs; skapa "
            f'{relative} (en tom fil räcker) och lägg till include "{relative}" i huvudboken.'
        )
    return None


def _include_patterns(main: Path) -> list[str]:
    """The absolute paths and globs the main file includes."""
    text = main.read_text(encoding="utf-8")
    folder = main.resolve().parent
    return [str(folder / pattern) for pattern in INCLUDE_RE.findall(text)]


Pieces = dict[str, list[list[data.Directive] | str]]
"""Ledger file -> what is appended to it, in order: entries, or entries already rendered."""


def _plan(
    ledger: Ledger,
    staged: list[_Staged],
    kept_at: dict[Path, str],
    extra: Sequence[data.Directive] = (),
    imported_on: datetime.date | None = None,
) -> Changes:
    """The file changes of an import: entries by target file, source records and archives.

    Each file's new text is what its entries, in the order given, render to;
    an export's booked rows are rendered column-wise (`CostBatch.texts`).
    """
    root = ledger.path.parent
    changes = Changes(root)
    recorded = set(ledger.registers.sources)
    day = imported_on or datetime.date.today()
    pieces: Pieces = {}
    _add(pieces, extra)
    for stage in staged:
        extraction = stage.extraction
        _add(pieces, [item.entry for item in stage.new])
        if stage.batch is not None and len(stage.batch):
            texts = stage.batch.texts()
            for entry in stage.batch.first_of_years():
                pieces.setdefault(target_of(entry), []).append(texts[entry.date.year])
        sha = extraction.source.sha256
        if sha not in recorded:
            recorded.add(sha)
            kept = _kept(changes, extraction, kept_at)
            _add(pieces, [_source_record(extraction, kept, day)])
    for relative, parts in pieces.items():
        for part in parts:
            if isinstance(part, str):
                changes.append_text(relative, part)
            else:
                changes.append(relative, part)
    return changes


def _add(pieces: Pieces, entries: Sequence[data.Directive]) -> None:
    for relative, group in group_by_target(entries).items():
        pieces.setdefault(relative, []).append(group)


def _kept(changes: Changes, extraction: Extraction, kept_at: dict[Path, str]) -> str:
    """Where a source file is kept, relative to the ledger; its archive copy planned if new."""
    kept = kept_at.get(extraction.source.path)
    if kept is None:
        archive = _archive_path(changes.root, extraction)
        if not archive.exists():
            changes.copies[archive] = extraction.source.path
        kept = archive.relative_to(changes.root).as_posix()
    return kept


def _archive_path(root: Path, extraction: Extraction) -> Path:
    """Where a source file is archived: beangulp's layout under the ledger's documents folder."""
    folder = root / DOCUMENTS / Path(*extraction.account.split(":"))
    target = folder / ARCHIVE_NAME.format(date=extraction.date, name=extraction.source.name)
    if target.exists() and file_sha256(target) != extraction.source.sha256:
        stem, suffix = extraction.source.path.stem, extraction.source.path.suffix
        name = f"{stem}-{extraction.source.sha256[:8]}{suffix}"
        target = folder / ARCHIVE_NAME.format(date=extraction.date, name=name)
    return target


def _source_record(extraction: Extraction, archive: str, imported_on: datetime.date) -> data.Custom:
    """The `source-file` record of an imported file: what it was, where it is kept, and when."""
    meta = extraction.source.meta(None, None)
    meta.update(
        kind=extraction.kind,
        imported=imported_on,
        account=extraction.account,
        archive=archive,
        rows=Decimal(extraction.rows),
        programme_rows=Decimal(extraction.programme_rows),
        programme_total=extraction.programme_total,
    )
    return data.Custom(
        meta, extraction.date, SOURCE_FILE_TYPE, [ValueType(extraction.source.name, str)]
    )


def _commit(path: Path, changes: Changes) -> tuple[str, ...]:
    """Write the changes as one transaction, check the ledger, and roll back if it fails.

    A write error (a full disk, no permission) is one line and the books as
    they were. Once the changed ledger has passed its check the change is
    committed; if dropping its backups then fails, the next opener does it.
    """
    written, _ = _commit_loaded(path, changes)
    return written


def _commit_loaded(path: Path, changes: Changes) -> tuple[tuple[str, ...], Ledger | None]:
    """`_commit`, and the ledger as loaded to check it (None when nothing was written).

    The caller reads what it needs of the changed ledger from that load:
    loading a big ledger again would cost as much as the check itself.
    """
    written = changes.paths()
    if not written:
        return (), None
    try:
        transaction = changes.begin()
    except OSError as error:
        raise UserError(f"{WRITE_FAILED}: {describe_os_error(error)}; inget ändrades.") from None
    # Staged on disk now: the new texts (as big as the rows imported) need not
    # be held while the changed ledger is loaded.
    texts = list(changes.texts)
    changes.texts.clear()
    give_back_memory()
    try:
        transaction.apply()
        after = load_ledger(path)
        problem = _problem_after(after, texts)
        if problem is None:
            transaction.commit()
    except BaseException as error:
        _roll_back(transaction, error)
        if isinstance(error, OSError):
            raise UserError(
                f"{WRITE_FAILED}: {describe_os_error(error)}; inget ändrades."
            ) from None
        raise
    if problem is not None:
        _roll_back(transaction, None)
        raise UserError(problem)
    with contextlib.suppress(OSError):
        transaction.finish()
    return tuple(str(p) for p in written), after


def _roll_back(transaction: Transaction, cause: BaseException | None) -> None:
    """Roll back; if even that fails, the journal stays and the next `ctc` command finishes it."""
    try:
        transaction.rollback()
    except OSError as error:
        first = (
            f"{WRITE_FAILED}: {describe_os_error(cause)}; " if isinstance(cause, OSError) else ""
        )
        raise UserError(
            f"{first}återställningen avbröts ({describe_os_error(error)}); nästa ctc-kommando "
            "på huvudboken slutför den."
        ) from None


def _problem_after(after: Ledger, texts: Iterable[Path]) -> str | None:
    """Why the changed ledger (`texts`: the files written) fails, or None."""
    if after.errors:
        return refusal(after.errors)
    included = {Path(name).resolve() for name in after.options_map.get("include", [])}
    for written in texts:
        if written.suffix == ".beancount" and written.resolve() not in included:
            relative = written.relative_to(after.path.parent).as_posix()
            return (
                f"{relative} ingår inte i huvudboken {after.path}, inget skrevs; skapa "
                f'{relative} (en tom fil räcker) och lägg till include "{relative}" i huvudboken.'
            )
    return None


def record_entries(
    ledger_path: Path | None, build: Callable[[Ledger], Sequence[data.Directive]]
) -> tuple[Ledger, tuple[str, ...]]:
    """Write the entries `build` makes from the ledger, by the import's own writing path.

    `ctc close` and `ctc report --publish` record their entries here: under the
    import lock, checked with the new entries before anything is written (the
    ledger with them must pass every rule; a correction of a closed year is
    what makes a changed ledger pass again), then written all or nothing. A
    record file the ledger does not include yet is created and included from
    the main file in the same change. Returns the ledger as loaded and the
    files written.
    """
    path = resolve_ledger_path(ledger_path)
    with _writing(path, dry_run=False):
        ledger = load_ledger(path)
        entries = list(build(ledger))
        errors = would_be_errors(ledger.entries, ledger.options_map, entries)
        if errors:
            raise UserError(refusal(errors))
        changes = Changes(path.parent)
        included = {Path(name).resolve() for name in ledger.options_map.get("include", [])}
        for relative, group in group_by_target(entries).items():
            changes.append(relative, group)
            if (path.parent / relative).resolve() not in included:
                main = changes.current(path) or ""
                changes.set_text(path, f'{main.rstrip(chr(10))}\ninclude "{relative}"\n')
        return ledger, _commit(path, changes)


def run_undo(target: str, ledger_path: Path | None = None, dry_run: bool = False) -> UndoSummary:
    """Remove exactly what the import of a file added; the file given by path, name or SHA-256.

    With `dry_run`, only count what would go.
    """
    path = resolve_ledger_path(ledger_path)
    with _writing(path, dry_run) as notices:
        ledger = load_ledger(path)
        records = ledger.registers.sources
        sha = _sha_of(target, records)
        record = records.get(sha)
        name = str(record.meta.get(SOURCE_FILE)) if record else Path(target).name
        changes = Changes(path.parent, "undo")
        removed = 0
        root = path.parent.resolve()
        for filename in ledger.options_map.get("include", []):
            file = Path(filename)
            if not file.resolve().is_relative_to(root) or not file.is_file():
                continue
            text, count = remove_source(changes.current(file) or "", sha)
            if count:
                changes.set_text(file, text)
                removed += count
        if not removed:
            raise UserError(
                f"{name} har inte lästs in i huvudboken {path} (ingen post har dess SHA-256)."
            )
        archive = record.meta.get("archive") if record else None
        if archive and str(archive).startswith(f"{DOCUMENTS}/"):
            changes.removals.append(path.parent / str(archive))
        written = () if dry_run else _commit(path, changes)
        return UndoSummary(name, sha, removed - (1 if record else 0), written, notices)


def _sha_of(target: str, records: dict[str, data.Custom]) -> str:
    candidate = Path(target)
    if candidate.is_file():
        return file_sha256(candidate)
    if SHA256_RE.match(target):
        return target
    matches = [sha for sha, r in records.items() if r.meta.get(SOURCE_FILE) == candidate.name]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise UserError(
            f"Flera inlästa filer heter {candidate.name}; ange filen själv eller dess SHA-256."
        )
    raise UserError(f"Filen {target} finns inte, och ingen inläst fil heter så.")
