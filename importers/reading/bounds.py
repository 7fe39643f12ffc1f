"""Bounding what the Rust reader will allocate for a .xlsx, from the sheet XML, before it reads.

The column-wise read (`fastread`) runs calamine in the importer's own
process, unprobed, because probing a genuine export in a child costs as
much as reading it. calamine builds each sheet as one dense grid spanning
its cells: one stray value at XFD1048576 is a grid of 17 billion cells, and
the process aborts. A sheet's `<dimension>` cannot tell, because it is only
what the writer claims. So every workbook is checked against its own XML
instead: every worksheet part is inflated once, streamed, to the end of its
compressed data (a part that inflates to more than the zip directory
declares is refused: calamine would read all of it), and the farthest row
and column of its cells are found. Genuine exports write every cell as
`<c r="A1"` in row order, so a search that matches only what lies beyond
the extent seen so far finds them at close to the speed of inflating.

Under `SCANNED_BYTES` any other shape is read tag by tag as calamine reads
it (a cell without `r` takes the next column of its row); a grid wider than
`MAX_COLUMNS`, or large and mostly empty (a stray far cell), is refused
naming the cell; a large dense grid, a binary or OpenDocument sheet (which
cannot be scanned this cheaply), and XML that inflates far more than
exports do are left to the probe under limits (`sandbox`).

From `SCANNED_BYTES` on, a file has a genuine export's size, and the scan
must cost little beside a read of up to 1 048 575 rows: one precompiled
search per piece, whose negative look-ahead turns a cell within the extent
away after one comparison (`_scan_big`), and no CRC. (Inflating in a
thread while the piece before is searched gained nothing measurable: the
search holds the GIL, and zlib takes it back between output blocks.)
A cell of any other shape sends the workbook to the probe, which is as
slow as a read but bounded; a grid up to `BIG_CELLS` is read as a genuine
export's; a larger one that its XML cannot fill is refused naming the cell,
and one that it can is probed. Measured on a shared two-core machine
(docs/benchmarks.md), alternating runs against the unscanned import, two
sessions: at 1 048 575 rows (528 MB of sheet XML) 1.35–1.9 s more wall
time on 9.9–12.9 s (+12–15 %), 1.35–2.3 s more CPU (+12–19 %); zlib's
inflating alone is 0.8 s of it, the search 0.75 s. At 200 000 rows
(10.5 MB) 0.27–0.6 s more wall time on 2.6 s (+10–24 %), 0.3 s more CPU (+11 %).
"""

from __future__ import annotations

import copy
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ctc.errors import UserError
from ctc.importers.reading.columns import column_index, column_letter
from ctc.importers.reading.package import names, sheet_parts
from ctc.importers.reading.sandbox import MAX_COLUMNS, MAX_SHEETS

SCANNED_BYTES = 10 << 20
"""Files below this size are scanned thoroughly (irregular sheets tag by tag); bigger ones
with the one search of `_scan_big` (the thorough scan would add about a third to the
time of a 1 048 575-row import)."""
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
TAG = re.compile(rb"<(/?)(?:[^ \t\r\n<>/:]*:)?(row|c)(?=[\s/>])([^>]*)>")
"""A row or cell tag, with any namespace prefix (even an empty or non-ASCII one), as
calamine's XML reader takes it."""
R_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CELL_NAME = re.compile(rb"([A-Za-z]+)([0-9]+)$")
"""A cell reference as calamine reads it (either case); any other is an error there."""
BIG_CELLS = 1_048_576 * 32
"""The largest grid read unprobed from a workbook of `SCANNED_BYTES` or more: Excel's rows
times 32 columns, as a genuine export's declared size may be (`fastread`)."""
MIN_CELL_BYTES = 16
"""The fewest bytes of XML a cell with a value takes (`<c r="A1"><v>1</v></c>` is 22)."""
PREFIXED = re.compile(rb"<[^ \t\r\n<>/:]*:c[ \t\r\n/>]")
"""A cell written with a namespace prefix (`<x:c`), which calamine reads too: its XML
reader takes whatever comes before the name's first colon as the prefix."""
COMPRESSED_CHUNK = 1 << 20
LOCAL_HEADER = struct.Struct("<4s22xHH")
"""A zip member's local header: its signature, and the lengths of its name and extra field."""


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
    head_columns: int = 0
    """Number of columns the sheet's first rows reach (a big sheet's table)."""

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


