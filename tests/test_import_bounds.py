"""Workbooks between 1 and 10 MB whose sheets lie about their size.

A big .xlsx is read column-wise in the importer's own process
(`ctc.importers.reading.fastread`), and its sheet's `<dimension>` is only
what the writer claims. Each file here claims the test export's seven
columns and six rows (A1:G6, or nothing) while a cell, a row or a row's
worth of columns lies far outside, and is padded past the size from which
the column-wise read is used. Each must be refused by a real `ctc import`
process with one Swedish line naming the file: no traceback, no signal, and
a peak memory (of the process and everything it ran) under 500 MB.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROCESS_TIMEOUT
from oddfiles import ods, rezip, xlsb
from test_import_errors import example_copy as shared_example_copy  # noqa: F401
from test_import_hostile import _serial, xlsxwriter_export
from workbooks import HEADER, ROWS, export

from ctc.errors import UserError
from ctc.importers.kinds.recognise import locate_file
from ctc.importers.reading import bounds, fastread
from ctc.importers.reading import package as package_module
from ctc.importers.reading.columns import column_index, column_letter
from ctc.importers.reading.fastread import FAST_READ_BYTES, sheet_heads

LIMIT_KIB = 500 * 1024
PADDING = FAST_READ_BYTES + (200 << 10)
"""Incompressible bytes added as a picture, so the file takes the column-wise path."""
SHEET = "xl/worksheets/sheet1.xml"
DIMENSION = re.compile(rb"<dimension ref=\"[^\"]*\"/>")
SANE = b'<dimension ref="A1:G6"/>'
"""What the test export's own dimension is: seven columns, six rows."""


def hostile(
    source: Path, target: Path, sheet: Callable[[bytes], bytes], dimension: bytes = SANE
) -> Path:
    """`source` with its sheet XML bent by `sheet`, its dimension replaced, and padding."""

    def bend(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != SHEET:
            return [(name, data)]
        return [(name, DIMENSION.sub(dimension, sheet(data), count=1))]

    rezip(source, target, bend)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_STORED) as package:
        package.writestr("xl/media/image1.png", random.Random(16).randbytes(PADDING))
    assert FAST_READ_BYTES < target.stat().st_size < 10 << 20
    return target


def before_sheet_end(xml: str) -> Callable[[bytes], bytes]:
    """A sheet transform that adds `xml` as the last rows of the sheet data."""
    return lambda data: data.replace(b"</sheetData>", xml.encode() + b"</sheetData>", 1)


def unchanged(data: bytes) -> bytes:
    return data


MEASURE = """
import json, os, subprocess, sys, threading
process = subprocess.Popen(sys.argv[2:], stderr=subprocess.PIPE)
timer = threading.Timer(float(sys.argv[1]), process.kill)
timer.start()
stderr = process.stderr.read()
_, status, usage = os.wait4(process.pid, 0)
timer.cancel()
code = os.waitstatus_to_exitcode(status)
print(json.dumps([code, usage.ru_maxrss, stderr.decode("utf-8", "replace")]))
"""
"""Runs a command, and prints its exit status, `os.wait4`'s peak memory and its stderr.

A small process of its own: Linux carries the peak memory of the process that
forks into the child's figure, and the test process itself is large."""


def run_measured(*args: str) -> tuple[int, int, str]:
    """(exit status, peak memory in KiB, stderr) of `ctc ARGS` as a real process.

    The peak is `os.wait4`'s: the process's own, or that of the largest of the
    processes it waited for (the probe under limits), whichever is larger. A
    process that hangs is killed after `PROCESS_TIMEOUT` seconds, so the suite
    does not hang (nothing here measures time).
    """
    command = [sys.executable, "-m", "ctc.cli", *args]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(PROCESS_TIMEOUT), *command],
        capture_output=True,
        text=True,
        check=True,
        timeout=2 * PROCESS_TIMEOUT,
    )
    code, peak_kib, stderr = json.loads(done.stdout)
    return code, peak_kib, stderr


def assert_one_line_refusal(main: Path, path: Path, *fragments: str) -> str:
    code, peak_kib, stderr = run_measured("import", "--dry-run", "--ledger", str(main), str(path))
    assert code >= 0, f"stopped by signal {-code}: {stderr[-2000:]}"
    assert code == 1, stderr[-2000:]
    assert "Traceback" not in stderr and "panicked" not in stderr, stderr[-2000:]
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[-2000:]
    assert path.name in lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert peak_kib < LIMIT_KIB, f"{peak_kib // 1024} MB: {lines[0]}"
    return lines[0]


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    return xlsxwriter_export(tmp_path / "mall.xlsx")


