"""Request bodies of the Responses API (and the input items the Conversations API shares).

The order of the properties is the order the real API checked fields in (reference §1.2:
``input``, ``previous_response_id``, ``prompt``, ``include``, ``tools``, ``tool_choice``,
``metadata``, ``text``, ``temperature``, ``top_p``..., ``truncation``, ``instructions``,
``store``...): the route hands the body over in this order, so the first violation reported
is the one the real API reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .. import errors
from ..validation import (
    JSON,
    AnyValue,
    Arr,
    Bool,
    Compiled,
    Enum,
    Field,
    Int,
    Map,
    Never,
    Num,
    Obj,
    OneOf,
    Str,
    Sub,
    Tagged,
    Unusual,
    check,
    type_name,
)
from . import json_schema
from .common import (
    FILE_ID,
    FUNCTION,
    JSON_SCHEMA,
    METADATA,
    NAME,
    REASONING_EFFORT,
    TEMPERATURE,
    TOP_P,
    VECTOR_STORE_ID,
)
from .vector_stores import FILTER

#: the values of ``include[]`` (reference §1.1), in the spec's order
INCLUDE_VALUES = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)

ROLES = ("assistant", "system", "developer", "user")

# -- content parts ---------------------------------------------------------------------------

INPUT_PART = Tagged(
    variants={
        "input_text": Obj(properties={"type": Str(), "text": Str()}, required=("text",)),
        "input_image": Obj(
            properties={
                "type": Str(),
                "image_url": Str(),
                "file_id": FILE_ID,
                "detail": Enum(("low", "high", "auto", "original")),
            }
        ),
        "input_file": Obj(
            properties={
                "type": Str(),
                "file_id": FILE_ID,
                "file_data": Str(),
                "file_url": Str(),
                "filename": Str(),
                "detail": Str(),
            }
        ),
    }
)

_ANNOTATION = Map(values=AnyValue())

#: observed: "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'."
OUTPUT_PART = Tagged(
    variants={
        "output_text": Obj(
            properties={
                "type": Str(),
                "text": Str(),
                "annotations": Arr(items=_ANNOTATION),
                "logprobs": Arr(),
            },
            required=("text",),
        ),
        "refusal": Obj(properties={"type": Str(), "refusal": Str()}, required=("refusal",)),
    }
)


_ROLE = Enum(ROLES)
_TEXT = Str()
#: a message's content: an assistant's holds output parts, everyone else's input parts
_OUTPUT_CONTENT = OneOf(
    options=(Str(), Arr(items=OUTPUT_PART)), expected="one of a string or an array"
)
_INPUT_CONTENT = OneOf(
    options=(Str(), Arr(items=INPUT_PART)), expected="one of a string or an array"
)


@dataclass
class MessageItem(Field):
    """A message item: the parts it may hold depend on its role (an assistant's are output
    parts, everyone else's input parts); string content is one text part."""

    expected: str = "an object"
    properties: tuple[str, ...] = ("type", "id", "status", "role", "content", "phase")

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, dict):
            raise errors.invalid_type(path, self.expected, type_name(value))
        for key in value:
            if key not in self.properties or (key == "phase" and value.get("role") != "assistant"):
                raise errors.unknown_parameter(f"{path}.{key}")
        if "role" not in value:
            raise errors.missing_parameter(f"{path}.role")
        role = check(_ROLE, value["role"], f"{path}.role")
        if "content" not in value:
            raise errors.missing_parameter(f"{path}.content")
        content = check(
            _OUTPUT_CONTENT if role == "assistant" else _INPUT_CONTENT,
            value["content"],
            f"{path}.content",
        )
        given = {k: v for k, v in value.items() if v is not None}
        for key in ("id", "status", "phase", "type"):
            if key in given:
                check(_TEXT, given[key], f"{path}.{key}")
        return {**given, "role": role, "content": content}

    def compile(self, sub: Sub) -> Compiled:
        names = frozenset(self.properties)
        roles = frozenset(_ROLE.values)
        accept_output, accept_input = sub(_OUTPUT_CONTENT)[1], sub(_INPUT_CONTENT)[1]

        def accept(value: JSON) -> JSON:
            if value.__class__ is not dict:
                raise Unusual
            role = value.get("role")
            if role.__class__ is not str or role not in roles or "content" not in value:
                raise Unusual
            if role == "assistant":
                content = accept_output(value["content"])
            elif "phase" in value:
                raise Unusual
            else:
                content = accept_input(value["content"])
            given = {}
            for key, item in value.items():
                if key not in names:
                    raise Unusual
                if item is not None:
                    # all but the content are strings (the role is one of the roles)
                    if item.__class__ is not str and key != "content":
                        raise Unusual
                    given[key] = item
            given["content"] = content
            return given

        return Never, accept


