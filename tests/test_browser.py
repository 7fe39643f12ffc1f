"""The dashboards in a real browser: Debian's Chromium, headless, via Playwright.

On a developer's machine without Chromium these tests skip with a reason; CI
sets CTC_REQUIRE_BROWSER=1 (in .ci/run), which turns a missing browser into a
failure.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import PROCESS_TIMEOUT, require_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    path = require_browser()
    from playwright.sync_api import sync_playwright
    from system_chromium import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="sv-SE")
    # Waits are safety nets, not measures of speed: generous for a loaded machine.
    context.set_default_timeout(PROCESS_TIMEOUT * 1000)
    context.set_default_navigation_timeout(PROCESS_TIMEOUT * 1000)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def extension_links(page, base: str) -> list[str]:
    """Every extension page linked from Fava's sidebar."""
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    hrefs = page.eval_on_selector_all(
        "aside a[href*='/extension/']", "links => links.map(a => a.href)"
    )
    return sorted(set(hrefs))


CHARTLESS = ("CtcImport",)
"""Extension pages without charts: the import page is a form and a list of files."""


def test_every_extension_page_renders_charts_without_errors(page, served_example):
    links = extension_links(page, served_example.base)
    assert links, "no extension page linked from the sidebar"
    assert [link for link in links if link.rstrip("/").endswith(CHARTLESS)] != []
    for link in links:
        page.goto(link)
        page.wait_for_load_state("networkidle")
        if link.rstrip("/").endswith(CHARTLESS):
            assert page.locator("h2").first.inner_text() == "Läs in filer i huvudboken", link
        else:
            assert page.locator("svg.ctc-chart").count() >= 1, link
            assert page.locator("svg.ctc-chart .ctc-mark").count() > 0, link
        assert page.console_errors == [], (link, page.console_errors)


def test_dashboard_shows_the_motion_figure_as_text(page, served_example):
    page.goto(served_example.base + "/")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/extension/CtcDashboard/")
    caption = page.locator("#cumulative figcaption").inner_text()
    assert caption == "Nettokostnaden 2018–2023 är 49,7 mnkr (49 724 939 kr)."
    value = page.locator("#cumulative .ctc-span-total").get_attribute("data-value")
    assert Decimal(value) == Decimal("49724939.46")
    assert page.console_errors == []


def test_choosing_a_span_updates_the_marked_total(page, served_example):
    page.goto(served_example.base + "/")
    page.wait_for_load_state("networkidle")
    page.select_option("#cumulative select[name=from]", "2019")
    page.select_option("#cumulative select[name=to]", "2019")
    page.click("#cumulative button[type=submit]")
    page.wait_for_load_state("networkidle")
    caption = page.locator("#cumulative figcaption").inner_text()
    assert re.match(r"Nettokostnaden 2019–2019 är 7,0 mnkr \(6 993 262 kr\)\.", caption), caption


def test_a_table_figure_links_to_the_journal_behind_it(page, served_example):
    page.goto(served_example.base + "/")
    page.wait_for_load_state("networkidle")
    page.click("#yearly-committee td[data-value] a >> nth=0")
    page.wait_for_url(re.compile(r".*/journal/\?.*time=2017.*"))
    page.wait_for_load_state("networkidle")
    # The committee's cost and income accounts, not its kommunbidrag.
    assert "account=%5E%28Expenses%3AMalmo%3AKS%3ACTC" in page.url
    journal_rows = page.locator(".journal li, .journal tr, [class*=journal] li")
    assert journal_rows.count() > 0
    assert page.console_errors == []


def test_reports_page_downloads_an_xlsx_that_opens(page, served_example, tmp_path):
    import openpyxl

    links = extension_links(page, served_example.base)
    page.goto(next(link for link in links if link.rstrip("/").endswith("CtcReports")))
    page.wait_for_load_state("networkidle")
    page.check("input[name=report][value=budget]")
    page.select_option("select[name=year]", "2024")
    page.click("#ctc-report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "kommunbidrag, kostnad och budget" in page.inner_text("#report-preview")
    with page.expect_download() as info:
        page.click("#download-xlsx")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "ctc_budget_2024.xlsx"
    workbook = openpyxl.load_workbook(target)
    values = [c.value for s in workbook.worksheets for r in s.iter_rows() for c in r]
    assert any(isinstance(v, int | float) and round(v, 2) == -282582.53 for v in values)
    assert page.console_errors == []
