"""Bounding what the Rust reader will allocate for a .xlsx, from the sheet XML, before it reads.

The column-wise read (`fastread`) runs calamine in the importer's own
process, unprobed, because probing a genuine export in a child costs as
much as reading it. calamine builds each sheet as one dense grid spanning
its cells: one stray value at XFD1048576 is a grid of 17 billion cells, and
the process aborts. A sheet's `<dimension>` cannot tell, because it is only
what the writer claims. So a workbook under `SCANNED_BYTES` is checked
against its own XML instead: every worksheet part is inflated once,
streamed, to the end of its compressed data (a part that inflates to more
than the zip directory declares is refused: calamine would read all of it),
and the farthest row and column of its cells are found. Genuine exports
write every cell as `<c r="A1"` in row order, so a few regular-expression
passes that match only what lies beyond the extent seen so far find them
at close to the speed of inflating; any other shape is read tag by tag as
calamine reads it (a cell without `r` takes the next column of its row).

A grid wider than `MAX_COLUMNS`, or large and mostly empty (a stray far
cell), is refused naming the cell; a large dense grid, a binary or
OpenDocument sheet (which cannot be scanned this cheaply), and XML that
inflates far more than exports do are left to the probe under limits
(`sandbox`). Bigger files are genuine exports' sizes: they keep the
structural checks of `fastread` and are not scanned.
"""

from __future__ import annotations

import copy
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ctc.errors import UserError
from ctc.importers.reading.columns import column_index, column_letter
from ctc.importers.reading.package import names, sheet_parts
from ctc.importers.reading.sandbox import MAX_COLUMNS, MAX_SHEETS

SCANNED_BYTES = 10 << 20
"""Files below this size are scanned before the column-wise read; bigger ones are not
(for a 1 048 575-row export the scan would add about a third to the import's time)."""
FAST_CELLS = 4 << 20
"""The largest grid (rows x columns) read without a probe: about 300 MB in the reader."""
SPARSE = 8
"""A grid over `FAST_CELLS` with more than this many cells per cell written is a stray far
cell, refused; a denser one is probed."""
MAX_XML_RATIO = 32
"""Most bytes of XML per byte of file read without a probe (exports inflate about ten times)."""
CHUNK = 4 << 20
MAX_MATCHES = 100_000
"""Most cells past the extent handled one by one in a sheet; a genuine export has a few
chunks' worth at most (a column first filled far down). More is left to the probe."""
MAX_TAG_SCAN = 16 << 20
"""Largest sheet XML read tag by tag (a few seconds); a bigger irregular one is probed."""
HEAD_BYTES = 1 << 16
"""How much of a sheet is read cell by cell for the extent its first rows have."""
REFERENCE = re.compile(rb'<c r="([A-Z]+)([0-9]+)"')
TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CELL_NAME = re.compile(rb"([A-Za-z]+)([0-9]+)$")
"""A cell reference as calamine reads it (either case); any other is an error there."""


@dataclass(slots=True)
class Extent:
    """How far a sheet's cells reach: the grid calamine will build for it (from A1)."""

    rows: int = 0
    """1-based number of the lowest row with a cell."""
    columns: int = 0
    """Number of columns up to the rightmost cell."""
    cells: int = 0
    """Cells written (an upper bound on those with a value)."""
    lowest: tuple[int, int] = (0, 0)
    """(0-based row, column) of a cell in the lowest row."""
    widest: tuple[int, int] = (0, 0)
    """(0-based row, column) of a cell in the rightmost column."""

    def add(self, row: int, column: int) -> None:
        """Take in a cell at 0-based (row, column)."""
        if row + 1 > self.rows:
            self.rows, self.lowest = row + 1, (row, column)
        if column + 1 > self.columns:
            self.columns, self.widest = column + 1, (row, column)

    @property
    def grid(self) -> int:
        return self.rows * self.columns


def _later(token: str, first: str, last: str) -> str:
    """A regular expression for the strings over `first`-`last` that come after `token`.

    Column names and row numbers are both ordered by length first, then
    character by character: a later string is longer, or as long and later at
    its first difference. (A number with leading zeros is taken as later; its
    value is then read exactly.)
    """
    size = len(token)
    every = f"[{first}-{last}]"
    options = [f"{every}{{{size + 1},}}"]
    for index, char in enumerate(token):
        if char < last:
            rest = f"{every}{{{size - index - 1}}}"
            options.append(f"{token[:index]}[{chr(ord(char) + 1)}-{last}]{rest}")
    return "|".join(options)


