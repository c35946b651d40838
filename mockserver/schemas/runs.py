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
        "last_messages": Int(minimum=1),
    },
    required=("type",),
)

TOOL_CHOICE = OneOf(
    options=(
        # observed: "Supported values are: 'auto', 'none', and 'required'." (not the spec's order)
        Enum(("auto", "none", "required")),
        Tagged(  # the spec's order for a named tool's type
            variants={
                "function": Obj(
                    properties={
                        "type": Str(),
                        "function": Obj(properties={"name": Str()}, required=("name",)),
                    },
                    required=("function",),
                ),
                "code_interpreter": Obj(properties={"type": Str()}),
                "file_search": Obj(properties={"type": Str()}),
            }
        ),
    ),
    expected="one of a string or an object",
)

#: a run overrides its assistant's sampling settings, and null is the documented override that
#: clears them (the fix for a reasoning model refusing the assistant's ``temperature``); a null
#: anywhere else in a run body means "not given": the assistant's setting or the default applies
_RUN_CLEARS = ("temperature", "top_p")

_RUN_FIELDS = {
    "assistant_id": Id(prefix="asst_", label="asst"),
    "model": Str(),
    "instructions": Str(max_length=256_000),
    "tools": Arr(items=TOOL, max_items=20),
    "metadata": METADATA,
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "stream": Bool(),
    "max_prompt_tokens": Int(minimum=256),
    "max_completion_tokens": Int(minimum=256),
    "truncation_strategy": TRUNCATION,
    "tool_choice": TOOL_CHOICE,
    "parallel_tool_calls": Bool(),
    "response_format": RESPONSE_FORMAT,
}

RUN_CREATE = Obj(
    properties={
        **_RUN_FIELDS,
        "reasoning_effort": REASONING_EFFORT,
        "additional_instructions": Str(max_length=256_000),
        "additional_messages": Arr(items=MESSAGE_CREATE),
    },
    required=("assistant_id",),
    clears=_RUN_CLEARS,
)

THREAD_AND_RUN_CREATE = Obj(
    properties={
        **_RUN_FIELDS,
        "thread": THREAD_CREATE,
        "tool_resources": tool_resources(allow_vector_store_helper=False),
    },
    required=("assistant_id",),
    clears=_RUN_CLEARS,
)

RUN_UPDATE = Obj(properties={"metadata": METADATA}, clears=("metadata",))

SUBMIT_TOOL_OUTPUTS = Obj(
    properties={
        "tool_outputs": Arr(
            items=Obj(properties={"tool_call_id": Str(), "output": Str()}),
        ),
        "stream": Bool(),
    },
    required=("tool_outputs",),
)

INCLUDE_VALUES = ("step_details.tool_calls[*].file_search.results[*].content",)
