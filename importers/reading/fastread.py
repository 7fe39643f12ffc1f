"""Reading a big .xlsx sheet whole, as text columns, at the speed of the fastest reader.

A finance system hands out the general ledger of a whole committee or city,
up to Excel's 1 048 575 rows, of which the programme is a few per cent.
Streaming every row into Python objects costs about twice the time of the
raw read. So a big workbook is read once with fastexcel (calamine in Rust,
into Arrow) with every cell as text, and the export's rows are screened
column-wise with polars (`ctc.importers.reading.screen`); only the rows that need a
closer look become Python values.

Text is what keeps this exact: fastexcel writes a float cell as its shortest
representation, the same digits Python's `repr` gives, so an amount keeps
every öre. The positions of the cells on the sheet come from the sheet's
`<dimension>`: calamine drops empty leading rows and columns, and a row
number is provenance. When the dimension is missing or disagrees with what
was read, the first cell with a value decides, if it stands in column A;
otherwise the workbook is read the careful way instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ctc import progress
from ctc.errors import UserError
from ctc.importers.reading.bounds import SCANNED_BYTES, bounded
from ctc.importers.reading.columns import column_index
from ctc.importers.reading.package import names, sheet_parts
from ctc.importers.reading.sandbox import MAX_COLUMNS, MAX_SHEETS, probe
from ctc.importers.reading.workbook import sniff

if TYPE_CHECKING:
    import fastexcel
    import polars as pl

FAST_READ_BYTES = 1 << 20
"""Workbooks from this size (compressed) are read column-wise; smaller ones row by row."""
DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
HEAD_BYTES = 1 << 16
"""How much of a worksheet's XML is read for its `<dimension>` (within the first few
hundred bytes) and its first cell with a value."""
MAX_FAST_CELLS = 1_048_576 * 32
"""The most cells a big sheet may declare before it is probed under limits first."""
CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(/>|>.*?</c>)', re.DOTALL)


ErrorCells = dict[tuple[int, int], str]
"""(row, column) -> the error value a cell shows (`#REF!`)."""


class CellErrors(Protocol):
    """A sheet's error cells, worked out when first asked (`__call__`).

    `release` says nothing will ask any more, so the reader's copy of the
    sheet (which finding them needs) can go: it is as big as the read itself.
    """

    def __call__(self) -> ErrorCells: ...

    def release(self) -> None:
        """Let go of what finding the error cells needs; asking afterwards is an error."""
        ...


class NoErrors:
    """The error cells of a sheet that has none to find (a sheet read some other way)."""

    def __call__(self) -> ErrorCells:
        return {}

    def release(self) -> None:
        """Nothing to let go of."""


@dataclass(frozen=True, slots=True)
class TextSheet:
    """One sheet read whole as text: row 0 of `frame` is sheet row `first_row`."""

    name: str
    frame: pl.DataFrame
    first_row: int
    """1-based sheet row of the frame's first row."""
    first_column: int
    """0-based sheet column of the frame's first column."""
    errors: CellErrors = field(default_factory=NoErrors)
    """(frame row, column) -> error value of the sheet's error cells, found when asked."""

    def head(self, count: int) -> list[list[str]]:
        """The first `count` rows as lists, an empty cell as ''."""
        return [
            ["" if cell is None else cell for cell in row] for row in self.frame.head(count).rows()
        ]


def wants_fast_read(path: Path, container: str) -> bool:
    """Whether a workbook is big enough that the column-wise read pays."""
    return container == "zip" and path.stat().st_size >= FAST_READ_BYTES


def prepare_reading(path: Path) -> bool:
    """Import the column-wise reader now if `path` will need it, so a thread can just read.

    `ctc import` reads the first file in a thread while the ledger loads; the
    imports are Python work that would hold the GIL there. Returns whether
    the file is a workbook big enough to be read column-wise.
    """
    try:
        big = path.is_file() and wants_fast_read(path, sniff(path))
    except UserError:
        return False  # opening the file reports it
    if big:
        import fastexcel  # noqa: F401
        import polars  # noqa: F401

        import ctc.importers.reading.screen  # noqa: F401
    return big


def sheet_heads(path: Path) -> dict[str, bytes]:
    """Sheet name -> the first bytes of its worksheet XML (the zip is opened once)."""
    heads = {}
    with zipfile.ZipFile(path) as archive:
        stored = names(archive)
        for name, part in sheet_parts(archive).items():
            heads[name] = _head(archive, stored[part]) if part in stored else b""
    return heads


def _head(archive: zipfile.ZipFile, stored: str) -> bytes:
    try:
        with archive.open(stored) as stream:
            return stream.read(HEAD_BYTES)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return b""


