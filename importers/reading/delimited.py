"""Reading a CSV or text export: its separator, its encoding and its rows.

Many finance systems hand out an export as text rather than a workbook:
semicolon-separated with Swedish decimal commas (the default in Swedish
Excel and most Swedish systems), comma- or tab-separated, in UTF-8 or
Windows-1252. The encoding is detected from the bytes
(`ctc.importers.reading.text`); the separator is the one of `;`, `,`, tab
and `|` that splits the file's first lines into the same number of fields
most often, and into the most fields. The mapping's `[csv]` table fixes
either when detection cannot know. Quoted fields follow RFC 4180 (quotes
doubled inside, separators and line breaks allowed).

The rows are cells of text, exactly as written, so every amount, date and
code is read by the same rules as a workbook's text cells
(`ctc.importers.reading.cells`); row numbers are record numbers, as a
spreadsheet shows the file.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ctc.errors import UserError
from ctc.importers.reading.text import decode, detect, encoding_name, read_bytes
from ctc.source_formats import CsvFormat

CANDIDATES = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "semikolon", ",": "komma", "\t": "tabb", "|": "lodstreck"}
SAMPLE_LINES = 60
"""How many of the first records the separator is judged by."""
MAX_FIELD = 1 << 20
"""Longest field read (1 MiB); a longer one means a broken or hostile file."""


@dataclass(frozen=True, slots=True)
class TextTable:
    """A text export's rows, and how they were read."""

    rows: Iterator[list[str]]
    separator: str
    encoding: str
    """The codec (Python name) the text was decoded with."""
    detected: bool
    """Whether separator and encoding were both detected (not fixed by the mapping)."""

    def note(self) -> str:
        """What the summary says about the reading, in Swedish."""
        how = "upptäckta" if self.detected else "enligt mappningen"
        return (
            f"Textfil: avgränsare {SEPARATOR_NAMES.get(self.separator, self.separator)}, "
            f"teckenkodning {encoding_name(self.encoding)} ({how})."
        )


def _field_counts(text: str, separator: str) -> list[int]:
    sample = io.StringIO(text[: 1 << 18], newline="")
    reader = csv.reader(sample, delimiter=separator)
    counts = []
    try:
        for row in itertools.islice(reader, SAMPLE_LINES):
            if any(cell.strip() for cell in row):
                counts.append(len(row))
    except csv.Error:
        pass  # a quote left open in the sample: judged on what came before
    return counts


def sniff_separator(text: str) -> str:
    """The separator that splits the first records most consistently into the most fields."""
    best, best_key = ";", (False, 0, 0)
    for separator in CANDIDATES:
        counts = _field_counts(text, separator)
        if not counts:
            continue
        fields, lines = Counter(counts).most_common(1)[0]
        key = (fields > 1 and lines * 5 >= len(counts) * 3, fields, lines)
        if key > best_key:
            best, best_key = separator, key
    return best


def _excel_hint(text: str) -> tuple[str | None, str]:
    """Excel's `sep=;` first line: the separator it names, and the text without it.

    Excel hides the line when it opens the file, so the rows are numbered without it.
    """
    first, _, rest = text.partition("\n")
    line = first.strip()
    if line.lower().startswith("sep=") and len(line) == 5:
        return line[4], rest
    return None, text


def read_table(path: Path, fmt: CsvFormat) -> TextTable:
    """A text export's rows, its separator and encoding detected or as the mapping fixes them."""
    data = read_bytes(path)
    codec = fmt.encoding or detect(data)
    text = decode(path, data, codec)
    hint, text = _excel_hint(text)
    separator = fmt.separator or hint or sniff_separator(text)
    detected = fmt.encoding is None and fmt.separator is None
    return TextTable(_rows(path, text, separator), separator, codec, detected)


def _rows(path: Path, text: str, separator: str) -> Iterator[list[str]]:
    """The records of the text, one list of fields each; a broken record is a `UserError`."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        yield from reader
    except csv.Error as error:
        raise UserError(
            f"{path.name}: rad {reader.line_num}: raden går inte att läsa som CSV ({error})."
        ) from None
