"""Threads, and adding messages to them under the thread lock."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..config import MockConfig
from ..store import JSONObject, Sandbox
from . import messages
from .lookup import find
from .tools import normalize_tool_resources

TABLE = "threads"


def create(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    initial = body.get("messages") or []
    for i, message in enumerate(initial):
        messages.check_references(sandbox, message, f"messages[{i}].")
    # resources first: a missing file or store refuses the request before an id is minted
    resources = normalize_tool_resources(sandbox, body.get("tool_resources", {}))
    thread = {
        "id": sandbox.ids.new("thread_"),
        "object": "thread",
        "created_at": sandbox.now(),
        "metadata": body.get("metadata") or {},
        "tool_resources": resources,
    }
    sandbox.add(TABLE, thread)
    for message in initial:
        messages.add(sandbox, thread["id"], messages.build(sandbox, thread["id"], message))
    return thread


def get(sandbox: Sandbox, thread_id: str) -> JSONObject:
    return find(sandbox.table(TABLE), "thread", thread_id)


def update(sandbox: Sandbox, thread_id: str, body: dict[str, Any]) -> JSONObject:
    thread = get(sandbox, thread_id)
    resources = thread["tool_resources"]
    if "tool_resources" in body:
        resources = normalize_tool_resources(sandbox, body["tool_resources"], resources)
    if "metadata" in body:
        thread["metadata"] = body["metadata"] or {}
    thread["tool_resources"] = resources
    return thread


def delete(sandbox: Sandbox, thread_id: str) -> JSONObject:
    get(sandbox, thread_id)
    sandbox.table(TABLE).remove(thread_id)
    for run in sandbox.table("runs", thread_id):
        sandbox.drop_table("steps", run["id"])
    sandbox.drop_table("messages", thread_id)
    sandbox.drop_table("runs", thread_id)
    return {"id": thread_id, "object": "thread.deleted", "deleted": True}


def add_message(
    sandbox: Sandbox, thread_id: str, body: dict[str, Any], config: MockConfig
) -> JSONObject:
    """``POST /threads/{id}/messages``: refused while a run holds the thread."""
    from ..engine import active_run  # the engine builds on threads, not the other way round

    get(sandbox, thread_id)
    run = active_run(sandbox, thread_id, config)
    if run is not None:
        raise errors.APIError(
            400, f"Can't add messages to {thread_id} while a run {run['id']} is active."
        )
    messages.check_references(sandbox, body)
    return messages.add(sandbox, thread_id, messages.build(sandbox, thread_id, body))
