"""mockserver's modules import one another without a cycle (issue 11).

Imports flow one way, from the edge (routes, CLI, plugin) to the core (engine, resources,
store): a cycle means two modules each need the other, so neither can be read, changed or
tested alone. The graph is read from the source with ``ast``: every import counts, those
inside functions too (a function-level import that dodges a cycle is a seam in the wrong
place); only imports under ``if TYPE_CHECKING:`` are left out, since they never run.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = "mockserver"


@cache
def _source(module: str) -> Path | None:
    """The file of a module of the package (packages mapped from other folders, such as
    ``mockserver.scenarios``, included), or None if ``module`` is not a module."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _is_package(module: str) -> bool:
    source = _source(module)
    return source is not None and source.name == "__init__.py"


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            for orelse in child.orelse:  # type: ignore[attr-defined]
                yield from _import_nodes(orelse)
            continue
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        yield from _import_nodes(child)


def imports_of(module: str) -> set[str]:
    """The modules of the package that ``module`` imports, wherever in the file."""
    source = _source(module)
    assert source is not None, module
    tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    package = module if _is_package(module) else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([base] if base else []))
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            # ``from pkg import name``: the submodule if there is one, else pkg itself
            found.add(candidate if _source(candidate) is not None else base)
    return {m for m in found if (m == ROOT or m.startswith(ROOT + ".")) and _source(m)}


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    todo = [ROOT]
    while todo:
        module = todo.pop()
        if module in graph:
            continue
        graph[module] = imports_of(module)
        todo.extend(graph[module] - graph.keys())
        # a package's modules belong to the graph even if nothing imports them yet
        source = _source(module)
        if source is not None and source.name == "__init__.py":
            for path in sorted(source.parent.iterdir()):
                name = path.stem if path.suffix == ".py" else path.name
                child = f"{module}.{name}"
                if name != "__init__" and child not in graph and _source(child):
                    todo.append(child)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_through(graph, group) for group in groups]


def _path_through(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest cycle from the group's first module back to itself, to show."""
    members, start = set(group), group[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    return group


def test_the_graph_sees_every_module_and_every_kind_of_import():
    graph = import_graph()
    assert {"mockserver.app", "mockserver.engine.machine", "mockserver.scenarios"} <= graph.keys()
    # a module-level relative import, one from a package's own modules, one inside a function
    assert "mockserver.store" in graph["mockserver.engine.machine"]
    assert "mockserver.engine.machine" in graph["mockserver.engine.runner"]
    assert "mockserver.scenarios" in graph["mockserver.app"]


def test_the_walk_finds_a_cycle_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["d", "d"]]


def test_no_module_of_the_package_is_part_of_an_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)
