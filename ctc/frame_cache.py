"""A cache of the reports' Frame, so a warm `ctc report yearly` or `ctc trace` reads no entries.

With 200 000 imported rows in the ledger, the load cache (`ctc.load_cache`)
still unpickles every entry (about half of a warm report) and the Frame is
then built by walking them all again (the other half). Neither is needed to
answer a report on an unchanged ledger: this cache keeps what the reports
read, keyed on exactly what the load cache keys on (its `Manifest`: every
file Beancount read, the include globs, the mapping, the archives, the
documents folders and the code), so it is current exactly when a load would
give the same entries.

One file per ledger, beside the load cache's, written atomically:

- a header: the format, the ledger's absolute path and the manifest, so a
  stale cache is a miss decided before anything else is read;
- an index: where each part lies in the file and its SHA-256;
- the summary: the Frame with its cost lines summed per group
  (`summarise`): every dimension a report groups or filters cost lines by
  (year, committee, cost type, kind, account, area, position, decisions,
  elimination) is in the group's key, so sums per any of them are the same
  sums to the öre; a few thousand lines instead of one per posting;
- the detail: the Frame's own cost lines, one part per year and committee
  (`PartKey`), each with its entry, in ledger order.

`ctc report yearly` reads the header, the index and the summary; `ctc
trace` reads the summary and the one part its committee and year name, and
swaps that part's lines in for the summary lines of the same year and
committee (`trace_frame`), so every row stays reachable and a trace still
sums its own lines to the figure it checks against. No other report reads
this cache: they get the whole Frame (`ctc.ledger`).

Anything wrong (a missing, stale, truncated or altered file, a part whose
SHA-256 does not match, a folder that cannot be written) is a miss: the
ledger is then loaded as without this cache, and the cache written anew.
Only a ledger without errors is stored, so a hit is a ledger that passes
its checks. `CTC_NO_CACHE=1` turns this cache off with the load cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ctc import load_cache
from ctc.files import replace_file
from ctc.reports.frame import CostLine, Frame

if TYPE_CHECKING:
    from ctc.ledger import Ledger

FORMAT = 1
"""Version of the cache file's layout; bump it when the layout changes."""

PartKey = tuple[int, str, str]
"""A part of the detail: (year, municipality, committee) of its cost lines."""

GroupKey = tuple[object, ...]
"""What a summary line stands for: every field of a cost line but its date, amount, entry, source."""

Place = tuple[int, int, str]
"""Where a stored part lies: offset after the index, length in bytes, SHA-256 of the bytes."""


@dataclasses.dataclass(frozen=True, slots=True)
class Index:
    """Where the summary and each part of the detail lie in the file."""

    summary: Place
    parts: dict[PartKey, Place]


def cache_file(main: Path, folder: Path | None = None) -> Path:
    """The frame cache of a ledger: the load cache's name with its own prefix."""
    loads = load_cache.cache_file(main, folder)
    return loads.with_name(loads.name.replace("ledger-", "frame-", 1))


def group_key(line: CostLine) -> GroupKey:
    """The dimensions a summary line keeps: all a report groups or filters cost lines by."""
    return (
        line.year,
        line.municipality,
        line.committee,
        line.programme,
        line.cost_type,
        line.kind,
        line.account,
        line.area,
        line.position,
        line.position_decision,
        line.decisions,
        line.counterparty_committee,
        line.eliminated,
    )


def summarise(lines: Iterable[CostLine]) -> tuple[CostLine, ...]:
    """One line per group (`group_key`): its first line, carrying the group's exact sum.

    Decimal addition without rounding is exact and associative, so a sum of
    group sums equals the sum of the lines, to the öre and with the same
    number of decimals (a sum's exponent is the smallest of its terms').
    Groups come in the order of their first lines, as the lines came.
    """
    firsts: dict[GroupKey, CostLine] = {}
    sums: dict[GroupKey, Decimal] = {}
    for line in lines:
        key = group_key(line)
        if key in sums:
            sums[key] += line.amount
        else:
            firsts[key] = line
            sums[key] = line.amount
    return tuple(dataclasses.replace(first, amount=sums[key]) for key, first in firsts.items())


def part_key(line: CostLine) -> PartKey:
    """The part of the detail a cost line is stored in."""
    return (line.year, line.municipality, line.committee)


