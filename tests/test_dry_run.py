"""A dry run is the real run without the writes: the same checks, the same refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EXAMPLE, append, run_ctc
from test_import_errors import ledger_state
from workbooks import ROWS, export

from ctc.errors import UserError
from ctc.importers.run import run_import
from ctc.ledger import load_ledger
from ctc.lock import ledger_lock
from ctc.would_be import source_entries, would_be_errors

D = Decimal


def dated(year: int) -> list[list[object]]:
    """The test export's rows, moved to `year`."""
    return [[row[0].replace(year=year), *row[1:]] for row in ROWS]


def test_the_example_passes_its_checks_again_in_memory():
    ledger = load_ledger(EXAMPLE)
    assert would_be_errors(ledger.entries, ledger.options_map, []) == []
    derived = len(ledger.entries) - len(source_entries(ledger.entries))
    assert derived > 0  # the Fava budgets the plugin makes, taken out and made again


def test_an_export_of_a_year_the_ledger_cannot_cost_fails_the_dry_run_as_the_real_run(
    example_copy, tmp_path
):
    path = export(tmp_path / "utfall_2031.xlsx", dated(2031))
    before = ledger_state(example_copy)
    dry = run_ctc("import", "--dry-run", "--ledger", str(example_copy), str(path))
    real = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert dry.returncode == real.returncode == 1
    assert dry.stdout == real.stdout == ""
    assert dry.stderr == real.stderr
    (line,) = dry.stderr.splitlines()
    assert line.startswith("ctc: fel: Efter ändringen skulle huvudboken ha ")
    assert "PO-sats saknas för 2026" in line and "[regel po-rate-exists]" in line
    assert ledger_state(example_copy) == before


def test_a_dry_run_takes_no_lock_and_writes_nothing(example_copy, tmp_path):
    path = export(tmp_path / "utfall_2031.xlsx", dated(2031))
    before = ledger_state(example_copy)
    with ledger_lock(example_copy), pytest.raises(UserError, match="PO-sats saknas"):
        # Another import holds the lock: a dry run that wanted it would stop here instead.
        run_import([path], example_copy, dry_run=True)
    assert ledger_state(example_copy) == before


@pytest.mark.slow  # imports or records, then loads again: several seconds
def test_a_dry_run_that_passes_still_passes(example_copy, tmp_path):
    append(
        example_copy.parent / "po-rates.beancount",
        '2026-01-01 custom "po-rate" 43.00\n  source: "test"\n',
    )
    path = export(tmp_path / "utfall_2026.xlsx", dated(2026))
    dry = run_ctc("import", "--dry-run", "--ledger", str(example_copy), str(path))
    assert dry.returncode == 0, dry.stderr
    real = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert real.returncode == 0, real.stderr
    assert load_ledger(example_copy).errors == []


def test_a_new_file_the_ledger_does_not_include_fails_both_runs(example_copy, tmp_path):
    main = example_copy
    text = main.read_text(encoding="utf-8").replace('include "costs/*.beancount"\n', "")
    costs = sorted((main.parent / "costs").glob("*.beancount"))
    main.write_text(text + "".join(f'include "costs/{p.name}"\n' for p in costs), encoding="utf-8")
    append(
        main.parent / "po-rates.beancount",
        '2026-01-01 custom "po-rate" 43.00\n  source: "test"\n',
    )
    path = export(tmp_path / "utfall_2026.xlsx", dated(2026))
    dry = run_ctc("import", "--dry-run", "--ledger", str(main), str(path))
    real = run_ctc("import", "--ledger", str(main), str(path))
    assert dry.returncode == real.returncode == 1
    assert "costs/2026.beancount ingår inte i huvudboken" in dry.stderr
    assert dry.stderr == real.stderr