_FUNCTION_CALL = Obj(
    properties={
        "type": Str(),
        "id": Str(),
        "call_id": Str(min_length=1, max_length=64),
        "name": Str(),
        "arguments": Str(),
        "status": Enum(("in_progress", "completed", "incomplete")),
        "namespace": Str(),
    },
    required=("call_id", "name", "arguments"),
)

_FUNCTION_CALL_OUTPUT = Obj(
    properties={
        "type": Str(),
        "id": Str(),
        "call_id": Str(min_length=1, max_length=64),
        "output": OneOf(
            options=(Str(max_length=10 * 1024 * 1024), Arr(items=INPUT_PART)),
            expected="one of a string or an array",
        ),
        "status": Enum(("in_progress", "completed", "incomplete")),
    },
    required=("call_id", "output"),
)

_ITEM_REFERENCE = Obj(properties={"type": Str(), "id": Str()}, required=("id",))

#: items replayed from an earlier output, kept as they were sent (they must carry their id)
_REPLAYED = Map(values=AnyValue())

#: the item types this mock takes, in the spec's order (the real API lists 33; see README)
_ITEM_TYPES: dict[str, Field] = {
    "message": MessageItem(),
    "file_search_call": _REPLAYED,
    "function_call": _FUNCTION_CALL,
    "function_call_output": _FUNCTION_CALL_OUTPUT,
    "reasoning": _REPLAYED,
    "code_interpreter_call": _REPLAYED,
    "item_reference": _ITEM_REFERENCE,
}


@dataclass
class InputItem(Field):
    """One input item, by its ``type``; without one, a message when it has a ``role`` (the
    "easy" message), else an item reference."""

    expected: str = "an object"
    types: dict[str, Field] = field(default_factory=lambda: _ITEM_TYPES)

    def check(self, value: JSON, path: str) -> JSON:
        if not isinstance(value, dict):
            raise errors.invalid_type(path, self.expected, type_name(value))
        kind = value.get("type")
        if kind is None:
            kind = "message" if "role" in value else "item_reference"
        elif not isinstance(kind, str):
            raise errors.invalid_type(f"{path}.type", "a string", type_name(kind))
        if kind not in self.types:
            raise errors.invalid_value(f"{path}.type", kind, list(self.types))
        checked = check(self.types[kind], value, path)
        return {**checked, "type": kind}

    def compile(self, sub: Sub) -> Compiled:
        types = {kind: sub(schema)[1] for kind, schema in self.types.items()}

        def accept(value: JSON) -> JSON:
            if value.__class__ is not dict:
                raise Unusual
            kind = value.get("type")
            if kind is None:
                kind = "message" if "role" in value else "item_reference"
            elif kind.__class__ is not str:
                raise Unusual
            accept_kind = types.get(kind)
            if accept_kind is None:
                raise Unusual
            return {**accept_kind(value), "type": kind}

        return Never, accept


INPUT_ITEM = InputItem()
INPUT_ITEMS = Arr(items=INPUT_ITEM)

# -- tools and tool choice ---------------------------------------------------------------------

#: the Assistants API's function, flattened into the tool (``{"type": "function", "name": ...}``)
_FUNCTION_TOOL = replace(
    FUNCTION, properties={"type": Str(), **FUNCTION.properties}, required_first=True
)

_FILE_SEARCH_TOOL = Obj(
    properties={
        "type": Str(),
        "vector_store_ids": Arr(items=VECTOR_STORE_ID),
        "max_num_results": Int(minimum=1, maximum=50),
        "ranking_options": Obj(
            properties={
                "ranker": Enum(("auto", "default-2024-11-15")),
                "score_threshold": Num(minimum=0, maximum=1),
                "hybrid_search": Map(values=AnyValue()),
            }
        ),
        "filters": FILTER,
    },
    required=("vector_store_ids",),
)

_CODE_INTERPRETER_TOOL = Obj(
    properties={
        "type": Str(),
        "container": OneOf(
            options=(
                Str(),
                Obj(
                    properties={
                        "type": Enum(("auto",)),
                        "file_ids": Arr(items=FILE_ID, max_items=50),
                        "memory_limit": Enum(("1g", "4g", "16g", "64g")),
                        "network_policy": Map(values=AnyValue()),
                    },
                    required=("type",),
                ),
            ),
            expected="one of a string or an object",
        ),
    },
    required=("container",),
)

TOOL = Tagged(
    variants={
        "function": _FUNCTION_TOOL,
        "file_search": _FILE_SEARCH_TOOL,
        "code_interpreter": _CODE_INTERPRETER_TOOL,
    }
)

_NAMED = Obj(properties={"type": Str(), "name": Str()}, required=("name",))
_BUILT_IN = Obj(properties={"type": Str()})

