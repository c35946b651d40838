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

Every create request is checked, and almost every body is valid, so :func:`validate` checks a
body twice over only when it must. Each tree is compiled once, on first use, into small
*acceptors* (:meth:`Field.compile`): closures that hold the node's limits and return what
``check`` would return for an ordinary valid value, without building a single ``param`` path,
and give up (:class:`Unusual`) on anything else: a violation, an explicit ``null`` where it is
an error, a float where an integer is due, a rule that refuses. Only then does the walker above
run, from the root, and name the first violation, so the messages, their paths and their order
have one author. An acceptor only ever says "valid, and this is the value"; it never decides
which error a body gets.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

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


class Unusual(Exception):
    """An acceptor does not vouch for a value: :func:`validate` hands the body to the walker."""


class Never:
    """A class no value has: the ``plain`` class of a node that passes nothing unchecked."""


#: a compiled node's acceptor: the value as ``check`` returns it, or :class:`Unusual`
Accept = Callable[[JSON], JSON]
#: a compiled node: the class of the values it returns as they are, with no check beyond
#: their class (``str`` for a ``Str`` without limits, else :class:`Never`), and its acceptor
Compiled = tuple[type, Accept]
#: how a node compiles its children (through the tree's compiler, which shares and ties cycles)
Sub = Callable[["Field"], Compiled]


class Field:
    """One node of a request schema. ``check`` raises the first violation or returns the value
    as the rules should see it. ``nullable``: ``null`` is an ordinary value of this node (free
    JSON such as a function's parameter schema), not "not given".

    ``compile`` makes the node's fast acceptor (see the module's docstring). A subclass that
    overrides ``check`` without its own ``compile`` is accepted through its ``check``, so a new
    kind of node is right before it is fast. Trees are compiled on first use and the result is
    kept on each node (``_compiled``): a schema is not changed after it has checked a body."""

    nullable: bool = False
    expected: str = "a value"
    _compiled: ClassVar[Compiled | None] = None

    def check(self, value: JSON, path: str) -> JSON:  # pragma: no cover - interface
        raise NotImplementedError

    def _accept(self, value: JSON) -> JSON:
        """The compiled acceptor, compiled on the first call; the tree's compiler then keeps
        the acceptor itself on the node, where it answers every later call."""
        return _compile_tree(self)[1](value)

    def compile(self, sub: Sub) -> Compiled:
        """The node through its own ``check``: any error it raises sends the body to the
        walker, which raises it again with the real path."""
        node = self

        def accept(value: JSON) -> JSON:
            try:
                return check(node, value, "")
            except errors.APIError:
                raise Unusual from None

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        if self.max_length is None and self.min_length is None and self.pattern is None:
            return str, _of_class(str)
        lo = self.min_length or 0
        hi = _NO_LIMIT if self.max_length is None else self.max_length
        fullmatch = None if self.pattern is None else re.compile(self.pattern).fullmatch

        if fullmatch is not None:

            def accept(value: JSON) -> JSON:
                if value.__class__ is str and lo <= len(value) <= hi and fullmatch(value):
                    return value
                raise Unusual

        elif lo == 0:

            def accept(value: JSON) -> JSON:
                if value.__class__ is str and len(value) <= hi:
                    return value
                raise Unusual

        else:

            def accept(value: JSON) -> JSON:
                if value.__class__ is str and lo <= len(value) <= hi:
                    return value
                raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        prefix = self.prefix

        def accept(value: JSON) -> JSON:
            if value.__class__ is str and value.startswith(prefix):
                return value
            raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        values = frozenset(self.values)

        def accept(value: JSON) -> JSON:
            if value.__class__ is str and value in values:
                return value
            raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        lo, hi = _bounds(self.minimum, self.maximum)

        def accept(value: JSON) -> JSON:
            if value.__class__ is int and lo <= value <= hi:
                return value
            if value.__class__ is float and value.is_integer() and lo <= int(value) <= hi:
                return int(value)
            raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        lo, hi = _bounds(self.minimum, self.maximum)

        def accept(value: JSON) -> JSON:
            kind = value.__class__
            if (kind is float or kind is int) and lo <= value <= hi:
                return value
            raise Unusual

        return Never, accept


