"""The load cache: hits only when nothing the load depends on has changed."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, append, snapshot

from ctc import load_cache
from ctc.ledger import load_ledger


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the example with its own empty cache folder; returns its main file."""
    target = tmp_path / "ledger"
    shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("*.picklecache"))
    monkeypatch.setenv("CTC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CTC_NO_CACHE", raising=False)
    return target / "main.beancount"


def cost(account: str, date: str = "2023-05-01") -> str:
    """One booked cost of 1 kr on `account`."""
    return f'{date} * "Kostnad"\n  {account}  1.00 SEK\n  Liabilities:Malmo:Avrakning\n'


def cache_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_first_load_misses_and_writes_one_file_outside_the_ledger(ledger, tmp_path):
    before = snapshot(ledger.parent)
    first = load_ledger(ledger)
    assert first.from_cache is False
    assert [p.name for p in cache_files(tmp_path)] == [load_cache.cache_file(ledger).name]
    assert not cache_files(tmp_path)[0].is_relative_to(ledger.parent)
    assert snapshot(ledger.parent) == before


def test_second_load_hits_with_the_same_entries_and_errors(ledger):
    first = load_ledger(ledger)
    second = load_ledger(ledger)
    assert second.from_cache is True
    assert len(second.entries) == len(first.entries) > 3900
    assert second.entries == first.entries
    assert second.errors == first.errors
    assert second.options == first.options


def test_cached_errors_are_the_same_errors(ledger):
    append(ledger.parent / "costs" / "2023.beancount", cost("Expenses:Nowhere"))
    first = load_ledger(ledger)
    second = load_ledger(ledger)
    assert first.errors and second.from_cache is True
    assert [(e.source["lineno"], e.message) for e in second.errors] == [
        (e.source["lineno"], e.message) for e in first.errors
    ]


def test_editing_an_included_file_misses_and_the_change_is_seen(ledger):
    count = len(load_ledger(ledger).entries)
    append(ledger.parent / "costs" / "2023.beancount", cost("Expenses:Malmo:KS:CTC:Lon"))
    edited = load_ledger(ledger)
    assert edited.from_cache is False
    assert len(edited.entries) == count + 1
    assert load_ledger(ledger).from_cache is True


def test_a_new_file_matching_an_include_glob_misses(ledger):
    count = len(load_ledger(ledger).entries)
    new_file = ledger.parent / "costs" / "2099.beancount"
    new_file.write_text(cost("Expenses:Malmo:KS:CTC:Lon", "2024-05-01"), encoding="utf-8")
    added = load_ledger(ledger)
    assert added.from_cache is False
    assert len(added.entries) == count + 1


def kirseberg_cost(loaded) -> object:
    return sum(line.amount for line in loaded.frame.costs if line.area == "Kirseberg")


def test_editing_the_mapping_misses_and_changes_the_mapping_not_the_books(ledger):
    mapping = ledger.parent / "mapping.toml"
    first = load_ledger(ledger)
    before = kirseberg_cost(first)
    text = mapping.read_text(encoding="utf-8")
    assert 'responsibility = ["650031"]' in text
    assert first.mapping.area_of("650031") == "Kirseberg"
    # Kirseberg's unit code moves away: later imports book it as common cost, but
    # what was booked keeps the area it was imported with (the entry's metadata).
    mapping.write_text(text.replace('["650031"]', '["659999"]'), encoding="utf-8")
    edited = load_ledger(ledger)
    assert edited.from_cache is False
    assert edited.mapping.area_of("650031") is None
    assert edited.mapping.area_of("659999") == "Kirseberg"
    assert before == Decimal("6170008.89")
    assert kirseberg_cost(edited) == before
    assert load_ledger(ledger).from_cache is True


def test_a_mapping_named_by_the_ledger_is_the_one_watched(ledger):
    assert load_cache.mapping_path(ledger, load_ledger(ledger).entries) == (
        ledger.parent / "mapping.toml"
    )
    # The example names mapping.toml; a mapping.toml elsewhere is not watched.
    (ledger.parent / "costs" / "mapping.toml").write_text("", encoding="utf-8")
    assert load_ledger(ledger).from_cache is True