TOOL_CHOICE = OneOf(
    options=(
        # observed: "Supported values are: 'none', 'auto', and 'required'."
        Enum(("none", "auto", "required")),
        Tagged(
            variants={
                "function": _NAMED,
                "file_search": _BUILT_IN,
                "code_interpreter": _BUILT_IN,
                "allowed_tools": Obj(
                    properties={
                        "type": Str(),
                        "mode": Enum(("auto", "required")),
                        "tools": Arr(items=Map(values=AnyValue())),
                    },
                    required=("mode", "tools"),
                ),
            }
        ),
    ),
    expected="one of an object or 'none', 'auto', or 'required'",
)

# -- text.format ---------------------------------------------------------------------------

#: observed: "Supported values are: 'json_object', 'text', and 'json_schema'."
TEXT_FORMAT = Tagged(
    variants={
        "json_object": Obj(properties={"type": Str()}),
        "text": Obj(properties={"type": Str()}),
        "json_schema": Obj(
            properties={
                "type": Str(),
                "name": NAME,
                "description": Str(),
                "schema": JSON_SCHEMA,
                "strict": Bool(),
            },
            required=("name", "schema"),
            rules=(json_schema.response_format_schema,),
        ),
    }
)

TEXT = Obj(
    properties={"format": TEXT_FORMAT, "verbosity": Enum(("low", "medium", "high"))},
)

# -- the create body ---------------------------------------------------------------------------


@dataclass
class PlainId(Str):
    """A string id that may only hold letters, digits, ``_`` and ``-`` (the real API refuses
    any other character before it looks the id up)."""

    def check(self, value: JSON, path: str) -> JSON:
        value = super().check(value, path)
        if not re.fullmatch(r"[A-Za-z0-9_-]*", value):
            raise errors.id_with_other_characters(path, value)
        return value

    def compile(self, sub: Sub) -> Compiled:
        accept_string = super().compile(sub)[1]
        fullmatch = re.compile(r"[A-Za-z0-9_-]*").fullmatch

        def accept(value: JSON) -> JSON:
            if fullmatch(accept_string(value)):
                return value
            raise Unusual

        return Never, accept


_CONVERSATION = OneOf(
    options=(Str(), Obj(properties={"id": Str()}, required=("id",))),
    expected="one of a string or an object",
)

RESPONSE_CREATE = Obj(
    properties={
        "model": Str(),
        "input": OneOf(options=(Str(), INPUT_ITEMS), expected="one of a string or an array"),
        "previous_response_id": PlainId(),
        "prompt": Obj(
            properties={
                "id": Str(),
                "version": Str(),
                "variables": Map(values=AnyValue()),
            },
            required=("id",),
        ),
        "include": Arr(items=Enum(INCLUDE_VALUES)),
        "tools": Arr(items=TOOL),
        "tool_choice": TOOL_CHOICE,
        "parallel_tool_calls": Bool(),
        "max_tool_calls": Int(minimum=1),
        "metadata": METADATA,
        "text": TEXT,
        "temperature": TEMPERATURE,
        "top_p": TOP_P,
        "max_output_tokens": Int(minimum=16),
        "reasoning": Obj(
            properties={
                "effort": REASONING_EFFORT,
                "summary": Enum(("auto", "concise", "detailed")),
            }
        ),
        "truncation": Enum(("auto", "disabled")),
        "instructions": Str(),
        "store": Bool(),
        "background": Bool(),
        "stream": Bool(),
        "stream_options": Obj(properties={"include_obfuscation": Bool()}),
        "conversation": _CONVERSATION,
        "service_tier": Enum(("auto", "default", "flex", "scale", "priority", "fast", "ultrafast")),
        "top_logprobs": Int(minimum=0, maximum=20),
        "user": Str(),
        "safety_identifier": Str(max_length=64),
        "prompt_cache_key": Str(),
        "presence_penalty": Num(minimum=-2, maximum=2),
        "frequency_penalty": Num(minimum=-2, maximum=2),
    },
)


def prepare_create(body: dict[str, JSON]) -> dict[str, JSON]:
    """What the real API checked before the fields' types (reference §1.2): the model, unknown
    keys (with a suggestion for a near miss), the input's presence. Returns the body in the
    order of :data:`RESPONSE_CREATE`'s properties, the order its fields were checked in."""
    if body.get("model", None) is None:
        if "model" in body:
            raise errors.invalid_type("model", "a string", "null")
        raise errors.missing_parameter("model")
    if body["model"] == "":
        raise errors.model_not_found("")
    known = RESPONSE_CREATE.properties
    for key in body:
        if key == "messages":
            raise errors.messages_moved_to_input()
        if key not in known:
            near = [name for name in known if _distance(key, name) <= 2]
            if near:
                raise errors.unknown_parameter_suggesting(key, near[0])
            raise errors.unknown_parameter(key)
    if "input" not in body and not any(
        body.get(k) is not None for k in ("previous_response_id", "conversation", "prompt")
    ):
        raise errors.missing_parameter("input")
    return {key: body[key] for key in known if key in body}


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short: the plain dynamic programme)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]
