"""A server that answers every request: hostile URLs, and saves during an import.

The CTC pages check every query parameter before computing anything and
answer a bad one with 400 and one line; Fava's filter patterns are matched on
a time budget (`ctc.fava.matching`), so none can hold the server. Served
`--editable`, a save while an import holds the ledger's lock is refused. Most
tests use the real Fava application through Flask's test client; one runs
against the real served process.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import EXAMPLE_DIR, PROCESS_TIMEOUT
from test_crash_safety import during_import, exports

from ctc.fava import matching
from ctc.importers.run import run_import
from ctc.ledger import load_ledger
from ctc.lock import ledger_lock
from ctc.serve import LOCKED, create_app
from ctc.transaction import journal_path

HOSTILE = r"^(.*?:){1,8}(.*?)*(.*?)*Z"
"""Backtracks for minutes on the example's longest account name (in `re` and in `regex`)."""
SLOW = f"Fel: Mönstret {HOSTILE!r} tar för lång tid att matcha; förenkla det.\n"
PAGES = ("CtcDashboard/", "CtcReports/", "CtcReports/download")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """Fava with the CTC pages on a read-only copy of the example, and its ledger slug."""
    target = tmp_path_factory.mktemp("hostile") / "ledger"
    shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("documents"))
    app = create_app(target / "main.beancount")
    test_client = app.test_client()
    slug = test_client.get("/").location.split("/")[1]
    test_client.slug = slug
    test_client.app_ = app
    return test_client


def get(client, page: str, **params: str):
    """GET one of the CTC pages with the given query."""
    return client.get(f"/{client.slug}/extension/{page}?{urlencode(params)}")


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page", [*PAGES, "CtcImport/"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "²", "report": "motion"}, "Fel: from ska vara ett årtal med siffrorna 0–9, inte '²'.\n"),
        ({"to": "٣", "report": "motion"}, "Fel: to ska vara ett årtal med siffrorna 0–9, inte '٣'.\n"),
        (
            {"report": "positions", "from": "1", "to": "60000000"},
            "Fel: to ska vara ett årtal med siffrorna 0–9, inte '60000000'.\n",
        ),
        ({"year": "-1", "report": "budget"}, "Fel: year ska vara ett årtal med siffrorna 0–9, inte '-1'.\n"),
        ({"time": "garbage"}, "Fel: Failed to parse date: garbage\n"),
        ({"filter": '"unclosed'}, 'Fel: Illegal character """ in filter."unclosed\n'),
        ({"account": HOSTILE}, SLOW),
        ({"filter": f'narration:"{HOSTILE}"'}, SLOW),
        (
            {"account": "(?:a{1000}){1000}"},
            "Fel: Mönstret '(?:a{1000}){1000}' har för stora upprepningar; förenkla det.\n",
        ),
    ],
)  # fmt: skip
def test_a_bad_parameter_is_a_400_with_one_line(client, page, params, message):
    response = get(client, page, **params)
    assert response.status_code == 400
    assert text(response) == message


@pytest.mark.parametrize("page", PAGES[1:])
def test_an_unknown_report_or_unit_is_a_400(client, page):
    assert (
        text(get(client, page, report="nope")) == "Fel: Okänd rapport 'nope' eller enhet 'tkr'.\n"
    )
    response = get(client, page, report="motion", unit="öre")
    assert response.status_code == 400
    assert text(response) == "Fel: Okänd rapport 'motion' eller enhet 'öre'.\n"


def test_a_bad_format_or_grouping_is_a_400(client):
    assert text(get(client, "CtcReports/download", report="motion", format="exe")) == (
        "Fel: Okänt format 'exe'; välj xlsx, md eller csv.\n"
    )
    response = get(client, "CtcReports/", report="yearly", by="nämnd")
    assert response.status_code == 400
    assert text(response).startswith("Fel: Okänd gruppering 'nämnd' för --by")


def test_fava_own_pages_answer_a_hostile_pattern_with_400_too(client):
    response = client.get(f"/{client.slug}/api/income_statement?account={quote(HOSTILE)}")
    assert response.status_code == 400
    assert json.loads(text(response))["error"].endswith(
        "tar för lång tid att matcha; förenkla det."
    )
    journal = client.get(f"/{client.slug}/download-journal/?filter={quote(chr(34) + 'x')}")
    assert journal.status_code == 400


def test_a_span_beyond_the_ledger_is_clipped_to_its_years(client):
    entries = load_ledger(EXAMPLE_DIR / "main.beancount").entries
    first, last = min(e.date for e in entries).year, max(e.date for e in entries).year
    span = {"from": "0001", "to": "9999"}
    response = get(client, "CtcReports/download", report="motion", format="csv", **span)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="ctc_motion_{first}-{last}.csv"'
    )
    page = get(client, "CtcReports/", report="positions", **span)
    assert page.status_code == 200
    shown = {int(y) for y in re.findall(r'data-category="(\d+)"', text(page))}
    assert shown and shown <= set(range(first, last + 1))


def test_a_harmless_pattern_still_filters(client):
    response = get(client, "CtcDashboard/", account="^([\\w:]|[\\w:])+Z")
    assert response.status_code == 200
    assert "Inga kostnader, växlingar eller tjänster för programmet" in text(response)
    narrowed = get(client, "CtcDashboard/", account="AoS")
    assert narrowed.status_code == 200 and 'id="yearly-committee"' in text(narrowed)


