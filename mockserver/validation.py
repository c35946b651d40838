"""Request checks with the real API's messages.

Request bodies are described as data (a small tree of :class:`Field` objects, see
``schemas/``) and checked by one walker that raises the first violation as an
:class:`~mockserver.errors.APIError` with the real template and a dotted ``param`` path such as
``messages[0].content``. Checks run before anything changes, so bad input never changes state.

The walker also hands back the body as the rules should see it, under one rule that holds at
every depth: **an explicit ``null`` for an optional field means "not given"** and the field is
dropped (``{"messages": null}``, ``tool_resources.file_search: null``, a tool's
``file_search.max_num_results: null``...), as the real API treated it. The exceptions are the
fields an object schema names in ``clears``: there ``null`` is a value the API documents (it
clears the setting on a modify, or a run's ``temperature``), and it is kept. A ``null`` for a
required field, an array item or a map value is still the real ``invalid_type`` 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import errors

JSON = Any


def type_name(value: JSON) -> str:
    """How the real API names the type it got: ``a string``, ``an integer``, ``null``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


class Field:
    """One node of a request schema. ``check`` raises the first violation or returns the value
    as the rules should see it. ``nullable``: ``null`` is an ordinary value of this node (free
    JSON such as a function's parameter schema), not "not given"."""

    nullable: bool = False
    expected: str = "a value"

    def check(self, value: JSON, path: str) -> JSON:  # pragma: no cover - interface
        raise NotImplementedError


def check(schema: Field, value: JSON, path: str) -> JSON:
    if value is None:
        if schema.nullable:
            return None
        raise errors.invalid_type(path, schema.expected, "null")
    return schema.check(value, path)


@dataclass
class Str(Field):
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    expected: str = "a string"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, str):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if self.max_length is not None and len(value) > self.max_length:
            raise errors.string_too_long(path, self.max_length, len(value))
        if self.min_length is not None and len(value) < self.min_length:
            raise errors.string_too_short(path, self.min_length, len(value))
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise errors.pattern_mismatch(path, self.pattern)
        return value


@dataclass
class Id(Field):
    """A reference to an object; a wrong prefix is the real ``invalid_value`` 400."""

    prefix: str = ""
    label: str = ""  # the prefix as the real message spells it, e.g. 'asst' for 'asst_'
    expected: str = "a string"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, str):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if not value.startswith(self.prefix):
            raise errors.invalid_id(path, value, self.label or self.prefix)
        return value


@dataclass
class Enum(Field):
    values: Sequence[str] = ()
    expected: str = "a string"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, str):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if value not in self.values:
            raise errors.invalid_value(path, value, self.values)
        return value


@dataclass
class Int(Field):
    minimum: int | None = None
    maximum: int | None = None
    expected: str = "an integer"

    def check(self, value: JSON, path: str) -> JSON:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise errors.invalid_type(path, self.expected, type_name(value))
        _range(path, "integer", value, self.minimum, self.maximum)
        return value


@dataclass
class Num(Field):
    minimum: float | None = None
    maximum: float | None = None
    expected: str = "a decimal"

    def check(self, value: JSON, path: str) -> JSON:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise errors.invalid_type(path, self.expected, type_name(value))
        _range(path, "decimal", value, self.minimum, self.maximum)
        return value


@dataclass
class Bool(Field):
    expected: str = "a boolean"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, bool):
            raise errors.invalid_type(path, self.expected, type_name(value))
        return value


@dataclass
class Arr(Field):
    items: Field = field(default_factory=lambda: AnyValue())
    max_items: int | None = None
    min_items: int | None = None
    expected: str = "an array"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, list):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if self.min_items is not None and len(value) < self.min_items:
            raise errors.array_too_short(path, self.min_items, len(value))
        if self.max_items is not None and len(value) > self.max_items:
            raise errors.array_too_long(path, self.max_items, len(value))
        return [check(self.items, item, f"{path}[{i}]") for i, item in enumerate(value)]


