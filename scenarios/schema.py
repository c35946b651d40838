"""The scenario document format (version 1), as data, and its strict checker.

A checker walks a document and returns its canonical form (shorthands expanded, defaults
filled), or raises :class:`ScenarioError` naming the place (``runs[0].steps[1]``) and the
valid keys or values. It never raises anything else, whatever the document holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

VERSIONS = (1,)
END_STATUSES = ("completed", "failed", "incomplete", "expired", "cancelled", "cancel_loses_race")
FAILED_CODES = ("server_error", "rate_limit_exceeded", "invalid_prompt")
INCOMPLETE_REASONS = ("max_completion_tokens", "max_prompt_tokens")
METHODS = ("GET", "POST", "DELETE", "*")
INGESTION_ERROR_CODES = ("server_error", "unsupported_file", "invalid_file")
DELETE_SCOPES = ("store", "global")
TEMPLATE_FIELD = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
TEMPLATE_NAMES = re.compile(r"^(output|user_message|outputs\.[A-Za-z0-9_-]+)$")


class ScenarioError(ValueError):
    """A scenario document that cannot be loaded; the message says where and why.

    ``redacted`` says the same without quoting the document (values, unknown keys, parser
    snippets): what may be shown to someone who did not write the file, e.g. over HTTP.
    """

    def __init__(self, message: str, redacted: str | None = None) -> None:
        super().__init__(message)
        self.redacted = message if redacted is None else redacted


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string",
            list: "list", dict: "mapping"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    if not re.fullmatch(r"[A-Za-z_][\w-]*", key):
        return f"{place}[{key!r}]"
    return f"{place}.{key}" if place else key


def fail(place: str, problem: str, quoting: str = "", rest: str = "") -> ScenarioError:
    """The error at ``place``: ``problem``, then ``quoting`` (what quotes the document, left
    out of the redacted message), then ``rest``."""
    where = place or "(top level)"
    return ScenarioError(f"{where}: {problem}{quoting}{rest}", f"{where}: {problem}{rest}")


def mismatch(place: str, expected: str, value: Any) -> ScenarioError:
    """``expected a list, got string 'x'`` (redacted: ``... got string``)."""
    return fail(place, f"expected {expected}, got {_type_name(value)}", f" {_show(value)}")


Check = Callable[[Any, str], Any]


def string(value: Any, place: str) -> str:
    if not isinstance(value, str):
        raise mismatch(place, "a string", value)
    return value


def nonempty_string(value: Any, place: str) -> str:
    if not string(value, place):
        raise fail(place, "expected a non-empty string")
    return value


def boolean(value: Any, place: str) -> bool:
    if not isinstance(value, bool):
        raise mismatch(place, "true or false", value)
    return value


def integer(minimum: int = 0, maximum: int | None = None) -> Check:
    def check(value: Any, place: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise mismatch(place, "an integer", value)
        if value < minimum or (maximum is not None and value > maximum):
            bound = f">= {minimum}" if maximum is None else f"between {minimum} and {maximum}"
            raise fail(place, f"expected an integer {bound}", f", got {value}")
        return value
    return check


def number(minimum: float, maximum: float) -> Check:
    def check(value: Any, place: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise mismatch(place, "a number", value)
        if not minimum <= value <= maximum:
            raise fail(place, f"expected a number between {minimum} and {maximum}", f", got {value}")
        return float(value)
    return check


def one_of(*names: Any) -> Check:
    def check(value: Any, place: str) -> Any:
        if isinstance(value, bool) or value not in names:
            raise fail(place, "unknown value", f" {_show(value)}", f"; valid values: {', '.join(map(str, names))}")
        return value
    return check


def regex(value: Any, place: str) -> str:
    string(value, place)
    try:
        re.compile(value)
    except re.error as exc:
        raise fail(place, "not a valid regular expression", f": {exc}") from None
    return value


def template(value: Any, place: str) -> str:
    """Text with ``{{output}}``, ``{{outputs.NAME}}`` or ``{{user_message}}`` placeholders."""
    string(value, place)
    for name in TEMPLATE_FIELD.findall(value):
        if not TEMPLATE_NAMES.match(name):
            raise fail(place, "unknown placeholder", f" '{{{{{name}}}}}'",
                       "; valid: {{output}}, {{outputs.NAME}}, {{user_message}}")
    return value


def list_of(item: Check, min_items: int = 0) -> Check:
    def check(value: Any, place: str) -> list[Any]:
        if not isinstance(value, list):
            raise mismatch(place, "a list", value)
        if len(value) < min_items:
            raise fail(place, f"expected at least {min_items} item(s)")
        return [item(v, _join(place, i)) for i, v in enumerate(value)]
    return check


def map_of(key: Check, item: Check) -> Check:
    def check(value: Any, place: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise mismatch(place, "a mapping", value)
        out = {}
        for k, v in value.items():
            key(k, place)
            out[k] = item(v, _join(place, str(k)))
        return out
    return check


def any_json(value: Any, place: str) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise fail(place, "expected a finite number")
        return value
    if isinstance(value, list):
        return [any_json(v, _join(place, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {string(k, place): any_json(v, _join(place, str(k))) for k, v in value.items()}
    raise fail(place, f"expected plain JSON data, got {_type_name(value)}")


@dataclass
class Obj:
    """A mapping with known keys; ``exactly_one`` names keys of which one must be present."""

    fields: dict[str, Check]
    required: tuple[str, ...] = ()
    exactly_one: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)

    def __call__(self, value: Any, place: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise mismatch(place, "a mapping", value)
        for key in value:
            if not isinstance(key, str) or key not in self.fields:
                raise fail(place, "unknown key", f" {_show(key)}", f"; valid keys: {', '.join(self.fields)}")
        for key in self.required:
            if key not in value:
                raise fail(place, f"missing required key '{key}'")
        if self.exactly_one:
            present = [k for k in self.exactly_one if k in value]
            if len(present) != 1:
                got = ", ".join(present) if present else "none"
                raise fail(place, f"expected exactly one of {', '.join(self.exactly_one)}; got {got}")
        out = dict(self.defaults)
        for key, item in value.items():
            out[key] = self.fields[key](item, _join(place, key))
        return out


def either(*options: tuple[type | tuple[type, ...], Check], expected: str) -> Check:
    """Pick a checker by the value's type (e.g. a string shorthand or a full mapping)."""
    def check(value: Any, place: str) -> Any:
        for kinds, checker in options:
            # a YAML/JSON boolean is an int to Python; it only ever matches ``bool`` itself
            matched = kinds is bool if isinstance(value, bool) else isinstance(value, kinds)
            if matched:
                return checker(value, place)
        raise mismatch(place, expected, value)
    return check
