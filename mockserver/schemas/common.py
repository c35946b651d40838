"""Pieces shared by several request bodies: metadata, tools, tool resources, formats."""

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

METADATA = Map(values=Str(max_length=512), max_properties=16, max_key_length=64, nullable=True)

REASONING_EFFORT = Enum(("none", "minimal", "low", "medium", "high", "xhigh"), nullable=True)

FILE_ID = Id(prefix="file-", label="file")
VECTOR_STORE_ID = Id(prefix="vs_", label="vs")

JSON_SCHEMA = Map(values=AnyValue())

FUNCTION = Obj(
    properties={
        "name": Str(max_length=64, pattern=r"^[a-zA-Z0-9_-]+$"),
        "description": Str(nullable=True),
        "parameters": JSON_SCHEMA,
        "strict": Bool(nullable=True),
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

TOOL = Tagged(
    variants={
        "code_interpreter": Obj(properties={"type": Str()}),
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
        "function": Obj(properties={"type": Str(), "function": FUNCTION}, required=("function",)),
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
        nullable=True,
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
                                "name": Str(max_length=64, pattern=r"^[a-zA-Z0-9_-]+$"),
                                "description": Str(),
                                "schema": JSON_SCHEMA,
                                "strict": Bool(nullable=True),
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
    nullable=True,
    expected="one of a string or an object",
)

TEMPERATURE = Num(minimum=0, maximum=2, nullable=True)
TOP_P = Num(minimum=0, maximum=1, nullable=True)