def dimension(head: bytes) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) the sheet declares; None if it does not.

    Rows are 1-based, columns 0-based, as in messages and in `Header`.
    """
    match = DIMENSION.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    return (
        int(first_row),
        column_index(first_col.decode()),
        int(last_row),
        column_index(last_col.decode()),
    )


def fits(frame: pl.DataFrame, declared: tuple[int, int, int, int] | None) -> bool:
    """Whether the frame is exactly the declared range (so its positions are known)."""
    if declared is None:
        return False
    first_row, first_column, last_row, last_column = declared
    return (
        frame.height == last_row - first_row + 1 and frame.width == last_column - first_column + 1
    )


def first_cell(head: bytes) -> tuple[int, int] | None:
    """(1-based row, 0-based column) of the sheet's first cell with a value, from its XML.

    Rows come in order, so this is the row the reader's range starts at. Its
    column is the range's first column only when it is column A.
    """
    for match in CELL.finditer(head):
        if b"<v>" in match.group(3) or b"<is>" in match.group(3):
            return int(match.group(2)), column_index(match.group(1).decode())
    return None


def positions(frame: pl.DataFrame, head: bytes) -> tuple[int, int] | None:
    """Where the frame's first cell is on the sheet, when that is certain; else None."""
    declared = dimension(head)
    if declared is not None and fits(frame, declared):
        return declared[0], declared[1]
    found = first_cell(head)
    if found is not None and found[1] == 0:
        return found
    return None


ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
ERROR_VALUES = {
    "Div0": "#DIV/0!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "Name": "#NAME?",
    "NA": "#N/A",
    "Num": "#NUM!",
    "Null": "#NULL!",
    "GettingData": "#GETTING_DATA",
}
"""fastexcel's names for Excel's error values, and the values as Excel shows them."""


class _SheetErrors:
    """The sheet's error cells (which the reader leaves empty), worked out when first asked.

    fastexcel reports them only while converting the sheet to Arrow once more,
    which costs a good part of the read; so they are found only when a row
    with an empty amount or date needs them (`screen`), never for a clean file.
    Until then the reader's copy of the sheet is kept, and `release` drops it.
    """

    __slots__ = ("_found", "_sheet")

    def __init__(self, sheet: fastexcel.ExcelSheet) -> None:
        self._sheet: fastexcel.ExcelSheet | None = sheet
        self._found: ErrorCells | None = None

    def __call__(self) -> ErrorCells:
        if self._found is None:
            if self._sheet is None:
                raise RuntimeError("the sheet's error cells were asked for after it was released")
            self._found = _error_cells(self._sheet)
        return self._found

    def release(self) -> None:
        """Drop the reader's copy of the sheet and give its memory back to the system."""
        if self._sheet is not None:
            self._sheet = None
            give_back_memory()


def give_back_memory() -> None:
    """Return freed heap memory to the system (glibc's `malloc_trim`; elsewhere nothing).

    The reader's cells are many small allocations; once they are freed the C
    library keeps the pages for itself, and polars (which has an allocator of
    its own) cannot use them: the work after the read would add its memory
    on top of the read's. Trimming hands the pages back.
    """
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is not None:
        trim(0)


def _error_cells(sheet: fastexcel.ExcelSheet) -> ErrorCells:
    """(frame row, column) -> the error value as Excel shows it (`#DIV/0!`)."""
    try:
        _, errors = sheet.to_arrow_with_errors()
    except ImportError:  # pyarrow missing: the cells stay empty, as the reader gave them
        return {}
    cells: ErrorCells = {}
    for error in errors.errors if errors is not None else ():
        found = ERROR_DETAIL.search(error.detail)
        if found:
            cells[error.position] = ERROR_VALUES.get(found.group(1), "#FEL")
    return cells


def suspicious(heads: dict[str, bytes]) -> bool:
    """Whether a big workbook's own structure calls for a probe under limits first.

    A sheet without a declared dimension, or one declaring more columns or
    cells than any export has, may hide a stray far cell that would make the
    reader allocate the whole grid; so do more sheets than a workbook needs.
    """
    if len(heads) > MAX_SHEETS:
        return True
    for head in heads.values():
        declared = dimension(head)
        if declared is None:
            return True
        first_row, first_column, last_row, last_column = declared
        width = last_column - first_column + 1
        if width > MAX_COLUMNS or (last_row - first_row + 1) * width > MAX_FAST_CELLS:
            return True
    return False


def read_text_sheets(path: Path) -> list[TextSheet] | None:
    """Every sheet of a big .xlsx as text; None when a sheet's positions cannot be trusted."""
    import fastexcel

    try:
        heads = sheet_heads(path)
        if not heads:
            return None  # binary or OpenDocument sheets: no XML to place the frame by
        big = path.stat().st_size >= SCANNED_BYTES
        if (big and suspicious(heads)) or not bounded(path, heads):
            probe(path)
        reader = fastexcel.read_excel(str(path))
        if any(name not in heads for name in reader.sheet_names):
            return None  # a sheet neither checked nor placeable: the careful way
        sheets = []
        for name in reader.sheet_names:
            head = heads.get(name, b"")
            declared = dimension(head)
            rows = declared[2] - declared[0] + 1 if declared else 0
            progress.reading(f"Läser {path.name}", rows, path.stat().st_size)
            loaded = reader.load_sheet(name, header_row=None, dtypes="string")
            frame = loaded.to_polars()
            if frame.height == 0:
                continue
            start = positions(frame, head)
            if start is None:
                return None
            sheets.append(TextSheet(name, frame, *start, _SheetErrors(loaded)))
    except UserError:
        raise
    except BaseException as error:  # a Rust panic is a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        raise UserError(
            f"{path.name}: arbetsboken går inte att läsa; den är trasig eller avkortad "
            f"({' '.join(str(error).split())[:160]})."
        ) from None
    return sheets
