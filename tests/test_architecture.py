"""The layout's rules, read from the code's own imports (ARCHITECTURE.md says why).

Every ``import`` and ``from … import`` in ``graphbuild/`` and ``server/`` counts, also those
inside functions and under ``TYPE_CHECKING``: a lazy import still makes one module depend on
another. ``from pkg import sub`` is an arrow to the submodule ``pkg.sub``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graphbuild", "server")

STAGES = (
    "graphbuild.vocabulary",
    "graphbuild.annotations",
    "graphbuild.text",
    "graphbuild.ingest",
    "graphbuild.extract",
    "graphbuild.link",
    "graphbuild.rdf",
    "graphbuild.store",
    "graphbuild.quality",
)
"""Rooms the runner (``graphbuild.run``) and the CLI use; they never use the runner or the CLI."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that module ``name`` (the file ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _in(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")


def test_the_import_graph_is_read() -> None:
    graph = _graph()
    assert "graphbuild.run.build" in graph["graphbuild.cli"]
    assert "graphbuild.extract.lexicon" in graph["graphbuild.extract.events"]
    assert "server.state" in graph["server.sparql"]


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules_of_graphbuild_or_server() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("room", STAGES)
def test_stages_never_import_the_runner_the_cli_or_the_server(room: str) -> None:
    wrong = {
        (module, target)
        for module, targets in _graph().items()
        if _in(module, room)
        for target in targets
        if any(_in(target, up) for up in ("graphbuild.run", "graphbuild.cli", "server"))
    }
    assert wrong == set()


def test_the_vocabulary_imports_nothing_of_the_project() -> None:
    assert _graph()["graphbuild.vocabulary"] == set()


def test_the_server_never_imports_extraction_the_runner_or_the_cli() -> None:
    wrong = {
        (module, target)
        for module, targets in _graph().items()
        if _in(module, "server")
        for target in targets
        if any(
            _in(target, room) for room in ("graphbuild.extract", "graphbuild.run", "graphbuild.cli")
        )
    }
    assert wrong == set()


def test_package_front_doors_define_nothing() -> None:
    """A room's ``__init__.py`` holds a docstring and re-exports, never code to read."""
    for path in (ROOT / "graphbuild").glob("*/__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert defined == [], path


def test_importing_the_vocabulary_loads_no_nlp_web_store_or_reasoner() -> None:
    heavy = ("spacy", "flask", "pyoxigraph", "pyshacl", "owlrl")
    code = (
        "import sys, graphbuild.vocabulary; "
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
