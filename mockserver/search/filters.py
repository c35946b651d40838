"""Attribute filters of a vector store search (``filters``): comparison and compound filters
over a vector store file's ``attributes``. Pure: no sandbox, no HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def matches(spec: Mapping[str, Any] | None, attributes: Mapping[str, Any]) -> bool:
    """Whether ``attributes`` pass a comparison (eq, ne, gt, gte, lt, lte, in, nin) or compound
    (and, or) filter. A comparison on a missing key fails, except ``ne`` and ``nin``."""
    if spec is None:
        return True
    kind = spec["type"]
    if kind == "and":
        return all(matches(f, attributes) for f in spec["filters"])
    if kind == "or":
        return any(matches(f, attributes) for f in spec["filters"])
    key, value = spec["key"], spec["value"]
    if key not in attributes:
        return kind in ("ne", "nin")
    actual = attributes[key]
    if kind == "eq":
        return _same(actual, value)
    if kind == "ne":
        return not _same(actual, value)
    if kind in ("in", "nin"):
        values = value if isinstance(value, list) else [value]
        found = any(_same(actual, v) for v in values)
        return found if kind == "in" else not found
    if not _comparable(actual, value):
        return False
    if kind == "gt":
        return actual > value
    if kind == "gte":
        return actual >= value
    if kind == "lt":
        return actual < value
    return actual <= value  # lte


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (
        isinstance(a, str) and isinstance(b, str)
    )