VALUES = (
    "", " ", "²", "٣", "𝟚𝟘𝟙𝟠", "-1", "0", "00000", "2018.5", "1e9", "99999999999999999999",
    "NaN", "\x00", "%", "'", '"', "(", "[", "\\", "*", "a" * 3000, "2018 - 2023", "..",
    "../../main.beancount", "<script>alert(1)</script>", "ﬀ", "2018,2019", "#tag", "^link",
)  # fmt: skip
"""Values no form would send."""
FAVAS = ("time", "filter", "account")
"""Fava's own parameters, which every page reads."""


@pytest.mark.parametrize(
    "name", ["report", "from", "to", "year", "format", "unit", "by", "time", "filter", "account"]
)
def test_no_value_of_any_parameter_is_a_server_error(client, name):
    statuses = set()
    pages = ("CtcReports/download", "CtcDashboard/") if name in FAVAS else ("CtcReports/download",)
    for value in VALUES:
        for page in pages:
            response = get(client, page, **{"report": "yearly", name: value})
            statuses.add(response.status_code)
            assert response.status_code in (200, 400), (page, name, value)
    assert 400 in statuses


def test_figures_are_kept_for_a_bounded_number_of_filters(client, monkeypatch):
    import ctc.fava

    monkeypatch.setattr(ctc.fava, "CACHE_SIZE", 3)
    for year in range(1990, 1996):
        assert get(client, "CtcDashboard/", time=str(year)).status_code == 200
    ledger = client.app_.config["LEDGERS"].ledgers[0]
    dashboard = ledger.extensions.get_extension("CtcDashboard")
    assert [key[2] for key in dashboard._boards] == ["1993", "1994", "1995"]
    assert len(dashboard._frames) == 3


def test_patterns_are_refused_before_they_could_grow_large():
    matching.check_size(r"^Expenses:Malmo:\w{2,3}:CTC:(Lon|PO)$")
    matching.check_size(r"\d{4}-\d{2}")
    for pattern in ("a{100000}", "(?:a{300}){300}", "x" * 1001, "a{9999999999}"):
        with pytest.raises(matching.FilterError):
            matching.check_size(pattern)


def test_the_bounded_match_keeps_favas_meaning():
    assert matching.BoundedMatch("kurs")("Kurs i ledarskap")  # a search, ignoring case
    assert not matching.BoundedMatch("^kurs$")("Kurs i ledarskap")
    assert matching.BoundedMatch("(")("(")  # not a pattern: plain equality, as in Fava
    assert matching.has_component("Expenses:Malmo:AoS:CTC:Lon", "AoS")
    assert not matching.has_component("Expenses:Malmo:AoSx:CTC:Lon", "AoS")
    with pytest.raises(matching.FilterError, match="tar för lång tid"):
        matching.BoundedMatch(HOSTILE)("Expenses:Malmo:FsN:CTC:Ovrigt:Utbildning")


def test_the_served_process_keeps_answering_while_a_hostile_request_runs(served_example):
    """The real server (cheroot, threads): a hostile GET and ordinary GETs at the same time."""
    base = f"{served_example.base}/{served_example_slug(served_example)}"
    results: dict[str, int] = {}

    def hostile():
        results["hostile"] = fetch_status(
            f"{base}/extension/CtcDashboard/?account={quote(HOSTILE)}"
        )

    thread = threading.Thread(target=hostile)
    thread.start()
    others = [fetch_status(f"{base}/extension/CtcReports/") for _ in range(3)]
    thread.join()
    assert results["hostile"] == 400
    assert others == [200, 200, 200]


def served_example_slug(server) -> str:
    with urllib.request.urlopen(server.base + "/", timeout=PROCESS_TIMEOUT) as response:
        return response.url.removeprefix(server.base).split("/")[1]


def fetch_status(url: str) -> int:
    """The status of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=PROCESS_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# --- Saves while an import writes ------------------------------------------------------


@pytest.fixture
def editable(example_copy):
    """Fava served --editable on a private copy of the example; (client, slug, ledger)."""
    client = create_app(example_copy, editable=True).test_client()
    slug = client.get("/").location.split("/")[1]
    return client, slug, example_copy


def save(client, slug: str, path: Path, source: str):
    """Fava's editor saving a file: with the SHA-256 it read the file with."""
    got = client.get(f"/{slug}/api/source?filename={quote(str(path))}")
    sha = json.loads(text(got))["data"]["sha256sum"]
    body = {"file_path": str(path), "source": source, "sha256sum": sha}
    return client.put(f"/{slug}/api/source", json=body)


def test_a_save_while_an_import_holds_the_lock_is_refused(editable):
    client, slug, ledger = editable
    sources = ledger.parent / "sources.beancount"
    before = sources.read_text(encoding="utf-8")
    with ledger_lock(ledger):
        response = save(client, slug, sources, before + "; redigerad\n")
    assert response.status_code == 423
    assert json.loads(text(response)) == {"error": LOCKED}
    assert sources.read_text(encoding="utf-8") == before
    again = save(client, slug, sources, before + "; redigerad\n")
    assert again.status_code == 200
    assert sources.read_text(encoding="utf-8") == before + "; redigerad\n"


def test_a_save_during_an_import_is_refused_and_the_import_lands_whole(editable, tmp_path):
    client, slug, ledger = editable
    root = ledger.parent
    costs = root / "costs" / "2021.beancount"
    with during_import(root, lambda: save(client, slug, costs, "; allt borta\n")) as saves:
        summary = run_import(exports(tmp_path, (2021,)), ledger)
    assert [response.status_code for response in saves] == [423]
    assert summary.files[0].imported == 4
    assert costs.read_text(encoding="utf-8").count("T0V") == 4
    assert not journal_path(root).exists()