def test_touching_only_the_time_still_hits(ledger):
    load_ledger(ledger)
    later = ledger.stat().st_mtime + 3600
    for path in [ledger, ledger.parent / "mapping.toml", *ledger.parent.glob("costs/*")]:
        os.utime(path, (later, later))
    assert load_ledger(ledger).from_cache is True


def test_an_archive_appearing_misses(ledger):
    first = load_ledger(ledger)
    archives = load_cache.archive_paths(ledger, first.entries)
    assert archives and not any(p.exists() for p in archives)
    documents = [e for e in first.entries if type(e).__name__ == "Document"]
    archives[0].parent.mkdir(parents=True, exist_ok=True)
    archives[0].write_bytes(b"arkiv")
    second = load_ledger(ledger)
    assert second.from_cache is False
    assert len([e for e in second.entries if type(e).__name__ == "Document"]) == len(documents) + 1


def test_a_changed_code_fingerprint_misses(ledger, monkeypatch):
    load_ledger(ledger)
    monkeypatch.setattr(load_cache, "code_fingerprint", lambda: "other code")
    assert load_ledger(ledger).from_cache is False


def test_a_changed_plugin_outside_ctc_misses(tmp_path, monkeypatch):
    monkeypatch.setenv("CTC_CACHE_DIR", str(tmp_path / "cache"))
    code = tmp_path / "code"
    code.mkdir()
    plugin = code / "ctc_test_passthrough.py"
    plugin.write_text(
        '__plugins__ = ("passthrough",)\n\n\ndef passthrough(entries, options_map):\n'
        "    return entries, []\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(code))
    main = tmp_path / "main.beancount"
    main.write_text('plugin "ctc_test_passthrough"\n2020-01-01 open Assets:Kassa\n')
    assert load_ledger(main).from_cache is False
    assert load_ledger(main).from_cache is True
    plugin.write_text(plugin.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    assert load_ledger(main).from_cache is False


def test_a_corrupt_cache_file_is_a_miss_not_an_error(ledger, tmp_path):
    count = len(load_ledger(ledger).entries)
    (path,) = cache_files(tmp_path)
    path.write_bytes(path.read_bytes()[:1000])
    again = load_ledger(ledger)
    assert again.from_cache is False and len(again.entries) == count
    path.write_bytes(b"not a pickle at all")
    assert load_ledger(ledger).from_cache is False
    assert load_ledger(ledger).from_cache is True


def test_no_cache_never_writes(ledger, tmp_path, monkeypatch):
    monkeypatch.setenv("CTC_NO_CACHE", "1")
    assert load_ledger(ledger).from_cache is False
    assert load_ledger(ledger).from_cache is False
    assert cache_files(tmp_path) == []


def test_use_cache_false_neither_reads_nor_writes(ledger, tmp_path):
    assert load_ledger(ledger, use_cache=False).from_cache is False
    assert cache_files(tmp_path) == []
    load_ledger(ledger)
    assert load_ledger(ledger, use_cache=False).from_cache is False


def test_cache_folder_defaults():
    assert load_cache.cache_dir({"CTC_CACHE_DIR": "/x/c"}) == Path("/x/c")
    assert load_cache.cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/ctc")
    assert load_cache.cache_dir({}) == Path.home() / ".cache" / "ctc"
    assert load_cache.enabled({}) is True
    assert load_cache.enabled({"CTC_NO_CACHE": "1"}) is False
    assert load_cache.enabled({"CTC_NO_CACHE": "0"}) is True


def test_served_app_writes_nothing_into_the_ledger_folder(ledger):
    from ctc.serve import create_app

    before = snapshot(ledger.parent)
    app = create_app(ledger)
    client = app.test_client()
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert snapshot(ledger.parent) == before
