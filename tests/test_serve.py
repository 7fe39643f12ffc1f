"""`ctc serve` over HTTP: safe defaults, read-only refusals, figures equal to reports."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from conftest import EXAMPLE, PROCESS_TIMEOUT, FavaServer, run_ctc, snapshot

from ctc.errors import UserError
from ctc.ledger import load_ledger
from ctc.reports.yearly import yearly_rows, yearly_total
from ctc.serve import check_host

D = Decimal


def fetch(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, str, str]:
    """(status, final url, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=PROCESS_TIMEOUT) as response:
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


def test_dashboard_is_the_default_page(served_example):
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


def section(page: str, key: str) -> str:
    """The HTML of one dashboard panel."""
    start = page.index(f'<section id="{key}"')
    return page[start : page.index("</section>", start)]


def bar_totals(page: str, key: str = "yearly-committee") -> list[tuple[str, str]]:
    """(exact total, year) of every bar in a panel's chart."""
    pattern = r'class="ctc-total"[^>]*data-value="([\d.]+)" data-category="(\d+)"'
    return re.findall(pattern, section(page, key))


def test_dashboard_span_total_equals_the_yearly_report(served_example):
    page = dashboard(served_example)
    ledger = load_ledger(EXAMPLE)
    expected = yearly_total(yearly_rows(ledger.frame.city_lines, ("committee",), 2018, 2023))
    assert expected == D("49724939.46")
    assert data_values(page, r'class="ctc-span-total"[^>]*data-value="([\d.]+)"') == [expected]
    assert "Nettokostnaden 2018–2023 är 49,7 mnkr (49 724 939 kr)." in page


def test_dashboard_bar_totals_equal_the_yearly_report(served_example):
    page = dashboard(served_example)
    rows = yearly_rows(load_ledger(EXAMPLE).frame.city_lines, ("committee",))
    per_year: dict[str, Decimal] = {}
    for row in rows:
        per_year[str(row.year)] = per_year.get(str(row.year), D(0)) + row.amount
    assert {year: D(value) for value, year in bar_totals(page)} == per_year


def test_time_filter_narrows_the_dashboard(served_example):
    page = dashboard(served_example, "?time=2020")
    assert bar_totals(page) == [("8476539.21", "2020")]
    assert bar_totals(page, "positions") == [("10.50", "2020")]


def test_account_filter_narrows_the_dashboard_to_a_committee(served_example):
    page = dashboard(served_example, "?account=AoS&time=2023")
    assert bar_totals(page) == [("879096.45", "2023")]
    for key in ("yearly-committee", "budget", "positions"):
        assert 'data-series="KS"' not in section(page, key)


def test_a_public_host_without_flag_is_refused_before_serving(tmp_path):
    server = FavaServer(EXAMPLE, "--host", "0.0.0.0")
    try:
        assert server.wait_exit() == 1
        assert "--public" in server.stderr()
    finally:
        server.stop()


