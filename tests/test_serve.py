"""`ctc serve` over HTTP: safe defaults, read-only refusals, figures equal to reports."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from conftest import EXAMPLE, FavaServer, snapshot

from ctc.errors import UserError
from ctc.ledger import load_ledger
from ctc.reports.frame import cost_lines
from ctc.reports.yearly import yearly_rows, yearly_total
from ctc.serve import check_host

D = Decimal


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, str, str]:
    """(status, final url, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode(errors="replace")


def bfile(server) -> str:
    _, url, _ = fetch(server.base + "/")
    return url.removeprefix(server.base).split("/")[1]


def test_loopback_hosts_need_nothing_else():
    assert check_host("127.0.0.1", public=False) is None
    assert check_host("localhost", public=False) is None
    assert check_host("::1", public=False) is None


def test_other_hosts_need_public_and_get_a_warning():
    with pytest.raises(UserError, match="--public"):
        check_host("0.0.0.0", public=False)
    assert "omvända proxy" in check_host("0.0.0.0", public=True)


def test_dashboard_is_the_default_page_and_answers_quickly(served_example):
    assert served_example.ready_after < 10
    status, url, page = fetch(served_example.base + "/")
    assert status == 200
    assert url.endswith("/extension/CtcDashboard/")
    assert 'lang="sv"' in page


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/api/source", b'{"file_path": "main.beancount", "source": "", "sha256sum": ""}'),
        ("PUT", "/api/add_entries", b'{"entries": []}'),
        ("PUT", "/api/source_slice", b'{"entry_hash": "x", "source": "", "sha256sum": ""}'),
        ("DELETE", "/api/source_slice?entry_hash=x&sha256sum=y", None),
        ("PUT", "/api/upload_import_file", b"{}"),
        ("PUT", "/api/attach_document", b'{"filename": "x", "entry_hash": "y"}'),
        ("DELETE", "/api/document?filename=main.beancount", None),
        ("PUT", "/api/format_source", b'{"source": ""}'),
    ],
)
def test_read_only_mode_refuses_every_change(served_example, method, path, body):
    status, _, _ = fetch(f"{served_example.base}/{bfile(served_example)}{path}", method, body)
    assert status == 401


def test_serving_never_writes_to_the_ledger_folder(served_example):
    fetch(served_example.base + "/")
    fetch(f"{served_example.base}/{bfile(served_example)}/income_statement/")
    assert snapshot(served_example.ledger.parent) == served_example.snapshot_before


def dashboard(server, query: str = "") -> str:
    return fetch(f"{server.base}/{bfile(server)}/extension/CtcDashboard/{query}")[2]


def data_values(page: str, pattern: str) -> list[Decimal]:
    return [D(v) for v in re.findall(pattern, page)]


def test_dashboard_span_total_equals_the_yearly_report(served_example):
    page = dashboard(served_example)
    ledger = load_ledger(EXAMPLE)
    expected = yearly_total(
        yearly_rows(cost_lines(ledger.entries, "CTC"), ("committee",), 2018, 2023)
    )
    assert expected == D("50019012.09")
    assert data_values(page, r'class="ctc-span-total"[^>]*data-value="([\d.]+)"') == [expected]
    assert "Kostnaden 2018–2023 är 50,0 mnkr (50 019 012 kr)." in page


def test_dashboard_bar_totals_equal_the_yearly_report(served_example):
    page = dashboard(served_example)
    rows = yearly_rows(cost_lines(load_ledger(EXAMPLE).entries, "CTC"), ("committee",))
    per_year: dict[str, Decimal] = {}
    for row in rows:
        per_year[str(row.year)] = per_year.get(str(row.year), D(0)) + row.amount
    totals = re.findall(r'class="ctc-total"[^>]*data-value="([\d.]+)" data-category="(\d+)"', page)
    first_chart = dict(totals[: len(per_year)])
    assert {year: D(value) for value, year in first_chart.items()} == per_year


def test_time_filter_narrows_the_dashboard(served_example):
    page = dashboard(served_example, "?time=2020")
    totals = re.findall(r'class="ctc-total"[^>]*data-value="([\d.]+)" data-category="(\d+)"', page)
    assert set(totals) == {("8476539.21", "2020")}


def test_account_filter_narrows_the_dashboard_to_a_committee(served_example):
    page = dashboard(served_example, "?account=AoS&time=2023")
    totals = re.findall(r'class="ctc-total"[^>]*data-value="([\d.]+)" data-category="(\d+)"', page)
    assert ("879096.45", "2023") in totals
    assert 'data-series="KS"' not in page


def test_a_public_host_without_flag_is_refused_before_serving(tmp_path):
    server = FavaServer(EXAMPLE, "--host", "0.0.0.0")
    server.process.wait(timeout=20)
    assert server.process.returncode == 1
    assert "--public" in server.process.stderr.read()
    server.process.stderr.close()
