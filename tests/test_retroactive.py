"""Retroactive decisions and moves without money, as the reports show them."""

from __future__ import annotations

import csv
import io

import openpyxl

from ctc.fava.dashboard import fte_panel
from ctc.reports.motion import motion_report
from ctc.reports.transfers import transfers_report
from ctc.reports.writers import render

RETROACTIVE = "Retroaktivt beslut: fattat 2024-09-26, gäller från 2024-09-01."


def test_the_2024_vaxling_is_shown_as_retroactive_in_table_markdown_and_xlsx(frame, tmp_path):
    report = transfers_report(frame, year=2024)
    assert RETROACTIVE in render(report, "table").decode("utf-8").replace("\n", " ")
    assert f"*{RETROACTIVE}*" in render(report, "md").decode("utf-8")
    path = tmp_path / "vaxling.xlsx"
    path.write_bytes(render(report, "xlsx"))
    cells = [c.value for row in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in row]
    assert RETROACTIVE in cells


def test_the_csv_keeps_its_six_columns(frame):
    text = render(transfers_report(frame, year=2024), "csv").decode("utf-8")
    header = next(csv.reader(io.StringIO(text)))
    assert header == [
        "decision",
        "effective_date",
        "committee",
        "cost_type",
        "applicable_months_sek",
        "full_year_sek",
    ]
    assert "Retroaktiv" not in text


def test_the_2018_vaxling_is_not_retroactive(frame):
    notes = transfers_report(frame, year=2018).tables[0].notes
    assert not any("Retroaktivt" in note for note in notes)


def test_the_motion_answer_names_retroactive_decisions_in_its_span(frame):
    later = motion_report(frame, 2018, 2025)
    assert (
        "Retroaktiva beslut (gäller från före beslutsdagen): KF 2024-09-26 § 190 "
        "(Dnr STK-2024-351) gäller från 2024-09-01."
    ) in later.footnotes
    published = motion_report(frame, 2018, 2023)
    assert not any("Retroaktiva" in note for note in published.footnotes)


MOVE_WITHOUT_MONEY = """
2024-01-01 custom "position" "ANA-1"
  municipality: "Malmo"
  committee: "KS"
  role: "Analytiker"
  fte: 0.5
  monthly_salary: 48000 SEK

2024-09-01 custom "position-move" "ANA-1"
  from_committee: "KS"
  to_committee: "AoS"
  decision: "KF-2024-09-26-p190"

2024-09-01 * "Växling" #vaxling ^KF-2024-09-26-p190
  period: "applicable-months"
  Income:Malmo:KS:CTC:Kommunbidrag   1000 SEK
    cost_type: "other"
  Income:Malmo:AoS:CTC:Kommunbidrag -1000 SEK
    cost_type: "other"

2025-01-01 * "Växling, helårseffekt" #vaxling ^KF-2024-09-26-p190
  period: "full-year"
  effective: 2024-09-01
  Income:Malmo:KS:CTC:Kommunbidrag   3000 SEK
    cost_type: "other"
  Income:Malmo:AoS:CTC:Kommunbidrag -3000 SEK
    cost_type: "other"
"""


def test_a_move_without_money_shows_the_decisions_reason(tmp_path):
    from conftest import SMALL_HEADER

    from ctc.ledger import load_frame

    header = SMALL_HEADER.replace(
        '  title: "Verksamhetsförändring inom CTC"\n',
        '  title: "Verksamhetsförändring inom CTC"\n'
        '  transfer_exception: "AoS betalar analytikern inom sin ram"\n',
    )
    path = tmp_path / "small.beancount"
    path.write_text(header + MOVE_WITHOUT_MONEY, encoding="utf-8")
    report = transfers_report(load_frame(path))
    assert (
        "Flyttar av tjänster och växlade pengar skiljer sig åt: AoS betalar analytikern inom "
        "sin ram." in report.tables[0].notes
    )
    assert report.footnotes[-1] == (
        "Flyttar av tjänster utan växling, med beslutets skäl: ANA-1 från KS till AoS "
        "2024-09-01 enligt KF 2024-09-26 § 190: AoS betalar analytikern inom sin ram."
    )


def test_the_dashboard_counts_positions_once(frame):
    panel = fte_panel(frame, [2024])
    assert panel is not None
    assert panel.caption.startswith("Programmet finansierade 12,25 årsarbetare i 13 tjänster 2024")