@dataclass
class Bool(Field):
    expected: str = "a boolean"

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, bool):
            raise errors.invalid_type(path, self.expected, type_name(value))
        return value

    def compile(self, sub: Sub) -> Compiled:
        return bool, _of_class(bool)


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

    def compile(self, sub: Sub) -> Compiled:
        lo = self.min_items or 0
        hi = _NO_LIMIT if self.max_items is None else self.max_items
        plain, item = sub(self.items)

        if item is _itself:

            def accept(value: JSON) -> JSON:
                if value.__class__ is list and lo <= len(value) <= hi:
                    return list(value)
                raise Unusual

        elif plain is Never:

            def accept(value: JSON) -> JSON:
                if value.__class__ is list and lo <= len(value) <= hi:
                    return [item(x) for x in value]
                raise Unusual

        else:

            def accept(value: JSON) -> JSON:
                if value.__class__ is list and lo <= len(value) <= hi:
                    return [x if x.__class__ is plain else item(x) for x in value]
                raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        # per property: the class its values have when they pass with no check but their
        # class, and its acceptor; an unknown key fails the lookup (a KeyError, see validate)
        compiled = {key: sub(schema) for key, schema in self.properties.items()}
        plain_of = {key: plain for key, (plain, _) in compiled.items()}
        accept_of = {key: accept for key, (_, accept) in compiled.items()}
        required = tuple(self.required)
        kept_null = frozenset(
            key for key, schema in self.properties.items() if schema.nullable or key in self.clears
        )
        rules = tuple(self.rules)

        def accept(value: JSON) -> JSON:
            if value.__class__ is not dict:
                raise Unusual
            for key in required:
                if key not in value:
                    raise Unusual
            given = {**value}
            for key, item in value.items():
                if item.__class__ is not plain_of[key]:
                    try:
                        given[key] = accept_of[key](item)
                    except Unusual:
                        # null: a value where it clears, an error where it is required, else
                        # "not given" (the walker's order)
                        if item is not None or (key not in kept_null and key in required):
                            raise
                        if key not in kept_null:
                            del given[key]
            for rule in rules:
                # a rule's verdict never depends on the path, which only names the place in
                # its message: a refusal here is raised again by the walker, with the path
                rule(given, "")
            return given

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        most = _NO_LIMIT if self.max_properties is None else self.max_properties
        longest = _NO_LIMIT if self.max_key_length is None else self.max_key_length
        plain, accept_item = sub(self.values)
        values = self.values

        if accept_item is _itself and longest == _NO_LIMIT:

            def accept(value: JSON) -> JSON:
                if value.__class__ is dict and len(value) <= most:
                    return {**value}
                raise Unusual

        elif type(values) is Str and values.min_length is None and values.pattern is None:
            # metadata: strings up to a length, checked here rather than one call each
            hi = _NO_LIMIT if values.max_length is None else values.max_length

            def accept(value: JSON) -> JSON:
                if value.__class__ is not dict or len(value) > most:
                    raise Unusual
                for key in value:
                    item = value[key]
                    if len(key) > longest or item.__class__ is not str or len(item) > hi:
                        raise Unusual
                return {**value}

        else:

            def accept(value: JSON) -> JSON:
                if value.__class__ is not dict or len(value) > most:
                    raise Unusual
                given = {}
                for key in value:
                    if len(key) > longest:
                        raise Unusual
                    item = value[key]
                    given[key] = item if item.__class__ is plain else accept_item(item)
                return given

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        variants = {kind: sub(schema)[1] for kind, schema in self.variants.items()}

        def accept(value: JSON) -> JSON:
            if value.__class__ is dict:
                kind = value.get("type")
                if kind.__class__ is str:
                    accept_variant = variants.get(kind)
                    if accept_variant is not None:
                        return accept_variant(value)
            raise Unusual

        return Never, accept


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

    def compile(self, sub: Sub) -> Compiled:
        # the option each JSON class goes to (the first that takes it), settled once; a class
        # whose option passes its values unchecked passes them here too (a string ``input``)
        by_class = {}
        plain: type = Never
        for sample in _SAMPLES:
            option = next((o for o in self.options if _accepts_type(o, sample)), None)
            if option is not None:
                option_plain, by_class[sample.__class__] = sub(option)
                if plain is Never and option_plain is sample.__class__:
                    plain = option_plain

        def accept(value: JSON) -> JSON:
            accept_option = by_class.get(value.__class__)
            if accept_option is None:
                raise Unusual
            return accept_option(value)

        return plain, accept


