"""Request bodies of runs, create-and-run and tool outputs."""

from __future__ import annotations

from ..validation import Arr, Bool, Enum, Id, Int, Obj, OneOf, Str, Tagged
from .common import (
    METADATA,
    REASONING_EFFORT,
    RESPONSE_FORMAT,
    TEMPERATURE,
    TOOL,
    TOP_P,
    tool_resources,
)
from .threads import MESSAGE_CREATE, THREAD_CREATE

TRUNCATION = Obj(
    properties={
        "type": Enum(("auto", "last_messages")),
        "last_messages": Int(minimum=1, nullable=True),
    },
    required=("type",),
    nullable=True,
)

TOOL_CHOICE = OneOf(
    options=(
        Enum(("none", "auto", "required")),
        Tagged(
            variants={
                "function": Obj(
                    properties={"type": Str(), "function": Obj(properties={"name": Str()}, required=("name",))},
                    required=("function",),
                ),
                "file_search": Obj(properties={"type": Str()}),
                "code_interpreter": Obj(properties={"type": Str()}),
            }
        ),
    ),
    nullable=True,
    expected="one of a string or an object",
)

_RUN_FIELDS = {
    "assistant_id": Id(prefix="asst_", label="asst"),
    "model": Str(nullable=True),
    "instructions": Str(max_length=256_000, nullable=True),
    "tools": Arr(items=TOOL, max_items=20, nullable=True),
    "metadata": METADATA,
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "stream": Bool(nullable=True),
    "max_prompt_tokens": Int(minimum=256, nullable=True),
    "max_completion_tokens": Int(minimum=256, nullable=True),
    "truncation_strategy": TRUNCATION,
    "tool_choice": TOOL_CHOICE,
    "parallel_tool_calls": Bool(),
    "response_format": RESPONSE_FORMAT,
}

RUN_CREATE = Obj(
    properties={
        **_RUN_FIELDS,
        "reasoning_effort": REASONING_EFFORT,
        "additional_instructions": Str(max_length=256_000, nullable=True),
        "additional_messages": Arr(items=MESSAGE_CREATE, nullable=True),
    },
    required=("assistant_id",),
)

THREAD_AND_RUN_CREATE = Obj(
    properties={
        **_RUN_FIELDS,
        "thread": THREAD_CREATE,
        "tool_resources": tool_resources(allow_vector_store_helper=False),
    },
    required=("assistant_id",),
)

RUN_UPDATE = Obj(properties={"metadata": METADATA})

SUBMIT_TOOL_OUTPUTS = Obj(
    properties={
        "tool_outputs": Arr(
            items=Obj(properties={"tool_call_id": Str(), "output": Str()}),
        ),
        "stream": Bool(nullable=True),
    },
    required=("tool_outputs",),
)

INCLUDE_VALUES = ("step_details.tool_calls[*].file_search.results[*].content",)
