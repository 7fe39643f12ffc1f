"""Recompute the generated records in `ledger/README.md`'s worked examples.

Three worked examples show records that `ctc` writes itself and that hold
digests of the example's entries: closing 2017 (`year-closed`), closing 2018
with a correction for a late invoice (`year-closed`, `year-correction`), and a
published answer for 2017 (`published`). When the example's data changes, their
digests must follow, or the examples stop appending cleanly to the example.
This script makes each record the way a user would, with `ctc close` and
`ctc report --publish` on a copy of the example, and writes the records back
into the README. `scripts/build_example.py` runs it after regenerating the
example; `tests/test_docs.py` checks that every worked example appends cleanly.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ctc.recording import close_year, correct_year, publish
from ctc.writer import render_entries

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIR = ROOT / "ledger"
README = EXAMPLE_DIR / "README.md"
EXAMPLE_BLOCK = re.compile(r"<!-- exempel -->\n```beancount\n(.*?)```", re.DOTALL)
GENERATED = re.compile(
    r'^\d{4}-\d{2}-\d{2} custom "(?:year-closed|year-correction|published)" .*?(?=\n\n|\n?\Z)',
    re.DOTALL | re.MULTILINE,
)
"""A generated record inside a worked example: its first line up to the next blank line."""

Maker = Callable[[Path], list[str]]
"""Makes a worked example's records on a copy of the example; returns them as ledger text."""


def hand_written(block: str) -> str:
    """The worked example without its generated records: what a user writes by hand."""
    return GENERATED.sub("", block).strip() + "\n"


def close_2017(main: Path) -> list[str]:
    """`ctc close 2017 --decision KF-2018-04-26-p95`."""
    return [render_entries([close_year(main, 2017, "KF-2018-04-26-p95").record])]


def close_2018_and_correct(main: Path) -> list[str]:
    """Close 2018, book the late invoice, record the correction."""
    closed = close_year(main, 2018, "KF-2019-04-25-p101").record
    invoice = (
        '\n2018-12-28 * "Faktura för utbildning, kom efter bokslutet"\n'
        "  Expenses:Malmo:KS:CTC:Ovrigt:Utbildning   2500.00 SEK\n"
        "  Liabilities:Malmo:Avrakning              -2500.00 SEK\n"
    )
    with main.open("a", encoding="utf-8") as file:
        file.write(invoice)
    corrected = correct_year(main, 2018, "KS-2019-06-12-p170").record
    return [render_entries([closed]), render_entries([corrected])]


def publish_2017(main: Path) -> list[str]:
    """`ctc report yearly --from 2017 --to 2017 --publish KS-2018-03-07-p40`."""
    args = {"from_year": 2017, "to_year": 2017, "by": "committee"}
    _, recorded = publish(main, "yearly", args, ("tkr", "sv"), "KS-2018-03-07-p40")
    return [render_entries([recorded.record])]


MAKERS: dict[str, Maker] = {
    'custom "year-closed" 2017': close_2017,
    'custom "year-closed" 2018': close_2018_and_correct,
    'custom "published" "yearly"': publish_2017,
}
"""Each worked example with generated records, by a line it holds, and how to make them."""


def remake(block: str, maker: Maker) -> str:
    """The worked example with its records made anew on a copy of the example."""
    decisions = "\n\n".join(
        part for part in hand_written(block).split("\n\n") if 'custom "decision"' in part
    )
    with tempfile.TemporaryDirectory(prefix="ctc-readme-") as scratch:
        target = Path(scratch) / "ledger"
        shutil.copytree(EXAMPLE_DIR, target, ignore=shutil.ignore_patterns("documents", ".ctc-*"))
        main = target / "main.beancount"
        with main.open("a", encoding="utf-8") as file:
            file.write("\n" + decisions + "\n")
        records = iter(maker(main))
    return GENERATED.sub(lambda _: next(records).rstrip("\n"), block)


def updated_readme(text: str) -> str:
    """The README with every generated record made anew."""

    def replace(match: re.Match[str]) -> str:
        block = match.group(1)
        for needle, maker in MAKERS.items():
            if needle in block:
                return match.group(0).replace(block, remake(block, maker))
        return match.group(0)

    return EXAMPLE_BLOCK.sub(replace, text)


def main() -> int:
    """Rewrite `ledger/README.md` when a record changed; say whether it did."""
    text = README.read_text(encoding="utf-8")
    new = updated_readme(text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print(f"{README}: genererade poster uppdaterade", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
