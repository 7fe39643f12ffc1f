"""Every kind of file `ctc import` knows, and recognising which one a workbook is.

A workbook is opened safely and its data found (sheet, header, kind) by
`ctc.importers.reading.layout`, among the kinds listed here: the kind whose
columns its best header names most, or a transfer decision by its key cells.
A big finance-system export is read whole as text and screened column-wise
(`ctc.importers.reading.fastread`); everything else, and any workbook whose
cell positions the text reading cannot vouch for, is read row by row.

Text exports are told by their content, whatever their name: a SIE 4 file
becomes the export's rows (`ctc.importers.kinds.sie`); a CSV file is one
table whose header is found like a sheet's, among every kind. Both are read
with the mapping's settings for them (`Mapping.formats`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from ctc.importers.kinds.kommunbidrag import KOMMUNBIDRAG
from ctc.importers.kinds.roster import TJANSTER
from ctc.importers.kinds.sie import locate_sie
from ctc.importers.kinds.utfall import UTFALL
from ctc.importers.kinds.vaxling import KEY_WORDS, VAXLING
from ctc.importers.reading.delimited import read_table
from ctc.importers.reading.fastread import read_text_sheets, wants_fast_read
from ctc.importers.reading.filetype import file_type
from ctc.importers.reading.layout import Kind, Located, locate, locate_table, locate_text
from ctc.importers.reading.workbook import CellValue, check_workbook, open_workbook
from ctc.source_formats import DEFAULT_FORMATS, SourceFormats

KINDS: tuple[Kind, ...] = (VAXLING, TJANSTER, KOMMUNBIDRAG, UTFALL)
"""The kinds `locate` chooses between; on a tie the earlier wins."""

KEY_KINDS: dict[str, Kind] = dict.fromkeys(KEY_WORDS, VAXLING)
"""Key words (normalised) that mark a kind's sheet in a cell above its header."""


def locate_file(path: Path, formats: SourceFormats = DEFAULT_FORMATS) -> Located:
    """Open a file safely and find its data among every kind `ctc import` knows.

    `formats` are the mapping's settings for text exports; a workbook needs none.
    """
    container = file_type(path)
    if container == "sie":
        return locate_sie(path, formats)
    if container == "text":
        return locate_csv(path, formats)
    checked = check_workbook(path)
    if not checked.repack and wants_fast_read(path, checked.container):
        sheets = read_text_sheets(path)
        if sheets:
            located = locate_text(path, sheets, KINDS, KEY_KINDS)
            if located.kind is UTFALL:
                return located
    return locate(path, open_workbook(path), KINDS, KEY_KINDS)


def locate_csv(path: Path, formats: SourceFormats) -> Located:
    """A CSV or text export: one table, its header found among every kind."""
    table = read_table(path, formats.csv)
    # Rows of text are rows of cells (lists are invariant, so the type says it by a cast).
    rows = cast("Iterator[list[CellValue]]", table.rows)
    located = locate_table(path, rows, KINDS, KEY_KINDS)
    return dataclasses.replace(located, notes=(table.note(),), settings=formats)


def reread(located: Located, formats: SourceFormats) -> bool:
    """Whether a file read before the mapping was known must be read again with its settings."""
    return located.settings is not None and located.settings != formats
