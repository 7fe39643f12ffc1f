"""Every report's figures on the bundled example, exactly, and cross-checked against BQL.

The frame is the one query layer; these tests pin its figures and check the
parts it adds (area, position, kommunbidrag) against plain BQL queries on the
same ledger, so a report cannot drift from what Fava shows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beanquery import query as bql
from conftest import EXAMPLE, files_footnote, source_files

from ctc.errors import UserError
from ctc.ledger import load_frame, load_ledger
from ctc.reports.budget import budget_report, budget_rows
from ctc.reports.motion import motion_answer, motion_report
from ctc.reports.positions import committee_years, position_years, positions_report, stints
from ctc.reports.result import Row
from ctc.reports.transfers import transfer_summaries, transfers_report
from ctc.reports.yearly import yearly_report, yearly_rows

D = Decimal


@pytest.fixture(scope="module")
def ledger():
    return load_ledger(EXAMPLE)


def bql_rows(ledger, query: str) -> list[tuple]:
    _, rows = bql.run_query(ledger.entries, ledger.options_map, query)
    return rows


# --- The frame ----------------------------------------------------------------------


def test_areas_are_the_books_and_agree_with_the_mapping_and_bql_by_responsibility(frame, ledger):
    rows = yearly_rows(frame.costs, ("area",), 2023, 2023, frame.committee_order, frame.areas)
    ours = {r.area: r.amount for r in rows}
    assert ours == {
        "Bellevuegården": D("875569.93"),
        "Bunkeflostrand": D("870280.12"),
        "Hermodsdal": D("879096.45"),
        "Kirseberg": D("882622.99"),
        "Möllevången": D("902753.60"),  # its internal purchase of 36 000 included
        "gemensamt": D("6425606.83"),  # KS's income of 252 000 deducted
    }
    by_unit = bql_rows(
        ledger,
        "SELECT entry_meta('responsibility') AS unit, sum(number) AS total "
        "WHERE account ~ '^(Expenses:Malmo:[^:]+:CTC:|Income:Malmo:[^:]+:CTC:Intakter)' "
        "AND year = 2023 GROUP BY unit",
    )
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for unit, total in by_unit:
        expected[ledger.mapping.area_of(unit) or "gemensamt"] += total
    assert ours == expected


def test_every_payroll_cost_of_the_example_has_a_position_and_no_other_cost_has_one(frame):
    payroll = [line for line in frame.costs if line.cost_type in ("salary", "po")]
    assert payroll and all(line.position for line in payroll)
    assert not any(line.position for line in frame.costs if line.cost_type == "other")


def test_payroll_follows_the_position_across_its_move(frame, ledger):
    rows = [r for r in position_years(frame, 2024) if r.position == "UL-HER"]
    assert [(r.committee, r.fte, r.salary, r.po) for r in rows] == [
        ("AoS", D(244) / D(366), D("370980.00"), D("170650.80")),
        ("FrN", D(122) / D(366), D("183600.00"), D("84456.00")),
    ]
    # The same money by plain BQL: payroll booked on the old unit and on the new one.
    (total,) = bql_rows(
        ledger,
        "SELECT sum(number) WHERE account ~ ':CTC:(Lon|PO)$' AND year = 2024 "
        "AND entry_meta('responsibility') IN ('310455', '650032')",
    )[0]
    assert sum(r.cost for r in rows) == total == D("809686.80")


def test_decision_behind_a_payroll_cost_is_the_one_that_funds_the_position(frame):
    before = [line for line in frame.costs if line.position == "CUL-1" and line.year == 2023]
    after = [
        line
        for line in frame.costs
        if line.position == "CUL-1" and line.date >= datetime.date(2024, 9, 1)
    ]
    assert {line.position_decision for line in before} == {"KS-2017-05-03"}
    assert {line.position_decision for line in after} == {"KF-2024-09-26-p190"}


def test_each_cost_line_knows_its_source_row_or_its_place_in_the_ledger(frame):
    # Holds before the importer adds source rows to the example and after.
    for line in frame.costs[::97]:
        if line.source is not None:
            assert line.source.file == line.entry.meta["source_file"]
            assert line.source.row == int(line.entry.meta["source_row"])
        name, number = line.location.rsplit(":", 1)
        path = Path(line.entry.meta["filename"])
        assert path.name == name
        text = path.read_text(encoding="utf-8").splitlines()[int(number) - 1]
        assert text.startswith(f'{line.date} * "{line.narration}"')


def test_frame_knows_every_file_of_the_ledger_with_its_sha256(frame):
    names = [digest.path.rsplit("/", 1)[-1] for digest in frame.files]
    assert names[0] == "main.beancount"
    assert {"transfers.beancount", "2023.beancount", "positions.beancount"} <= set(names)
    assert all(len(digest.sha256) == 64 for digest in frame.files)


# --- yearly ---------------------------------------------------------------------------


def test_yearly_by_position_2023_puts_other_costs_on_no_position(frame):
    rows = yearly_rows(
        frame.costs, ("position",), 2023, 2023, frame.committee_order, (), frame.position_order
    )
    amounts = {r.position: r.amount for r in rows}
    assert amounts["CUL-1"] == D("876025.23")
    assert amounts["UL-HER"] == D("771096.45")
    # Other costs 1 536 000 (an internal purchase of 36 000 among them) less income 252 000.
    assert amounts[""] == D("1284000.00")
    assert sum(amounts.values()) == D("10835929.92")
    assert [r.position for r in rows][:3] == ["CUL-1", "CUL-2", "ANA-1"]


def test_yearly_by_committee_and_area_2024_splits_frn_by_area(frame):
    rows = yearly_rows(
        frame.costs, ("committee", "area"), 2024, 2024, frame.committee_order, frame.areas
    )
    assert [(r.committee, r.area, r.amount) for r in rows if r.committee == "FrN"] == [
        ("FrN", "Bellevuegården", D("302888.00")),
        ("FrN", "Bunkeflostrand", D("300552.00")),
        ("FrN", "Hermodsdal", D("304056.00")),
        ("FrN", "Kirseberg", D("921249.20")),
        ("FrN", "Möllevången", D("299384.00")),
    ]


def test_yearly_report_records_keep_issue_2s_header_and_add_area_and_position(frame):
    plain = yearly_report(frame, ("committee", "type"), 2023, 2023)
    assert [c.key for c in plain.records.columns] == [
        "year",
        "committee",
        "cost_type",
        "amount_sek",
    ]
    both = yearly_report(frame, ("area", "position"), 2023, 2023)
    assert [c.key for c in both.records.columns] == [
        "year",
        "committee",
        "cost_type",
        "area",
        "position",
        "amount_sek",
    ]
    assert both.records.rows[0].cells == (
        2023,
        "*",
        "*",
        "Bellevuegården",
        "UL-BEL",
        D("767569.93"),
    )
    assert not any(row.total for row in both.records.rows)


def test_yearly_table_has_a_total_per_year_and_overall(frame):
    table = yearly_report(frame, ("committee", "area"), 2022, 2023).tables[0]
    totals = [row.cells for row in table.rows if row.total]
    assert [cells[0] for cells in totals] == ["Summa 2022", "Summa 2023", "Totalt"]
    assert totals[-1][-1] == D("10099879.14") + D("10835929.92")
    assert [c.title for c in table.columns] == ["År", "Nämnd", "Område", "Belopp"]
    assert table.rows[:3] == (
        Row((2022, "KS", "gemensamt", D("5982602.34"))),
        Row((2022, "AoS", "Hermodsdal", D("827532.60"))),
        Row((2022, "GrN", "Bunkeflostrand", D("819038.35"))),
    )


# --- transfers ---------------------------------------------------------------------


def test_reorganisation_2024_per_committee_as_each_was_asked_to_decide(frame, ledger):
    (summary,) = transfer_summaries(frame, "KF-2024-09-26-p190")
    assert summary.effective == datetime.date(2024, 9, 1)
    assert summary.months == 4
    figures = {
        c: (summary.total("applicable", c), summary.total("full_year", c))
        for c in summary.committees
    }
    assert figures == {
        "KS": (D(-2070812), D(-6212436)),
        "AoS": (D(1766756), D(5300268)),
        "GrN": (D(-300552), D(-901656)),
        "FsN": (D(-302888), D(-908664)),
        "KuN": (D(-299384), D(-898152)),
        "FrN": (D(1206880), D(3620640)),
    }
    assert summary.givers == ["KS", "GrN", "FsN", "KuN"]
    assert summary.receivers == ["AoS", "FrN"]
    # Plain BQL on the ledger's postings (income is negative, hence the sign).
    for year, index in ((2024, 0), (2025, 1)):
        rows = bql_rows(
            ledger,
            "SELECT root(account, 3) AS c, sum(number) AS total WHERE 'vaxling' IN tags "
            f"AND 'KF-2024-09-26-p190' IN links AND year = {year} GROUP BY c",
        )
        assert {c.split(":")[-1]: -total for c, total in rows} == {
            c: pair[index] for c, pair in figures.items()
        }


def test_reorganisation_lines_split_salary_po_and_other(frame):
    (summary,) = transfer_summaries(frame, "KF-2024-09-26-p190")
    ks = {f.cost_type: (f.applicable, f.full_year) for f in summary.figures if f.committee == "KS"}
    assert ks == {
        "salary": (D(-1312200), D(-3936600)),
        "po": (D(-603612), D(-1810836)),
        "other": (D(-155000), D(-465000)),
    }


def test_transfers_report_has_a_zero_check_row_per_decision(frame):
    report = transfers_report(frame)
    assert [t.key for t in report.tables] == ["Växling 2018-09-01", "Växling 2024-09-01"]
    assert report.tables[1].title.startswith("Växling enligt KF 2024-09-26 § 190")
    for table in report.tables:
        check = table.rows[-1]
        assert check.total and check.cells[0] == "Kontroll"
        assert check.cells[2:] == (D(0), D(0))
    first = report.tables[0]
    assert [row.cells for row in first.rows if row.cells[0] == "KS" and row.total] == [
        ("KS", "Summa", D(-1218294), D(-3654878))
    ]
    assert "Lämnar kommunbidrag: KS. Tar emot: AoS, GrN, FsN, KuN och FrN." in first.notes


def test_transfers_filter_by_effective_year(frame):
    assert [s.decision for s in transfer_summaries(frame, year=2018)] == ["KS-2017-05-03"]
    assert [s.decision for s in transfer_summaries(frame, year=2024)] == ["KF-2024-09-26-p190"]


@pytest.mark.parametrize(
    ("decision", "year", "fragment"),
    [
        ("KF-2099-01-01-p1", None, "finns inte i beslutsregistret"),
        ("KSAU-2024-03-25", None, "bär ingen växling"),
        (None, 2030, "Inga växlingar av kommunbidrag med ikraftträdande 2030"),
    ],
)
def test_transfers_refuse_unknown_decisions_and_empty_selections(frame, decision, year, fragment):
    with pytest.raises(UserError, match=fragment):
        transfer_summaries(frame, decision, year)


# --- positions ------------------------------------------------------------------------


def test_positions_fte_and_cost_per_committee_2024(frame):
    rows = committee_years(position_years(frame, 2024))
    assert [(r.committee, r.fte, r.positions, r.cost) for r in rows] == [
        ("KS", D(5), 8, D("4347770.53")),
        ("AoS", D(1067.5) / D(366), 8, D("2457442.80")),
        ("GrN", D(244) / D(366), 1, D("534885.60")),
        ("FsN", D(244) / D(366), 1, D("539236.40")),
        ("KuN", D(244) / D(366), 1, D("532491.20")),
        ("FrN", D(854) / D(366), 5, D("1876129.20")),
    ]


def test_positions_2023_and_payroll_agrees_with_yearly_by_type(frame):
    rows = committee_years(position_years(frame, 2023))
    assert [(r.committee, r.fte, r.positions) for r in rows] == [
        ("KS", D("7.25"), 8),
        ("AoS", D(1), 1),
        ("GrN", D(1), 1),
        ("FsN", D(1), 1),
        ("KuN", D(1), 1),
        ("FrN", D(1), 1),
    ]
    by_type: dict[str, Decimal] = defaultdict(Decimal)
    for row in yearly_rows(frame.costs, ("type",), 2018, 2023):
        by_type[row.cost_type] += row.amount
    payroll = [r for y in range(2018, 2024) for r in position_years(frame, y)]
    assert sum(r.salary for r in payroll) == D("30979450.00") == by_type["salary"]
    assert sum(r.po for r in payroll) == D("12605489.46") == by_type["po"]


def test_position_history_shows_moves_with_their_decisions(frame):
    history = [s for s in stints(frame) if s.position == "UL-HER"]
    assert [(s.committee, s.start, s.end, s.moved_from, s.decision) for s in history] == [
        ("AoS", datetime.date(2018, 9, 1), datetime.date(2024, 8, 31), None, "KS-2017-05-03"),
        ("FrN", datetime.date(2024, 9, 1), None, "AoS", "KF-2024-09-26-p190"),
    ]
    table = positions_report(frame, 2024).tables[2]
    assert ("UL-HER", "FrN", datetime.date(2024, 9, 1), None, "från AoS", "KF-2024-09-26-p190") in [
        row.cells for row in table.rows
    ]
    # A decision is cited with its marks wherever it is cited.
    cited = "KS-2017-05-03 (upphävt, datum ej verifierat)"
    assert ("ANA-1", "KS", datetime.date(2018, 1, 1), None, "inrättad", cited) in [
        row.cells for row in table.rows
    ]


def test_positions_refuse_a_year_without_positions(frame):
    with pytest.raises(UserError, match="Inga tjänster finansieras 2030"):
        positions_report(frame, 2030)


# --- budget -------------------------------------------------------------------------


def test_budget_2024_kommunbidrag_cost_and_deviation(frame, ledger):
    rows = budget_rows(frame, 2024)
    assert [(r.committee, r.allocation, r.transfers, r.cost, r.deviation) for r in rows] == [
        ("KS", D(6476000), D(-2070812), D("4687770.53"), D("-282582.53")),
        ("AoS", D(881000), D(1766756), D("2669442.80"), D("-21686.80")),
        ("GrN", D(872000), D(-300552), D("606885.60"), D("-35437.60")),
        ("FsN", D(877000), D(-302888), D("611236.40"), D("-37124.40")),
        ("KuN", D(868000), D(-299384), D("604491.20"), D("-35875.20")),
        ("FrN", D(884000), D(1206880), D("2128129.20"), D("-37249.20")),
    ]
    # The result as Fava's income statement has it: income and expenses, sign flipped.
    result = bql_rows(
        ledger,
        "SELECT root(account, 3) AS c, sum(number) AS total "
        "WHERE account ~ '^(Income|Expenses):Malmo:[^:]+:CTC' AND year = 2024 GROUP BY c",
    )
    deviation: dict[str, Decimal] = defaultdict(Decimal)
    for account, total in result:
        deviation[account.split(":")[2]] -= total
    assert {r.committee: r.deviation for r in rows} == deviation


def test_budget_transfers_cancel_out_across_the_city_every_year(frame):
    by_year: dict[int, Decimal] = defaultdict(Decimal)
    for row in budget_rows(frame):
        by_year[row.year] += row.transfers
    assert set(by_year.values()) == {D(0)}


def test_budget_report_sums_per_year_and_over_all_years(frame):
    table = budget_report(frame).tables[0]
    total = table.rows[-1]
    assert total.total and total.cells[0] == "Totalt"
    assert total.cells[5] == D("73923778.89")
    assert total.cells[4] == sum(r.kommunbidrag for r in budget_rows(frame))


# --- motion -------------------------------------------------------------------------


def test_motion_answer_2018_to_2023(frame, ledger):
    answer = motion_answer(frame, 2018, 2023)
    assert answer.total == D("49724939.46")
    assert [answer.gross_of(t) for t in ("salary", "po", "other")] == [
        D("30979450.00"),
        D("12605489.46"),
        D("6440000.00"),
    ]
    # Income: training sold and a grant; the internal sale is eliminated with its purchase.
    assert (answer.gross, answer.income, answer.eliminated) == (
        D("50024939.46"),
        D("300000.00"),
        D("36000.00"),
    )
    report = motion_report(frame, 2018, 2023)
    assert report.notice.startswith("OBS: Huvudboken innehåller syntetiska exempeldata")
    assert report.summary[0] == (
        "Under 2018–2023 (alla år helt bokförda) var nettokostnaden för CTC sammanlagt "
        "49,7 miljoner kronor (mnkr), i genomsnitt 8,3 mnkr per år."
    )
    assert report.summary[1].startswith(
        "Bruttokostnaden var 50,0 mnkr och programmets egna intäkter (sålda tjänster, bidrag) "
        "0,3 mnkr, vilket ger nettokostnaden 49,7 mnkr. Interna köp mellan programmets egna "
        "enheter, 36 tkr, är eliminerade"
    )
    by_committee = report.tables[0]
    assert by_committee.rows[-1].cells == (
        "Totalt",
        D("28511097.43"),
        D("4301374.01"),
        D("4031913.97"),
        D("4283101.85"),
        D("4277806.01"),
        D("4319646.19"),
        D("0.00"),  # the internal purchase and its sale cancel city-wide
        D("49724939.46"),
    )
    rows = bql_rows(
        ledger,
        "SELECT root(account, 3) AS c, sum(number) AS total "
        "WHERE account ~ '^(Expenses:Malmo:[^:]+:CTC:|Income:Malmo:[^:]+:CTC:Intakter)' "
        "AND year >= 2018 AND year <= 2023 GROUP BY c",
    )
    columns = [c.key for c in by_committee.columns][1:-2]
    per_committee: dict[str, Decimal] = defaultdict(Decimal)
    for account, total in rows:
        per_committee[account.split(":")[-1]] += total
    assert per_committee == dict(zip(columns, by_committee.rows[-1].cells[1:-2], strict=True))


def test_motion_footnotes_name_prices_rounding_decisions_and_sources(frame):
    notes = motion_report(frame, 2018, 2023).footnotes
    assert any("löpande priser" in note for note in notes)
    assert any("avrundningsdifferenser" in note for note in notes)
    decisions = next(note for note in notes if note.startswith("Beslut som kostnaderna vilar på"))
    # The positions' funding decision and the 2018 växling's, marked; no budget decision.
    assert "KS 2017-05-03 (Dnr STK-2016-166; upphävt; datum ej verifierat)" in decisions
    assert "KF 2022-11-24" not in decisions and "Budget" not in decisions
    assert "KF 2024-09-26" not in decisions
    assert notes[-1] == files_footnote(source_files(2018, 2023))


def test_motion_with_the_question_cites_it_and_takes_its_years(frame):
    report = motion_report(frame, question="KSAU-2024-12-02-p604")
    assert report.title == "Svar: CTC:s årliga kostnader 2018–2023"
    # The first sentence states the span; the second cites the question, marked.
    assert report.summary[0].startswith("Under 2018–2023 (alla år helt bokförda)")
    assert report.summary[1] == (
        "Svaret gäller KSAU 2024-12-02 § 604 (Dnr STK-2023-1410; förslag): Motion (V) om att "
        "redovisa och utvärdera arbetet med CTC; kostnaden 2018–2023 cirka 50 miljoner kronor."
    )
    assert any(line.startswith("Siffran omfattar direkta kostnader") for line in report.summary)
    assert any(line.startswith("Den omfattar inte lokaler") for line in report.summary)
    # The figure the question published, reconciled.
    reconciliation = report.tables[-1]
    assert [row.cells for row in reconciliation.rows] == [
        ("Nettokostnad enligt huvudboken", D("49724939.46")),
        ("Intäkter (dras av i nettokostnaden)", D("300000.00")),
        ("Bruttokostnad enligt huvudboken", D("50024939.46")),
        (
            "Publicerad siffra: KSAU 2024-12-02 § 604 (Dnr STK-2023-1410; förslag)",
            D("50000000"),
        ),
        ("Skillnad: nettokostnad − publicerad siffra", D("-275060.54")),
        ("Skillnad: bruttokostnad − publicerad siffra", D("24939.46")),
    ]
    assert reconciliation.notes[1] == (
        "Den publicerade siffran är avrundad till hela 1 000 000 kr; en skillnad på högst "
        "500 000 kr ryms i avrundningen."
    )


def test_motion_span_from_the_command_line_wins_and_a_published_figure_is_reconciled(frame):
    report = motion_report(
        frame, 2019, 2020, question="KSAU-2024-12-02-p604", published=D("12000000")
    )
    assert report.title.endswith("2019–2020")
    reconciliation = report.tables[-1]
    assert reconciliation.rows[3].cells == (
        "Publicerad siffra: angiven med --published",
        D("12000000"),
    )
    assert reconciliation.notes[0].startswith("Skillnaden förklaras varken av intäkterna")


def test_motion_without_a_span_asks_for_one(frame):
    with pytest.raises(UserError, match="Ange vilka år svaret gäller"):
        motion_report(frame)
    with pytest.raises(UserError, match="finns inte i beslutsregistret"):
        motion_report(frame, question="KF-2099-01-01")


def test_motion_names_a_year_not_fully_booked(tmp_path):
    from conftest import ONE_SALARY, write_small

    report = motion_report(load_frame(write_small(tmp_path, ONE_SALARY)), 2024, 2025)
    assert report.summary[0].startswith(
        "Under 2024–2025 (inte helt bokfört: 2024 bokfört till och med februari; "
        "2025 utan bokförda kostnader) var nettokostnaden"
    )


def test_motion_on_real_books_does_not_claim_synthetic_data(tmp_path):
    from conftest import ONE_SALARY, write_small

    path = write_small(
        tmp_path,
        ONE_SALARY,
    )
    report = motion_report(load_frame(path), 2024, 2024)
    assert report.notice is None
    assert report.summary[0].startswith("Under 2024 (inte helt bokfört: 2024 bokfört till")
    assert "sammanlagt 0,0 miljoner" in report.summary[0]
    assert not any("syntetiskt" in line for line in (*report.summary, *report.footnotes))


def report_texts(report) -> list[str]:
    """Every piece of text a report shows: sentences, titles, notes, cells."""
    texts = [report.title, *report.summary, *report.footnotes]
    for table in report.tables:
        texts += [table.title, *table.notes]
        texts += [c for row in table.rows for c in row.cells if isinstance(c, str)]
    return texts


def test_every_citation_of_a_synthetic_or_unverified_decision_carries_its_mark(frame):
    """No report cites an invented decision or a placeholder day as if it were verified."""
    reports = [
        motion_report(frame, question="KSAU-2024-12-02-p604"),
        motion_report(frame, 2017, 2025),
        budget_report(frame),
        transfers_report(frame),
        positions_report(frame),
    ]
    marked = [d for d in frame.decisions.values() if d.synthetic or not d.date_exact]
    assert {d.id for d in marked} >= {"KS-2017-05-03", "KF-2024-11-21-p325", "AoS-2024-04-17-p58"}
    cited = 0
    for text in (t for report in reports for t in report_texts(report)):
        for decision in marked:
            if f"{decision.body} {decision.date}" in text or decision.id in text:
                cited += 1
                if decision.synthetic:
                    assert "syntetiskt" in text, text
                if not decision.date_exact:
                    assert "datum ej verifierat" in text, text
    assert cited > 10
