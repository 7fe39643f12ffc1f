"""The import page ("Läs in") over HTTP: preview, import, undo, templates, refusals.

The real Fava application with the CTC extensions (Flask's test client),
real workbooks, real Beancount loads and the real `ctc import` functions the
page calls; one test runs against the real served process. The browser's
side (choosing a file, the preview appearing, the buttons) is
`test_browser_import.py`.
"""

from __future__ import annotations

import datetime
import io
import re
import tempfile
import zipfile
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, run_ctc
from test_import_errors import ledger_state
from workbooks import export

import ctc.fava.uploads
from ctc.fava.uploads import safe_name
from ctc.lock import ledger_lock
from ctc.serve import create_app

D = Decimal
EXPORT = ROOT / "tests" / "fixtures" / "exports" / "raindance_utfall_2019.xlsx"
EXPORT_SHA = "b91b8fba81fb3289d9baa7f4e43e5719aff5431d892ee521fd420adf92b31254"
EXPORT_TOTAL = D("23684704.95")
PAGE = "extension/CtcImport/"


class Page:
    """Fava on a ledger, and the import page's requests."""

    def __init__(self, ledger: Path, editable: bool = True) -> None:
        self.ledger = ledger
        self.client = create_app(ledger, editable=editable).test_client()
        self.slug = self.client.get("/").location.split("/")[1]
        page = text(self.client.get(self.url()))
        self.token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    def url(self, endpoint: str = "") -> str:
        return f"/{self.slug}/{PAGE}{endpoint}"

    def get(self, query: str = "", endpoint: str = ""):
        return self.client.get(self.url(endpoint) + query)

    def post(self, endpoint: str, files: list[tuple[bytes, str]], query: str = "", **fields):
        data = {
            "token": self.token,
            "files": [(io.BytesIO(content), name) for content, name in files],
            **fields,
        }
        return self.client.post(
            self.url(endpoint) + query, data=data, content_type="multipart/form-data"
        )

    def undo(self, sha: str, token: str | None = None):
        data = {"sha256": sha, "token": self.token if token is None else token}
        return self.client.post(self.url("undo"), data=data)

    def preview(self, *files: tuple[bytes, str], fragment: bool = False, **fields):
        """The preview as the whole page (no script), or as the fragment the script asks for."""
        return self.post("preview", list(files), "?fragment=1" if fragment else "", **fields)

    def commit(self, *files: tuple[bytes, str], previewed: list[str] | None = None, **fields):
        return self.post("commit", list(files), previewed=previewed or [], **fields)


def text(response) -> str:
    return response.get_data(as_text=True)


def values(html: str, css_class: str) -> list[D]:
    """The `data-value` of every element with a class (the figure inside when it is a wrapper)."""
    found = re.findall(
        rf'class="{css_class}"[^>]*?(?:data-value="([^"]+)"[^>]*>|>\s*<span class="num" data-value="([^"]+)")',
        html,
    )
    return [D(a or b) for a, b in found]


def year_total(page: Page, year: int) -> D:
    """The dashboard's total net cost of a year (the yearly table's last column)."""
    html = text(page.client.get(f"/{page.slug}/extension/CtcDashboard/"))
    table = re.search(r'<section id="yearly-committee".*?</table>', html, re.S).group(0)
    row = re.search(rf'<th scope="row">{year}</th>(.*?)</tr>', table, re.S).group(1)
    return D(re.findall(r'data-value="([^"]+)"', row)[-1])


@pytest.fixture
def page(example_copy) -> Page:
    return Page(example_copy)


def export_file() -> tuple[bytes, str]:
    return EXPORT.read_bytes(), EXPORT.name


# --- Preview, import, undo -----------------------------------------------------------


def test_the_preview_is_the_dry_run_and_writes_nothing(page):
    before = ledger_state(page.ledger)
    response = page.preview(export_file())
    html = text(response)
    assert response.status_code == 200
    assert 'data-ready="true"' in html
    assert values(html, "ctc-control-total") == [EXPORT_TOTAL]
    assert "23 684 704,95 kr" in html
    assert values(html, "ctc-rows") == [D(1800)]
    assert values(html, "ctc-programme-rows") == [D(642)]
    assert values(html, "ctc-not-programme") == [D(1158)]
    assert values(html, "ctc-duplicates") == [D(0)]
    by_year = re.findall(
        r'<th scope="row">2019</th><td>(\w+)</td><td class="num" data-value="([^"]+)"', html
    )
    assert sum(D(v) for _, v in by_year) == EXPORT_TOTAL
    assert f'name="previewed" value="{EXPORT_SHA}"' in html
    assert ledger_state(page.ledger) == before


