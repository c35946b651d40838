from __future__ import annotations

from ..validation import Arr, Enum, Obj, OneOf, Str, Tagged
from .common import FILE_ID, METADATA, tool_resources

DETAIL = Enum(("auto", "low", "high"))

#: in the spec's order (image_file, image_url, text); no real message was recorded
CONTENT_PART = Tagged(
    variants={
        "image_file": Obj(
            properties={
                "type": Str(),
                "image_file": Obj(
                    properties={"file_id": FILE_ID, "detail": DETAIL}, required=("file_id",)
                ),
            },
            required=("image_file",),
        ),
        "image_url": Obj(
            properties={
                "type": Str(),
                "image_url": Obj(properties={"url": Str(), "detail": DETAIL}, required=("url",)),
            },
            required=("image_url",),
        ),
        "text": Obj(
            properties={"type": Str(), "text": Str(max_length=256_000)}, required=("text",)
        ),
    }
)

ATTACHMENT = Obj(
    properties={
        "file_id": FILE_ID,
        "tools": Arr(
            items=Tagged(
                variants={
                    "code_interpreter": Obj(properties={"type": Str()}),
                    "file_search": Obj(properties={"type": Str()}),
                }
            )
        ),
    },
    required=("file_id",),
)

MESSAGE_CREATE = Obj(
    properties={
        "role": Enum(("user", "assistant")),
        "content": OneOf(
            options=(Str(max_length=256_000), Arr(items=CONTENT_PART, min_items=1)),
            expected="one of a string or an array of objects",
        ),
        "attachments": Arr(items=ATTACHMENT),
        "metadata": METADATA,
    },
    required=("role", "content"),
)

MESSAGE_UPDATE = Obj(properties={"metadata": METADATA}, clears=("metadata",))

THREAD_CREATE = Obj(
    properties={
        "messages": Arr(items=MESSAGE_CREATE),
        "tool_resources": tool_resources(allow_vector_store_helper=True),
        "metadata": METADATA,
    }
)

THREAD_UPDATE = Obj(
    properties={
        "tool_resources": tool_resources(allow_vector_store_helper=False),
        "metadata": METADATA,
    },
    # null clears both (to {}); inside tool_resources a null (file_search: null) changes nothing
    clears=("tool_resources", "metadata"),
)
