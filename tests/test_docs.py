"""The documentation holds: worked examples load, the README's commands are CI's."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE_DIR, ROOT, append

from ctc.ledger import load_ledger

BLOCK = re.compile(r"<!-- (mall|exempel) -->\n```beancount\n(.*?)```", re.DOTALL)


def ledger_readme_blocks() -> list[tuple[str, str]]:
    text = (EXAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    return BLOCK.findall(text)


def directive_of(block: str) -> str:
    """The kind of the block's last entry: custom type, or txn tag."""
    first = [line for line in block.splitlines() if line and not line.startswith(" ")][-1]
    custom = re.search(r'custom "([^"]+)"', first)
    if custom:
        return custom.group(1)
    tag = re.search(r"#(\w+)", first)
    return f"#{tag.group(1)}" if tag else "cost"


def examples() -> list[str]:
    return [block for kind, block in ledger_readme_blocks() if kind == "exempel"]


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "ledger"
    shutil.copytree(EXAMPLE_DIR, target)
    return target / "main.beancount"


def test_every_template_has_a_worked_example_of_the_same_kind():
    blocks = ledger_readme_blocks()
    kinds = [kind for kind, _ in blocks]
    assert kinds == ["mall", "exempel"] * (len(blocks) // 2)
    pairs = list(zip(blocks[::2], blocks[1::2], strict=True))
    assert [directive_of(t) for (_, t), _ in pairs] == [directive_of(e) for _, (_, e) in pairs]
    assert {directive_of(e) for e in examples()} >= {
        "committee",
        "area",
        "decision",
        "po-rate",
        "position",
        "position-change",
        "position-move",
        "position-end",
        "#kommunbidrag",
        "#vaxling",
        "cost",
        "ctc-option",
    }


@pytest.mark.slow  # one load of the example each; the fast variant appends them all at once
@pytest.mark.parametrize("block", examples(), ids=directive_of)
def test_each_worked_example_appends_cleanly_to_the_example(tmp_path, block):
    main = copy_example(tmp_path)
    append(main, block)
    assert load_ledger(main).errors == []


def test_all_worked_examples_together_append_cleanly(tmp_path):
    main = copy_example(tmp_path)
    append(main, "\n".join(examples()))
    assert load_ledger(main).errors == []


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", text, re.DOTALL)
    assert block is not None and text.index(block.group(0)) < text.index("\n## ")
    return [
        line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")
    ]


def test_readme_opens_with_exactly_two_commands():
    setup_and_serve, setup_and_test = readme_commands()
    assert setup_and_serve.endswith("ctc serve")
    assert "pytest" in setup_and_test


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
