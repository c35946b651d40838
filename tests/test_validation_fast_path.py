"""Request validation answers ordinary valid bodies through compiled acceptors and walks only
the rest (``mockserver/validation.py``). The acceptors must never disagree with the walker:
for every endpoint's schema, bodies made and mutated by the random walk's generator
(``tests/request_walk.py``) get from :func:`validate` exactly what the walker alone gives, the
same value with the same types and key order, or the same error."""

from __future__ import annotations

import os
from typing import Any

import pytest

from mockserver import validation
from mockserver.errors import APIError
from tests.request_walk import ENDPOINTS, Walk

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BODIES = 400 if CI else 120
SCHEMAS = {f"{e.method} {e.path}": e.schema for e in ENDPOINTS if e.schema is not None}


def shape(value: Any) -> Any:
    """The value with every type spelled out (``5`` and ``5.0``, ``True`` and ``1`` differ)
    and key order kept."""
    if isinstance(value, dict):
        return ("dict", [(k, shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [shape(v) for v in value])
    return (type(value).__name__, value)


def outcome(run, *args) -> Any:
    try:
        return "ok", shape(run(*args))
    except APIError as error:
        return "error", error.status, error.body()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_fast_path_agrees_with_the_walker(name):
    schema = SCHEMAS[name]
    walk = Walk(sum(map(ord, name)))
    accepted = refused = 0
    for i in range(BODIES):
        body = walk.value(schema, "", 0)
        if i % 2:
            body = walk.mutate_somewhere(schema, body)
        fast = outcome(validation.validate, schema, body)
        walker = outcome(validation.check, schema, body, "")
        assert fast == walker, f"{name}, body {i}: {body!r:.300}"
        accepted += fast[0] == "ok"
        refused += fast[0] == "error"
    assert accepted and refused  # both kinds of body were tried


def nodes(root: validation.Field) -> list[validation.Field]:
    """Every node of a schema tree, once each (trees share nodes and may hold themselves)."""
    seen: dict[int, validation.Field] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        if isinstance(node, validation.Obj):
            stack.extend(node.properties.values())
        elif isinstance(node, validation.Arr):
            stack.append(node.items)
        elif isinstance(node, validation.Map):
            stack.append(node.values)
        elif isinstance(node, validation.Tagged):
            stack.extend(node.variants.values())
        elif isinstance(node, validation.OneOf):
            stack.extend(node.options)
    return list(seen.values())


def edges(node: validation.Field) -> list[Any]:
    """Values at and just past a node's limits, and of the neighbouring types."""
    values: list[Any] = [None, True, 0, 1.0, 2.5, "", "x", [], {}]
    if isinstance(node, (validation.Int, validation.Num)):
        for bound in (node.minimum, node.maximum):
            if bound is not None:
                values += [bound, bound - 1, bound + 1, float(bound), bound + 0.5, bound - 0.5]
    if isinstance(node, validation.Str):
        for size in (node.min_length, node.max_length):
            if size is not None:
                values += ["a" * n for n in (size - 1, size, size + 1) if n >= 0]
    if isinstance(node, validation.Arr):
        for size in (node.min_items, node.max_items):
            if size is not None:
                values += [[None] * n for n in (size - 1, size, size + 1) if n >= 0]
    if isinstance(node, validation.Map) and node.max_properties is not None:
        values += [{f"k{i}": "v" for i in range(node.max_properties + d)} for d in (0, 1)]
    if isinstance(node, validation.Enum):
        values += [*node.values, node.values[0].upper() if node.values else "X"]
    if isinstance(node, validation.Id):
        values += [node.prefix + "abc", "x" + node.prefix]
    return values


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_node_agrees_at_its_limits(name):
    tried = 0
    for node in nodes(SCHEMAS[name]):
        for value in edges(node):
            fast = outcome(validation.validate, node, value)
            walker = outcome(validation.check, node, value, "")
            assert fast == walker, f"{name}: {node!r:.200} with {value!r:.100}"
            tried += 1
    assert tried
