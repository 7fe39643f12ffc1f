"""The entries `ctc` itself writes into a ledger besides imports, and the files they go in.

`ctc close` writes closed years and their corrections (`ctc.closing`),
`ctc report … --publish` writes what was published (`ctc.published`). Each
kind has its own ledger file, created (and included from the main file) the
first time one is written.
"""

from __future__ import annotations

CLOSED = "year-closed"
CORRECTION = "year-correction"
PUBLISHED = "published"

CLOSING_FILE = "closing.beancount"
PUBLISHED_FILE = "published.beancount"

TARGETS = {CLOSED: CLOSING_FILE, CORRECTION: CLOSING_FILE, PUBLISHED: PUBLISHED_FILE}
"""Record type -> the ledger file (relative to the main file) that holds it."""

HEADERS = {
    CLOSING_FILE: "; Bokslut: avslutade år och rättelser av dem (ctc close).\n",
    PUBLISHED_FILE: "; Publicerade rapporter och varje siffra de visade (ctc report --publish).\n",
}
