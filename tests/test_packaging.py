"""The package as a user installs it: a wheel (not editable) carries the example ledger.

A wheel install copies the package into site-packages; nothing then points back at
the checkout. `ctc` must still find its bundled example, and nothing generic such as
`importers` or `reports` may land at the top of site-packages.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROCESS_TIMEOUT

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project installed from a wheel into a folder of its own (dependencies not copied)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=PROCESS_TIMEOUT,
    )
    return target


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`ctc ARGS` from the installed copy (the checkout kept off the path), in `cwd`."""
    env = {k: v for k, v in os.environ.items() if k not in ("CTC_LEDGER", "PYTHONPATH")}
    code = "import sys; from ctc.cli import main; sys.exit(main())"
    return subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(site)!r}); {code}",
            *args,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=PROCESS_TIMEOUT,
    )


def test_the_wheel_holds_one_package_and_the_example(installed):
    top = sorted(p.name for p in installed.iterdir() if not p.name.endswith(".dist-info"))
    assert top == ["bin", "ctc"]  # bin/ holds the `ctc` script
    package = installed / "ctc"
    assert not (package / "example").is_symlink()
    assert (package / "example" / "main.beancount").is_file()
    assert (package / "example" / "costs" / "2023.beancount").is_file()
    assert (package / "importers" / "run.py").is_file()
    assert (package / "reports" / "frame.py").is_file()
    assert (package / "py.typed").is_file()


def test_installed_ctc_checks_and_reports_the_bundled_example(installed, tmp_path):
    checked = run_installed(installed, tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    bundled = installed / "ctc" / "example" / "main.beancount"
    # 3968: the example's entries with the record of KSAU 2024-12-02 § 604's published answer;
    # the wheel carries no source workbooks, so the documents plugin adds no document entries.
    assert checked.stderr.splitlines()[-1] == f"Inga fel i {bundled} (3968 poster)."
    yearly = run_installed(
        installed, tmp_path, "report", "yearly", "--from", "2018", "--to", "2023", "--format", "csv"
    )
    assert yearly.returncode == 0, yearly.stderr
    assert yearly.stdout.splitlines()[:2] == [
        "year,committee,cost_type,amount_sek",
        "2018,KS,*,2276158.37",  # 2018 PO at the estimate 39,17 % (above 2019)
    ]