@pytest.fixture
def example_copy(shared_example_copy: Path) -> Path:  # noqa: F811
    return shared_example_copy


@pytest.mark.parametrize(
    ("cell", "name"),
    [((1048575, 16383), "XFD1048576"), ((2999, 16383), "XFD3000"), ((1048575, 6), "G1048576")],
)
def test_a_far_cell_behind_a_sane_dimension_is_refused(example_copy, tmp_path, cell, name):
    row, column = cell
    source = xlsxwriter_export(tmp_path / "mall.xlsx", lambda b, s: s.write(row, column, "x"))
    path = hostile(source, tmp_path / f"ljuger_{name}.xlsx", unchanged)
    assert_one_line_refusal(example_copy, path, name)


def test_a_far_cell_without_a_dimension_is_refused(example_copy, tmp_path):
    source = xlsxwriter_export(tmp_path / "mall.xlsx", lambda b, s: s.write(1048575, 16383, "x"))
    path = hostile(source, tmp_path / "utan_dimension.xlsx", unchanged, dimension=b"")
    assert_one_line_refusal(example_copy, path, "XFD1048576")


def test_a_last_row_numbered_1048576_is_refused(example_copy, plain, tmp_path):
    far = '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>'
    path = hostile(plain, tmp_path / "sista_raden.xlsx", before_sheet_end(far))
    assert_one_line_refusal(example_copy, path, "A1048576")


def test_sixteen_thousand_header_columns_behind_a_sane_dimension_are_refused(
    example_copy, tmp_path
):
    source = xlsxwriter_export(tmp_path / "mall.xlsx", wide=16384 - len(HEADER))
    path = hostile(source, tmp_path / "bred.xlsx", unchanged)
    assert_one_line_refusal(example_copy, path, "XFD")


def test_thousands_of_columns_without_references_are_refused(example_copy, plain, tmp_path):
    cells = "<c><v>1</v></c>" * 16384
    path = hostile(
        plain, tmp_path / "utan_referenser.xlsx", before_sheet_end(f"<row>{cells}</row>")
    )
    assert_one_line_refusal(example_copy, path, "XFD")


# --- The scan itself ---------------------------------------------------------------------


@pytest.mark.parametrize("last", ["A", "J", "Z", "AA", "AZ", "BX", "ZZ", "FEP", "XFC"])
def test_the_pattern_for_later_columns_matches_exactly_the_later_ones(last):
    pattern = re.compile("(?:" + bounds._later(last, "A", "Z") + ")")
    for index in range(0, 16384, 7):
        letters = column_letter(index)
        assert bool(pattern.fullmatch(letters)) == (index > column_index(last)), letters


@pytest.mark.parametrize("number", [1, 9, 10, 99, 100, 8329, 100001, 999999, 1048575])
def test_the_pattern_for_higher_rows_matches_exactly_the_higher_ones(number):
    pattern = re.compile("(?:" + bounds._later(str(number), "0", "9") + ")")
    for value in {*range(max(number - 50, 1), number + 50), 10 * number, 1048576, 1, 2}:
        assert bool(pattern.fullmatch(str(value))) == (value > number), value


