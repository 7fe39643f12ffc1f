"""Closed years: `ctc close`, changes named by `ctc check`, corrections, imports refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, append, line_of, run_ctc
from test_import_errors import ledger_state
from workbooks import ROWS, export

from ctc.closing import read_closed_years, year_entries
from ctc.errors import UserError
from ctc.importers.run import run_import, run_undo
from ctc.ledger import load_ledger
from ctc.records import CLOSING_FILE

BOKSLUT = """
2024-04-18 custom "decision" "KF-2024-04-18-p80"
  body: "KF"
  municipality: "Malmo"
  paragraph: 80
  title: "Årsredovisning 2023"
  synthetic: TRUE

2024-06-13 custom "decision" "KS-2024-06-13-p200"
  body: "KS"
  municipality: "Malmo"
  paragraph: 200
  title: "Rättelse av bokslutet 2023"
  synthetic: TRUE
"""

FIRST_2023 = "Expenses:Malmo:KuN:CTC:Ovrigt:Utbildning   15000.00 SEK"


@pytest.fixture(scope="module")
def closed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with 2023 closed by `ctc close`, made once for this module."""
    target = tmp_path_factory.mktemp("closed") / "ledger"
    shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("documents", ".ctc-*"))
    main = target / "main.beancount"
    append(target / "decisions.beancount", BOKSLUT)
    result = run_ctc("close", "2023", "--decision", "KF-2024-04-18-p80", "--ledger", str(main))
    assert result.returncode == 0, result.stderr
    return main


def closed_copy(closed_example: Path, tmp_path: Path) -> Path:
    """A private copy of the closed example."""
    target = tmp_path / "closed"
    shutil.copytree(closed_example.parent, target)
    return target / "main.beancount"


def change_first_2023_amount(main: Path, amount: str = "15500.00") -> int:
    """Change the first 2023 cost's amount (both postings); its line in costs/2023."""
    costs = main.parent / "costs" / "2023.beancount"
    text = costs.read_text(encoding="utf-8")
    text = text.replace(FIRST_2023, FIRST_2023.replace("15000.00", amount), 1)
    text = text.replace("-15000.00 SEK", f"-{amount} SEK", 1)
    costs.write_text(text, encoding="utf-8")
    return line_of(costs, "2023-01-03 *")