def _beyond(extent: Extent) -> str:
    """Cells past the extent so far, and any cell not written as `<c r="A1"` (group 1:
    no reference, lower-case letters, a namespace prefix ...).

    Written without look-arounds, so that both Python's and polars' (Rust's)
    regular expressions take it.
    """
    last_column = column_letter(max(extent.columns - 1, 0))
    return (
        r'(<c(?:[\t\n\r/>]| [^r]| r[^=]| r=[^"]| r="[A-Z]*[^A-Z0-9]| r="[A-Z]+[0-9]+[^0-9"])'
        r"|:c[\t\n\r /]|:c>)"
        rf'|<c r="(?:(?:{_later(last_column, "A", "Z")})[0-9]'
        rf'|[A-Z]+(?:{_later(str(max(extent.rows, 1)), "0", "9")})")'
    )


def _any(pattern: str, data: bytes) -> bool:
    """Whether `pattern` occurs in `data`: by polars when the text is UTF-8 (several times
    faster than Python's engine over megabytes of XML), else by Python."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return re.search(pattern.encode(), data) is not None
    import polars as pl

    return bool(pl.Series([text]).str.contains(pattern).any())


class IrregularError(Exception):
    """The sheet is not written the way the fast scan expects: read it tag by tag."""


class ScanLimitError(Exception):
    """The sheet would take the scan too long: leave it to the probe and its time limit."""


def _whole_tags(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks re-cut before their last `<`, so that no piece ends inside a tag."""
    rest = b""
    for chunk in chunks:
        data = rest + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            rest = data
            continue
        rest = data[cut:]
        yield data[:cut]
    if rest:
        yield rest


def _scan_regular(chunks: Iterator[bytes], extent: Extent) -> None:
    """Find the extent of a sheet written as exports are; `IrregularError` if it is not."""
    matches = 0
    for index, data in enumerate(_whole_tags(chunks)):
        if index == 0:  # the first rows set the extent the rest is compared with
            for letters, number in REFERENCE.findall(data, 0, HEAD_BYTES):
                extent.add(int(number) - 1, column_index(letters.decode()))
        last = _last_reference(data)
        if last is not None:
            extent.add(int(last.group(2)) - 1, column_index(last.group(1).decode()))
        beyond = _beyond(extent)
        if _any(beyond, data):
            matches += _take_beyond(data, beyond, extent)
            if matches > MAX_MATCHES:
                raise ScanLimitError


def _take_beyond(data: bytes, beyond: str, extent: Extent) -> int:
    """Add the piece's cells past the extent (those with a value); how many there were."""
    count = 0
    for match in re.finditer(beyond.encode(), data):
        cell = REFERENCE.match(data, match.start()) if match.group(1) is None else None
        if cell is None:
            raise IrregularError
        if not _empty(data, cell.end()):
            extent.add(int(cell.group(2)) - 1, column_index(cell.group(1).decode()))
        count += 1
        if count > MAX_MATCHES:
            break
    return count


def _last_reference(data: bytes) -> re.Match[bytes] | None:
    """The chunk's last whole cell reference (its very last may be cut off)."""
    end = len(data)
    for _ in range(3):
        start = data.rfind(b'<c r="', 0, end)
        if start < 0:
            return None
        found = REFERENCE.match(data, start)
        if found is not None:
            return found
        end = start
    return None


def _empty(data: bytes, start: int) -> bool:
    """Whether the cell whose tag continues at `start` is `<c .../>` or `<c ...></c>`."""
    end = data.find(b">", start)
    return end > 0 and (data[end - 1 : end] == b"/" or data.startswith(b"</c>", end + 1))


def _scan_tags(chunks: Iterator[bytes], extent: Extent) -> None:
    """Find the extent tag by tag, with calamine's counters for rows and cells without `r`."""
    row = column = 0
    for data in _whole_tags(chunks):
        for match in TAG.finditer(data):
            closing, name, attributes = match.groups()
            if name == b"row":
                if closing:
                    row, column = row + 1, 0
                    continue
                number = _attribute(attributes)
                if number is not None and number.isdigit():
                    row = max(int(number) - 1, 0)
                if attributes.endswith(b"/"):
                    row, column = row + 1, 0
                continue
            if closing:
                continue
            reference = _attribute(attributes)
            cell = CELL_NAME.match(reference) if reference is not None else None
            if cell is not None:
                row_of = int(cell.group(2)) - 1
                column = column_index(cell.group(1).decode().upper())
            else:
                row_of = row
            extent.cells += 1
            if not attributes.endswith(b"/"):
                extent.add(row_of, column)
            column += 1


