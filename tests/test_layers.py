"""The import graph of the `ctc` package: no cycles, and the importers' layers only import down.

Every module of `ctc` (through the `ctc/importers` and `ctc/reports` links)
is parsed with `ast`, never imported, and every `import` and `from ... import`
in it counts, at module level or inside a function: an import moved into a
function to break a cycle is still the cycle. Only imports under
`if TYPE_CHECKING:` are left out: they are annotations, never run.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = "ctc"
IMPORTERS = "ctc.importers"
LAYERS = ("reading", "kinds", "booking", "writing")
"""The importers' layers, lowest first; the modules at the top of `ctc.importers` come last."""

Graph = dict[str, set[str]]
"""Module -> the `ctc` modules it imports."""


def module_files(root: Path = ROOT / PACKAGE) -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name -> (file, whether it is a package's `__init__`)."""
    found = {}
    for folder, _, names in os.walk(root, followlinks=True):
        for name in names:
            if not name.endswith(".py"):
                continue
            path = Path(folder) / name
            parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement brings in, relative ones resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def is_type_checking_block(node: ast.AST) -> bool:
    """Whether a node is `if TYPE_CHECKING:` (imports only type checkers follow)."""
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def run_time_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in a tree, at any depth, except under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending += [
            child for child in ast.iter_child_nodes(node) if not is_type_checking_block(child)
        ]
    return found


def build_graph(modules: dict[str, tuple[Path, bool]]) -> Graph:
    """Module -> the package's modules it imports anywhere in its code (at run time)."""
    graph: Graph = {}
    for module, (path, is_package) in modules.items():
        targets = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in run_time_imports(tree):
            for name in imported_names(node, module, is_package):
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                # A submodule's own packages are always imported before it: no edge.
                if name and name != module and not module.startswith(name + "."):
                    targets.add(name)
        graph[module] = targets
    return graph


def find_cycle(graph: Graph, within: str) -> list[str] | None:
    """A cycle among the modules under `within` (as a path that returns to its start), or None."""
    inside = {m for m in graph if m == within or m.startswith(within + ".")}
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module] & inside):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = "done"
        path.pop()
        return None

    for module in sorted(inside):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def layer_of(module: str) -> int:
    """The importers' layer of a module (0 = reading); the top of `ctc.importers` is above all."""
    parts = module.split(".")
    if len(parts) > 2 and parts[2] in LAYERS:
        return LAYERS.index(parts[2])
    return len(LAYERS)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_graph(module_files())


def test_the_graph_sees_every_module_and_function_level_imports():
    graph = build_graph(module_files())
    assert {"ctc.importers.run", "ctc.importers.reading.cells", "ctc.reports.frame"} <= set(graph)
    # A function-level import counts as much as one at the top of the module.
    assert "ctc.importers.reading.screen" in graph["ctc.importers.kinds.utfall"]


def test_find_cycle_reports_the_cycle():
    graph = {"p.a": {"p.b"}, "p.b": {"p.c"}, "p.c": {"p.a"}, "q": {"p.a"}}
    assert find_cycle(graph, "p") == ["p.a", "p.b", "p.c", "p.a"]
    assert find_cycle({"p.a": {"p.b"}, "p.b": set()}, "p") is None


def test_the_importers_have_no_import_cycle(graph):
    cycle = find_cycle(graph, IMPORTERS)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_package_has_no_import_cycle(graph):
    cycle = find_cycle(graph, PACKAGE)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_for_type_checkers_only_are_left_out():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import a\n"
        "if TYPE_CHECKING:\n    import b\n"
        "def f():\n    import c\n"
    )
    names = sorted(alias.name for node in run_time_imports(tree) for alias in node.names)
    assert names == ["TYPE_CHECKING", "a", "c"]


def test_each_importers_layer_imports_only_from_itself_and_below(graph):
    upward = [
        f"{module} -> {target}"
        for module in sorted(graph)
        if module.startswith(IMPORTERS + ".")
        for target in sorted(graph[module])
        if target.startswith(IMPORTERS + ".") and layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_each_layer_is_a_package_that_says_what_it_may_import():
    for layer in LAYERS:
        init = ROOT / "importers" / layer / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import:" in doc, layer
