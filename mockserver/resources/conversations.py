"""Conversations: a metadata object and an ordered list of items (messages, function calls,
their outputs, tool calls...), the Responses API's successor of threads.

Items are normalised by ``responses_api/items.py``, the one normaliser responses share: a
client's items (``POST /conversations``, ``POST /conversations/{id}/items``) through
:func:`add_items`; a response naming the conversation appends its turn, already normalised,
through :func:`append_items`. A deleted conversation is gone for every route and for
responses naming it (the real 404); its items are left in place, as documented ("Items in the
conversation will not be deleted"), so an ``item_reference`` to one still resolves.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import errors
from ..backend import CONVERSATION_ITEMS, CONVERSATIONS
from ..responses_api import items as input_items
from ..store import Sandbox
from ..types import JSONObject, Pager
from .lookup import found


def create(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    """A conversation seeded with the body's ``items`` (checked input items), in order."""
    # the items first: a reference to nothing refuses the request before an id is minted
    with sandbox.ids.unless_refused():  # refused after the items got ids
        seed = input_items.from_input(sandbox, body.get("items") or [], "items")
        input_items.check_unique([], seed, "items")
    conversation = {
        "id": sandbox.ids.new_item("conv_"),
        "object": "conversation",
        "created_at": sandbox.now(),
        "metadata": body.get("metadata") or {},
    }
    sandbox.add(CONVERSATIONS, conversation)
    _store(sandbox, conversation["id"], seed)
    return conversation


def get(sandbox: Sandbox, conversation_id: str) -> JSONObject:
    """The conversation, or the real 404 (unknown or deleted alike)."""
    return found(sandbox.conversations(), conversation_id, errors.conversation_not_found)


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


def add_items(
    sandbox: Sandbox, conversation_id: str, items: list[JSONObject], include: list[str]
) -> list[JSONObject]:
    """A client's checked input items, normalised and added at the end; returns them in
    request order, as ``include[]`` shows them."""
    before = items_of(sandbox, conversation_id)
    with sandbox.ids.unless_refused():  # refused after the new items got ids
        new = input_items.from_input(sandbox, items, "items")
        input_items.check_unique(before, new, "items")
    added = _store(sandbox, conversation_id, new)
    return _present(added, include)


def _store(sandbox: Sandbox, conversation_id: str, items: list[JSONObject]) -> list[JSONObject]:
    """Added, and indexed so that a later ``item_reference`` finds them."""
    input_items.remember(sandbox, items)
    return append_items(sandbox, conversation_id, items)


def _present(items: list[JSONObject], include: list[str]) -> list[JSONObject]:
    """Items as a list shows them: tool results only when ``include[]`` asks."""
    return [input_items.present(item, include) for item in items]


def list_items(
    sandbox: Sandbox, conversation_id: str, page: Pager, include: list[str]
) -> JSONObject:
    get(sandbox, conversation_id)
    listed = page(sandbox.conversation_items(conversation_id), None)
    listed["data"] = _present(listed["data"], include)
    return listed


def retrieve_item(
    sandbox: Sandbox, conversation_id: str, item_id: str, include: list[str]
) -> JSONObject:
    return _present([_item(sandbox, conversation_id, item_id)], include)[0]


def _item(sandbox: Sandbox, conversation_id: str, item_id: str) -> JSONObject:
    get(sandbox, conversation_id)
    items = sandbox.conversation_items(conversation_id)
    return found(items, item_id, errors.conversation_item_not_found)


def delete_item(sandbox: Sandbox, conversation_id: str, item_id: str) -> JSONObject:
    """Removes one item; the answer is the conversation itself, as the spec says."""
    _item(sandbox, conversation_id, item_id)
    sandbox.conversation_items(conversation_id).remove(item_id)
    return get(sandbox, conversation_id)
