"""The shape of src/quotegraph, read from its source: data flows one way (ingest -> parse -> extract ->
resolve -> store -> serve), so no import runs back up a floor and no modules import each other in a
circle; no class grows past about 300 lines.

Every import counts, those inside functions and under TYPE_CHECKING too: a lazy import that runs
back up is still an arrow the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "quotegraph"

# The floors, lowest first. A module may import a module of a lower floor, or one of its own stage
# (its top-level package or module); two stages on one floor do not import each other.
FLOORS = {
    "quotegraph.model": 0,  # the data model, settings, errors and text folding: used by every stage
    "quotegraph.settings": 0,
    "quotegraph.errors": 0,
    "quotegraph.textnorm": 0,
    "quotegraph.version": 0,
    "quotegraph.timelimit": 0,  # a time limit on work in a thread: used by the pipeline
    "quotegraph.ingest": 1,  # files, pages, records -> Article
    "quotegraph.nlp": 1,  # the spaCy pipeline
    "quotegraph.extract": 2,
    "quotegraph.resolve": 3,
    "quotegraph.pipeline": 4,  # the stages run on one article, and scoring what they find
    "quotegraph.evaluate": 4,
    "quotegraph.store": 5,
    "quotegraph.jobs": 6,  # whole runs: files in, database out; on Dask for a corpus
    "quotegraph.batch": 6,
    "quotegraph.serve": 7,  # the command line, the web app and the API, the exports
    "quotegraph": 8,  # the public API (__init__.py)
}
MAX_CLASS_LINES = 300


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The quotegraph modules ``name`` imports, anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {f for f in found if f in MODULES and f != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def stage(name: str) -> str:
    """The stage a module belongs to: the longest FLOORS key that is it or holds it."""
    return max((s for s in FLOORS if name == s or name.startswith(s + ".")), key=len)


def test_every_module_has_a_floor() -> None:
    assert all(stage(name) for name in MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_runs_back_up(name: str) -> None:
    ours = stage(name)
    wrong = [
        other
        for other in sorted(GRAPH[name])
        if stage(other) != ours and FLOORS[stage(other)] >= FLOORS[ours]
    ]
    assert not wrong, f"{name} (floor {FLOORS[ours]}) imports {wrong}, on its floor or above"


def test_no_import_circle() -> None:
    """Depth-first search for a back edge; the circle found is printed whole."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        path.append(name)
        for other in sorted(GRAPH[name]):
            if state.get(other) == "open":
                return [*path[path.index(other) :], other]
            if other not in state and (circle := visit(other)):
                return circle
        state[name] = "done"
        path.pop()
        return None

    for name in sorted(MODULES):
        if name not in state:
            circle = visit(name)
            assert circle is None, " -> ".join(circle)


def test_the_graph_holds_known_arrows() -> None:
    """The graph is really read: known arrows are in it."""
    assert "quotegraph.store.database" in GRAPH["quotegraph.store.sql"]
    assert "quotegraph.resolve.linking" in GRAPH["quotegraph.store.canonical"]
    assert stage("quotegraph.store.sql") == "quotegraph.store" and stage("quotegraph") == "quotegraph"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_class_over_300_lines(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({(node.end_lineno or node.lineno) - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and (node.end_lineno or node.lineno) - node.lineno + 1 > MAX_CLASS_LINES
    ]
    assert not long, f"{name}: {long}"
