"""Every kind of bad file: a one-line error naming the file, no traceback, ledger unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, PROCESS_TIMEOUT, run_ctc
from synthetic_xlsx import write_xlsx
from workbooks import HEADER, ROWS, export

D = Decimal


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private copy of the example for this module: every import here is refused and
    each test proves the copy unchanged, so it is loaded once and then from the load cache.
    """
    target = tmp_path_factory.mktemp("refusals") / "ledger"
    shutil.copytree(
        EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("*.picklecache", "documents")
    )
    return target / "main.beancount"


def ledger_state(main: Path) -> dict[str, str]:
    """SHA-256 of every file of the ledger folder, to prove nothing changed."""
    return {
        str(p.relative_to(main.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(main.parent.rglob("*"))
        if p.is_file() and p.name != ".ctc-import.lock"
    }


def ctc_import(*args: str) -> subprocess.CompletedProcess[str]:
    return run_ctc("import", *args)


def assert_refused(main: Path, path: Path, *fragments: str) -> str:
    """Import `path`; assert one line on stderr naming it, exit 1, the ledger untouched."""
    before = ledger_state(main)
    result = ctc_import("--ledger", str(main), str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert path.name in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert ledger_state(main) == before
    return lines[0]


def test_a_file_that_is_not_excel(example_copy, tmp_path):
    path = tmp_path / "utfall.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert_refused(example_copy, path, "ingen Excelarbetsbok eller textexport")


def test_a_text_export_under_an_excel_name_is_read_as_text(example_copy, tmp_path):
    path = tmp_path / "utfall.xlsx"
    path.write_text("Datum;Konto;Belopp\n2021-01-01;5011;100\n", encoding="utf-8")
    assert_refused(example_copy, path, "utfall.xlsx: rad 1:", "saknar kolumnen Ansvar")


def test_an_empty_file(example_copy, tmp_path):
    path = tmp_path / "tom.xls"
    path.write_bytes(b"")
    assert_refused(example_copy, path, "tom")


def test_a_truncated_xlsx(example_copy, tmp_path):
    whole = export(tmp_path / "hel.xlsx").read_bytes()
    path = tmp_path / "avkortad.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert_refused(example_copy, path, "trasig eller avkortad")


def test_a_corrupt_sheet_inside_a_valid_zip(example_copy, tmp_path):
    source = export(tmp_path / "hel.xlsx")
    path = tmp_path / "trasig.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]
            new.writestr(item, data)
    assert_refused(example_copy, path, "trasig.xlsx:")


def test_a_password_protected_workbook(example_copy, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    source = export(tmp_path / "klar.xlsx")
    path = tmp_path / "hemlig.xlsx"
    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("hemligt", out)
    assert_refused(example_copy, path, "lösenordsskyddad")


def test_an_empty_workbook(example_copy, tmp_path):
    path = tmp_path / "tom.xlsx"
    write_xlsx(path, [("Blad1", [])])
    assert_refused(example_copy, path, "arbetsboken är tom")


def test_a_missing_required_column(example_copy, tmp_path):
    header = [w for w in HEADER if w != "Konto"]
    rows = [[c for i, c in enumerate(r) if HEADER[i] != "Konto"] for r in ROWS]
    path = export(tmp_path / "utan_konto.xlsx", rows, header, sheet="Export")
    assert_refused(example_copy, path, "blad Export, rad 1", "saknar kolumnen Konto")


def test_no_header_at_all(example_copy, tmp_path):
    path = tmp_path / "anteckningar.xlsx"
    write_xlsx(path, [("Blad1", [["Möte om budget"], ["Inga siffror här"]])])
    assert_refused(example_copy, path, "hittar ingen rubrikrad")


def test_an_unreadable_amount_names_row_and_column(example_copy, tmp_path):
    rows = [*ROWS[:2], [*ROWS[2][:6], "18 750,5,0"], *ROWS[3:]]
    path = export(tmp_path / "belopp.xlsx", rows)
    assert_refused(example_copy, path, "belopp.xlsx", "rad 4", "oläsbart belopp")


def test_an_unreadable_date_names_row_and_column(example_copy, tmp_path):
    rows = [*ROWS[:1], ["2021-02-30", *ROWS[1][1:]], *ROWS[2:]]
    path = export(tmp_path / "datum.xlsx", rows)
    line = assert_refused(example_copy, path, "rad 3", "finns inte")
    assert "2021-02-30" in line


def test_unknown_committee_code_on_a_programme_row_is_listed(example_copy, tmp_path):
    rows = [*ROWS, [ROWS[0][0], "V9", 5011, "999999", "CTC", "x", D("10.00")]]
    path = export(tmp_path / "okand.xlsx", rows)
    assert_refused(example_copy, path, "ansvarskoden 999999", "rad 7")


def test_unknown_code_on_another_project_is_not_an_error(example_copy, tmp_path):
    rows = [*ROWS, [ROWS[0][0], "V9", 5011, "999999", "ANNAT", "x", D("10.00")]]
    path = export(tmp_path / "annat.xlsx", rows)
    result = ctc_import("--ledger", str(example_copy), "--dry-run", "--json", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["not_programme"] == 2


def test_rejected_rows_still_print_the_json_summary(example_copy, tmp_path):
    rows = [*ROWS, [ROWS[0][0], "V9", 2011, "110240", "CTC", "x", D("10.00")]]
    path = export(tmp_path / "konto.xlsx", rows)
    before = ledger_state(example_copy)
    result = ctc_import("--ledger", str(example_copy), "--json", str(path))
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["written"] == []
    assert summary["files"][0]["rejected"] == [
        {
            "sheet": "Utfall",
            "row": 7,
            "column": "C",
            "reason": "kontot 2011 har ingen kostnads- eller intäktstyp i mappningen (programrad)",
        }
    ]
    assert len(result.stderr.strip().splitlines()) == 1
    assert ledger_state(example_copy) == before


def test_a_sum_row_that_does_not_match_is_rejected(example_copy, tmp_path):
    rows = [*ROWS, ["Summa", None, None, None, None, None, D("1.00")]]
    path = export(tmp_path / "summa.xlsx", rows)
    assert_refused(example_copy, path, "rad 7", "summaraden säger 1,00")


def _bomb(path: Path, part_bytes: int) -> Path:
    """A workbook whose sheet is `part_bytes` of one repeated byte: it compresses ~1000 times."""
    source = export(path.with_name("mall.xlsx"))
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            if not item.filename.endswith("sheet1.xml"):
                new.writestr(item, old.read(item))
                continue
            info = zipfile.ZipInfo(item.filename, item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with new.open(info, "w", force_zip64=True) as out:
                chunk = b" " * (1 << 20)
                for _ in range(part_bytes >> 20):
                    out.write(chunk)
    return path


def test_a_zip_bomb_is_refused_from_the_zip_directory(example_copy, tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 64 << 20)
    assert path.stat().st_size < 1 << 20
    assert_refused(example_copy, path, "zip-bomb")


def import_peak(main: Path, path: Path) -> tuple[str, int, str]:
    """(exit code, peak memory in KiB of the import and every process it ran, stderr) of a
    dry-run import in a real process."""
    probe = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run([sys.executable, '-m', 'ctc.cli', 'import', '--dry-run', '--ledger',"
        f" {str(main)!r}, {str(path)!r}], capture_output=True, text=True,"
        f" timeout={PROCESS_TIMEOUT})\n"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=2 * PROCESS_TIMEOUT,
    )
    code, peak_kib, message = result.stdout.split(" ", 2)
    return code, int(peak_kib), message


@pytest.mark.slow
def test_a_zip_bomb_is_refused_with_little_memory(example_copy, tmp_path):
    path = _bomb(tmp_path / "stor_bomb.xlsx", 1200 << 20)
    code, peak_kib, message = import_peak(example_copy, path)
    assert code == "1"
    assert "vägras" in message and "Traceback" not in message
    assert peak_kib < 500 * 1024


def test_xml_entity_expansion_is_refused(example_copy, tmp_path):
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    source = export(tmp_path / "mall.xlsx")
    path = tmp_path / "entiteter.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = laughs.encode() if item.filename.endswith("sheet1.xml") else old.read(item)
            new.writestr(item, data)
    assert_refused(example_copy, path, "DTD", "entitetsexpansion")


def test_a_missing_file(example_copy, tmp_path):
    result = ctc_import("--ledger", str(example_copy), str(tmp_path / "saknas.xlsx"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "saknas.xlsx finns inte" in result.stderr


def test_a_text_file_without_a_header_says_so(example_copy, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"a;b\n1;2\n")
    assert_refused(example_copy, path, "hittar ingen rubrikrad")


def test_an_export_without_a_programme_column(example_copy, tmp_path):
    header = [w for w in HEADER if w != "Projekt"]
    rows = [[c for i, c in enumerate(r) if HEADER[i] != "Projekt"] for r in ROWS]
    path = export(tmp_path / "utan_projekt.xlsx", rows, header)
    assert_refused(example_copy, path, "ingen kolumn som mappningen märker", "CTC")


def test_data_in_two_sheets_is_refused_rather_than_half_read(example_copy, tmp_path):
    path = tmp_path / "två_blad.xlsx"
    sheet = [HEADER, *[list(r) for r in ROWS]]
    write_xlsx(path, [("Januari", sheet), ("Februari", sheet)])
    assert_refused(example_copy, path, "flera blad", "Februari, Januari")
