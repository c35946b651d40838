"""Conversations: a metadata object and an ordered list of items (messages, function calls,
their outputs, tool calls...), the Responses API's successor of threads.

Items arrive already normalised (``responses_api/items.py``, the one normaliser that
responses share): from ``POST /conversations`` and ``POST /conversations/{id}/items``, or
appended by a response that names the conversation (:func:`append_items`). A deleted
conversation is gone for every route and for responses naming it (the real 404); its items
are left in place, as documented ("Items in the conversation will not be deleted").
"""

from __future__ import annotations

import copy
from typing import Any

from .. import errors
from ..backend import CONVERSATION_ITEMS, CONVERSATIONS
from ..store import Sandbox
from ..types import JSONObject, Pager


def create(sandbox: Sandbox, body: dict[str, Any], items: list[JSONObject]) -> JSONObject:
    """A conversation seeded with ``items`` (normalised, in order)."""
    conversation = {
        "id": sandbox.ids.new_item("conv_"),
        "object": "conversation",
        "created_at": sandbox.now(),
        "metadata": body.get("metadata") or {},
    }
    sandbox.add(CONVERSATIONS, conversation)
    append_items(sandbox, conversation["id"], items)
    return conversation


def get(sandbox: Sandbox, conversation_id: str) -> JSONObject:
    """The conversation, or the real 404 (unknown or deleted alike)."""
    conversation = sandbox.conversations().get(conversation_id)
    if conversation is None:
        raise errors.conversation_not_found(conversation_id)
    return conversation


def update(sandbox: Sandbox, conversation_id: str, body: dict[str, Any]) -> JSONObject:
    """The metadata is replaced, as in the spec's example (``null`` clears it)."""
    conversation = get(sandbox, conversation_id)
    conversation["metadata"] = body.get("metadata") or {}
    return conversation


def delete(sandbox: Sandbox, conversation_id: str) -> JSONObject:
    get(sandbox, conversation_id)
    sandbox.conversations().remove(conversation_id)
    return {"id": conversation_id, "object": "conversation.deleted", "deleted": True}


# -- items -----------------------------------------------------------------------------------


def items_of(sandbox: Sandbox, conversation_id: str) -> list[JSONObject]:
    """The conversation's items, oldest first (what a response naming it sees before its own
    input); the 404 if the conversation is unknown or deleted."""
    get(sandbox, conversation_id)
    return list(sandbox.conversation_items(conversation_id))


def append_items(
    sandbox: Sandbox, conversation_id: str, items: list[JSONObject]
) -> list[JSONObject]:
    """Add normalised items (each with its id) at the end, in order; returns the stored
    copies (a response keeps its own: two objects must never share a dict, see tables.py)."""
    get(sandbox, conversation_id)
    return [sandbox.add(CONVERSATION_ITEMS, copy.deepcopy(item), conversation_id) for item in items]


def list_items(sandbox: Sandbox, conversation_id: str, page: Pager) -> JSONObject:
    get(sandbox, conversation_id)
    return page(sandbox.conversation_items(conversation_id), None)


def get_item(sandbox: Sandbox, conversation_id: str, item_id: str) -> JSONObject:
    get(sandbox, conversation_id)
    item = sandbox.conversation_items(conversation_id).get(item_id)
    if item is None:
        raise errors.conversation_item_not_found(item_id)
    return item


def delete_item(sandbox: Sandbox, conversation_id: str, item_id: str) -> JSONObject:
    """Removes one item; the answer is the conversation itself, as the spec says."""
    get_item(sandbox, conversation_id, item_id)
    sandbox.conversation_items(conversation_id).remove(item_id)
    return get(sandbox, conversation_id)
