"""Published figures: recorded with --publish, recomputed by ctc check, listed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLE, line_of, run_ctc
from workbooks import ROWS, export

from ctc.ledger import load_ledger
from ctc.published import publications
from ctc.records import PUBLISHED_FILE

D = Decimal
TOTAL = "Tabell 1. Nettokostnad per år och nämnd, tkr | Totalt | Totalt"


def test_the_example_records_the_answer_of_ksau_2024_12_02_p604():
    (answer,) = publications(load_ledger(EXAMPLE).entries)
    assert (answer.kind, answer.decision, answer.span) == (
        "motion",
        "KSAU-2024-12-02-p604",
        "2018–2023",
    )
    assert answer.entry.date.isoformat() == "2024-12-02"
    assert answer.figures[TOTAL].value == D("49724939.46")
    assert answer.figures["Tabell 1. Nettokostnad per år och nämnd, tkr | 2021 | KS"].money
    assert len(answer.figures) == 91


def test_the_example_still_reproduces_what_it_published():
    result = run_ctc("check", str(EXAMPLE))
    assert result.returncode == 0, result.stdout
    assert "varning: publicerat" not in result.stdout + result.stderr


def test_report_published_lists_it():
    result = run_ctc("report", "published", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if "KSAU" in line]
    assert rows == [["KSAU-2024-12-02-p604", "2024-12-02", "motion", "2018–2023", "91", "0"]]


def held_out_2021(tmp_path: Path) -> Path:
    """Rows the example has not seen (their own vouchers), booked in 2021."""
    rows = [[row[0].replace(year=2021), f"H{row[1]}", *row[2:]] for row in ROWS]
    return export(tmp_path / "utfall_2021_tillagg.xlsx", rows)


def test_a_held_out_2021_export_drifts_the_published_answer(example_copy, tmp_path):
    path = held_out_2021(tmp_path)
    imported = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert imported.returncode == 0, imported.stderr
    result = run_ctc("check", str(example_copy))
    assert result.returncode == 0, result.stdout  # a warning: books may change after an answer
    warnings = [line for line in result.stdout.splitlines() if "varning: publicerat" in line]
    record = line_of(example_copy.parent / PUBLISHED_FILE, 'custom "published"')
    ks_2021 = [w for w in warnings if "| 2021 | KS var" in w]
    assert len(ks_2021) == 1
    assert f"/{PUBLISHED_FILE}:{record}: varning: publicerat enligt " in ks_2021[0]
    assert (
        "KSAU-2024-12-02-p604 (motion 2018–2023) stämmer inte längre: "
        "Tabell 1. Nettokostnad per år och nämnd, tkr | 2021 | KS var 6 033 526,32 kr, "
        "nu 6 087 408,52 kr (+53 882,20 kr); ändrat sedan: costs/2021.beancount:"
    ) in ks_2021[0]
    total = [w for w in warnings if f"{TOTAL} var" in w]
    assert "(+71 432,70 kr)" in total[0]
    # Only figures of 2021 and the totals moved.
    assert all("| 2021 |" in w or "| Totalt |" in w for w in warnings)
    listed = run_ctc("report", "published", str(example_copy))
    assert "2018–2023       91       16" in listed.stdout


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_publishing_a_report_records_every_figure(example_copy):
    result = run_ctc(
        "report",
        "positions",
        str(example_copy),
        "--year",
        "2024",
        "--publish",
        "KF-2024-09-26-p190",
        "--format",
        "csv",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("year,committee,position")
    assert "siffror registrerade i huvudboken" in result.stderr
    ledger = load_ledger(example_copy)
    assert ledger.errors == []
    positions = [p for p in publications(ledger.entries) if p.kind == "positions"]
    (record,) = positions
    assert record.args == {"year": 2024}
    summa = "Årsarbetare och personalkostnad per nämnd och år | Summa 2024 | Tjänster"
    assert record.figures[summa].value == 13
    assert "varning" not in run_ctc("check", str(example_copy)).stdout


@pytest.mark.parametrize(
    ("decision", "fragment"),
    [("KF-2099-01-01", "Beslutet KF-2099-01-01 (--publish) finns inte i beslutsregistret")],
)
def test_publishing_needs_a_registered_decision(example_copy, decision, fragment):
    result = run_ctc(
        "report",
        "motion",
        str(example_copy),
        "--from",
        "2018",
        "--to",
        "2023",
        "--publish",
        decision,
    )
    assert result.returncode == 1
    assert fragment in result.stderr
    assert len(publications(load_ledger(example_copy).entries)) == 1