@dataclass
class AnyValue(Field):
    nullable: bool = True
    expected: str = "a value"

    def check(self, value: JSON, path: str) -> JSON:
        return value

    def compile(self, sub: Sub) -> Compiled:
        return Never, _itself


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


#: "no limit" for a length: no list, string or object is longer
_NO_LIMIT = sys.maxsize

#: a value of each class JSON has, but null: what a ``OneOf`` dispatches on
_SAMPLES: tuple[JSON, ...] = ("", True, 0, 0.0, [], {})


def _bounds(lo: float | None, hi: float | None) -> tuple[float, float]:
    """A number's limits, with none as infinite (every JSON number is within those)."""
    return (-math.inf if lo is None else lo), (math.inf if hi is None else hi)


def _itself(value: JSON) -> JSON:
    """The acceptor of a node that takes any value as it is (:class:`AnyValue`)."""
    return value


def _of_class(kind: type) -> Accept:
    """The acceptor of a node whose only check is the value's class (exactly, not a subclass:
    the walker sees to those)."""

    def accept(value: JSON) -> JSON:
        if value.__class__ is kind:
            return value
        raise Unusual

    return accept


def validate(schema: Obj, body: Mapping[str, JSON]) -> dict[str, JSON]:
    """Check a whole request body; return it as the rules see it (optional nulls dropped).
    The compiled acceptor answers for an ordinary valid body; anything else is walked, and
    the walker raises the first violation (see the module's docstring)."""
    try:
        return schema._accept(body)
    except (Unusual, KeyError, errors.APIError):
        # a violation, an unknown key (a failed lookup in an object's table), a refusing rule
        return check(schema, body, "")


def _compile_tree(root: Field) -> Compiled:
    """Compile ``root`` and every node below it not compiled yet, and keep each result on its
    node. The results are kept only once the whole tree is done, so no one else ever sees a
    half-made acceptor; a node met again inside itself (compound filters hold filters) gets a
    stand-in that calls the node's acceptor once it exists."""
    made: dict[int, tuple[Field, Compiled]] = {}
    unfinished: dict[int, list[Accept]] = {}

    def sub(node: Field) -> Compiled:
        if node._compiled is not None:
            return node._compiled
        key = id(node)
        if key in made:
            return made[key][1]
        if key in unfinished:
            later = unfinished[key]
            return Never, lambda value: later[0](value)
        unfinished[key] = later = []
        # the class whose ``check`` a node runs must be the one that compiles it: a subclass
        # that changes ``check`` alone is accepted through its ``check``
        checker = next(c for c in type(node).__mro__ if "check" in vars(c))
        compiled = node.compile(sub) if "compile" in vars(checker) else Field.compile(node, sub)
        later.append(compiled[1])
        del unfinished[key]
        made[key] = (node, compiled)
        return compiled

    compiled = sub(root)
    for node, done in made.values():
        node._compiled = done
        node._accept = done[1]  # type: ignore[method-assign]
    return compiled


def exactly_one_of(*names: str) -> Callable[[Mapping[str, JSON], str], None]:
    """A rule: at most one of ``names`` may be given."""

    def rule(value: Mapping[str, JSON], path: str) -> None:
        given = [n for n in names if value.get(n) is not None]
        if len(given) > 1:
            raise errors.only_one_of(names, path, _join(path, given[1]))

    return rule
