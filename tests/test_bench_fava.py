"""The Fava page benchmark runs end to end on a tiny ledger and reports every figure.

No timing thresholds here: this only proves `bench_pages` starts the server,
drives the browser and returns what `scripts/bench.py` puts in its JSON. It
skips without Chromium unless CTC_REQUIRE_BROWSER=1, like tests/test_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import bench_fava
import bench_inputs
import pytest
from conftest import require_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def numbers(result: dict, prefix: str = "") -> dict[str, object]:
    """Every leaf of the nested result, by its dotted key."""
    leaves: dict[str, object] = {}
    for key, value in result.items():
        if isinstance(value, dict):
            leaves.update(numbers(value, f"{prefix}{key}."))
        else:
            leaves[prefix + key] = value
    return leaves


def test_bench_pages_reports_every_figure(tmp_path: Path) -> None:
    require_browser()
    ledger = bench_inputs.write_ledger(tmp_path / "ledger", 200)
    result = bench_fava.bench_pages(ledger, repeats=1)
    leaves = numbers(result)
    for page in ("fava_income_statement", "ctc_dashboard"):
        for figure in (
            "seconds",
            "min_seconds",
            "max_seconds",
            "load_event_seconds",
            "first_load_seconds",
        ):
            assert f"{page}.{figure}" in leaves
    for key in (
        "ratios.dashboard_vs_income_statement",
        "server.ledger_load_seconds",
        "server.peak_rss_mb",
        "repeats",
    ):
        assert key in leaves
    for key, value in leaves.items():
        assert isinstance(value, int | float) and not isinstance(value, bool), key
        assert value > 0, key


def test_bench_pages_stops_the_server_when_the_ledger_is_missing(tmp_path: Path) -> None:
    require_browser()
    with pytest.raises(RuntimeError, match="ctc serve stopped"):
        bench_fava.bench_pages(tmp_path / "missing.beancount", repeats=1)
