"""Finding objects by id, with the real API's prefix and not-found errors."""

from __future__ import annotations

from collections.abc import Callable

from .. import errors
from ..tables import Collection
from ..types import JSONObject

#: kind -> (id prefix, the prefix as the real message spells it, the API's word for it)
KINDS: dict[str, tuple[str, str, str]] = {
    "assistant": ("asst_", "asst", "assistant"),
    "thread": ("thread_", "thread", "thread"),
    "message": ("msg_", "msg", "message"),
    "run": ("run_", "run", "run"),
    "step": ("step_", "step", "run step"),
    "file": ("file-", "file", "file"),
    "vector_store": ("vs_", "vs", "vector store"),
    "batch": ("vsfb_", "vsfb_", "file batch"),
    "upload": ("upload_", "upload", "upload"),
}


def check_prefix(kind: str, object_id: str, param: str) -> None:
    prefix, label, _ = KINDS[kind]
    if not object_id.startswith(prefix):
        raise errors.invalid_id(param, object_id, label)


def find(table: Collection, kind: str, object_id: str, param: str | None = None) -> JSONObject:
    """The object, or the real 400 for a wrong prefix / 404 for an unknown id."""
    check_prefix(kind, object_id, param or f"{kind}_id")
    obj = table.get(object_id)
    if obj is None:
        raise errors.not_found(KINDS[kind][2], object_id)
    return obj


def found(
    table: Collection, object_id: str, missing: Callable[[str], errors.APIError]
) -> JSONObject:
    """The object, or ``missing(object_id)``: for the families (conversations, containers)
    whose 404 has its own text and whose ids are not checked for a prefix."""
    obj = table.get(object_id)
    if obj is None:
        raise missing(object_id)
    return obj
