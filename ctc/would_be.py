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

An export may add hundreds of thousands of booked rows (`Bulk`: plain cost
transactions, see there). Checking each of them would cost more than
reading the export, so where it is sound they are checked through
representatives: for each account and year the earliest and the latest
entry. The answer is the full check's, because of what each check can see
of a plain cost entry, given that the loaded ledger passed every check:

- the domain plugins read registers (custom entries, open accounts),
  växlingar and allocations (tagged transactions), decisions cited (links,
  `decision:`, `includes:` metadata) and amounts; a plain cost entry is none
  of these, and its amount is SEK in whole öre by construction;
- the PO-rate rule needs the last booked cost day (the latest entry is a
  representative) and, per year, one PO cost (each year's entries on each
  PO account have representatives);
- Beancount's validations check each posting's account is open on the
  entry's date, in a currency it allows: per account, the earliest and the
  latest entry span every date in between; the entries balance by
  construction;
- a closed year's digest, a balance assertion or a pad on an account (or
  its parent) sees the sum of entries, so a bulk touching one of these is
  checked in full; so is any ledger whose plugins are not all known here.

If the representatives pass, every entry passes; if they do not, the full
check runs, so a refusal names exactly the errors (and their number) the
full check finds.
"""

from __future__ import annotations

import collections.abc
import importlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from beancount import loader
from beancount.core import data, flags
from beancount.ops import validation

from ctc.accounts import parse_account
from ctc.budgets import BUDGET
from ctc.budgets import SOURCE as BUDGET_SOURCE
from ctc.closing import read_closed_years
from ctc.load_cache import collector_paused
from ctc.model import SOURCE_FILE_TYPE
from ctc.plugins import DERIVED, RULES

KNOWN_PLUGINS = frozenset(
    {
        *(f"ctc.plugins.{name}" for name in (*RULES, *DERIVED)),
        "beancount.ops.documents",
        "beancount.ops.pad",
        "beancount.ops.balance",
    }
)
"""The plugins whose reading of a plain cost entry the module docstring accounts for."""


class Bulk(Protocol):
    """Many new entries of one plain shape, held column-wise (an export's booked rows).

    Every entry is a transaction flagged `*` without payee, tags or links,
    whose metadata are provenance and codes (no `decision:` or `includes:`)
    and whose two postings are a programme cost or income account and a
    settlement account, in SEK, in whole öre, one the negative of the other.
    """

    def __len__(self) -> int: ...

    def accounts(self) -> frozenset[str]:
        """Every account the entries post to."""
        ...

    def years(self) -> list[int]:
        """The years the entries are dated in."""
        ...

    def representatives(self) -> list[data.Transaction]:
        """For each account and year, the earliest and the latest entry."""
        ...

    def entries(self) -> list[data.Transaction]:
        """Every entry, built."""
        ...


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
    bulk: Sequence[Bulk] = (),
) -> list[Any]:
    """The errors of a loaded ledger (its `entries` and `options_map`) with `new` and `bulk` added.

    `entries` must be a ledger that passed its checks when `bulk` is given
    (see the module docstring).
    """
    base = [*source_entries(entries), *new]
    bulk = [b for b in bulk if len(b)]
    if bulk and representable(base, options_map, bulk):
        standing = [entry for b in bulk for entry in b.representatives()]
        if not check_entries([*base, *standing], options_map):
            return []
    return check_entries([*base, *(entry for b in bulk for entry in b.entries())], options_map)


def representable(
    base: Sequence[data.Directive],
    options_map: collections.abc.Mapping[str, Any],
    bulk: Sequence[Bulk],
) -> bool:
    """Whether representatives of `bulk` answer for all of it (module docstring)."""
    if any(name not in KNOWN_PLUGINS for name, _ in plugin_chain(options_map)):
        return False
    accounts = {account for b in bulk for account in b.accounts()}
    if any(_is_kommunbidrag(account) for account in accounts):
        return False
    closed, _ = read_closed_years(base)
    if any(year in closed for b in bulk for year in b.years()):
        return False
    watched = _summed_accounts(base)
    return not any(_within(account, watched) for account in accounts)


def _is_kommunbidrag(account: str) -> bool:
    parsed = parse_account(account)
    return parsed is not None and parsed.is_kommunbidrag


def _summed_accounts(entries: Iterable[data.Directive]) -> set[str]:
    """Accounts whose running sum a directive checks or pads (balance assertions, pads)."""
    found: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Balance):
            found.add(entry.account)
        elif isinstance(entry, data.Pad):
            found |= {entry.account, entry.source_account}
    return found


def _within(account: str, watched: set[str]) -> bool:
    """Whether an account or any of its parents is watched (a balance counts its children)."""
    parts = account.split(":")
    return any(":".join(parts[:end]) in watched for end in range(1, len(parts) + 1))