def sheet_xml(rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def extent_of(tmp_path: Path, xml: bytes) -> bounds.Extent | None:
    path = tmp_path / "blad.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(SHEET, xml)
    with zipfile.ZipFile(path) as package:
        return bounds.sheet_extent(path, package, package.getinfo(SHEET))


ROW = '<row r="{n}"><c r="A{n}"><v>1</v></c><c r="B{n}" t="inlineStr"><is><t>x</t></is></c></row>'


SAME = "same"
"""The big scan finds what the thorough one finds."""
GAP = "gap"
"""The big scan does not see this yet (a second `r`: `bounds._unexpected`); not checked."""


@pytest.mark.parametrize(
    ("extra", "expected", "big"),
    [
        ("", (400, 2), SAME),
        ('<row r="7"><c r="XFD7"><v>1</v></c></row>', (400, 16384), SAME),
        ('<row r="7"><c r="C1048576"><v>1</v></c></row>', (1048576, 3), SAME),
        ('<row r="7"><c r="XFD7"/><c r="C1048576" s="1"></c></row>', (400, 2), SAME),
        ('<row r="7"><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>', (400, 3), None),
        ('<row r="900000"><c t="s"><v>0</v></c></row>', (900000, 2), None),
        ('<row r="7"><x:c r="E7"><x:v>1</x:v></x:c></row>', (400, 5), None),
        ("<row r='7'><c r='F7'><v>1</v></c></row>", (400, 6), None),
        ('<row r="7"><c r="xfd7"><v>1</v></c></row>', (400, 16384), None),
        ('<row r="7"><c r="Ab7"><v>1</v></c></row>', (400, 28), None),
        ('<row r="7"><c\tr="H7"><v>1</v></c></row>', (400, 8), None),
        (
            '<row r="7"><c r="C7"><v>1</v></c><c r="A99999999"><v>1</v></c></row>',
            (99999999, 3),
            SAME,
        ),
        ('<row r="7"><c r="B007"><v>1</v></c></row>', (400, 2), SAME),
        ('<row r="7"><c r="B7" t="inlineStr"><is><t>Kl:c 12</t></is></c></row>', (400, 2), SAME),
        ('<row r="7"><:c r="E7"><v>1</v></:c></row>', (400, 5), None),
        ('<row r="7"><c r="E7" r="XFD7"><v>1</v></c></row>', (400, 16384), GAP),
        ('<row r="7"><c r="E7" s="0"\tr = "H7"><v>1</v></c></row>', (400, 8), GAP),
        (
            '<row r="7"><c r="B7" s="0" t="inlineStr"><is><t>r="Z9"</t></is></c></row>',
            (400, 2),
            SAME,
        ),
        ('<row r="7"><\u00f6\f:c r="E7"><v>1</v></\u00f6\f:c></row>', (400, 5), None),
    ],
)
def test_the_scan_finds_how_far_the_cells_reach(tmp_path, monkeypatch, extra, expected, big):
    # The big scan leaves any shape but `<c r="A1"` to the probe (None): a big sheet is
    # not read tag by tag.
    monkeypatch.setattr(bounds, "CHUNK", 4096)  # many chunks, tags cut at their ends
    rows = [ROW.format(n=n) for n in range(1, 401)]
    xml = sheet_xml("".join(rows[:200]) + extra + "".join(rows[200:]))
    extent = extent_of(tmp_path, xml)
    assert extent is not None
    assert (extent.rows, extent.columns) == expected
    with zipfile.ZipFile(tmp_path / "blad.zip") as package:
        found = bounds.big_sheet_extent(tmp_path / "blad.zip", package.getinfo(SHEET))
    if big != GAP:
        assert (found.rows, found.columns) == expected if big == SAME else found is None


@pytest.mark.parametrize(
    ("scan", "message"),
    [("sheet_extent", r"trasig.*sheet1\.xml"), ("big_sheet_extent", r"sheet1\.xml.*mer än")],
)
def test_a_part_that_inflates_past_its_declared_size_is_refused(tmp_path, scan, message):
    path = tmp_path / "ljuger.xlsx"
    xml = sheet_xml("".join(ROW.format(n=n) for n in range(1, 2000)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(SHEET, xml)
    data = bytearray(path.read_bytes())
    declared = len(xml).to_bytes(4, "little")
    for at in [i for i in range(len(data)) if data[i : i + 4] == declared]:
        data[at : at + 4] = (len(xml) // 2).to_bytes(4, "little")  # local and central header
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as package, pytest.raises(UserError, match=message):
        if scan == "sheet_extent":
            bounds.sheet_extent(path, package, package.getinfo(SHEET))
        else:
            bounds.big_sheet_extent(path, package.getinfo(SHEET))


def test_error_cells_are_found_piece_by_piece_as_in_the_whole(tmp_path, monkeypatch):
    # Error cells are searched in pieces, so that a sheet inflating to a gigabyte is never
    # held whole; pieces of a few hundred bytes cut the sheet everywhere a cell may be cut.
    cell = '<c r="C{n}" t="e"><v>#REF!</v></c><c r="D{n}" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    plain = '<c r="A{n}"><v>1</v></c><c r="B{n}" t="inlineStr"><is><t>x</t></is></c>'
    rows = "".join(f'<row r="{n}">{plain}{cell}</row>'.format(n=n) for n in range(1, 300))
    xml = sheet_xml(rows)
    path = tmp_path / "fel.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(SHEET, xml)
    whole = package_module.error_cells(xml)
    assert len(whole) == 2 * 299
    monkeypatch.setattr(package_module, "ERROR_CHUNK", 333)
    with zipfile.ZipFile(path) as package:
        assert package_module.sheet_error_cells(package, SHEET) == whole


def test_a_genuine_export_is_scanned_without_reading_it_tag_by_tag(tmp_path, monkeypatch):
    def slow(*args: object) -> None:
        raise AssertionError("read tag by tag")

    monkeypatch.setattr(bounds, "_scan_tags", slow)
    monkeypatch.setattr(bounds, "CHUNK", 4096)
    rows = [[f"V{n}", n, "x" * (n % 17), n * 1.5] for n in range(3000)]
    path = export(tmp_path / "utfall.xlsx", rows=rows, header=["Ver.nr", "Konto", "Text", "Belopp"])
    assert bounds.bounded(path, sheet_heads(path))


@pytest.mark.parametrize("kind", ["xlsb", "ods"])
@pytest.mark.parametrize("scanned", [10 << 20, 0])
def test_a_big_binary_workbook_is_read_the_careful_way(tmp_path, monkeypatch, kind, scanned):
    # Its sheets cannot be scanned for how far they reach, nor placed by their XML: it is
    # never read column-wise, unprobed, in the importer's own process, below 10 MB or above
    # (`scanned`: the size from which a workbook counts as big), binary or OpenDocument.
    import fastexcel

    def unprobed(*args: object) -> None:
        raise AssertionError("read column-wise")

    monkeypatch.setattr(fastread, "FAST_READ_BYTES", 0)
    monkeypatch.setattr(fastread, "SCANNED_BYTES", scanned)
    monkeypatch.setattr(bounds, "SCANNED_BYTES", scanned)
    monkeypatch.setattr(fastexcel, "read_excel", unprobed)
    rows = [[_serial(value) for value in row] for row in ROWS]
    if kind == "xlsb":
        path = xlsb(tmp_path / "utfall.xlsb", [list(HEADER), *rows])
    else:
        path = ods(tmp_path / "utfall.ods", [list(HEADER), *ROWS])
    assert fastread.read_text_sheets(path) is None
    located = locate_file(path)
    assert located.frame is None and located.sheet == "Utfall"


def test_a_sheet_that_would_take_the_scan_too_long_is_left_to_the_probe(tmp_path, monkeypatch):
    # Rows counting up within each piece, each piece ending on a low row: every cell is past
    # the extent of its piece. Irregular cells in a sheet too big to read tag by tag likewise.
    monkeypatch.setattr(bounds, "CHUNK", 4096)
    monkeypatch.setattr(bounds, "MAX_MATCHES", 500)
    rows = "".join(
        ROW.format(n=n) + '<row r="1"><c r="A1"><v>1</v></c></row>' for n in range(2, 2000)
    )
    assert extent_of(tmp_path, sheet_xml(rows)) is None
    monkeypatch.setattr(bounds, "MAX_TAG_SCAN", 1000)
    irregular = "".join(f"<row><c><v>{n}</v></c></row>" for n in range(2000))
    assert extent_of(tmp_path, sheet_xml(irregular)) is None


# --- Workbooks of 10 MB and more ---------------------------------------------------------
#
# A genuine export's size: its sheets are not read tag by tag but searched once for cells
# past the table's extent (`bounds._scan_big`). Each is a genuine-looking export of
# 200 000 rows written directly as XML, with one cell added in the middle of the sheet.

BIG_ROWS = 200_000
BIG_ROW = (
    '<row r="{n}"><c r="A{n}"><v>{date}</v></c><c r="B{n}" t="inlineStr"><is><t>V{n}</t></is>'
    '</c><c r="C{n}"><v>{account}</v></c><c r="D{n}" t="inlineStr"><is><t>{unit}</t></is></c>'
    '<c r="E{n}" t="inlineStr"><is><t>{project}</t></is></c><c r="F{n}" t="inlineStr"><is><t>'
    'Faktura {text:x}</t></is></c><c r="G{n}"><v>{amount}</v></c></row>'
)


def big_sheet_rows(rows: int = BIG_ROWS) -> list[bytes]:
    """The XML of each data row (2 to rows + 1) of a genuine-looking export."""
    return [
        BIG_ROW.format(
            n=n,
            date=44927 + n % 700,
            account=4010 + n % 53,
            unit=110100 + n % 97,
            project="CTC" if n % 20 == 0 else "",
            text=(n * 2654435761) % 4294967296,
            amount=f"{(n * 7919) % 1000003 / 100:.2f}",
        ).encode()
        for n in range(2, rows + 2)
    ]


@pytest.fixture(scope="module")
def big_rows() -> list[bytes]:
    return big_sheet_rows()


def big_export(
    target: Path, rows: list[bytes], extra: str = "", dimension: str | None = "A1:G200001"
) -> Path:
    """An export of `rows` over 10 MB, with `extra` cells added to the row in the middle."""
    template = export(target.with_name(f"mall_{target.name}"))
    header = "".join(
        f'<c r="{column_letter(i)}1" t="inlineStr"><is><t>{word}</t></is></c>'
        for i, word in enumerate(HEADER)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    middle = len(rows) // 2
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                package.writestr(info.filename, source.read(info))
        with package.open(SHEET, "w") as sheet:
            sheet.write(sheet_xml("@").split(b"@")[0].replace(b"<sheetData>", b""))
            sheet.write(f'{declared}<sheetData><row r="1">{header}</row>'.encode())
            sheet.write(b"".join(rows[:middle]))
            sheet.write(rows[middle].replace(b"</row>", extra.encode() + b"</row>"))
            sheet.write(b"".join(rows[middle + 1 :]))
            sheet.write(b"</sheetData></worksheet>")
    assert target.stat().st_size >= bounds.SCANNED_BYTES
    return target


MIDDLE_ROW = BIG_ROWS // 2 + 2
"""The sheet row `big_export` adds its cells to."""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cell", "dimension"),
    [
        ("XFD1048576", "A1:G200001"),
        ("XFD1048576", None),
        (f"XFD{MIDDLE_ROW}", "A1:G200001"),
        ("ZZ1048576", "A1:G200001"),
    ],
)
def test_a_far_cell_in_the_middle_of_a_big_export_is_refused(
    example_copy, big_rows, tmp_path, cell, dimension
):
    extra = f'<c r="{cell}" t="inlineStr"><is><t>x</t></is></c>'
    path = big_export(tmp_path / f"stor_{cell}.xlsx", big_rows, extra, dimension)
    assert_one_line_refusal(example_copy, path, cell)


def test_a_genuine_big_export_is_bounded_without_a_probe(big_rows, tmp_path):
    # A value in a column past the header's, far down (a note), is part of the table.
    extra = '<c r="H1048000"><v>1</v></c><c r="XFD9" s="1"/>'
    path = big_export(tmp_path / "stor.xlsx", big_rows, extra)
    assert bounds.bounded(path, sheet_heads(path))
    with zipfile.ZipFile(path) as package:
        extent = bounds.big_sheet_extent(path, package.getinfo(SHEET))
    assert extent is not None
    assert (extent.rows, extent.columns) == (1048000, 8)


@pytest.mark.parametrize("last", ["A", "J", "Z", "AA", "AB", "AZ", "BX", "ZZ", "FEP", "XFD"])
def test_the_pattern_for_columns_up_to_a_last_one_matches_exactly_those(last):
    pattern = re.compile("(?:" + bounds._up_to(last, "A", "Z", "A") + ')"')
    for index in range(0, 16384, 7):
        letters = column_letter(index)
        assert bool(pattern.fullmatch(letters + '"')) == (index <= column_index(last)), letters


@pytest.mark.parametrize("number", [1, 9, 10, 99, 100, 8329, 100001, 200001, 1048575, 1048576])
def test_the_pattern_for_rows_up_to_a_last_one_matches_exactly_those(number):
    pattern = re.compile("(?:" + bounds._up_to(str(number), "0", "9", "1") + ')"')
    for value in {*range(max(number - 50, 1), number + 50), 10 * number, 1048576, 1, 2}:
        assert bool(pattern.fullmatch(f'{value}"')) == (value <= number), value
    assert not pattern.fullmatch('0"') and not pattern.fullmatch('07"')


@pytest.mark.slow
def test_thousands_of_columns_without_references_in_a_big_export_are_refused(
    example_copy, big_rows, tmp_path
):
    # Not of the shape the big scan takes: the probe under limits reads it, and fails.
    path = big_export(tmp_path / "stor_utan_referenser.xlsx", big_rows, "<c><v>1</v></c>" * 16384)
    assert_one_line_refusal(example_copy, path)


def test_a_far_cell_with_an_empty_namespace_prefix_is_refused(example_copy, plain, tmp_path):
    # calamine's XML reader takes `<:c` for a cell, as it takes `<x:c`.
    far = '<row r="9"><:c r="XFD1048576"><v>1</v></:c></row>'
    path = hostile(plain, tmp_path / "prefix.xlsx", before_sheet_end(far))
    assert_one_line_refusal(example_copy, path, "XFD1048576")


def test_a_far_cell_behind_a_second_reference_is_refused(example_copy, plain, tmp_path):
    # calamine takes a cell's last `r`.
    far = '<row r="9"><c r="A9" r="XFD1048576"><v>1</v></c></row>'
    path = hostile(plain, tmp_path / "två_r.xlsx", before_sheet_end(far))
    assert_one_line_refusal(example_copy, path, "XFD1048576")
