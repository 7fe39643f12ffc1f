"""How the mapping reads text exports: SIE 4 dimensions, and CSV separator and encoding.

A SIE 4 file carries its codes as objects of numbered dimensions (`#DIM 1
"Resultatenhet"`, `#TRANS 5011 {1 "110240" 6 "CTC"} ...`); which dimension is
the responsibility code, the project, the activity or the counterparty is
the city's own chart, so the mapping says it (`[sie]`), with the standard's
defaults: 1 is the cost centre (resultatenhet, ansvar) and 6 the project.

A CSV or text export's separator and encoding are detected from its bytes;
`[csv]` overrides either when detection cannot know (a file of one column,
or an unusual code page). Both tables are optional.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Any

from ctc.errors import UserError

SEPARATORS = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "|": "|"}
"""Separators a mapping may name; `tab` is the tab character."""


@dataclass(frozen=True, slots=True)
class SieDimensions:
    """Which SIE dimension number holds each code of an export row (None: not used)."""

    responsibility: int = 1
    project: int | None = 6
    activity: int | None = None
    counterparty: int | None = None


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """A CSV export's separator and encoding as the mapping fixes them (None: detected)."""

    separator: str | None = None
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class SourceFormats:
    """The mapping's settings for text exports."""

    sie: SieDimensions = SieDimensions()
    csv: CsvFormat = CsvFormat()


DEFAULT_FORMATS = SourceFormats()


def parse_source_formats(raw: dict[str, Any], where: str) -> SourceFormats:
    """The `[sie]` and `[csv]` tables of a mapping, each checked with a clear message."""
    return SourceFormats(
        _sie(_table(raw, "sie", where), where), _csv(_table(raw, "csv", where), where)
    )


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    table = raw.get(key, {})
    if not isinstance(table, dict):
        raise UserError(f"{where}: [{key}] ska vara en tabell.")
    return table


def _dimension(table: dict[str, Any], key: str, default: int | None, where: str) -> int | None:
    value = table.get(key, default)
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UserError(f"{where} [sie]: {key} ska vara ett dimensionsnummer (t.ex. 1 eller 6).")
    return value


def _sie(table: dict[str, Any], where: str) -> SieDimensions:
    responsibility = _dimension(table, "responsibility_dimension", 1, where)
    if responsibility is None:
        raise UserError(f"{where} [sie]: responsibility_dimension behövs (standard 1).")
    return SieDimensions(
        responsibility,
        _dimension(table, "project_dimension", 6, where),
        _dimension(table, "activity_dimension", None, where),
        _dimension(table, "counterparty_dimension", None, where),
    )


def _csv(table: dict[str, Any], where: str) -> CsvFormat:
    separator = table.get("separator")
    if separator is not None and separator not in SEPARATORS:
        raise UserError(
            f'{where} [csv]: separator ska vara ";", ",", "|" eller "tab", inte {separator!r}.'
        )
    encoding = table.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise UserError(
                f"{where} [csv]: okänd teckenkodning {encoding!r} (t.ex. utf-8, windows-1252)."
            ) from None
    return CsvFormat(
        SEPARATORS[separator] if separator is not None else None,
        str(encoding) if encoding is not None else None,
    )
