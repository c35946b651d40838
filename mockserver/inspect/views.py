"""The inspector's read-only views: a sandbox, a thread, a run, the journal.

Plain Python over the store (the route ``routes/inspect.py`` decides who may see which
sandbox). Reading changes nothing: no sandbox is created, no run moves on or expires, no
ingestion finishes, and nothing read is marked for ``--data-dir`` to save again (objects are
taken with ``peek``). So a run shows the status it last took, even past its ``expires_at``,
until a client or the control API looks at it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import blobs as blob_store
from .. import errors
from ..backend import (
    ASSISTANTS,
    CONVERSATION_ITEMS,
    CONVERSATIONS,
    FILES,
    MESSAGES,
    RESPONSE_INPUTS,
    RESPONSES,
    RUNS,
    STEPS,
    THREADS,
    VECTOR_STORES,
)
from ..credentials import mask_key
from ..store import Sandbox, Store
from ..tables import Collection
from ..types import JSONObject, RunRecord
from . import recording


def sandbox_key(store: Store, handle: str) -> str | None:
    """The key of the live sandbox named ``handle``, or None."""
    for key in store.sandboxes:
        if store.names.of(key) == handle:
            return key
    return None


def sandboxes(store: Store, key: str | None) -> JSONObject:
    """Every sandbox (``key`` None: the operator), or the caller's own (shown even before
    it holds anything: its row is where a viewer starts)."""
    keys = list(store.sandboxes) if key is None else [key]
    requests: dict[str | None, int] = {}
    for entry in store.journal:
        requests[entry.sandbox] = requests.get(entry.sandbox, 0) + 1
    data = []
    for k in keys:
        sandbox = store.sandboxes.get(k)
        counts = {
            "assistants": _count(sandbox, ASSISTANTS),
            "threads": _count(sandbox, THREADS),
            "files": _count(sandbox, FILES),
            "vector_stores": _count(sandbox, VECTOR_STORES),
            "requests": requests.get(k, 0),
        }
        data.append({"id": store.names.of(k), "key": mask_key(k), "counts": counts})
    return {"object": "list", "data": data}


def sandbox(store: Store, key: str) -> JSONObject:
    """A sandbox's objects as the API shows them; its threads with how many messages and runs
    they hold and the status of the newest run; its stored responses and its conversations
    (each with how many items it holds)."""
    found = store.sandboxes.get(key)
    threads = []
    for thread in _objects(found, THREADS):
        runs = _objects(found, RUNS, thread["id"])
        messages = _count(found, MESSAGES, thread["id"])
        threads.append(
            {
                **thread,
                "message_count": messages,
                "run_count": len(runs),
                "last_run_status": runs[-1]["status"] if runs else None,
            }
        )
    return {
        "id": store.names.of(key),
        "key": mask_key(key),
        "now": found.now() if found is not None else store.config.clock_start,
        "progression": found.policy if found is not None else store.config.progression,
        "scenarios": [s["name"] for s in found.settings.get("scenarios", [])] if found else [],
        "assistants": _objects(found, ASSISTANTS),
        "threads": threads,
        "files": _objects(found, FILES),
        "vector_stores": _objects(found, VECTOR_STORES),
        "responses": _objects(found, RESPONSES),
        "conversations": [
            {**c, "item_count": _count(found, CONVERSATION_ITEMS, c["id"])}
            for c in _objects(found, CONVERSATIONS)
        ],
    }


def thread(store: Store, key: str, thread_id: str) -> JSONObject:
    """A thread, its messages and its runs, oldest first."""
    found = store.sandboxes.get(key)
    obj = _peek(found, THREADS, "", thread_id)
    if obj is None:
        raise errors.not_found("thread", thread_id)
    return {
        "thread": obj,
        "messages": _objects(found, MESSAGES, thread_id),
        "runs": _objects(found, RUNS, thread_id),
    }


def run(store: Store, key: str, run_id: str) -> JSONObject:
    """A run: its timeline, steps, tool calls, usage, the events of its streams as sent, and
    why it did what it did."""
    found, obj, record = _run_and_record(store, key, run_id)
    steps = _objects(found, STEPS, run_id)
    return {
        "run": obj,
        "timeline": _timeline(record),
        "steps": steps,
        "tool_calls": tool_calls(steps),
        "usage": obj.get("usage"),
        "events": recording.events(record),
        "explanation": explanation(record),
    }


def _run_and_record(store: Store, key: str, run_id: str) -> tuple[Sandbox, JSONObject, RunRecord]:
    """The sandbox of a run, the run, and its bookkeeping (``{}`` if it has none)."""
    found = store.sandboxes.get(key)
    obj = _find_run(found, run_id)
    if found is None or obj is None:
        raise errors.not_found("run", run_id)
    records = found.internal.get(RUNS)  # (not ``run_records()``: it makes what it lacks)
    record: RunRecord = (records.peek(run_id) if records is not None else None) or {}
    return found, obj, record


def file_content(store: Store, key: str, file_id: str) -> tuple[JSONObject, Iterator[bytes], int]:
    """A file of the sandbox (a code interpreter's chart, an upload): the object, its bytes in
    chunks and how many there are. Read as the Files API reads it, without marking it handed
    out (``files.content`` would)."""
    found = store.sandboxes.get(key)
    obj = _peek(found, FILES, "", file_id)
    if found is None or obj is None:
        raise errors.not_found("file", file_id)
    blobs = blob_store.of(found)
    return obj, blobs.iter_bytes(key, file_id), blobs.size(key, file_id)


def response(store: Store, key: str, response_id: str) -> JSONObject:
    """A stored response (Responses API): the object with every output item whole (what
    ``include[]`` would add too), the items its request gave as input, its timeline if one was
    recorded, and why it did what it did (the engine explains responses as it does runs)."""
    found = store.sandboxes.get(key)
    obj = _peek(found, RESPONSES, "", response_id)
    if found is None or obj is None:
        raise errors.not_found("response", response_id)
    records = found.internal.get(RESPONSES)
    record = (records.peek(response_id) if records is not None else None) or {}
    return {
        "response": obj,
        "input_items": _objects(found, RESPONSE_INPUTS, response_id),
        "timeline": _timeline(record),
        "explanation": explanation(record),
    }


def conversation(store: Store, key: str, conversation_id: str) -> JSONObject:
    """A conversation, its items oldest first, and the stored responses made in it."""
    found = store.sandboxes.get(key)
    obj = _peek(found, CONVERSATIONS, "", conversation_id)
    if found is None or obj is None:
        raise errors.not_found("conversation", conversation_id)
    return {
        "conversation": obj,
        "items": _objects(found, CONVERSATION_ITEMS, conversation_id),
        "responses": [
            r
            for r in _objects(found, RESPONSES)
            if (r.get("conversation") or {}).get("id") == conversation_id
        ],
    }


def run_explanation(store: Store, key: str, run_id: str) -> JSONObject:
    """Only the explanation: not the whole run view, which decodes every stream event."""
    return explanation(_run_and_record(store, key, run_id)[2])


def explanation(record: RunRecord) -> JSONObject:
    """The explanation the engine wrote, with the rule of a scripted run (from its script)."""
    written = record.get("explanation")
    script = record.get("script")
    if written is None:  # a run made before explanations were recorded
        return {
            "source": "scenario" if script else "default",
            "scenario": script["scenario"] if script else None,
            "rule_index": script["rule_index"] if script else None,
            "rule": script["rule"] if script else None,
            "reasons": [],
            "near_miss": None,
        }
    return {**written, "rule": script["rule"] if script else None}


def _timeline(record: Mapping[str, Any]) -> list[JSONObject]:
    """The statuses a run or a response took, each with its virtual time, in order."""
    return [{"status": status, "at": at} for status, at in record.get("timeline", [])]


def tool_calls(steps: list[JSONObject]) -> list[JSONObject]:
    """Every tool call of the run's steps, in order, each with the id of its step."""
    calls = []
    for step in steps:
        details = step.get("step_details") or {}
        for call in details.get("tool_calls", []):
            calls.append({"step_id": step["id"], **call})
    return calls


def journal(
    store: Store, key: str | None, status: str | None = None, path: str | None = None
) -> JSONObject:
    """The journal of a sandbox (``key`` None: all of it), oldest first, filtered by status
    (``404``, ``4xx``, ``5xx``...) and by a substring of the path."""
    wanted = _status_filter(status)
    #: each sandbox's masked key and handle, worked out once for all its entries
    shown: dict[str, tuple[str, str]] = {}
    data = []
    for entry in store.journal:
        if key is not None and entry.sandbox != key:
            continue
        if wanted is not None and not wanted(entry.status):
            continue
        if path and path not in entry.path:
            continue
        sandbox = entry.sandbox
        if sandbox is None:
            data.append({"id": entry.request_id, **entry.as_dict(), "sandbox_id": None})
            continue
        names = shown.get(sandbox)
        if names is None:
            names = shown[sandbox] = (mask_key(sandbox), store.names.of(sandbox))
        data.append({"id": entry.request_id, **entry.as_dict(names[0]), "sandbox_id": names[1]})
    return {"object": "list", "data": data}


def _status_filter(status: str | None) -> Any:
    """``404`` -> that status; ``4xx`` -> 400 to 499; None or blank -> everything. Anything
    else (``²xx``, a thousand digits) is refused: ``str.isdigit`` admits more than ASCII, and
    ``int`` refuses very long numbers."""
    text = (status or "").strip().lower()
    if not text:
        return None
    if len(text) == 3 and text.isascii() and text[0].isdecimal():
        if text[1:] == "xx":
            hundred = int(text[0])
            return lambda s: s // 100 == hundred
        if text.isdecimal():
            code = int(text)
            return lambda s: s == code
    raise errors.invalid_status_filter(status or "")


# -- reading without changing ------------------------------------------------------------------


def _collection(sandbox: Sandbox | None, kind: str, scope: str) -> Collection | None:
    # not ``sandbox.table()``: that makes the collection it does not find
    return None if sandbox is None else dict.get(sandbox.tables, (kind, scope))


def _objects(sandbox: Sandbox | None, kind: str, scope: str = "") -> list[JSONObject]:
    collection = _collection(sandbox, kind, scope)
    return [] if collection is None else list(collection.peek())


def _count(sandbox: Sandbox | None, kind: str, scope: str = "") -> int:
    collection = _collection(sandbox, kind, scope)
    return 0 if collection is None else len(collection)


def _peek(sandbox: Sandbox | None, kind: str, scope: str, object_id: str) -> JSONObject | None:
    collection = _collection(sandbox, kind, scope)
    entry = None if collection is None else collection.entry(object_id)
    return None if entry is None else entry[1]


def _find_run(sandbox: Sandbox | None, run_id: str) -> JSONObject | None:
    """A run by id, whatever its thread."""
    if sandbox is None:
        return None
    for kind, scope in list(dict.keys(sandbox.tables)):
        if kind == RUNS:
            obj = _peek(sandbox, RUNS, scope, run_id)
            if obj is not None:
                return obj
    return None
