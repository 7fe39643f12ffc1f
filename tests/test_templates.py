"""Excel templates generated from the ledger: headers the importer reads, drop-downs, import.

Each template is written from the example's registers, opened with openpyxl
as Excel would show it, filled in like a finance officer would, and read by
the real importer, through the import page's preview and import.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from conftest import EXAMPLE, run_ctc
from test_import_page import Page, text, values

from ctc.errors import UserError
from ctc.importers.kinds.recognise import locate_file
from ctc.importers.templates import TEMPLATES, template_workbook
from ctc.ledger import load_ledger

D = Decimal


@pytest.fixture(scope="module")
def example():
    return load_ledger(EXAMPLE)


def workbook(example, name: str, year: int | None = 2024) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_workbook(name, example, year)))


def header_row(sheet) -> tuple[int, list[str]]:
    """The first row whose first cell is a header word of the template (after the title)."""
    for row in sheet.iter_rows(min_row=3):
        cells = [c.value for c in row if c.value is not None]
        if len(cells) >= 3:
            return row[0].row, cells
    raise AssertionError("no header")


def validations(sheet) -> dict[str, str]:
    """Data column letter -> the list (or check) its validation offers."""
    found = {}
    for check in sheet.data_validations.dataValidation:
        for cells in check.sqref.ranges:
            found[cells.coord.split(":")[0].rstrip("0123456789")] = (
                check.type,
                check.formula1,
                check.showErrorMessage,
            )
    return found


def listed(book, formula: str) -> list[str]:
    """The values a list validation's range holds."""
    match = re.fullmatch(r"'Listor'!\$([A-Z])\$2:\$\1\$(\d+)", formula)
    assert match, formula
    column, last = match.groups()
    sheet = book["Listor"]
    return [sheet[f"{column}{row}"].value for row in range(2, int(last) + 1)]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_header_is_exactly_what_the_importer_reads(example, tmp_path, name):
    path = tmp_path / f"mall_{name}.xlsx"
    path.write_bytes(template_workbook(name, example, 2024))
    book = openpyxl.load_workbook(path)
    template = TEMPLATES[name]
    kind = template.kind
    _, words = header_row(book[template.sheet])
    assert words == [kind.column(f.field).words[0] for f in template.fields]
    assert len(set(words)) == len(words)
    present = {f.field for f in template.fields}
    assert all(any(field in present for field in need) for need in kind.required)
    located = locate_file(path)
    assert (located.kind.name, located.sheet) == (kind.name, template.sheet)
    assert book.sheetnames == [template.sheet, "Instruktioner", "Listor"]
    assert book["Listor"].sheet_state == "hidden"


def test_the_registers_are_offered_as_drop_downs(example):
    book = workbook(example, "tjanster")
    checks = validations(book["Tjänster"])
    registers = example.registers
    assert listed(book, checks["C"][1]) == ["KS", "AoS", "GrN", "FsN", "KuN", "FrN", "SON"]
    assert listed(book, checks["A"][1]) == sorted(registers.history)
    assert listed(book, checks["D"][1]) == list(registers.area_names())
    decisions = listed(book, checks["J"][1])
    assert sorted(decisions) == sorted(registers.decisions)
    assert decisions[0] == "KSAU-2024-12-02-p604"  # the most recent first
    assert checks["F"][:2] == ("decimal", "0")
    assert checks["H"][:2] == ("date", "DATE(2000,1,1)")
    assert all(show for _, _, show in checks.values())
    budget = workbook(example, "kommunbidrag")
    includes = validations(budget["Kommunbidrag"])["G"]
    assert listed(budget, includes[1]) == ["KS-2017-05-03", "KF-2024-09-26-p190"]


def test_the_vaxling_template_has_the_years_po_rate_and_the_key_cells(example):
    sheet = workbook(example, "vaxling", 2024)["Beslut"]
    keys = {sheet.cell(row, 1).value: row for row in range(1, 12)}
    assert sheet.cell(keys["PO-sats 2024"], 2).value == "46,00 % (uppskattning)"
    assert {"Beslut", "Ikraftträdande", "Rubrik", "Nämndbeslut"} <= set(keys)
    checks = validations(sheet)
    assert checks["B"][0] in ("list", "date")
    known = workbook(example, "vaxling", 2023)["Beslut"]
    assert "44,53 %" in [c.value for row in known.iter_rows() for c in row]
    missing = workbook(example, "vaxling", 2031)["Beslut"]
    assert "saknas i huvudboken för 2031; ange PO på raderna" in [
        c.value for row in missing.iter_rows() for c in row
    ]


