"""The one place a response's status changes, and its status table.

A response moves ``queued -> in_progress -> completed | incomplete | failed``, or to
``cancelled`` while it is queued or in progress (a background response). There is no
``requires_action``: a turn that ends with function calls is ``completed`` (reference §5.5).
Reaching a terminal status sets its fields (``completed_at``, ``usage``, ``error``...), indexes
the items of a stored response and appends the turn to its conversation.
"""

from __future__ import annotations

from typing import Any

from ..transitions import StatusTable
from . import conversation, items, objects, stream
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
    if status in TERMINAL:
        _end(ctx, status)
    if response["background"]:
        # its events are kept as they happen, for stream replays (a cancel ends them)
        stream.record(ctx.sandbox, objects.present(response, ctx.record["include"]))


def _end(ctx: ResponseContext, status: str) -> None:
    """The fields, items and conversation of a terminal status."""
    response = ctx.response
    if status == "completed":
        response["completed_at"] = ctx.sandbox.now()
    if status in ("completed", "incomplete"):
        # failed and cancelled responses show ``usage: null`` (reference §2.8)
        response["usage"] = objects.usage(*ctx.record["usage"])
    record = ctx.record
    if record["stored"]:
        items.remember(ctx.sandbox, response["output"])
    if record["conversation"] is not None and status in ("completed", "incomplete"):
        # the turn joins its conversation when it ends well (reference §5.2): its input items,
        # then its output items
        inputs = list(ctx.sandbox.response_inputs(response["id"]))
        conversation.append(ctx.sandbox, record["conversation"], [*inputs, *response["output"]])
