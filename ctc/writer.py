"""Writing ledger text: one printer for every entry.

Importers and the example builder both render entries here, so what the
example shows is exactly what an import writes. Files are written by
`ctc.files`.
"""

from __future__ import annotations

from collections.abc import Iterable

from beancount.core import data
from beancount.parser import printer


def render_entries(entries: Iterable[data.Directive]) -> str:
    """Ledger text for `entries`, one blank line between entries."""
    return "\n".join(printer.format_entry(entry) for entry in entries)