def _up_to(token: str, first: str, last: str, lead: str) -> str:
    """A regular expression for the strings over `first`-`last` that do not come after `token`.

    `_later`'s complement among the strings that do not start below `lead`
    (a row number has no leading zero): `token` itself, as long and earlier
    at their first difference, or shorter. In that order, and the shorter
    ones possessive, as most strings are as long as `token`: trying a shorter
    one first would backtrack over every digit (about half again the time).
    """
    size = len(token)
    every = f"[{first}-{last}]"
    options = [token]
    for index, char in enumerate(token):
        low = lead if index == 0 else first
        if char > low:
            rest = f"{every}{{{size - index - 1}}}" if index < size - 1 else ""
            options.append(f"{token[:index]}[{low}-{chr(ord(char) - 1)}]{rest}")
    if size > 1:
        options.append(f"[{lead}-{last}]{every}{{0,{size - 2}}}+")
    return "|".join(options)


def _unexpected(extent: Extent) -> re.Pattern[bytes]:
    """Cells other than `<c r="A1"` within the extent so far: past it, or of another shape.

    Every cell of a genuine export is written `<c r="` and lies within the
    columns of its first rows and the rows up to the piece's last cell, so
    the negative look-ahead, tried first, turns it away at once: the search
    costs about one comparison per cell, where `_beyond`'s alternatives cost
    several. Not caught here: a second `r` later in a cell's tag (calamine
    takes the last). A look-ahead over the rest of every tag finds it, but
    the whole scan then cost 2.9 s on a 9.9 s import of 1 048 575 rows
    (measured), so it is left open.
    """
    columns = _up_to(column_letter(max(extent.columns - 1, 0)), "A", "Z", "A")
    rows = _up_to(str(max(extent.rows, 1)), "0", "9", "1")
    return re.compile(rf'<c(?! r="(?:{columns})(?:{rows})")(?=[\s/>])'.encode())