@pytest.mark.slow  # an import, an undo and four loads; fast variants: the preview tests
def test_import_then_undo_moves_the_dashboard_by_the_control_total_and_back(page):
    before = ledger_state(page.ledger)
    total_before = year_total(page, 2019)
    response = page.commit(export_file(), previewed=[EXPORT_SHA])
    assert response.status_code == 303
    assert re.search(r"/extension/CtcImport/\?outcome=[A-Za-z0-9_-]{22}$", response.location)
    shown = text(page.client.get(response.location))
    assert "raindance_utfall_2019.xlsx: 642 rader inlästa (kontrollsumma 23 684 704,95 kr" in shown
    assert "Skrev: costs/2019.beancount, sources.beancount, documents/" in shown
    assert year_total(page, 2019) - total_before == EXPORT_TOTAL
    assert run_ctc("check", str(page.ledger)).returncode == 0
    listed = re.search(r'<tr data-sha256="([0-9a-f]{64})">\s*<th scope="row">([^<]+)</th>', shown)
    assert listed.groups() == (EXPORT_SHA, EXPORT.name)  # the most recent first
    today = datetime.date.today().isoformat()
    assert f'<time datetime="{today}">' in shown

    confirm = text(page.get(f"?undo={EXPORT_SHA}"))
    assert "Ångra inläsningen av raindance_utfall_2019.xlsx?" in confirm
    assert 'id="ctc-undo-entries" data-value="642"' in confirm
    assert '<th scope="row">costs/2019.beancount</th><td class="num" data-value="642">' in confirm
    undone = page.undo(EXPORT_SHA)
    assert undone.status_code == 303
    assert "Ångrade inläsningen av raindance_utfall_2019.xlsx: 642 poster togs bort." in text(
        page.client.get(undone.location)
    )
    assert year_total(page, 2019) == total_before
    assert ledger_state(page.ledger) == before


def test_the_scripts_fragment_is_the_preview_alone_with_the_status_inside(page):
    good = page.preview(export_file(), fragment=True)
    assert good.status_code == 200
    assert text(good).startswith('<section id="ctc-preview-result"')
    assert values(text(good), "ctc-control-total") == [EXPORT_TOTAL]
    bad = page.preview((b"PK\x03\x04 trasig", "trasig.xlsx"), fragment=True)
    assert bad.status_code == 200
    assert 'data-ready="false" data-status="422"' in text(bad)
    assert '<p class="ctc-refusal" role="alert" id="ctc-refusal">trasig.xlsx: ' in text(bad)


def test_the_import_refuses_files_other_than_the_previewed_ones(page, tmp_path):
    before = ledger_state(page.ledger)
    other = export(tmp_path / "utfall.xlsx").read_bytes()
    for previewed in ([], [EXPORT_SHA], ["0" * 64]):
        response = page.commit((other, "utfall.xlsx"), previewed=previewed)
        assert response.status_code == 409
        assert "inte de som förhandsgranskades" in text(response)
    assert ledger_state(page.ledger) == before


def test_a_bad_file_gets_its_one_line_reason_without_the_servers_folders(page):
    response = page.preview(
        ("det här är ingen arbetsbok".encode() + b"\x00\x01", "utfall_mars.xlsx")
    )
    html = text(response)
    assert response.status_code == 422
    reason = re.search(r'<p class="ctc-refusal" role="alert" id="ctc-refusal">([^<]*)</p>', html)
    assert reason is not None
    line = reason.group(1)
    assert line.startswith("utfall_mars.xlsx: ")
    assert "\n" not in line
    assert "ctc-upload-" not in html
    assert 'data-ready="false"' in html


def test_rejected_rows_are_listed_with_sheet_row_column_and_reason(page, tmp_path):
    rows = [[datetime.date(2021, 1, 25), "V1", 5011, "999999", "CTC", "Lön", D("100.00")]]
    bad = export(tmp_path / "okänd.xlsx", rows).read_bytes()
    html = text(page.preview((bad, "okänd_ansvar.xlsx")))
    assert 'data-ready="false"' in html
    assert re.search(r"<tr><td>Utfall</td><td class=\"num\">2</td><td>D</td><td>[^<]+999999", html)
    assert "1 rader avvisades, inget skrevs: okänd_ansvar.xlsx:" in html