def _dumps(value: object) -> bytes:
    with load_cache.collector_paused():
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def write(ledger: Ledger) -> Path | None:
    """Store a clean ledger's frame atomically; return the file, or None when it cannot.

    A ledger with errors is not stored: a report refuses it, after a full
    load that names the errors.
    """
    if ledger.errors or not ledger.options_map.get("filename"):
        return None
    main = Path(str(ledger.options_map["filename"]))
    target = cache_file(main)
    try:
        frame = ledger.frame
        manifest = load_cache.build_manifest(
            main, (ledger.entries, list(ledger.errors), dict(ledger.options_map))
        )
        parts: dict[PartKey, list[CostLine]] = {}
        for line in frame.costs:
            parts.setdefault(part_key(line), []).append(line)
        summary = dataclasses.replace(frame, costs=summarise(frame.costs), path=None)
        blobs = [_dumps(summary), *(_dumps(tuple(lines)) for lines in parts.values())]
        places: list[Place] = []
        offset = 0
        for blob in blobs:
            places.append((offset, len(blob), hashlib.sha256(blob).hexdigest()))
            offset += len(blob)
        index = Index(places[0], dict(zip(parts, places[1:], strict=True)))
        header = (FORMAT, str(main), manifest)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        load_cache.remove_leftovers(target)

        def dump(handle: BinaryIO) -> None:
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
            for blob in blobs:
                handle.write(blob)

        replace_file(target, dump, mode=load_cache.CACHE_MODE)
    except Exception:
        # A cache that cannot be written only means the next report loads the ledger.
        return None
    return target


def _read_part(handle: BinaryIO, base: int, place: Place) -> Any:
    """One stored part, checked against its SHA-256; a mismatch raises (a miss)."""
    offset, length, sha256 = place
    handle.seek(base + offset)
    blob = handle.read(length)
    if len(blob) != length or hashlib.sha256(blob).hexdigest() != sha256:
        raise ValueError("frame cache part is damaged")
    with load_cache.collector_paused():
        return pickle.loads(blob)  # noqa: S301 (the user's own cache folder)


def _open(main: Path, handle: BinaryIO) -> tuple[Index, int, Frame] | None:
    """The index, where the parts start, and the summary; None when the cache is not current."""
    if not load_cache.current_header(handle, main, FORMAT):
        return None
    index = pickle.load(handle)  # noqa: S301
    if not isinstance(index, Index):
        return None
    base = handle.tell()
    summary = _read_part(handle, base, index.summary)
    return (index, base, summary) if isinstance(summary, Frame) else None


def summary_frame(main: Path, shown: Path) -> Frame | None:
    """The cached summary of the ledger `main` if current, else None (never an error).

    Its cost lines are sums per group (`summarise`): right for a report that
    adds lines up by their dimensions (`ctc report yearly`), for no other.
    `shown` is the ledger's path as the user gave it, which reports cite.
    """
    try:
        with cache_file(main).open("rb") as handle:
            opened = _open(main, handle)
    except Exception:
        return None
    return dataclasses.replace(opened[2], path=shown) if opened else None


def trace_frame(
    main: Path, shown: Path, choose: Callable[[Frame], Iterable[PartKey]]
) -> Frame | None:
    """The cached summary with the chosen parts' own cost lines, if current, else None.

    `choose` names the parts from the summary (it may raise the user's
    error, an unknown committee, which passes through). The summary lines of
    those years and committees are replaced by the lines they sum, in ledger
    order, so what `ctc trace` lists of them is exactly what the whole Frame
    holds; the rest of the frame (registers, municipalities, other
    committees) is the summary's.
    """
    try:
        handle = cache_file(main).open("rb")
    except OSError:
        return None
    with handle:
        try:
            opened = _open(main, handle)
        except Exception:
            return None
        if opened is None:
            return None
        index, base, summary = opened
        summary = dataclasses.replace(summary, path=shown)
        wanted = set(choose(summary))
        detail: list[CostLine] = []
        try:
            for key in sorted(wanted & index.parts.keys()):
                lines = _read_part(handle, base, index.parts[key])
                if not (isinstance(lines, tuple) and all(isinstance(x, CostLine) for x in lines)):
                    return None
                detail += lines
        except Exception:
            return None
    kept = tuple(line for line in summary.costs if part_key(line) not in wanted)
    return dataclasses.replace(summary, costs=(*kept, *detail))
