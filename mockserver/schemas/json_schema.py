"""The JSON Schemas a request carries (function ``parameters``, ``response_format`` schemas),
checked against their metaschema with the ``jsonschema`` library, as the real API refused an
invalid schema at creation (a 400 naming the function) instead of failing later.

The schema's own ``$schema`` picks the draft; without one it is draft 2020-12 (what pydantic v2
and most frameworks emit; ``definitions`` and ``$defs`` both work as ``$ref`` targets).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jsonschema

from .. import errors

#: how much of the offending value an error message quotes
_DETAIL_LIMIT = 200

#: ``json.dumps(value, ensure_ascii=False)`` without a new encoder on every call (a quarter of
#: the time it took for a function's parameters); an encoder keeps no state between calls
_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def problem(schema: Any) -> tuple[tuple[Any, ...], str] | None:
    """Where and why ``schema`` is not a valid JSON Schema (None when it is).

    The Responses API sends its tools with every request, where an assistant sent them once:
    checking the same schema against its metaschema each time cost more than the rest of the
    request. The verdict is a pure function of the schema's JSON text (key order included),
    so it is remembered by that text."""
    return _problem_of_text(_TEXT(schema))


@lru_cache(maxsize=256)
def _problem_of_text(text: str) -> tuple[tuple[Any, ...], str] | None:
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        error = jsonschema.exceptions.best_match(cls(cls.META_SCHEMA).iter_errors(schema))
    except RecursionError:
        return (), "the schema is nested too deeply"
    if error is None:
        return None
    detail = error.message
    if len(detail) > _DETAIL_LIMIT:
        detail = detail[: _DETAIL_LIMIT - 1] + "…"
    return tuple(error.absolute_path), detail


def _invalid(value: Mapping[str, Any], key: str) -> tuple[str, tuple[Any, ...], str] | None:
    """The object's ``name`` (``""`` if none) and where and why its ``key`` is not a valid
    JSON Schema (None when it is, or is not an object: the shape checks see to that)."""
    if not isinstance(value.get(key), dict):
        return None
    found = problem(value[key])
    if found is None:
        return None
    name = value.get("name") if isinstance(value.get("name"), str) else ""
    return (name, *found)


def function_parameters(value: Mapping[str, Any], path: str) -> None:
    """A rule of the function object: its ``parameters`` must be a valid JSON Schema."""
    found = _invalid(value, "parameters")
    if found is not None:
        name, where, why = found
        raise errors.invalid_function_schema(name, f"{path}.parameters", where, why)


def response_format_schema(value: Mapping[str, Any], path: str) -> None:
    """A rule of ``response_format.json_schema``: its ``schema`` must be a valid JSON Schema."""
    found = _invalid(value, "schema")
    if found is not None:
        raise errors.invalid_response_format_schema(*found)