def _beyond(extent: Extent) -> str:
    """Cells past the extent so far, and any cell not written as `<c r="A1"` (group 1:
    no reference, lower-case letters, a namespace prefix, a second `r` ...).

    Written without look-arounds, so that both Python's and polars' (Rust's)
    regular expressions take it.
    """
    last_column = column_letter(max(extent.columns - 1, 0))
    return (
        r'(<c(?:[\t\n\r/>]| [^r]| r[^=]| r=[^"]| r="[A-Z]*[^A-Z0-9]| r="[A-Z]+[0-9]+[^0-9"])'
        r"|:c[\t\n\r /]|:c>"
        r'|<c r="[^"]*"[^>]*[\t\n\r ]r[\t\n\r ]*=)'
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
        _take_known(data, index == 0, extent)
        beyond = _beyond(extent)
        if _any(beyond, data):
            matches += _take_beyond(data, re.compile(beyond.encode()), extent)
            if matches > MAX_MATCHES:
                raise ScanLimitError


def _take_known(data: bytes, first: bool, extent: Extent) -> None:
    """Take in the cells that set the extent a piece is compared with: those of the sheet's
    first rows (in its first piece), and the piece's last cell, lowest in row order."""
    if first:
        for letters, number in REFERENCE.findall(data, 0, HEAD_BYTES):
            extent.add(int(number) - 1, column_index(letters.decode()))
        extent.head_columns = extent.columns
    last = _last_reference(data)
    if last is not None:
        extent.add(int(last.group(2)) - 1, column_index(last.group(1).decode()))


def _take_beyond(data: bytes, beyond: re.Pattern[bytes], extent: Extent) -> int:
    """Add the piece's cells past the extent (those with a value); how many there were.

    A match that is not `<c r="A1"` (or is `beyond`'s group 1) is `IrregularError`.
    """
    count = 0
    for match in beyond.finditer(data):
        irregular = beyond.groups > 0 and match.group(1) is not None
        cell = None if irregular else REFERENCE.match(data, match.start())
        if cell is None or R_ATTRIBUTE.search(data, cell.end(), data.find(b">", cell.end())):
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


def _scan_big(chunks: Iterator[bytes], extent: Extent) -> None:
    """Find the extent of a big sheet written as exports are; `IrregularError` if it is not.

    As `_scan_regular`, with one precompiled search per piece instead of
    several: a cell past the extent so far is taken in (a few per sheet),
    any other shape is left to the probe, as a big sheet is too big to read
    tag by tag.
    """
    matches = 0
    for index, data in enumerate(_whole_tags(chunks)):
        _take_known(data, index == 0, extent)
        if data.find(b":") >= 0 and PREFIXED.search(data):  # one byte: found at memchr's speed
            raise IrregularError
        matches += _take_beyond(data, _unexpected(extent), extent)
        if matches > MAX_MATCHES:
            raise ScanLimitError


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
    """The tag's `r`: its last, as calamine takes it when a tag has several."""
    found = None
    for found in R_ATTRIBUTE.finditer(attributes):  # noqa: B007 (the last one is wanted)
        pass
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


def _raw_inflated(path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """`_inflated` without Python's zip reader, for big sheets: about a quarter faster.

    The CRC, which that reader computes over every byte, says nothing about
    how far the cells reach (calamine checks it itself). A part stored in
    any other way than plain or deflated, or encrypted, is `ScanLimitError`.
    """
    if info.flag_bits & 1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ScanLimitError
    with path.open("rb") as file:
        _seek_data(path, file, info)
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            while left > 0 and (chunk := file.read(min(left, CHUNK))):
                left -= len(chunk)
                yield chunk
            return
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = b""
        seen = 0
        while not inflater.eof:
            if not pending and left > 0:
                pending = file.read(min(left, COMPRESSED_CHUNK))
                left -= len(pending) or left
            try:
                chunk = inflater.decompress(pending, CHUNK)
            except zlib.error:
                raise _broken(path, info) from None
            pending = inflater.unconsumed_tail
            seen += len(chunk)
            if seen > info.file_size:
                raise UserError(
                    f"{path.name}: delen {info.filename} packas upp till mer än de "
                    f"{info.file_size} byte zip-katalogen anger; arbetsboken vägras (zip-bomb?)."
                )
            if chunk:
                yield chunk
            elif not pending and left <= 0 and not inflater.eof:
                raise _broken(path, info)


def _seek_data(path: Path, file: BinaryIO, info: zipfile.ZipInfo) -> None:
    """Move `file` to the start of the part's compressed data, past its local header."""
    file.seek(info.header_offset)
    header = file.read(LOCAL_HEADER.size)
    if len(header) < LOCAL_HEADER.size:
        raise _broken(path, info)
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise _broken(path, info)
    file.seek(name_length + extra_length, 1)


def _broken(path: Path, info: zipfile.ZipInfo) -> UserError:
    return UserError(f"{path.name}: filen är trasig eller avkortad (delen {info.filename}).")


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


def big_sheet_extent(path: Path, info: zipfile.ZipInfo) -> Extent | None:
    """How far the cells of a big worksheet part reach; None if the probe must tell."""
    extent = Extent()
    try:
        _scan_big(_raw_inflated(path, info), extent)
    except (ScanLimitError, IrregularError):
        return None
    return extent


def bounded(path: Path, heads: dict[str, bytes]) -> bool:
    """Whether calamine may read every sheet of a .xlsx here without a probe.

    `heads` names the sheets found through the package's relationships (`fastread`).
    A sheet reaching too far is a `UserError` naming its farthest cell; False
    means the workbook must be probed under limits first.
    """
    if not heads or len(heads) > MAX_SHEETS:
        return False
    big = path.stat().st_size >= SCANNED_BYTES
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
            fits = _sheet_fits(path, archive, info, sheet, big)
            if fits is None:
                return False
            dense = dense and fits
    return dense


def _sheet_fits(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, big: bool
) -> bool | None:
    """Whether a sheet's grid is small enough to read unprobed; None if the probe must tell.

    A sheet reaching too far is a `UserError`. A big file's sheets are only
    searched for what lies past their table (`_scan_big`), a smaller one's
    also read tag by tag when they are irregular.
    """
    if big:
        extent = big_sheet_extent(path, info)
        if extent is None:
            return None
        _refuse_big(path, sheet, extent, info.file_size)
        return extent.grid <= BIG_CELLS
    extent = sheet_extent(path, archive, info)
    if extent is None:
        return None
    _refuse_far(path, sheet, extent)
    return extent.grid <= FAST_CELLS


def _refuse_big(path: Path, sheet: str, extent: Extent, xml_bytes: int) -> None:
    """Refuse a big sheet too wide to read, or whose grid is far more than its XML can fill.

    Its cells are not counted (that would take another pass): a sheet of
    `xml_bytes` holds at most `xml_bytes / MIN_CELL_BYTES` cells with values.
    The cell named is the widest when it lies outside the table's columns.
    """
    extent.cells = xml_bytes // MIN_CELL_BYTES
    far = _name(extent.widest if extent.columns > extent.head_columns else extent.lowest)
    if extent.columns > MAX_COLUMNS:
        _refuse_far(path, sheet, extent)
    if extent.grid > BIG_CELLS and extent.grid > SPARSE * max(extent.cells, 1):
        raise UserError(
            f"{path.name}: blad {sheet}, cell {far}, ligger långt utanför tabellen "
            f"({extent.rows} rader och {extent.columns} kolumner); arbetsboken vägras. "
            "Ta bort cellerna utanför tabellen och spara igen."
        )


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
