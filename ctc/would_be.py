"""The checks a load runs, run again in memory over a ledger with new entries added.

An import (or `ctc close`, or a published record) must not write what would
make the ledger fail its checks, and a dry run must refuse exactly what the
real run refuses. Both therefore check the would-be ledger before anything
is written: the loaded entries plus the new ones, through the ledger's own
plugins and Beancount's validations, the way `beancount.loader` runs them
after parsing, with no file parsed again, no lock taken, nothing written.

The loaded entries already went through the plugins once, so what plugins
derived from them is taken out first and derived again: the Fava budgets
(`ctc.plugins.budgets`), the documents of archived source files
(`ctc.plugins.documents`) and Beancount's padding entries. Plugins that only
check return the same entries, so running them twice changes nothing.
"""

from __future__ import annotations

import collections.abc
import importlib
from collections.abc import Iterable, Sequence
from typing import Any

from beancount import loader
from beancount.core import data, flags
from beancount.ops import validation

from ctc.budgets import BUDGET
from ctc.budgets import SOURCE as BUDGET_SOURCE
from ctc.load_cache import collector_paused
from ctc.model import SOURCE_FILE_TYPE


def _derived_documents(entries: Iterable[data.Directive]) -> set[tuple[Any, Any]]:
    """(file, line) of every source-file record: the documents plugin's entries carry them."""
    return {
        (entry.meta.get("filename"), entry.meta.get("lineno"))
        for entry in entries
        if isinstance(entry, data.Custom) and entry.type == SOURCE_FILE_TYPE
    }


def is_derived(entry: data.Directive, records: set[tuple[Any, Any]]) -> bool:
    """Whether a loaded entry was made by a plugin rather than read from a file."""
    if isinstance(entry, data.Custom):
        return entry.type == BUDGET and entry.meta.get("filename") == BUDGET_SOURCE
    if isinstance(entry, data.Document):
        return (entry.meta.get("filename"), entry.meta.get("lineno")) in records
    return isinstance(entry, data.Transaction) and entry.flag == flags.FLAG_PADDING


def source_entries(entries: Sequence[data.Directive]) -> list[data.Directive]:
    """The loaded entries without those the plugins derived from them."""
    records = _derived_documents(entries)
    return [entry for entry in entries if not is_derived(entry, records)]


def plugin_chain(options: collections.abc.Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The plugins a load runs, in the order `beancount.loader.run_transformations` runs them."""
    listed = list(options.get("plugin", []))
    if options.get("plugin_processing_mode") == "raw":
        return listed
    return [*loader.PLUGINS_PRE, *listed, *loader.PLUGINS_AUTO, *loader.PLUGINS_POST]


def run_plugins(
    entries: list[data.Directive], options: dict[str, Any]
) -> tuple[list[data.Directive], list[Any]]:
    """Run the ledger's plugins over entries as a load does (`loader.run_transformations`).

    One difference, for speed on big ledgers: the entries are sorted again only
    after a plugin that returns a different or longer list; a plugin that only
    checks returns the list it was given, already in order.
    """
    errors: list[Any] = []
    for name, config in plugin_chain(options):
        try:
            module = importlib.import_module(loader.RENAMED_MODULES.get(name, name))
        except ImportError:
            errors.append(
                loader.LoadError(data.new_metadata("<load>", 0), f'Error importing "{name}"', None)
            )
            continue
        for function in getattr(module, "__plugins__", ()):
            callback = getattr(module, function) if isinstance(function, str) else function
            before, count = entries, len(entries)
            try:
                entries, found = callback(entries, options, *(() if config is None else (config,)))
            except Exception as error:  # a plugin that fails is reported, as a load does
                message = f'Error applying plugin "{name}": {error!r}'
                errors.append(loader.LoadError(data.new_metadata("<load>", 0), message, None))
                continue
            errors.extend(found)
            if entries is not before or len(entries) != count:
                entries.sort(key=data.entry_sortkey)
    return entries, errors


def check_entries(
    entries: Iterable[data.Directive], options_map: collections.abc.Mapping[str, Any]
) -> list[Any]:
    """Every error the ledger's plugins and Beancount's validations find in `entries`."""
    options = dict(options_map)
    ordered = sorted(entries, key=data.entry_sortkey)
    with collector_paused():
        checked, errors = run_plugins(ordered, options)
        errors += validation.validate(checked, options)  # type: ignore[no-untyped-call]
    return errors


def would_be_errors(
    entries: Sequence[data.Directive],
    options_map: collections.abc.Mapping[str, Any],
    new: Iterable[data.Directive],
) -> list[Any]:
    """The errors of a loaded ledger (its `entries` and `options_map`) with `new` added."""
    return check_entries([*source_entries(entries), *new], options_map)