@dataclass
class Obj(Field):
    """A JSON object with known properties; anything else is an unknown parameter.

    ``clears`` names the properties where an explicit ``null`` is a value the API documents
    (it clears the setting); everywhere else a ``null`` for an optional property is dropped,
    as if it had not been sent."""

    properties: Mapping[str, Field] = field(default_factory=dict)
    required: Sequence[str] = ()
    clears: Sequence[str] = ()
    expected: str = "an object"
    #: extra whole-object rules, run after the properties (e.g. "exactly one of a, b")
    rules: Sequence[Callable[[Mapping[str, JSON], str], None]] = ()
    #: a missing required property is reported before an unknown one (the Responses API's
    #: function tool: the Chat shape is answered with its missing ``name``)
    required_first: bool = False

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, dict):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if self.required_first:
            self._check_required(value, path)
        properties = self.properties
        for key in value:
            if key not in properties:
                raise errors.unknown_parameter(_join(path, key))
        self._check_required(value, path)
        given: dict[str, JSON] = {}
        for key, item in value.items():
            schema = properties[key]
            if item is None:
                if schema.nullable or key in self.clears:
                    given[key] = None
                elif key in self.required:
                    raise errors.invalid_type(_join(path, key), schema.expected, "null")
                # else: an explicit null for an optional field means "not given"
                continue
            # check(schema, item, ...) for an item known not to be null, one call less a key
            given[key] = schema.check(item, f"{path}.{key}" if path else key)
        for rule in self.rules:
            rule(given, path)
        return given

    def _check_required(self, value: Mapping[str, JSON], path: str) -> None:
        for key in self.required:
            if key not in value:
                raise errors.missing_parameter(_join(path, key))


@dataclass
class Map(Field):
    """A free-form object such as ``metadata`` or file ``attributes``."""

    values: Field = field(default_factory=lambda: Str())
    max_properties: int | None = None
    max_key_length: int | None = None
    expected: str = "an object"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, dict):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if self.max_properties is not None and len(value) > self.max_properties:
            raise errors.too_many_properties(path, self.max_properties, len(value))
        given = {}
        for key, item in value.items():
            if self.max_key_length is not None and len(key) > self.max_key_length:
                raise errors.property_name_too_long(path, key, self.max_key_length)
            given[key] = check(self.values, item, f"{path}.{key}")
        return given


@dataclass
class Tagged(Field):
    """A union discriminated by ``type`` (tools, content parts, filters)."""

    variants: Mapping[str, Field] = field(default_factory=dict)
    expected: str = "an object"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, dict):
            raise errors.invalid_type(path, self.expected, type_name(value))
        if "type" not in value:
            raise errors.missing_parameter(_join(path, "type"))
        kind = value["type"]
        if not isinstance(kind, str):
            raise errors.invalid_type(_join(path, "type"), "a string", type_name(kind))
        if kind not in self.variants:
            raise errors.invalid_value(_join(path, "type"), kind, list(self.variants))
        return check(self.variants[kind], value, path)


@dataclass
class OneOf(Field):
    """A value that may take several JSON types, chosen by the type it has."""

    options: Sequence[Field] = ()
    expected: str = "a value"

    def check(self, value: JSON, path: str) -> JSON:
        for option in self.options:
            if _accepts_type(option, value):
                return option.check(value, path)
        raise errors.invalid_type(path, self.expected, type_name(value))


@dataclass
class AnyValue(Field):
    nullable: bool = True
    expected: str = "a value"

    def check(self, value: JSON, path: str) -> JSON:
        return value


def _accepts_type(option: Field, value: JSON) -> bool:
    if isinstance(option, (Str, Enum, Id)):
        return isinstance(value, str)
    if isinstance(option, Bool):
        return isinstance(value, bool)
    if isinstance(option, Int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(option, Num):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(option, Arr):
        return isinstance(value, list)
    if isinstance(option, (Obj, Map, Tagged)):
        return isinstance(value, dict)
    return True


def _range(path: str, kind: str, value: float, lo: float | None, hi: float | None) -> None:
    if lo is not None and value < lo:
        raise errors.number_out_of_range(path, kind, False, lo, value)
    if hi is not None and value > hi:
        raise errors.number_out_of_range(path, kind, True, hi, value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def validate(schema: Obj, body: Mapping[str, JSON]) -> dict[str, JSON]:
    """Check a whole request body; return it as the rules see it (optional nulls dropped)."""
    return check(schema, body, "")


def exactly_one_of(*names: str) -> Callable[[Mapping[str, JSON], str], None]:
    """A rule: at most one of ``names`` may be given."""

    def rule(value: Mapping[str, JSON], path: str) -> None:
        given = [n for n in names if value.get(n) is not None]
        if len(given) > 1:
            raise errors.only_one_of(names, path, _join(path, given[1]))

    return rule
