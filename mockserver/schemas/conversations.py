"""Request bodies of /conversations: the items are a response's input items, checked by the
same schema (``schemas/responses.py``) and normalised by the same module."""

from __future__ import annotations

from ..validation import Arr, Obj
from .common import METADATA
from .responses import INPUT_ITEM

#: how many items one request may add (``items`` of create and of items create)
MAX_ITEMS = 20

CONVERSATION_CREATE = Obj(
    properties={"items": Arr(items=INPUT_ITEM, max_items=MAX_ITEMS), "metadata": METADATA}
)

CONVERSATION_UPDATE = Obj(
    properties={"metadata": METADATA}, required=("metadata",), clears=("metadata",)
)

ITEMS_CREATE = Obj(
    properties={"items": Arr(items=INPUT_ITEM, max_items=MAX_ITEMS)}, required=("items",)
)
