"""The one place a response's status changes, and its status table.

A response moves ``queued -> in_progress -> completed | incomplete | failed``, or to
``cancelled`` while it is queued or in progress (a background response). There is no
``requires_action``: a turn that ends with function calls is ``completed`` (reference §5.5).
Reaching a terminal status sets its fields (``completed_at``, ``usage``, ``error``...), indexes
the items of a stored response and appends the turn to its conversation.
"""

from __future__ import annotations

import copy
from typing import Any

from ..resources import conversations
from ..transitions import StatusTable
from . import items, objects, stream
from .context import ResponseContext

TERMINAL = frozenset({"completed", "incomplete", "failed", "cancelled"})

RESPONSE_STATUSES = StatusTable(
    "response",
    {
        "queued": frozenset({"in_progress", "cancelled", "failed"}),
        "in_progress": frozenset({"completed", "incomplete", "failed", "cancelled"}),
    },
)


def set_status(ctx: ResponseContext, status: str, **fields: Any) -> None:
    response = ctx.response
    RESPONSE_STATUSES.check(response, status)
    response["status"] = status
    response.update(fields)
    timeline = ctx.record.get("timeline")  # the inspector's (none in responses saved before it)
    if timeline is not None:
        timeline.append([status, ctx.sandbox.now()])
    if status in TERMINAL:
        _finish(ctx, status)
    keep_events(ctx)


def keep_events(ctx: ResponseContext) -> list[stream.Event]:
    """A background response keeps its stream's events as they happen, so that a later
    ``GET ?stream=true`` replays them with their numbers (``stream.record``); returns them."""
    if not ctx.response["background"]:
        return []
    shown = objects.present(ctx.response, ctx.record["include"])
    return stream.record(ctx.sandbox, copy.deepcopy(shown))


def _finish(ctx: ResponseContext, status: str) -> None:
    response = ctx.response
    if status == "completed":
        response["completed_at"] = ctx.sandbox.now()
    if status in ("completed", "incomplete"):
        # failed and cancelled responses show ``usage: null`` (reference §2.8)
        response["usage"] = objects.usage(*ctx.record["usage"])
    if response["store"]:
        items.remember(ctx.sandbox, response["output"])
    conversation = response["conversation"]
    if (
        conversation is not None
        and status in ("completed", "incomplete")
        and ctx.sandbox.conversations().get(conversation["id"]) is not None  # not deleted since
    ):
        # the turn joins its conversation when it ends well (reference §5.2): its input items,
        # then its output items
        inputs = list(ctx.sandbox.response_inputs(response["id"]))
        conversations.append_items(ctx.sandbox, conversation["id"], [*inputs, *response["output"]])
