"""Positions counted once a year, FTE as funded months, vacancies as vacant FTE."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from conftest import EXAMPLE, errors_of, line_of, run_ctc, small_frame, write_small

from ctc.ledger import load_ledger
from ctc.reports.positions import positions_report

D = Decimal


def funded_in(year: int) -> set[str]:
    """Positions some committee funds on some day of `year`, straight from the history."""
    history = load_ledger(EXAMPLE).registers.history
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return {
        ident
        for ident, spells in history.items()
        if any(s.start <= last and (s.end is None or s.end >= first) for s in spells)
    }


def sum_row(output: str, year: int) -> list[str]:
    (line,) = [row for row in output.splitlines() if row.startswith(f"Summa {year}")]
    return line.split()


def test_the_2024_total_counts_each_position_once():
    result = run_ctc("report", "positions", "--year", "2024")
    assert result.returncode == 0, result.stderr
    cells = sum_row(result.stdout, 2024)
    # Summa 2024, FTE, positions, salary, PO, cost: 11 positions moved on 2024-09-01
    # and are funded by two committees that year, but they are 13 positions.
    assert len(funded_in(2024)) == 13
    assert cells[2:4] == ["12,25", "13"]


def test_every_year_counts_its_distinct_positions(frame):
    report = positions_report(frame)
    table = report.tables[0]
    sums = {
        int(str(row.cells[0]).split()[-1]): row.cells[3]
        for row in table.rows
        if row.total and str(row.cells[0]).startswith("Summa")
    }
    assert sums == {year: len(funded_in(year)) for year in sums}


def test_a_moved_position_makes_one_fte_over_its_two_committees(frame):
    rows = [r for r in positions_report(frame, 2024).records.rows if r.cells[2] == "CUL-1"]
    assert [(r.cells[1], r.cells[5]) for r in rows] == [
        ("KS", D(8) / D(12)),
        ("AoS", D(4) / D(12)),
    ]
    assert sum(r.cells[5] for r in rows) == 1


def test_the_csv_keeps_its_columns():
    result = run_ctc("report", "positions", "--year", "2024", "--format", "csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header == [
        "year",
        "committee",
        "position",
        "role",
        "area",
        "fte",
        "salary_sek",
        "po_sek",
        "cost_sek",
    ]


POSITION = """
2024-01-01 custom "position" "UL-KIR"
  municipality: "Malmo"
  committee: "FrN"
  role: "Lokal utvecklingsledare"
  area: "Kirseberg"
  fte: 1.0
  monthly_salary: 40000 SEK
"""

VACANT = """
2024-03-01 custom "position-vacant" "UL-KIR"
  until: 2024-05-31
  note: "Vakant i väntan på rekrytering"
"""

SALARY = """
2024-01-25 * "Månadslön"
  Expenses:Malmo:FrN:CTC:Lon   40000.00 SEK
  Liabilities:Malmo:Avrakning
"""


def test_a_vacancy_is_vacant_fte_not_a_person(tmp_path):
    frame = small_frame(tmp_path, POSITION + VACANT + SALARY)
    report = positions_report(frame, 2024)
    committee = report.tables[0]
    assert [c.key for c in committee.columns][2:4] == ["fte", "vacant_fte"]
    (row,) = committee.rows
    assert row.cells[:5] == (2024, "FrN", D(9) / D(12), D(3) / D(12), 1)
    (record,) = report.records.rows
    assert record.cells[5] == D(9) / D(12)


def test_without_vacancies_there_is_no_vacant_column(tmp_path):
    report = positions_report(small_frame(tmp_path, POSITION + SALARY), 2024)
    assert "vacant_fte" not in [c.key for c in report.tables[0].columns]


def test_a_vacancy_of_a_position_not_funded_then_is_reported(tmp_path):
    early = VACANT.replace("2024-03-01", "2023-12-01")
    path = write_small(tmp_path, POSITION + early + SALARY)
    line = line_of(path, 'custom "position-vacant"')
    assert (
        line,
        "Tjänsten UL-KIR är inte finansierad den 2023-12-01 och kan inte vara vakant då. "
        "[regel position-vacant]",
    ) in errors_of(path)


def test_a_vacancy_without_its_last_day_is_reported(tmp_path):
    path = write_small(tmp_path, POSITION + VACANT.replace("  until: 2024-05-31\n", "") + SALARY)
    line = line_of(path, 'custom "position-vacant"')
    assert [n for n, m in errors_of(path) if "position-vacant" in m] == [line]
