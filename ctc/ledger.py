"""Loading the ledger: the one place that reads Beancount files.

Every command, report and page loads the ledger through `load_ledger`, so
they all see the same entries, the same plugin checks and the same options.
An unchanged ledger is read from the load cache (`ctc.load_cache`), outside
the ledger's folder; Beancount's own cache stays off.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from ctc import load_cache
from ctc.errors import UserError
from ctc.registers import LedgerOptions, parse_options

LEDGER_ENV = "CTC_LEDGER"
"""Environment variable that overrides the default ledger."""

BUNDLED_LEDGER = (Path(__file__).parent / "example").resolve() / "main.beancount"
"""The example ledger that ships with the package.

In a checkout `ctc/example` is a link to the top-level `ledger/` folder, so the
example is the one under version control; an installed wheel carries a copy.
"""


@dataclass(frozen=True, slots=True)
class Ledger:
    """A loaded ledger: its entries, errors, Beancount options and our options."""

    path: Path
    entries: list[data.Directive]
    errors: list[Any]
    options_map: dict[str, Any]
    options: LedgerOptions
    from_cache: bool = False
    """Whether the entries came from the load cache rather than a fresh parse."""


def default_ledger_path(environ: dict[str, str] | None = None) -> Path:
    """The ledger commands use when none is given: $CTC_LEDGER, else the bundled example."""
    env = os.environ if environ is None else environ
    value = env.get(LEDGER_ENV)
    return Path(value) if value else BUNDLED_LEDGER


def resolve_ledger_path(path: Path | None) -> Path:
    """The ledger file to load, checked to exist."""
    resolved = path if path is not None else default_ledger_path()
    if not resolved.is_file():
        raise UserError(f"Huvudboken {resolved} finns inte.")
    return resolved


def load_ledger(path: Path | None = None, use_cache: bool = True) -> Ledger:
    """Load a ledger with all its plugins; errors are returned, not raised.

    With `use_cache` (and unless $CTC_NO_CACHE says otherwise) an unchanged
    ledger comes from the load cache, and a fresh load is stored in it.
    """
    resolved = resolve_ledger_path(path)
    # Absolute as Beancount makes it (symlinks kept), so entries name the same files.
    absolute = Path(os.path.abspath(resolved))  # noqa: PTH100
    caching = use_cache and load_cache.enabled()
    cached = load_cache.read(absolute) if caching else None
    if cached is not None:
        entries, errors, options_map = cached
    else:
        loader.initialize(use_cache=False)
        with load_cache.collector_paused():
            entries, errors, options_map = loader.load_file(str(absolute))
        if caching:
            load_cache.write(absolute, (entries, errors, options_map))
    options, _ = parse_options(entries)
    return Ledger(resolved, entries, errors, options_map, options, from_cache=cached is not None)


def load_clean_ledger(path: Path | None = None, use_cache: bool = True) -> Ledger:
    """Load a ledger for a report, refusing one that does not pass its checks."""
    ledger = load_ledger(path, use_cache)
    if ledger.errors:
        count = len(ledger.errors)
        raise UserError(
            f"Huvudboken {ledger.path} har {count} fel; kör `ctc check` för att se dem."
        )
    return ledger


def error_location(error: Any) -> str:
    """`file:line` of a Beancount error, relative to the working folder when inside it."""
    source = getattr(error, "source", None) or {}
    filename = source.get("filename") or "<okänd fil>"
    path = Path(filename).resolve()
    if path.is_relative_to(Path.cwd()):
        filename = str(path.relative_to(Path.cwd()))
    return f"{filename}:{source.get('lineno', 0)}"


def format_error(error: Any) -> str:
    """One line per error: `file:line: message`."""
    message = " ".join(str(getattr(error, "message", error)).split())
    return f"{error_location(error)}: {message}"
