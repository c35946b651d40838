"""Pieces shared by several request bodies: metadata, tools, tool resources, formats.

Enum values are listed in the order the real API's ``Supported values are: ...`` message gave
them where such a message was recorded (``tools[].type``, ``tool_choice``, ``role``), else in
the order of the OpenAPI spec. Which fields take ``null`` as a value (it clears them) is said
by each body's ``clears``; everywhere else an explicit ``null`` means "not given".
"""

from __future__ import annotations

from ..validation import (
    AnyValue,
    Arr,
    Bool,
    Enum,
    Id,
    Int,
    Map,
    Num,
    Obj,
    OneOf,
    Str,
    Tagged,
    exactly_one_of,
)
from . import json_schema

METADATA = Map(values=Str(max_length=512), max_properties=16, max_key_length=64)

REASONING_EFFORT = Enum(("none", "minimal", "low", "medium", "high", "xhigh", "max"))

FILE_ID = Id(prefix="file-", label="file")
VECTOR_STORE_ID = Id(prefix="vs_", label="vs")

JSON_SCHEMA = Map(values=AnyValue())
#: the name of a function or of a structured output's schema, in every API
NAME = Str(max_length=64, pattern=r"^[a-zA-Z0-9_-]+$")

FUNCTION = Obj(
    properties={
        "name": NAME,
        "description": Str(),
        "parameters": JSON_SCHEMA,
        "strict": Bool(),
    },
    required=("name",),
    rules=(json_schema.function_parameters,),
)

RANKING_OPTIONS = Obj(
    properties={
        "ranker": Enum(("auto", "default_2024_08_21")),
        "score_threshold": Num(minimum=0, maximum=1),
    },
    required=("score_threshold",),
)

#: observed: "Invalid value: 'retrieval'. Supported values are: 'code_interpreter', 'function',
#: and 'file_search'." (param tools[0].type), so the variants keep that order
TOOL = Tagged(
    variants={
        "code_interpreter": Obj(properties={"type": Str()}),
        "function": Obj(properties={"type": Str(), "function": FUNCTION}, required=("function",)),
        "file_search": Obj(
            properties={
                "type": Str(),
                "file_search": Obj(
                    properties={
                        "max_num_results": Int(minimum=1, maximum=50),
                        "ranking_options": RANKING_OPTIONS,
                    }
                ),
            }
        ),
    }
)

STATIC_CHUNKING = Obj(
    properties={
        "max_chunk_size_tokens": Int(minimum=100, maximum=4096),
        "chunk_overlap_tokens": Int(minimum=0),
    },
    required=("max_chunk_size_tokens", "chunk_overlap_tokens"),
)

CHUNKING_STRATEGY = Tagged(
    variants={
        "auto": Obj(properties={"type": Str()}),
        "static": Obj(properties={"type": Str(), "static": STATIC_CHUNKING}, required=("static",)),
    }
)

_CODE_INTERPRETER_RESOURCES = Obj(properties={"file_ids": Arr(items=FILE_ID, max_items=20)})


def tool_resources(*, allow_vector_store_helper: bool) -> Obj:
    """``tool_resources`` as create (with the ``vector_stores`` helper) or update accept it."""
    file_search: dict = {"vector_store_ids": Arr(items=VECTOR_STORE_ID, max_items=1)}
    rules = ()
    if allow_vector_store_helper:
        file_search["vector_stores"] = Arr(
            items=Obj(
                properties={
                    "file_ids": Arr(items=FILE_ID, max_items=10_000),
                    "chunking_strategy": CHUNKING_STRATEGY,
                    "metadata": METADATA,
                }
            ),
            max_items=1,
        )
        rules = (exactly_one_of("vector_store_ids", "vector_stores"),)
    return Obj(
        properties={
            "code_interpreter": _CODE_INTERPRETER_RESOURCES,
            "file_search": Obj(properties=file_search, rules=rules),
        },
    )


RESPONSE_FORMAT = OneOf(
    options=(
        Enum(("auto",)),
        Tagged(
            variants={
                "text": Obj(properties={"type": Str()}),
                "json_object": Obj(properties={"type": Str()}),
                "json_schema": Obj(
                    properties={
                        "type": Str(),
                        "json_schema": Obj(
                            properties={
                                "name": NAME,
                                "description": Str(),
                                "schema": JSON_SCHEMA,
                                "strict": Bool(),
                            },
                            required=("name",),
                            rules=(json_schema.response_format_schema,),
                        ),
                    },
                    required=("json_schema",),
                ),
            }
        ),
    ),
    expected="one of a string or an object",
)

TEMPERATURE = Num(minimum=0, maximum=2)
TOP_P = Num(minimum=0, maximum=1)
