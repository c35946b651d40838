"""Request bodies of /containers (the spec's ``CreateContainerBody`` and
``CreateContainerFileBody``'s JSON form)."""

from __future__ import annotations

from ..validation import AnyValue, Arr, Enum, Int, Map, Obj, Str, Tagged
from .common import FILE_ID

MEMORY_LIMITS = ("1g", "4g", "16g", "64g")

NETWORK_POLICY = Tagged(
    variants={
        "disabled": Obj(properties={"type": Str()}),
        "allowlist": Obj(
            properties={"type": Str(), "allowed_domains": Arr(items=Str())},
            required=("allowed_domains",),
        ),
    }
)

CONTAINER_CREATE = Obj(
    properties={
        "name": Str(),
        "file_ids": Arr(items=FILE_ID),
        "expires_after": Obj(
            properties={"anchor": Enum(("last_active_at",)), "minutes": Int(minimum=1)},
            required=("anchor", "minutes"),
        ),
        # skills run code the mock never runs: accepted, not kept
        "skills": Arr(items=Map(values=AnyValue())),
        "memory_limit": Enum(MEMORY_LIMITS),
        "network_policy": NETWORK_POLICY,
    },
    required=("name",),
)

CONTAINER_FILE_CREATE = Obj(properties={"file_id": FILE_ID}, required=("file_id",))
