"""The seams the layout promises (issue 11): no route touches a sandbox's tables or records,
and the rules (engine, resources, search) never see the app's configuration: a sandbox
carries what they need (its policy, its seed, its collections by name).

Read from the source with ``ast``, like the import-cycle test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import mockserver
from mockserver.backend import Backend

PACKAGE = Path(mockserver.__file__).parent

#: what reaches a sandbox's state: the store's own access, and the backend's named
#: collections and records (methods: only a call of one counts, ``form.files`` is no table)
STORE_ACCESS = {"table", "tables", "drop_table", "aux", "internal"}
NAMED_ACCESS = {
    name for name in vars(Backend) if not name.startswith("_") and name not in ("policy", "seed")
}


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py"))


def test_no_route_touches_a_table_or_a_record():
    touching = []
    for path in _modules("routes"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and (
                node.attr in STORE_ACCESS or (node.attr in NAMED_ACCESS and id(node) in called)
            ):
                touching.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
    assert touching == []


def test_the_rules_never_read_the_app_configuration():
    reading = []
    for folder in ("engine", "resources", "search"):
        for path in _modules(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("config"):
                    reading.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
                if isinstance(node, ast.Attribute) and node.attr == "config":
                    reading.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .config")
    assert reading == []


def test_the_checks_see_what_they_look_for():
    assert {"runs", "run_records", "vector_store_files"} <= NAMED_ACCESS
    assert _modules("routes") and _modules("search")