def _attribute(attributes: bytes) -> bytes | None:
    found = R_ATTRIBUTE.search(attributes)
    if found is None:
        return None
    return found.group(1) if found.group(1) is not None else found.group(2)


def _inflated(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes to the end of its compressed data, refused if more than declared.

    Python's zip reader stops at the declared size; calamine's does not. So
    the part is read as if it declared one byte more, and that byte is an
    error (a true part of that size is still checked against its CRC).
    """
    trial = copy.copy(info)
    trial.file_size = info.file_size + 1
    seen = 0
    try:
        with archive.open(trial) as stream:
            while chunk := stream.read(CHUNK):
                seen += len(chunk)
                if seen > info.file_size:
                    break
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise UserError(
            f"{path.name}: filen är trasig eller avkortad (delen {info.filename})."
        ) from None
    if seen > info.file_size:
        raise UserError(
            f"{path.name}: delen {info.filename} packas upp till mer än de {info.file_size} byte "
            "zip-katalogen anger; arbetsboken vägras (zip-bomb?)."
        )


def sheet_extent(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Extent | None:
    """How far the cells of one worksheet part reach; None if finding out would take too long."""
    extent = Extent()
    try:
        _scan_regular(_inflated(path, archive, info), extent)
        if extent.grid > FAST_CELLS:  # only then does it matter how many cells there are
            for data in _whole_tags(_inflated(path, archive, info)):
                extent.cells += data.count(b'<c r="')
    except ScanLimitError:
        return None
    except IrregularError:
        if info.file_size > MAX_TAG_SCAN:
            return None
        extent = Extent()
        _scan_tags(_inflated(path, archive, info), extent)
    return extent


def bounded(path: Path, heads: dict[str, bytes]) -> bool:
    """Whether calamine may read every sheet of a .xlsx here without a probe.

    `heads` names the sheets found through the package's relationships (`fastread`).
    A sheet reaching too far is a `UserError` naming its farthest cell; False
    means the workbook must be probed under limits first.
    """
    if not heads or len(heads) > MAX_SHEETS:
        return False
    with zipfile.ZipFile(path) as archive:
        stored = names(archive)
        parts = sheet_parts(archive)
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_XML_RATIO * max(path.stat().st_size, 1):
            return False
        sheets = {stored[parts[n]]: n for n in heads if n in parts and parts[n] in stored}
        if len(sheets) < len(heads) or not all(name.endswith(".xml") for name in sheets):
            return False
        dense = True
        for info in infos:
            sheet = sheets.get(info.filename)
            if sheet is None:
                if info.filename.endswith((".xml", ".rels")):
                    for _ in _inflated(path, archive, info):
                        pass
                continue
            extent = sheet_extent(path, archive, info)
            if extent is None:
                return False
            _refuse_far(path, sheet, extent)
            dense = dense and extent.grid <= FAST_CELLS
    return dense


def _refuse_far(path: Path, sheet: str, extent: Extent) -> None:
    """Refuse a sheet too wide to read, or a large grid that is mostly empty."""
    if extent.columns > MAX_COLUMNS:
        far = _name(extent.widest)
        raise UserError(
            f"{path.name}: blad {sheet} har värden ända ut till cell {far} "
            f"({extent.columns} kolumner, gränsen är {MAX_COLUMNS}); ta bort cellerna långt "
            "utanför tabellen och spara igen."
        )
    if extent.grid > FAST_CELLS and extent.grid > SPARSE * max(extent.cells, 1):
        far = _name(extent.lowest)
        raise UserError(
            f"{path.name}: blad {sheet}, cell {far}, ligger långt utanför tabellen "
            f"({extent.cells} celler men {extent.rows} rader och {extent.columns} kolumner); "
            "arbetsboken vägras. Ta bort cellerna utanför tabellen och spara igen."
        )


def _name(cell: tuple[int, int]) -> str:
    return f"{column_letter(cell[1])}{cell[0] + 1}"
