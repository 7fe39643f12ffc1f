"""The import page in a real browser: `ctc serve --editable`, Debian's Chromium, headless.

A finance officer's whole job without the command line: open "Läs in" from
Fava's sidebar, choose an export, read its control total on the preview,
import it, see the dashboard move by exactly that total, undo it and see
every ledger file as it was; fill in a template and import it; see a bad
file's one-line reason.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import FavaServer, run_ctc
from test_browser import browser, page  # noqa: F401 (the browser and page fixtures)
from test_import_errors import ledger_state
from test_import_page import EXPORT, EXPORT_TOTAL
from test_templates import FILLED, fill

pytestmark = [pytest.mark.browser, pytest.mark.slow]
D = Decimal


@pytest.fixture
def editable(example_copy):
    """`ctc serve --editable` on a private copy of the example."""
    server = FavaServer(example_copy, "--editable")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def year_total(page, server, year: int) -> D:  # noqa: F811 (the page fixture's value)
    """The dashboard's total net cost of a year, as the page shows it (`data-value`)."""
    page.goto(server.base + "/")
    page.wait_for_load_state("networkidle")
    row = page.locator("#yearly-committee tbody tr").filter(
        has=page.locator(f"th:text-is('{year}')")
    )
    return D(row.locator("td").last.get_attribute("data-value"))


def open_import_page(page, server) -> None:  # noqa: F811
    """The import page, reached from Fava's sidebar."""
    page.goto(server.base + "/")
    page.wait_for_load_state("networkidle")
    page.click("aside a[href*='/extension/CtcImport/']")
    page.wait_for_selector("#ctc-import-form")
    page.wait_for_load_state("networkidle")


def preview(page, *paths) -> None:  # noqa: F811
    """Choose files; the preview appears by itself (the page's script asks the server)."""
    page.set_input_files("#ctc-files", [str(p) for p in paths])
    page.wait_for_selector("#ctc-preview #ctc-preview-result")


def press(page, selector: str) -> None:  # noqa: F811
    """Press a button with the keyboard, and wait for the page it leads to."""
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_import_and_undo_from_the_browser(page, editable):  # noqa: F811
    before = ledger_state(editable.ledger)
    total_before = year_total(page, editable, 2019)

    open_import_page(page, editable)
    preview(page, EXPORT)
    control = page.locator("#ctc-preview .ctc-control-total [data-value]")
    assert control.inner_text() == "23 684 704,95 kr"
    assert D(control.get_attribute("data-value")) == EXPORT_TOTAL
    assert page.locator("#ctc-commit").is_enabled()
    assert ledger_state(editable.ledger) == before  # the preview wrote nothing

    press(page, "#ctc-commit")
    assert re.search(r"/extension/CtcImport/\?outcome=", page.url)
    assert "642 rader inlästa" in page.inner_text("#ctc-outcome")
    first = page.locator("#ctc-imported-files tbody tr").first
    assert first.locator("th").inner_text() == EXPORT.name
    assert year_total(page, editable, 2019) - total_before == EXPORT_TOTAL
    assert run_ctc("check", str(editable.ledger)).returncode == 0

    open_import_page(page, editable)
    page.click(f"a[aria-label='Ångra inläsningen av {EXPORT.name}']")
    page.wait_for_selector("#ctc-confirm-undo")
    assert page.locator("#ctc-undo-entries").get_attribute("data-value") == "642"
    press(page, "#ctc-confirm-undo")
    assert "Ångrade inläsningen av raindance_utfall_2019.xlsx" in page.inner_text("#ctc-outcome")
    assert ledger_state(editable.ledger) == before
    assert year_total(page, editable, 2019) == total_before
    assert page.console_errors == []


def test_a_filled_template_imports_from_the_browser(page, editable, tmp_path):  # noqa: F811
    open_import_page(page, editable)
    with page.expect_download() as info:
        page.click("#ctc-template-kommunbidrag")
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == "mall_kommunbidrag.xlsx"
    sheet, cells = FILLED["kommunbidrag"]
    filled = tmp_path / "kommunbidrag_2026.xlsx"
    filled.write_bytes(fill(template.read_bytes(), sheet, cells))
    preview(page, filled)
    control = page.locator("#ctc-preview .ctc-control-total [data-value]")
    assert D(control.get_attribute("data-value")) == D(1000000)
    press(page, "#ctc-commit")
    assert "kommunbidrag_2026.xlsx: 1 rader inlästa" in page.inner_text("#ctc-outcome")
    assert run_ctc("check", str(editable.ledger)).returncode == 0
    assert page.console_errors == []


def test_a_bad_file_shows_its_one_line_reason(page, editable, tmp_path):  # noqa: F811
    before = ledger_state(editable.ledger)
    bad = tmp_path / "utfall_april.xlsx"
    bad.write_text("Det här är ingen arbetsbok.\n", encoding="utf-8")
    open_import_page(page, editable)
    preview(page, bad)
    reason = page.inner_text("#ctc-refusal")
    assert reason.startswith("utfall_april.xlsx: ")
    assert "\n" not in reason
    assert page.locator("#ctc-commit").is_disabled()
    assert ledger_state(editable.ledger) == before
    assert page.console_errors == []
