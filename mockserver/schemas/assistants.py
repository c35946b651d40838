from __future__ import annotations

from ..validation import Arr, Obj, Str
from .common import (
    METADATA,
    REASONING_EFFORT,
    RESPONSE_FORMAT,
    TEMPERATURE,
    TOOL,
    TOP_P,
    tool_resources,
)

_FIELDS = {
    "model": Str(),
    "name": Str(max_length=256),
    "description": Str(max_length=512),
    "instructions": Str(max_length=256_000),
    "reasoning_effort": REASONING_EFFORT,
    "tools": Arr(items=TOOL, max_items=128),
    "metadata": METADATA,
    "temperature": TEMPERATURE,
    "top_p": TOP_P,
    "response_format": RESPONSE_FORMAT,
}

CREATE = Obj(
    properties={**_FIELDS, "tool_resources": tool_resources(allow_vector_store_helper=True)},
    required=("model",),
)
UPDATE = Obj(
    properties={**_FIELDS, "tool_resources": tool_resources(allow_vector_store_helper=False)},
    # null clears these (the spec types them "| null"): name, description, instructions,
    # reasoning_effort, temperature and top_p become null, metadata {}, response_format
    # "auto", tool_resources {}; a null model or tools changes nothing
    clears=(
        "name",
        "description",
        "instructions",
        "reasoning_effort",
        "temperature",
        "top_p",
        "metadata",
        "response_format",
        "tool_resources",
    ),
)