def test_the_instructions_are_on_their_own_sheet(example):
    lines = [c.value for (c,) in workbook(example, "vaxling")["Instruktioner"].iter_rows()]
    assert lines[0] == "Mall: växling av kommunbidrag"
    assert any(line and line.startswith("• Tjänst: ") for line in lines)
    assert any(line and "46,00 %" in line for line in lines)
    assert any(line and "namn på personer" in line for line in lines)


def test_an_unknown_template_is_refused(example):
    with pytest.raises(UserError, match="Det finns ingen mall 'lön'"):
        template_workbook("lön", example)


def fill(content: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    for coordinate, value in cells.items():
        book[sheet][coordinate] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(page: Page, name: str, year: str = "") -> bytes:
    response = page.get(f"?kind={name}" + (f"&year={year}" if year else ""), "template")
    assert response.status_code == 200
    expected = f"mall_{name}_{year}.xlsx" if year else f"mall_{name}"
    assert expected in response.headers["Content-Disposition"]
    return response.data


FILLED = {
    "vaxling": (
        "Beslut",
        {
            "B4": "KF-2024-11-21-p325",
            "B5": datetime.date(2025, 3, 1),
            "B6": "Enkätlicensen till AoS",
            "B13": "KS",
            "C13": "AoS",
            "F13": 60000,
            "G13": "Licens för CTC-enkäten",
        },
    ),
    "tjanster": (
        "Tjänster",
        {
            "A5": "PROG-9",
            "B5": "Programsamordnare",
            "C5": "FrN",
            "D5": "Kirseberg",
            "E5": "650031",
            "F5": 0.5,
            "G5": 41000,
            "H5": datetime.date(2025, 3, 1),
            "J5": "KF-2024-11-21-p325",
        },
    ),
    "kommunbidrag": (
        "Kommunbidrag",
        {"A5": 2026, "B5": "KS", "D5": 1000000, "E5": "KF-2024-11-21-p325"},
    ),
}


def filled(page: Page) -> list[tuple[bytes, str]]:
    """The three templates as the page gives them, filled in (`FILLED`)."""
    files = []
    for name, (sheet, cells) in FILLED.items():
        content = download(page, name, "2025" if name == "vaxling" else "")
        files.append((fill(content, sheet, cells), f"{name}_ifylld.xlsx"))
    return files


def test_filled_templates_preview_clean(example_copy):
    page = Page(example_copy)
    preview = text(page.preview(*filled(page)))
    assert preview.count('data-ready="true"') == 1, preview
    assert values(preview, "ctc-control-total") == [D(60000), D(0), D(1000000)]
    assert values(preview, "ctc-rejected-count") == [D(0), D(0), D(0)]


@pytest.mark.slow  # an import and two loads; fast variant: the preview above
def test_filled_templates_import_without_edits(example_copy):
    page = Page(example_copy)
    files = filled(page)
    preview = text(page.preview(*files))
    digests = re.findall(r'name="previewed" value="([0-9a-f]{64})"', preview)
    response = page.commit(*files, previewed=digests)
    assert response.status_code == 303
    ledger = load_ledger(example_copy)
    assert ledger.errors == []
    assert ledger.registers.history["PROG-9"][0].committee == "FrN"
    assert run_ctc("check", str(example_copy)).returncode == 0


def test_a_mistake_in_a_template_gets_the_importers_row_column_and_reason(example_copy):
    page = Page(example_copy)
    sheet, cells = FILLED["tjanster"]
    content = fill(download(page, "tjanster"), sheet, {**cells, "C5": "Socialnämnden i Lund"})
    html = text(page.preview((content, "tjanster_fel.xlsx")))
    assert 'data-ready="false"' in html
    row = re.search(
        r"<tr><td>Tjänster</td><td class=\"num\">5</td><td>C</td><td>([^<]+)</td></tr>", html
    )
    assert row is not None, html
    assert "Socialnämnden i Lund" in row.group(1)


def test_a_template_written_for_a_ledger_without_positions_has_no_empty_list(tmp_path):
    from conftest import write_small

    ledger = load_ledger(write_small(tmp_path, ""))
    book = openpyxl.load_workbook(io.BytesIO(template_workbook("tjanster", ledger)))
    checks = validations(book["Tjänster"])
    assert "A" not in checks  # no positions yet: a new id is typed, not chosen
    assert listed(book, checks["C"][1]) == ["KS", "AoS", "FrN"]
