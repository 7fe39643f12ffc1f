"""Every kind of file `ctc import` knows, and recognising which one a workbook is.

A workbook is opened safely and its data found (sheet, header, kind) by
`ctc.importers.reading.layout`, among the kinds listed here: the kind whose
columns its best header names most, or a transfer decision by its key cells.
A big finance-system export is read whole as text and screened column-wise
(`ctc.importers.reading.fastread`); everything else, and any workbook whose
cell positions the text reading cannot vouch for, is read row by row.
"""

from __future__ import annotations

from pathlib import Path

from ctc.importers.kinds.kommunbidrag import KOMMUNBIDRAG
from ctc.importers.kinds.roster import TJANSTER
from ctc.importers.kinds.utfall import UTFALL
from ctc.importers.kinds.vaxling import KEY_WORDS, VAXLING
from ctc.importers.reading.fastread import read_text_sheets, wants_fast_read
from ctc.importers.reading.layout import Kind, Located, locate, locate_text
from ctc.importers.reading.workbook import check_workbook, open_workbook

KINDS: tuple[Kind, ...] = (VAXLING, TJANSTER, KOMMUNBIDRAG, UTFALL)
"""The kinds `locate` chooses between; on a tie the earlier wins."""

KEY_KINDS: dict[str, Kind] = dict.fromkeys(KEY_WORDS, VAXLING)
"""Key words (normalised) that mark a kind's sheet in a cell above its header."""


def locate_file(path: Path) -> Located:
    """Open a workbook safely and find its data among every kind `ctc import` knows."""

    if wants_fast_read(path, check_workbook(path)):
        sheets = read_text_sheets(path)
        if sheets:
            located = locate_text(path, sheets, KINDS, KEY_KINDS)
            if located.kind is UTFALL:
                return located
    return locate(path, open_workbook(path), KINDS, KEY_KINDS)
