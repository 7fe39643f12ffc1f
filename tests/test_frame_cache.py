"""The frame cache: warm `ctc report yearly` and `ctc trace` read no entries and say the same."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import pickle
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, append, run_ctc

from ctc import frame_cache, load_cache
from ctc.ledger import load_ledger
from ctc.reports.yearly import GROUPINGS, yearly_report

YEARLY_ARGS = [
    ("--format", "csv"),
    ("--by", "committee,type,area,position", "--format", "csv"),
    ("--by", "type", "--from", "2019", "--to", "2022"),
    ("--by", "area", "--lang", "en", "--unit", "mnkr"),
]
TRACE_ARGS = [
    ("--committee", "KS", "--year", "2023", "--format", "csv"),
    ("--committee", "FrN", "--year", "2024"),
    ("--committee", "AoS", "--year", "2024", "--type", "po", "--format", "csv"),
    ("--committee", "KS", "--year", "2020", "--type", "lön", "--lang", "en"),
]


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the example with its own empty cache folder; returns its main file."""
    target = tmp_path / "ledger"
    shutil.copytree(
        EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("*.picklecache", "documents", ".ctc-*")
    )
    monkeypatch.setenv("CTC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CTC_NO_CACHE", raising=False)
    return target / "main.beancount"


@pytest.fixture
def no_loading(monkeypatch: pytest.MonkeyPatch):
    """Make any load of the ledger (Beancount's or the load cache's) fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a warm report loaded the ledger")

    def patch() -> None:
        monkeypatch.setattr("beancount.loader.load_file", refuse)
        monkeypatch.setattr(load_cache, "read", refuse)

    return patch


def cold(*args: str) -> str:
    """What `ctc ARGS` prints with every cache off."""
    result = run_ctc(*args, env={"CTC_NO_CACHE": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def cached(*args: str) -> str:
    """What `ctc ARGS` prints with the caches on."""
    result = run_ctc(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_report_writes_the_frame_cache_outside_the_ledger(ledger):
    cached("report", "yearly", str(ledger))
    target = frame_cache.cache_file(ledger)
    assert target.is_file()
    assert not target.is_relative_to(ledger.parent)
    assert not any(p.name.startswith(".ctc-") for p in ledger.parent.iterdir())


@pytest.mark.parametrize("args", YEARLY_ARGS)
def test_warm_yearly_is_the_cold_report_without_loading(ledger, no_loading, args):
    expected = cold("report", "yearly", str(ledger), *args)
    assert cached("report", "yearly", str(ledger), *args) == expected  # fills the caches
    no_loading()
    assert cached("report", "yearly", str(ledger), *args) == expected


@pytest.mark.parametrize("args", TRACE_ARGS)
def test_warm_trace_is_the_cold_trace_without_loading(ledger, no_loading, args):
    expected = cold("trace", str(ledger), *args)
    assert cached("trace", str(ledger), *args) == expected
    no_loading()
    assert cached("trace", str(ledger), *args) == expected


def test_warm_trace_lists_every_row_of_the_figure(ledger, no_loading):
    frame = load_ledger(ledger).frame
    lines = [
        c for c in frame.costs if (c.year, c.municipality, c.committee) == (2023, "Malmo", "KS")
    ]
    cached("report", "yearly", str(ledger))
    no_loading()
    trace = cached("trace", str(ledger), "--committee", "KS", "--year", "2023", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(trace)))
    assert len(rows) == len(lines) > 100
    assert [row["location"] for row in rows] == [line.location for line in lines]
    assert [row["row_id"] for row in rows] == [
        (line.source and line.source.row_id) or "" for line in lines
    ]
    assert sum(Decimal(row["amount_sek"]) for row in rows) == sum(line.amount for line in lines)


def test_warm_errors_are_the_cold_errors(ledger, no_loading):
    asked = [("--committee", "XX", "--year", "2023"), ("--committee", "KS", "--year", "1999")]
    expected = [run_ctc("trace", str(ledger), *a, env={"CTC_NO_CACHE": "1"}) for a in asked]
    assert all(e.returncode != 0 and e.stderr.startswith("ctc: fel:") for e in expected)
    cached("report", "yearly", str(ledger))
    no_loading()
    for args, cold_result in zip(asked, expected, strict=True):
        warm = run_ctc("trace", str(ledger), *args)
        assert (warm.returncode, warm.stderr) == (cold_result.returncode, cold_result.stderr)


def test_a_changed_file_is_seen_at_once(ledger):
    before = cached("report", "yearly", str(ledger), "--format", "csv")
    cached("report", "yearly", str(ledger), "--format", "csv")
    costs = ledger.parent / "costs" / "2023.beancount"
    append(
        costs,
        '2023-06-01 * "Kostnad"\n  Expenses:Malmo:KS:CTC:Ovrigt  1.00 SEK\n'
        "  Liabilities:Malmo:Avrakning\n",
    )
    after = cached("report", "yearly", str(ledger), "--format", "csv")
    assert after != before
    assert after == cold("report", "yearly", str(ledger), "--format", "csv")
    ks = [line for line in after.splitlines() if line.startswith("2023,KS,")]
    old = [line for line in before.splitlines() if line.startswith("2023,KS,")]
    assert Decimal(ks[0].rsplit(",", 1)[1]) - Decimal(old[0].rsplit(",", 1)[1]) == Decimal("1.00")
    trace = cached("trace", str(ledger), "--committee", "KS", "--year", "2023", "--format", "csv")
    assert "2023.beancount:" in trace
    assert trace == cold(
        "trace", str(ledger), "--committee", "KS", "--year", "2023", "--format", "csv"
    )


def test_changed_code_or_mapping_misses(ledger, monkeypatch):
    cached("report", "yearly", str(ledger))
    assert frame_cache.summary_frame(ledger, ledger) is not None
    mapping = ledger.parent / "mapping.toml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert frame_cache.summary_frame(ledger, ledger) is None
    cached("report", "yearly", str(ledger))
    assert frame_cache.summary_frame(ledger, ledger) is not None
    monkeypatch.setattr(load_cache, "code_fingerprint", lambda: "other code")
    assert frame_cache.summary_frame(ledger, ledger) is None


def part_place(ledger: Path, key: frame_cache.PartKey) -> int:
    """Where, in the frame cache file, the middle of one stored part lies."""
    with frame_cache.cache_file(ledger).open("rb") as handle:
        pickle.load(handle)
        index = pickle.load(handle)
        offset, length, _ = index.parts[key]
        return handle.tell() + offset + length // 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(ledger, damage):
    args = ("trace", str(ledger), "--committee", "KS", "--year", "2023", "--format", "csv")
    expected = cold(*args)
    cached(*args)
    target = frame_cache.cache_file(ledger)
    content = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(content[: len(content) * 2 // 3])
    elif damage == "flip":
        # A byte inside the part the trace reads: the header still says "current".
        at = part_place(ledger, (2023, "Malmo", "KS"))
        target.write_bytes(content[:at] + bytes([content[at] ^ 0xFF]) + content[at + 1 :])
    elif damage == "garbage":
        target.write_bytes(b"not a cache at all")
    else:
        target.write_bytes(b"")
    assert frame_cache.trace_frame(ledger, ledger, lambda _: [(2023, "Malmo", "KS")]) is None
    assert cached(*args) == expected
    assert frame_cache.trace_frame(ledger, ledger, lambda _: [(2023, "Malmo", "KS")]) is not None
    assert cached(*args) == expected
    assert cached("report", "yearly", str(ledger), "--format", "csv") == cold(
        "report", "yearly", str(ledger), "--format", "csv"
    )


def test_a_ledger_with_errors_is_not_stored(ledger):
    append(
        ledger.parent / "costs" / "2023.beancount",
        '2023-06-01 * "Kostnad"\n  Expenses:Nowhere  1.00 SEK\n  Liabilities:Malmo:Avrakning\n',
    )
    result = run_ctc("report", "yearly", str(ledger))
    assert result.returncode != 0
    assert "ctc check" in result.stderr
    assert not frame_cache.cache_file(ledger).exists()


def test_no_cache_neither_reads_nor_writes(ledger):
    cold("report", "yearly", str(ledger))
    assert not frame_cache.cache_file(ledger).exists()


def test_the_summary_gives_every_grouping_to_the_ore(ledger):
    """Sums per group, summed again, are the lines' sums: exact, and with the same decimals."""
    frame = load_ledger(ledger).frame
    summary = dataclasses.replace(frame, costs=frame_cache.summarise(frame.costs))
    assert len(summary.costs) < len(frame.costs)
    for size in range(1, len(GROUPINGS) + 1):
        for by in itertools.combinations(GROUPINGS, size):
            full = yearly_report(frame, by, unit="kr")
            short = yearly_report(summary, by, unit="kr")
            assert short.records == full.records
            assert short.tables == full.tables