def test_a_zip_bomb_goes_through_the_same_checks_as_the_command_line(page, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(EXPORT) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/fill.bin", b"\0" * (8 << 20), zipfile.ZIP_DEFLATED)
    html = text(page.preview((bomb.read_bytes(), "bomb.xlsx")))
    assert "zip-bomb?" in html
    assert 'data-ready="false"' in html


def test_two_files_of_one_name_keep_their_name(page, tmp_path):
    first = export(tmp_path / "a.xlsx").read_bytes()
    response = page.preview((first, "utfall.xlsx"), (EXPORT.read_bytes(), "utfall.xlsx"))
    html = text(response)
    assert re.findall(r'<h4 id="ctc-file-\d">([^<]+)</h4>', html) == ["utfall.xlsx", "utfall.xlsx"]
    assert values(html, "ctc-control-total") == [D("71432.70"), EXPORT_TOTAL]


def test_a_second_import_while_one_runs_is_refused_with_the_lock_message(page):
    before = ledger_state(page.ledger)
    with ledger_lock(page.ledger):
        response = page.commit(export_file(), previewed=[EXPORT_SHA])
        undo = page.undo("a" * 64)
    assert response.status_code == 423
    assert "En annan import skriver redan" in text(response)
    assert undo.status_code == 423
    assert ledger_state(page.ledger) == before


def test_an_upload_over_the_limit_is_refused_and_nothing_is_kept(page, monkeypatch, tmp_path):
    monkeypatch.setattr(ctc.fava.uploads, "UPLOAD_LIMIT", 4096)
    temporary = tmp_path / "temp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    response = page.preview(export_file())
    assert response.status_code == 413
    assert "större än gränsen" in text(response)
    assert list(temporary.iterdir()) == []


def test_temporary_files_are_removed_whatever_happens(page, monkeypatch, tmp_path):
    import ctc.fava.import_page

    temporary = tmp_path / "temp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    page.preview(export_file())
    page.preview((b"ingen arbetsbok", "fel.xlsx"))
    page.commit(export_file(), previewed=["0" * 64])

    def crash(*args, **kwargs):
        raise RuntimeError("ett oväntat fel mitt i inläsningen")

    monkeypatch.setattr(ctc.fava.import_page, "run_import", crash)
    assert page.preview(export_file()).status_code == 500  # a defect, but nothing is left
    assert list(temporary.iterdir()) == []


def test_a_form_from_anywhere_else_is_refused(page):
    """Another site cannot post to the page from the user's browser: it lacks the page's token."""
    before = ledger_state(page.ledger)
    for token in ("", "fel"):
        response = page.post("commit", [export_file()], token=token, previewed=EXPORT_SHA)
        assert response.status_code == 403
        assert "kommer inte från sidan Läs in" in text(response)
        assert page.undo("a" * 64, token=token).status_code == 403
    assert page.post("preview", [export_file()], token="fel").status_code == 403
    assert ledger_state(page.ledger) == before


def test_no_file_chosen_is_a_400(page):
    response = page.client.post(
        page.url("preview"),
        data={"decision": "", "token": page.token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Välj minst en fil" in text(response)


def test_an_unknown_decision_option_is_refused(page):
    response = page.preview(export_file(), decision="KF-1999-01-01")
    assert response.status_code == 400
    assert "Beslutet 'KF-1999-01-01' (--decision) finns inte i beslutsregistret." in unescape(
        text(response)
    )


# --- Read-only -------------------------------------------------------------------------


def test_read_only_the_page_explains_and_refuses_every_upload(example_copy):
    page = Page(example_copy, editable=False)
    before = ledger_state(example_copy)
    html = text(page.get())
    assert "ctc serve --editable" in html
    assert re.search(r"<fieldset disabled>\s*<legend>Filer att läsa in</legend>", html)
    assert "Ångra</a>" not in html
    for endpoint in ("preview", "commit"):
        response = page.post(endpoint, [export_file()], previewed=EXPORT_SHA)
        assert response.status_code == 401
    assert page.undo("a" * 64).status_code == 401
    assert ledger_state(example_copy) == before


def test_fava_without_ctc_serve_editable_does_not_import(example_copy):
    """Plain `fava` (not read-only, but without our lock around saves): the page refuses."""
    from fava.application import create_app as create_fava_app

    client = create_fava_app([str(example_copy)]).test_client()
    slug = client.get("/").location.split("/")[1]
    before = ledger_state(example_copy)
    data = {"files": [(io.BytesIO(EXPORT.read_bytes()), EXPORT.name)], "previewed": EXPORT_SHA}
    response = client.post(f"/{slug}/{PAGE}commit", data=data, content_type="multipart/form-data")
    assert response.status_code == 403
    assert "ctc serve --editable" in text(response)
    assert ledger_state(example_copy) == before


def test_the_served_process_refuses_a_multipart_post_read_only(served_example):
    """The real `ctc serve` (read-only by default) refuses the form's own upload address."""
    import urllib.error
    import urllib.request

    from test_serve import bfile, fetch

    slug = bfile(served_example)
    _, _, html = fetch(f"{served_example.base}/{slug}/{PAGE}")
    action = re.search(r'<form method="post" enctype="multipart/form-data" action="([^"]+)"', html)
    assert action is not None and action.group(1).startswith("/")
    boundary = "ctcgrans"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{EXPORT.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + EXPORT.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    for address in (action.group(1), action.group(1).replace("preview", "commit")):
        request = urllib.request.Request(
            served_example.base + address,
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        assert refused.value.code == 401
    from conftest import snapshot

    assert snapshot(served_example.ledger.parent) == served_example.snapshot_before


# --- Parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?undo=abc", "Fel: undo ska vara en inläst fils SHA-256 (64 tecken 0–9, a–f).\n"),
        ("?undo=" + "A" * 64, "Fel: undo ska vara en inläst fils SHA-256 (64 tecken 0–9, a–f).\n"),
        ("?outcome=x", "Fel: outcome är inte ett meddelande från den här sidan.\n"),
        ("?year=²", "Fel: year ska vara ett årtal med siffrorna 0–9, inte '²'.\n"),
    ],
)
def test_a_query_no_link_makes_is_a_400(page, query, message):
    response = page.get(query)
    assert (response.status_code, text(response)) == (400, message)


HOSTILE = ("", " ", "²", "\x00", "a" * 3000, "../../main.beancount", "<script>", "0" * 64, "%")


@pytest.mark.parametrize("name", ["undo", "outcome", "kind", "year", "fragment"])
def test_no_value_of_any_parameter_is_a_server_error(page, name):
    for value in HOSTILE:
        for endpoint in ("", "template"):
            response = page.client.get(page.url(endpoint), query_string={name: value})
            assert response.status_code in (200, 400), (endpoint, name, value)


def test_an_undo_of_a_file_not_imported_says_so(page):
    html = text(page.get("?undo=" + "0" * 64))
    assert "Filen finns inte bland de inlästa filerna" in html
    response = page.undo("0" * 64)
    assert response.status_code == 422
    assert "har inte lästs in i huvudboken" in text(response)
    assert page.undo("x").status_code == 400


# --- Names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("lönelista_2024.xlsx", "lönelista_2024.xlsx"),
        ("C:\\Users\\ekonom\\Utfall mars.xlsx", "Utfall mars.xlsx"),
        ("../../main.beancount", "main.beancount"),
        ('a"b\nc.xlsx', "a_b_c.xlsx"),
        ("...", "fil"),
        (None, "fil"),
        ("x" * 300 + ".xlsx", "x" * 115 + ".xlsx"),
    ],
)
def test_an_uploaded_name_is_kept_safe(given, kept):
    assert safe_name(given) == kept


def test_a_preview_lists_a_bounded_number_of_rejected_rows(page, tmp_path, monkeypatch):
    from ctc.fava import CtcImport

    monkeypatch.setattr(CtcImport, "rejected_shown", 2)
    rows = [
        [datetime.date(2021, 1, day), f"V{day}", 5011, "999999", "CTC", "Lön", D("100.00")]
        for day in (1, 2, 3)
    ]
    bad = export(tmp_path / "tre.xlsx", rows).read_bytes()
    html = text(page.preview((bad, "tre_fel.xlsx")))
    assert len(re.findall(r"<tr><td>Utfall</td>", html)) == 2
    assert "… och 1 avvisade rader till" in html
    assert values(html, "ctc-rejected-count") == [D(3)]
