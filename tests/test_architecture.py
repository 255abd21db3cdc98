"""The package's shape, checked: no import cycles, one module reads the mode, small modules.

Imports are read with `ast` from every module of conformance/ and mock_api/, including imports
inside functions and under `if TYPE_CHECKING:`, because a cycle hidden there is still a cycle
in the design. The graph is at module granularity: `from pkg import name` is an edge to
`pkg.name` when that is a module, else to `pkg` (its `__init__`).
"""

from __future__ import annotations

import ast
from pathlib import Path

from conformance.options import MODES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("conformance", "mock_api", "connector_conformance_entry")
MAX_LINES = 400
# The one module that reads the mode (and options.py, which defines the modes).
MODE_READERS = {"conformance.backends", "conformance.options"}
# Mode names that mean nothing else; "auto" is also a --color choice and "mock" a capability.
MODE_NAMES = set(MODES) - {"auto", "mock"}
# Import edges known to close a cycle and owned by work in flight; remove each entry when its
# fix lands (the test then guards against the cycle coming back).


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _imports(name: str) -> set[str]:
    """Every internal module `name` imports, anywhere in its body."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in MODULES else source)
    edges = set()
    for target in targets:
        while target and target not in MODULES:  # `import a.b.c` where c is not ours
            target = target.rpartition(".")[0]
        if target and target != name:
            edges.add(target)
    return edges


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_imports_inside_functions_and_under_type_checking():
    assert "conformance.plugin.suite" in GRAPH["conformance.plugin"]
    assert "conformance.backends.guard" in GRAPH["conformance.runner"]
    assert "conformance.options" in GRAPH["conformance.cli.main"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    cycles = _cycles(GRAPH)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_mock_api_imports_nothing_from_the_harness():
    leaks = {n: sorted(t for t in GRAPH[n] if t.startswith("conformance")) for n in GRAPH}
    assert not {n: t for n, t in leaks.items() if n.startswith("mock_api") and t}


def _package_edges(source: str, target: str) -> list[str]:
    return sorted(
        f"{n} -> {t}"
        for n in GRAPH
        if n.startswith(source + ".") or n == source
        for t in GRAPH[n]
        if t.startswith(target + ".") or t == target
    )


def test_the_two_front_ends_share_the_author_loop_and_the_web_ui_never_imports_the_cli():
    """`syncpeng` starts the UI (cli/ui_command.py -> ui); the UI uses the author's loop
    (conformance/author), never the command line: no two-way package dependency."""
    assert _package_edges("conformance.ui", "conformance.cli") == []
    assert _package_edges("conformance.author", "conformance.cli") == []
    assert _package_edges("conformance.author", "conformance.ui") == []


def test_the_request_boundary_knows_no_runtime():
    """conformance/http (the pipeline, the stubs) serves every runtime and learns none: a
    runtime hands it what it caught, never the other way round."""
    assert _package_edges("conformance.http", "conformance.runtime") == []


def _mode_questions(name: str) -> list[str]:
    """Comparisons that ask which mode a run is in: against a mode name, against an attribute
    called `mode`/`record_mode`, or against a `--connector-mode` / `--connector-record-mode`
    option read from pytest."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        for operand in [node.left, *node.comparators]:
            for part in ast.walk(operand):
                asks = (
                    (isinstance(part, ast.Constant) and part.value in MODE_NAMES)
                    or (isinstance(part, ast.Attribute) and part.attr in ("mode", "record_mode"))
                    or (
                        isinstance(part, ast.Constant)
                        and part.value in ("--connector-mode", "--connector-record-mode")
                    )
                )
                if asks:
                    found.append(f"{MODULES[name].relative_to(ROOT)}:{node.lineno}")
    return sorted(set(found))


def test_only_the_backends_module_asks_which_mode_a_run_is_in():
    questions = [
        q
        for name in MODULES
        if name.startswith("conformance") and name not in MODE_READERS
        for q in _mode_questions(name)
    ]
    assert not questions, "mode questions outside conformance/backends/__init__.py: " + ", ".join(
        questions
    )
    assert _mode_questions("conformance.backends"), "the rule must see the mode where it is read"


def test_record_modes_are_read_in_the_backends_module_only():
    readers = sorted(
        name
        for name in MODULES
        if name.startswith("conformance")
        and any(
            isinstance(n, ast.Attribute) and n.attr == "record_mode"
            for n in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8")))
        )
    )
    assert readers == ["conformance.backends"]


def test_no_module_of_the_harness_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for name, path in MODULES.items()
        if name.startswith("conformance")
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"