@pytest.mark.parametrize("account", [None, "KS", "Expenses:Malmo:FrN", "Income", "Linkoping"])
@pytest.mark.parametrize("span", [(2018, 2023), (2024, 2025), None])
def test_the_dashboard_of_the_summary_is_the_dashboard_of_the_frame(ledger, account, span):
    """Fava's first page reads the summary: every panel must be what the whole frame gives."""
    from ctc.fava.dashboard import build_dashboard
    from ctc.fava.matching import account_predicate

    frame = load_ledger(ledger).frame
    summary = dataclasses.replace(frame, costs=frame_cache.summarise(frame.costs))
    predicate = account_predicate(account)
    assert build_dashboard(summary, predicate, span) == build_dashboard(frame, predicate, span)


def test_fava_first_page_from_the_cache_is_the_page_without_it(ledger, monkeypatch):
    """The served dashboard reads the frame cache's summary when a report stored it."""
    from ctc.serve import create_app

    def first_page() -> str:
        client = create_app(ledger).test_client()
        page = client.get("/", follow_redirects=True)
        assert page.status_code == 200
        return page.get_data(as_text=True)

    without = first_page()
    assert not frame_cache.cache_file(ledger).exists()  # the server writes no cache
    cached("report", "yearly", str(ledger))
    found = []
    real = frame_cache.summary_frame

    def spy(*args):
        found.append(real(*args))
        return found[-1]

    monkeypatch.setattr(frame_cache, "summary_frame", spy)
    assert first_page() == without
    assert found and found[0] is not None  # a hit: the summary came from the cache
