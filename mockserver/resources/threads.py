"""Threads, and adding checked messages to them (the thread lock is the engine's:
``engine/lock.py`` adds a client's messages)."""

from __future__ import annotations

from typing import Any

from ..backend import MESSAGES, RUNS, STEPS, THREADS
from ..store import Sandbox
from ..types import JSONObject
from . import messages, vector_store_files, vector_stores
from .lookup import find
from .tools import normalize_tool_resources


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
    sandbox.add(THREADS, thread)
    add_checked_messages(sandbox, thread, initial)
    return thread


def add_checked_messages(
    sandbox: Sandbox, thread: JSONObject, bodies: list[dict[str, Any]]
) -> list[JSONObject]:
    """Add messages whose references were checked. Files attached for ``file_search`` go into
    the thread's vector store, which is created (with the helper's 7-day expiry) on first use,
    as the real API did."""
    added = [
        messages.add(sandbox, thread["id"], messages.build(sandbox, thread["id"], b))
        for b in bodies
    ]
    file_ids = list(dict.fromkeys(f for b in bodies for f in messages.file_search_attachments(b)))
    if file_ids:
        search = thread["tool_resources"].get("file_search") or {}
        store_ids = search.get("vector_store_ids") or []
        if store_ids:
            known = sandbox.vector_store_files(store_ids[0])
            for file_id in file_ids:
                if file_id not in known:
                    vector_store_files.attach(sandbox, store_ids[0], file_id)
        else:
            store_id = vector_stores.create_from_helper(sandbox, {"file_ids": file_ids})
            thread["tool_resources"]["file_search"] = {"vector_store_ids": [store_id]}
    return added


def get(sandbox: Sandbox, thread_id: str) -> JSONObject:
    return find(sandbox.threads(), "thread", thread_id)


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
    """The thread goes, and with it its messages, its runs, their steps and records."""
    get(sandbox, thread_id)
    sandbox.threads().remove(thread_id)
    records = sandbox.run_records()
    for run in sandbox.runs(thread_id):
        sandbox.drop_table(STEPS, run["id"])
        records.pop(run["id"], None)
    sandbox.drop_table(MESSAGES, thread_id)
    sandbox.drop_table(RUNS, thread_id)
    return {"id": thread_id, "object": "thread.deleted", "deleted": True}
