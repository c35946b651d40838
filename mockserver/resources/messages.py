"""Messages of a thread (a client adds them through the thread lock, ``engine/lock.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import MESSAGES
from ..store import Sandbox
from ..tables import Collection
from ..types import JSONObject, Pager
from . import vector_store_files
from .lookup import find


def content_parts(content: str | list[JSONObject]) -> list[JSONObject]:
    """Request content (a string or parts) as the API returns it."""
    if isinstance(content, str):
        return [text_part(content)]
    parts = []
    for part in content:
        if part["type"] == "text":
            parts.append(text_part(part["text"]))
        elif part["type"] == "image_url":
            image = part["image_url"]
            parts.append(
                {
                    "type": "image_url",
                    "image_url": {"url": image["url"], "detail": image.get("detail", "auto")},
                }
            )
        else:
            image = part["image_file"]
            parts.append(
                {
                    "type": "image_file",
                    "image_file": {
                        "file_id": image["file_id"],
                        "detail": image.get("detail", "auto"),
                    },
                }
            )
    return parts


def text_part(value: str, annotations: list[JSONObject] | None = None) -> JSONObject:
    return {"type": "text", "text": {"value": value, "annotations": annotations or []}}


def check_references(sandbox: Sandbox, body: dict[str, Any], path: str = "") -> None:
    """Files named by content parts and attachments must exist in the sandbox."""
    files = sandbox.files()
    content = body["content"]
    if isinstance(content, list):
        for i, part in enumerate(content):
            if part["type"] == "image_file":
                find(
                    files,
                    "file",
                    part["image_file"]["file_id"],
                    f"{path}content[{i}].image_file.file_id",
                )
    for i, attachment in enumerate(body.get("attachments") or []):
        find(files, "file", attachment["file_id"], f"{path}attachments[{i}].file_id")
    searchable = file_search_attachments(body)
    if searchable:  # they will be indexed: the same extension check as attaching to a store
        vector_store_files.check_files(sandbox, searchable, f"{path}attachments", ".file_id")


def file_search_attachments(body: dict[str, Any]) -> list[str]:
    """Ids of the files attached for ``file_search`` (they go into the thread's vector store)."""
    return [
        a["file_id"]
        for a in body.get("attachments") or []
        if any(tool["type"] == "file_search" for tool in a.get("tools") or [])
    ]


def build(sandbox: Sandbox, thread_id: str, body: dict[str, Any]) -> JSONObject:
    """A completed message as the user (or an import of history) created it."""
    now = sandbox.now()
    return {
        "id": sandbox.ids.new("msg_"),
        "object": "thread.message",
        "created_at": now,
        "assistant_id": None,
        "thread_id": thread_id,
        "run_id": None,
        "role": body["role"],
        "content": content_parts(body["content"]),
        "attachments": [
            {"file_id": a["file_id"], "tools": a.get("tools", [])}
            for a in body.get("attachments") or []
        ],
        "metadata": body.get("metadata") or {},
        "status": "completed",
        "incomplete_details": None,
        "completed_at": now,
        "incomplete_at": None,
    }


def add(sandbox: Sandbox, thread_id: str, message: JSONObject) -> JSONObject:
    return sandbox.add(MESSAGES, message, scope=thread_id)


def _of_thread(sandbox: Sandbox, thread_id: str) -> Collection:
    """The thread's messages; the thread must exist."""
    find(sandbox.threads(), "thread", thread_id)
    return sandbox.messages(thread_id)


def list_(sandbox: Sandbox, thread_id: str, page: Pager, run_id: str | None = None) -> JSONObject:
    """A page of the thread's messages, those a run created if ``run_id`` is given."""
    wanted = (lambda m: m["run_id"] == run_id) if run_id else None
    return page(_of_thread(sandbox, thread_id), wanted)


def get(sandbox: Sandbox, thread_id: str, message_id: str) -> JSONObject:
    return find(_of_thread(sandbox, thread_id), "message", message_id)


def update(sandbox: Sandbox, thread_id: str, message_id: str, body: dict[str, Any]) -> JSONObject:
    message = get(sandbox, thread_id, message_id)
    if "metadata" in body:
        message["metadata"] = body["metadata"] or {}
    return message


def delete(sandbox: Sandbox, thread_id: str, message_id: str) -> JSONObject:
    get(sandbox, thread_id, message_id)
    sandbox.messages(thread_id).remove(message_id)
    return {"id": message_id, "object": "thread.message.deleted", "deleted": True}