def test_vaxling_flows_equal_the_transfers_report(served_example):
    from ctc.ledger import load_frame
    from ctc.reports.transfers import transfer_summaries

    (summary,) = transfer_summaries(load_frame(EXAMPLE), "KF-2024-09-26-p190")
    page = section(dashboard(served_example), "transfer-KF-2024-09-26-p190")
    flows = re.findall(r'data-value="([\d.]+)" data-source="(\w+)" data-target="(\w+)"', page)
    full_year = {(s, t): D(v) for v, s, t in flows[len(flows) // 2 :]}
    (full,) = [t for t in summary.transfers if t.period == "full-year"]
    aos_gives = -sum(
        line.amount for line in full.lines if line.committee == "AoS" and line.amount < 0
    )
    assert full_year == {
        ("KS", "AoS"): -summary.total("full_year", "KS"),
        ("AoS", "FrN"): aos_gives,
        ("GrN", "FrN"): -summary.total("full_year", "GrN"),
        ("FsN", "FrN"): -summary.total("full_year", "FsN"),
        ("KuN", "FrN"): -summary.total("full_year", "KuN"),
    }
    assert full_year[("KS", "AoS")] == D("6212436.00")
    assert "kontrollsumman är 0 kr" in page
    assert "filter=%5EKF-2024-09-26-p190" in page


def test_budget_and_position_panels_equal_their_reports(served_example):
    from ctc.ledger import load_frame
    from ctc.reports.budget import budget_rows
    from ctc.reports.positions import committee_years, position_years

    frame = load_frame(EXAMPLE)
    page = dashboard(served_example)
    budget = section(page, "budget")
    deviations = {
        (year, committee): D(value)
        for value, committee, year in re.findall(
            r'class="ctc-mark"[^>]*data-value="(-?[\d.]+)" data-series="(\w+)" data-category="(\d+)"',
            budget,
        )
    }
    expected = {(str(r.year), r.committee): r.deviation for r in budget_rows(frame)}
    assert {key: deviations[key] for key in expected} == expected
    assert all(value == 0 for key, value in deviations.items() if key not in expected)
    assert deviations[("2024", "KS")] == D("-282582.53")
    fte = section(page, "positions")
    totals = {year: D(v) for v, year in bar_totals(page, "positions")}
    per_year: dict[str, Decimal] = {}
    for row in committee_years(position_years(frame)):
        per_year[str(row.year)] = per_year.get(str(row.year), D(0)) + row.fte
    assert totals == {y: v.quantize(D("0.01")) for y, v in per_year.items()}
    assert "UL-HER" in fte and "filter=%5EKF-2024-09-26-p190" in fte


def reports_page(server, query: str = "") -> tuple[int, str, str]:
    return fetch(f"{server.base}/{bfile(server)}/extension/CtcReports/{query}")


def test_reports_page_offers_the_motion_answer_by_default(served_example):
    status, _, page = reports_page(served_example)
    assert status == 200
    assert "download?report=motion&amp;from=2018&amp;to=2023" in page
    assert "Kostnaden för CTC 2018–2023" in page or "50,0" in page


def test_download_is_the_same_xlsx_as_ctc_report(served_example, tmp_path):
    import io

    import openpyxl

    url = f"{served_example.base}/{bfile(served_example)}/extension/CtcReports/download"
    request = urllib.request.Request(f"{url}?report=motion&from=2018&to=2023&unit=tkr&format=xlsx")
    with urllib.request.urlopen(request, timeout=PROCESS_TIMEOUT) as response:
        assert response.status == 200
        assert 'filename="ctc_motion_2018-2023.xlsx"' in response.headers["Content-Disposition"]
        content = response.read()
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    numbers = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
    ]
    assert 49724939.46 in numbers


def test_download_markdown_equals_the_cli_but_for_the_time_it_was_made(served_example, tmp_path):
    url = f"{served_example.base}/{bfile(served_example)}/extension/CtcReports/download"
    _, _, downloaded = fetch(f"{url}?report=motion&from=2018&to=2023&unit=tkr&format=md")
    result = run_ctc(
        "report", "motion", str(served_example.ledger), "--from", "2018", "--to", "2023",
        "--format", "md",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    cli = result.stdout

    def without_time(text: str) -> list[str]:
        return [
            line for line in text.splitlines() if not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", line)
        ]

    assert without_time(downloaded) == without_time(cli)


def test_a_bad_download_request_is_a_plain_400(served_example):
    url = f"{served_example.base}/{bfile(served_example)}/extension/CtcReports/download"
    status, _, body = fetch(f"{url}?report=motion&from=2023&to=2018&format=xlsx")
    assert status == 400
    assert body.startswith("Fel: ") and "--from 2023" in body


def test_scenario_and_forecast_panels_equal_their_reports(served_example):
    from ctc.ledger import load_ledger as load
    from ctc.scenarios.forecast import forecast_against_outcome
    from ctc.scenarios.report import scenario_costs

    scenarios = EXAMPLE.parent / "scenarios"
    ledger = load(EXAMPLE)
    pilot = scenario_costs(ledger, scenarios / "linkoping-pilot-2026-2028.beancount")
    forecast = forecast_against_outcome(ledger, scenarios / "malmo-prognos-2022-2023.beancount")
    page = dashboard(served_example)
    bars = {year: D(value) for value, year in bar_totals(page, "scenario-1")}
    assert bars == {str(y): pilot.year_total(y) for y in (2026, 2027, 2028)}
    assert sum(bars.values()) == pilot.total == D("19927000")
    outcome = sum(row.outcome for row in forecast.rows)
    deviation = outcome - sum(row.forecast for row in forecast.rows)
    assert deviation == D("1375809.06")  # KuN's internal purchase of 2023 is its cost
    assert f"{deviation:.2f}" in section(page, "forecast-2")