def test_closing_a_year_records_a_digest_of_each_of_its_entries(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    ledger = load_ledger(main)
    assert ledger.errors == []
    (state,) = read_closed_years(ledger.entries)[0].values()
    count = len(year_entries(ledger.entries, 2023))
    assert (state.year, state.decision, sum(state.expected.values())) == (
        2023,
        "KF-2024-04-18-p80",
        count,
    )
    assert f'include "{CLOSING_FILE}"' in main.read_text(encoding="utf-8")
    record = (main.parent / CLOSING_FILE).read_text(encoding="utf-8")
    assert f"entries: {count}\n" in record
    assert all(len(line) <= 120 for line in record.splitlines())


def test_a_changed_amount_in_a_closed_year_fails_ctc_check_naming_it(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    line = change_first_2023_amount(main)
    result = run_ctc("check", str(main))
    assert result.returncode == 1
    assert (
        f"costs/2023.beancount:{line}: Posten 2023-01-03 Expenses:Malmo:KuN:CTC:Ovrigt:Utbildning "
        "15 500,00 SEK ändrar det avslutade året: den ingår inte i bokslutet 2023 "
        "(KF-2024-04-18-p80)." in result.stdout
    )
    assert f"{CLOSING_FILE}:3: 1 post som ingick i bokslutet 2023" in result.stdout
    assert result.stdout.count("[regel year-closed]") == 2


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_a_correction_accounts_for_exactly_that_change(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    change_first_2023_amount(main)
    result = run_ctc("close", "2023", "--correction", "KS-2024-06-13-p200", "--ledger", str(main))
    assert result.returncode == 0, result.stderr
    assert load_ledger(main).errors == []
    change_first_2023_amount(main, "15600.00")  # not this one
    assert "[regel year-closed]" in run_ctc("check", str(main)).stdout


def test_a_removed_entry_is_counted_at_the_closing(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    costs = main.parent / "costs" / "2023.beancount"
    blocks = costs.read_text(encoding="utf-8").split("\n\n")
    costs.write_text("\n\n".join(blocks[:1] + blocks[2:]), encoding="utf-8")
    result = run_ctc("check", str(main))
    assert result.returncode == 1
    assert f"{CLOSING_FILE}:3: 1 post som ingick i bokslutet 2023" in result.stdout


def test_an_added_entry_is_named(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    line = append(
        main,
        '2023-12-20 * "Sen faktura"\n'
        "  Expenses:Malmo:KS:CTC:Ovrigt   500.00 SEK\n"
        "  Liabilities:Malmo:Avrakning  -500.00 SEK\n",
    )
    result = run_ctc("check", str(main))
    assert f"main.beancount:{line}: Posten 2023-12-20 Expenses:Malmo:KS:CTC:Ovrigt" in result.stdout


def late_2023(tmp_path: Path) -> Path:
    rows = [[row[0].replace(year=2023), *row[1:]] for row in ROWS]  # type: ignore[union-attr]
    return export(tmp_path / "utfall_2023_sent.xlsx", rows)


def test_an_import_into_a_closed_year_is_refused_without_a_correction(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    path = late_2023(tmp_path)
    before = ledger_state(main)
    for flags in ((), ("--dry-run",)):
        result = run_ctc("import", *flags, "--ledger", str(main), str(path))
        assert result.returncode == 1
        assert result.stderr == (
            "ctc: fel: Importen bokar 4 poster i 2023, som är avslutat (bokslut enligt "
            "KF-2024-04-18-p80); ange --correction BESLUT med beslutet om rättelsen.\n"
        )
    assert ledger_state(main) == before


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_an_import_into_a_closed_year_with_a_correction(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    path = late_2023(tmp_path)
    result = run_ctc(
        "import", "--ledger", str(main), "--correction", "KS-2024-06-13-p200", str(path)
    )
    assert result.returncode == 0, result.stderr
    ledger = load_ledger(main)
    assert ledger.errors == []
    (state,) = read_closed_years(ledger.entries)[0].values()
    assert state.corrections == 1
    assert 'custom "year-correction" 2023' in (main.parent / CLOSING_FILE).read_text(
        encoding="utf-8"
    )
    # Taking the import back would change the closed year again: refused.
    with pytest.raises(UserError, match=r"year-closed"):
        run_undo(path.name, main)


def test_closing_twice_and_unknown_decisions_are_refused(closed_example, tmp_path):
    main = closed_copy(closed_example, tmp_path)
    again = run_ctc("close", "2023", "--decision", "KF-2024-04-18-p80", "--ledger", str(main))
    assert again.returncode == 1 and "2023 är redan avslutat" in again.stderr
    unknown = run_ctc("close", "2022", "--decision", "KF-2099-01-01", "--ledger", str(main))
    assert "Beslutet KF-2099-01-01 (--decision) finns inte" in unknown.stderr
    empty = run_ctc("close", "2031", "--decision", "KF-2024-04-18-p80", "--ledger", str(main))
    assert "inga poster 2031" in empty.stderr
    neither = run_ctc("close", "2022", "--ledger", str(main))
    assert neither.returncode == 1 and "--decision" in neither.stderr


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_the_example_closes_no_year_and_takes_past_exports(example_copy, tmp_path):
    assert read_closed_years(load_ledger(example_copy).entries)[0] == {}
    summary = run_import([late_2023(tmp_path)], example_copy)
    assert summary.files[0].imported == 4


def test_a_cost_figure_of_a_closed_year_cites_the_closing_decision(closed_example):
    answer = run_ctc(
        "report", "motion", str(closed_example), "--from", "2022", "--to", "2023", "--format", "md"
    )
    assert answer.returncode == 0, answer.stderr
    footnote = next(line for line in answer.stdout.splitlines() if "KF 2024-04-18 § 80" in line)
    # The closing is synthetic here, and marked so on the line that cites it.
    assert "syntetiskt" in footnote
    assert "Årsredovisning 2023" in answer.stdout
    earlier = run_ctc("report", "motion", str(closed_example), "--from", "2019", "--to", "2020")
    assert "KF 2024-04-18 § 80" not in earlier.stdout
