"""Request bodies of /files (multipart, checked field by field) and /uploads (JSON)."""

from __future__ import annotations

from ..validation import Arr, Enum, Int, Obj, Str

#: what ``POST /files`` accepts; ``evals`` is stored as ``user_data`` (the SDK's response
#: literal has no ``evals``, so echoing it would break strict clients)
FILE_PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
UPLOAD_PURPOSES = ("assistants", "batch", "fine-tune", "vision")

FILE_EXPIRES_AFTER = Obj(
    properties={
        "anchor": Enum(("created_at",)),
        "seconds": Int(minimum=3600, maximum=2_592_000),
    },
    required=("anchor", "seconds"),
)

UPLOAD_CREATE = Obj(
    properties={
        "filename": Str(),
        "purpose": Enum(UPLOAD_PURPOSES),
        "bytes": Int(minimum=0, maximum=8 * 1024**3),
        "mime_type": Str(),
        "expires_after": FILE_EXPIRES_AFTER,
    },
    required=("bytes", "filename", "mime_type", "purpose"),
)

UPLOAD_COMPLETE = Obj(
    properties={"part_ids": Arr(items=Str()), "md5": Str()},
    required=("part_ids",),
)

#: the largest part ``POST /uploads/{id}/parts`` takes
MAX_PART_BYTES = 64 * 1024 * 1024
