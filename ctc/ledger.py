"""The loaded ledger: one load, one object.

Every command, report and page loads the ledger through `load_ledger` (or,
in Fava, wraps the entries Fava loaded with `Ledger.of`), so they all see the
same entries, the same plugin checks and the same options. The `Ledger` holds
the entries, the registers read once from them (`ctc.model`), the import
mapping found by the one rule (`ctc.model.mapping_path`) and, built on first
use, the Frame every report and the dashboard query (`ctc.reports.frame`).
Nothing else parses registers or reads the mapping.

An unchanged ledger is read from the load cache (`ctc.load_cache`), outside
the ledger's folder; Beancount's own cache stays off. Before reading,
`load_ledger` recovers an import a crash interrupted (`ctc.recovery`) and
tells what it did in `Ledger.notice`, for the command to show.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data

from ctc import load_cache
from ctc.errors import UserError
from ctc.mapping import Mapping, load_mapping
from ctc.model import (
    FileDigest,
    Registers,
    file_digests,
    mapping_candidate,
    mapping_path,
    read_registers,
)
from ctc.recovery import open_books
from ctc.registers import LedgerOptions
from ctc.reports.frame import Frame, build_frame

LEDGER_ENV = "CTC_LEDGER"
"""Environment variable that overrides the default ledger."""

BUNDLED_LEDGER = (Path(__file__).parent / "example").resolve() / "main.beancount"
"""The example ledger that ships with the package.

In a checkout `ctc/example` is a link to the top-level `ledger/` folder, so the
example is the one under version control; an installed wheel carries a copy.
"""


@dataclass(frozen=True)
class Ledger:
    """A loaded ledger: entries, errors, Beancount's options, our registers and mapping.

    The mapping, the files' digests and the Frame are computed on first use
    and kept: a report that needs none of them pays for none of them.
    """

    path: Path
    entries: list[data.Directive]
    errors: Sequence[Any]
    """Beancount's errors (or Fava's, in Fava): `source`, `message`, `entry`."""
    options_map: collections.abc.Mapping[str, Any]
    registers: Registers
    from_cache: bool = False
    """Whether the entries came from the load cache rather than a fresh parse."""
    notice: str | None = None
    """What opening the books did first (an interrupted import recovered), to show the user."""

    @classmethod
    def of(
        cls,
        path: Path,
        entries: list[data.Directive],
        errors: Sequence[Any],
        options_map: collections.abc.Mapping[str, Any],
        from_cache: bool = False,
    ) -> Ledger:
        """The model of entries loaded elsewhere (by Fava, or by `load_ledger`)."""
        return cls(path, entries, errors, options_map, read_registers(entries), from_cache)

    @property
    def options(self) -> LedgerOptions:
        """The ledger's own settings (`custom "ctc-option"`)."""
        return self.registers.options

    @functools.cached_property
    def mapping_file(self) -> Path | None:
        """The import mapping's file by the one rule (`ctc.model.mapping_path`), or None."""
        return mapping_path(self.path, self.options)

    @functools.cached_property
    def mapping(self) -> Mapping | None:
        """The import mapping, read once; None when the ledger has none."""
        return load_mapping(self.mapping_file) if self.mapping_file else None

    def require_mapping(self) -> Mapping:
        """The mapping, or a clear error when the ledger has none."""
        if self.mapping is None:
            expected = mapping_candidate(self.path, self.options)
            raise UserError(
                f"Mappningsfilen {expected} finns inte (huvudboken anger ingen annan med "
                'custom "ctc-option" "mapping").'
            )
        return self.mapping

    @functools.cached_property
    def files(self) -> tuple[FileDigest, ...]:
        """Every file the ledger loaded (main file first) with its SHA-256, read once."""
        filename = self.options_map.get("filename")
        names = [str(filename)] if filename else []
        names += [str(p) for p in self.options_map.get("include", [])]
        return file_digests(names)

    @functools.cached_property
    def frame(self) -> Frame:
        """The query layer over the whole ledger, built once."""
        return build_frame(self)


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
    ledger comes from the load cache, and a fresh load is stored in it. An
    import a crash interrupted is finished or rolled back first (`Ledger.notice`).
    """
    resolved = resolve_ledger_path(path)
    notice = open_books(resolved)
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
    ledger = Ledger.of(resolved, entries, errors, options_map, from_cache=cached is not None)
    return dataclasses.replace(ledger, notice=notice) if notice else ledger


def load_clean_ledger(path: Path | None = None, use_cache: bool = True) -> Ledger:
    """Load a ledger for a report, refusing one that does not pass its checks."""
    return require_clean(load_ledger(path, use_cache))


def require_clean(ledger: Ledger) -> Ledger:
    """The ledger, if it passes its checks; else a one-line error pointing to `ctc check`."""
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


def load_frame(path: Path | None = None) -> Frame:
    """The frame of a ledger that passes its checks (for the command line and tests)."""
    return load_clean_ledger(path).frame
