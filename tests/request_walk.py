"""A seeded random walk over the API: request bodies made from the project's own request schemas
(the :class:`~mockserver.validation.Field` trees in ``mockserver.schemas``), valid or mutated,
sent in sequences that reuse the ids of objects created earlier.

:class:`Walk` picks an endpoint, fills its path with ids it has seen (or wrong ones), makes a
query and a body, and returns a :class:`Call`; :meth:`Walk.learn` reads each answer for new ids.
Everything is drawn from one ``random.Random(seed)``, so a seed replays the same calls against a
server with the same settings. Mutations: wrong types, nulls, out-of-range and huge numbers,
long strings, unknown keys, missing required keys, deep nesting, malformed or oversized bodies,
wrong content types, and JSON schemas (function parameters, response formats) with broken
keywords.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mockserver.schemas import (
    assistants,
    common,
    containers,
    conversations,
    files,
    responses,
    runs,
    threads,
    vector_stores,
)
from mockserver.validation import (
    AnyValue,
    Arr,
    Bool,
    Enum,
    Field,
    Id,
    Int,
    Map,
    Num,
    Obj,
    OneOf,
    Str,
    Tagged,
)

JSON = Any

# -- the surface ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    #: a path under /v1 with ``{placeholders}`` named like the route's path parameters
    path: str
    #: ``schema``: a JSON body of that schema; ``optional``: may be empty; ``file`` / ``part``:
    #: a multipart upload; ``none``: no body
    body: str = "none"
    schema: Obj | None = None
    #: query parameters it reads: ``list``, ``files`` (list without before), ``include``,
    #: ``run_id``, ``filter``, ``purpose``
    query: tuple[str, ...] = ()
    #: how often it is picked, relative to the others
    weight: int = 2
    #: the kind of object whose ids fill the path, when not the last placeholder's
    about: str | None = None


E = Endpoint
VS_FILE = "vector_store.file"
CONTAINER_FILE = "container.file"
ENDPOINTS = [
    E("POST", "/assistants", "schema", assistants.CREATE, weight=6),
    E("GET", "/assistants", query=("list",)),
    E("GET", "/assistants/{assistant_id}"),
    E("POST", "/assistants/{assistant_id}", "optional", assistants.UPDATE, weight=3),
    E("DELETE", "/assistants/{assistant_id}", weight=1),
    E("POST", "/threads", "optional", threads.THREAD_CREATE, weight=5),
    E("GET", "/threads/{thread_id}"),
    E("POST", "/threads/{thread_id}", "optional", threads.THREAD_UPDATE),
    E("DELETE", "/threads/{thread_id}", weight=1),
    E("POST", "/threads/{thread_id}/messages", "schema", threads.MESSAGE_CREATE, weight=5),
    E("GET", "/threads/{thread_id}/messages", query=("list", "run_id")),
    E("GET", "/threads/{thread_id}/messages/{message_id}"),
    E("POST", "/threads/{thread_id}/messages/{message_id}", "optional", threads.MESSAGE_UPDATE),
    E("DELETE", "/threads/{thread_id}/messages/{message_id}", weight=1),
    E("POST", "/threads/runs", "schema", runs.THREAD_AND_RUN_CREATE, ("include",), weight=5),
    E("POST", "/threads/{thread_id}/runs", "schema", runs.RUN_CREATE, ("include",), weight=8),
    E("GET", "/threads/{thread_id}/runs", query=("list",)),
    E("GET", "/threads/{thread_id}/runs/{run_id}", weight=6),
    E("POST", "/threads/{thread_id}/runs/{run_id}", "optional", runs.RUN_UPDATE),
    E("POST", "/threads/{thread_id}/runs/{run_id}/cancel", weight=3),
    E(
        "POST",
        "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
        "schema",
        runs.SUBMIT_TOOL_OUTPUTS,
        weight=6,
    ),
    E("GET", "/threads/{thread_id}/runs/{run_id}/steps", query=("list", "include")),
    E("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}", query=("include",)),
    E("POST", "/files", "file", weight=5),
    E("GET", "/files", query=("files", "purpose")),
    E("GET", "/files/{file_id}"),
    E("DELETE", "/files/{file_id}", weight=1),
    E("GET", "/files/{file_id}/content", weight=1),
    E("POST", "/uploads", "schema", files.UPLOAD_CREATE, weight=3),
    E("POST", "/uploads/{upload_id}/parts", "part", weight=3),
    E("POST", "/uploads/{upload_id}/complete", "schema", files.UPLOAD_COMPLETE, weight=3),
    E("POST", "/uploads/{upload_id}/cancel", weight=1),
    E("POST", "/vector_stores", "optional", vector_stores.CREATE, weight=4),
    E("GET", "/vector_stores", query=("list",)),
    E("GET", "/vector_stores/{vector_store_id}"),
    E("POST", "/vector_stores/{vector_store_id}", "optional", vector_stores.UPDATE),
    E("DELETE", "/vector_stores/{vector_store_id}", weight=1),
    E("POST", "/vector_stores/{vector_store_id}/search", "schema", vector_stores.SEARCH, weight=3),
    E("POST", "/vector_stores/{vector_store_id}/files", "schema", vector_stores.FILE_CREATE),
    E("GET", "/vector_stores/{vector_store_id}/files", query=("list", "filter")),
    E("GET", "/vector_stores/{vector_store_id}/files/{file_id}", about=VS_FILE),
    E(
        "POST",
        "/vector_stores/{vector_store_id}/files/{file_id}",
        "schema",
        vector_stores.FILE_UPDATE,
        about=VS_FILE,
    ),
    E("DELETE", "/vector_stores/{vector_store_id}/files/{file_id}", weight=1, about=VS_FILE),
    E("GET", "/vector_stores/{vector_store_id}/files/{file_id}/content", weight=1, about=VS_FILE),
    E(
        "POST",
        "/vector_stores/{vector_store_id}/file_batches",
        "schema",
        vector_stores.BATCH_CREATE,
    ),
    E("GET", "/vector_stores/{vector_store_id}/file_batches/{batch_id}"),
    E("POST", "/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel", weight=1),
    E(
        "GET",
        "/vector_stores/{vector_store_id}/file_batches/{batch_id}/files",
        query=("list", "filter"),
    ),
    E("POST", "/responses", "schema", responses.RESPONSE_CREATE, ("include",), weight=6),
    E("GET", "/responses/{response_id}", query=("include",)),
    E("DELETE", "/responses/{response_id}", weight=1),
    E("POST", "/responses/{response_id}/cancel", weight=1),
    E("GET", "/responses/{response_id}/input_items", query=("files", "include")),
    E("POST", "/conversations", "optional", conversations.CONVERSATION_CREATE, weight=4),
    E("GET", "/conversations/{conversation_id}"),
    E("POST", "/conversations/{conversation_id}", "schema", conversations.CONVERSATION_UPDATE),
    E("DELETE", "/conversations/{conversation_id}", weight=1),
    E(
        "POST",
        "/conversations/{conversation_id}/items",
        "schema",
        conversations.ITEMS_CREATE,
        ("include",),
        weight=3,
    ),
    E("GET", "/conversations/{conversation_id}/items", query=("files", "include")),
    E("GET", "/conversations/{conversation_id}/items/{item_id}", query=("include",)),
    E("DELETE", "/conversations/{conversation_id}/items/{item_id}", weight=1),
    E("POST", "/containers", "schema", containers.CONTAINER_CREATE, weight=3),
    E("GET", "/containers", query=("files",)),
    E("GET", "/containers/{container_id}"),
    E("DELETE", "/containers/{container_id}", weight=1),
    E("POST", "/containers/{container_id}/files", "file", weight=3, about="container"),
    E("GET", "/containers/{container_id}/files", query=("files",)),
    E("GET", "/containers/{container_id}/files/{file_id}", about=CONTAINER_FILE),
    E("DELETE", "/containers/{container_id}/files/{file_id}", weight=1, about=CONTAINER_FILE),
    E("GET", "/containers/{container_id}/files/{file_id}/content", about=CONTAINER_FILE),
]

RETRIEVE_RUN = next(e for e in ENDPOINTS if e.path == "/threads/{thread_id}/runs/{run_id}")
ADD_PART = next(e for e in ENDPOINTS if e.path.endswith("/parts"))
COMPLETE_UPLOAD = next(e for e in ENDPOINTS if e.path.endswith("/complete"))
CREATE_THREAD_AND_RUN = next(e for e in ENDPOINTS if e.path == "/threads/runs")
SUBMIT_TOOL_OUTPUTS = next(e for e in ENDPOINTS if e.path.endswith("/submit_tool_outputs"))

#: which object's ids fill a placeholder, and the id prefix of that kind
PLACEHOLDERS = {
    "assistant_id": ("assistant", "asst_"),
    "thread_id": ("thread", "thread_"),
    "message_id": ("thread.message", "msg_"),
    "run_id": ("thread.run", "run_"),
    "step_id": ("thread.run.step", "step_"),
    "file_id": ("file", "file-"),
    "upload_id": ("upload", "upload_"),
    "vector_store_id": ("vector_store", "vs_"),
    "batch_id": ("vector_store.files_batch", "vsfb_"),
    "response_id": ("response", "resp_"),
    "conversation_id": ("conversation", "conv_"),
    "item_id": ("conversation.item", "msg_"),
    "container_id": ("container", "cntr_"),
}
#: the object a placeholder's id comes from also names its parents (a message, its thread)
PARENT_KEYS = {
    "thread_id": "thread_id",
    "run_id": "run_id",
    "vector_store_id": "vector_store_id",
    "upload_id": "upload_id",
    "container_id": "container_id",
    "conversation_id": "conversation_id",
}

# -- what a call is --------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    endpoint: Endpoint
    params: list[tuple[str, str]] = field(default_factory=list)
    #: raw bytes and their content type, or multipart ``files`` for httpx
    content: bytes | None = None
    content_type: str | None = None
    files: list[tuple[str, tuple[str | None, bytes | str, str | None]]] | None = None

    def describe(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params)
        body = ""
        if self.content is not None:
            body = f" {self.content_type} {self.content[:300]!r}"
            if len(self.content) > 300:
                body += f"... ({len(self.content)} bytes)"
        elif self.files is not None:
            body = " multipart " + repr([(name, part[0]) for name, part in self.files])[:300]
        return f"{self.method} {self.path}{'?' + query if query else ''}{body}"


# -- values -------------------------------------------------------------------------------------

WORDS = (
    *("weather", "forecast", "Paris", "Tokyo", "order", "refund", "calculate", "plot", "chart"),
    *("graph", "search", "rockets", "invoice", "42", "17", "3.5", "hello", "the", "please"),
)
FUNCTION_NAMES = ("get_weather", "lookup_order", "get_forecast", "send_invoice", "plot_data")
FILE_NAMES = ("notes.txt", "readme.md", "data.json", "main.py", "logo.png", "doc.pdf", "x", "")
HUGE_NUMBERS: tuple[JSON, ...] = (
    10**30,
    -(10**30),
    10**100,
    -(10**18),
    1e308,
    -1e308,
    2**63,
    2**64 + 1,
    1e-320,
)
ODD_STRINGS = ("", " ", "\u0000", "é" * 3, "😀", "\n\t", "null", "0", "-1", "%s", "../x", "a" * 70)


class Walk:
    """One seeded walk: ``call = walk.next_call()``, send it, then ``walk.learn(call, status,
    body, content_type)``."""

    def __init__(self, seed: int, *, mutation_rate: float = 0.3) -> None:
        self.rng = random.Random(seed)
        self.mutation_rate = mutation_rate
        #: objects seen, by their ``object`` kind (each a dict with its id and parent ids)
        self.seen: dict[str, list[dict[str, str]]] = {}
        self.deleted: list[str] = []
        #: runs waiting for tool outputs: run id -> (its ids, its tool call ids)
        self.pending: dict[str, tuple[dict[str, str], list[str]]] = {}
        #: the tool calls of the run the current call is about
        self.calls_at_hand: list[str] = []
        #: the functions of the latest assistants and runs: user messages name them
        self.functions: list[str] = []
        #: calls a client would make next, by the id of the run they are about
        self.followups: dict[str, tuple[Endpoint, dict[str, str]]] = {}
        self.part_ids: list[str] = []
        #: the parts added to each upload, in order
        self.parts: dict[str, list[str]] = {}
        self.weights = [e.weight for e in ENDPOINTS]

    # ---- ids

    def remember(self, obj: JSON) -> None:
        if not isinstance(obj, dict):
            return
        kind = obj.get("object")
        if kind == "list":
            for item in obj.get("data") or []:
                self.remember(item)
            return
        if not isinstance(kind, str) or not isinstance(obj.get("id"), str):
            return
        if kind == "upload.part":
            self.part_ids = [*self.part_ids[-19:], obj["id"]]
            parts = self.parts.setdefault(obj["upload_id"], [])
            parts.append(obj["id"])
            story = {"id": obj["upload_id"], "parts": ",".join(parts)}
            self.followups["complete:" + obj["upload_id"]] = (COMPLETE_UPLOAD, story)
            return
        if kind == "upload" and obj.get("status") == "pending" and self.rng.random() < 0.8:
            story = {"id": obj["id"], "bytes": str(obj.get("bytes"))}
            self.followups["part:" + obj["id"]] = (ADD_PART, story)
        if kind.endswith((".deleted", ".delta")):
            return
        ids = {"id": obj["id"]}
        ids.update({k: obj[k] for k in PARENT_KEYS.values() if isinstance(obj.get(k), str)})
        known = self.seen.setdefault(kind, [])
        if ids not in known:
            known.append(ids)
            del known[:-40]  # recent objects are the interesting ones
        if kind in ("assistant", "thread.run"):
            names = [
                t["function"]["name"] for t in obj.get("tools") or [] if t["type"] == "function"
            ]
            self.functions = [*self.functions, *names][-6:]
            if kind == "assistant" and names and self.rng.random() < 0.7:
                # the story of a function call: a thread and a run whose user names a function
                story = {"assistant_id": obj["id"], "function": self.rng.choice(names)}
                self.followups["story:" + obj["id"]] = (CREATE_THREAD_AND_RUN, story)
        if kind == "thread.run":
            # what a client does next: poll a run that moves, answer one that waits for tools
            self.followups.pop(obj["id"], None)
            action = obj.get("required_action") or {}
            calls = (action.get("submit_tool_outputs") or {}).get("tool_calls") or []
            if obj.get("status") == "requires_action" and calls:
                self.pending[obj["id"]] = (ids, [c["id"] for c in calls])
                self.followups[obj["id"]] = (SUBMIT_TOOL_OUTPUTS, ids)
            else:
                self.pending.pop(obj["id"], None)
                if obj.get("status") in ("queued", "in_progress", "cancelling"):
                    self.followups[obj["id"]] = (RETRIEVE_RUN, ids)
        if isinstance(obj.get("thread_id"), str):
            self.remember({"object": "thread", "id": obj["thread_id"]})

    def forget(self, path: str) -> None:
        """After a successful delete: the object's id goes to the ids of deleted objects."""
        gone = path.rsplit("/", 1)[-1]
        for known in self.seen.values():
            known[:] = [ids for ids in known if ids["id"] != gone]
        self.deleted = [*self.deleted[-19:], gone]

    def learn(self, call: Call, status: int, body: bytes, content_type: str) -> None:
        if status >= 300:
            return
        if call.method == "DELETE":
            self.forget(call.path)
        if content_type.startswith("text/event-stream"):
            for _, data in sse_events(body):
                self.remember(data)
        elif content_type.startswith("application/json"):
            answer = json.loads(body)
            self.remember(answer)
            listed = re.fullmatch(r"/v1/conversations/([^/]+)/items", call.path)
            if listed and isinstance(answer, dict):  # items name neither their kind nor parent
                for item in answer.get("data") or []:
                    item = {"id": item["id"], "conversation_id": listed.group(1)}
                    self.remember({"object": "conversation.item", **item})

    def some_id(self, kind: str, prefix: str) -> str:
        known = self.seen.get(kind)
        roll = self.rng.random()
        if known and roll < 0.85:
            return self.rng.choice(known)["id"]
        if self.deleted and roll < 0.88:
            return self.rng.choice(self.deleted)
        if roll < 0.93:
            return prefix + "".join(self.rng.choices("abcdefXYZ0123456789", k=24))
        return self.rng.choice(("x", "asst_x", "vs_x", "file-x", "thread_x", "%20", "a" * 300))

    # ---- calls

    def next_call(self) -> Call:
        anchor = None
        if self.followups and self.rng.random() < 0.8:
            endpoint, anchor = self.followups.pop(next(iter(self.followups)))
        else:
            endpoint = self.rng.choices(ENDPOINTS, self.weights)[0]
        call = Call(endpoint.method, self.path(endpoint, anchor), endpoint)
        for name in endpoint.query:
            call.params.extend(self.query(name))
        if endpoint.body in ("schema", "optional"):
            self.json_body(call, endpoint, anchor)
        elif endpoint.body in ("file", "part"):
            self.form(call, endpoint.body, anchor)
        elif self.rng.random() < 0.05:  # a body where none is read
            call.content, call.content_type = b'{"x": 1}', "application/json"
        return call

    def path(self, endpoint: Endpoint, anchor: dict[str, str] | None = None) -> str:
        """The endpoint's path with ids filled in: those of ``anchor`` (the object the call is
        about, which names its parents too: a run names its thread), or of an object seen,
        and now and then a wrong one."""
        names = re.findall(r"\{(\w+)\}", endpoint.path)
        values: dict[str, str] = {}
        if names and anchor is None:
            known = self.seen.get(endpoint.about or PLACEHOLDERS[names[-1]][0])
            if known and self.rng.random() < 0.85:
                anchor = self.rng.choice(known)
        if anchor is not None and names:
            values[names[-1]] = anchor["id"]
            values.update({name: anchor[name] for name in names[:-1] if name in anchor})
        for name in names:
            if name not in values or self.rng.random() < 0.03:
                values[name] = self.some_id(*PLACEHOLDERS[name])
        self.calls_at_hand = self.pending.get(values.get("run_id", ""), ({}, []))[1]
        path = endpoint.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        return "/v1" + path

    def query(self, name: str) -> list[tuple[str, str]]:
        rng = self.rng
        out: list[tuple[str, str]] = []
        if name in ("list", "files"):
            if rng.random() < 0.5:
                limit = rng.choice(
                    ["1", "2", "20", "100", "0", "-1", "101", "10000", "x", "", "1e3"]
                )
                out.append(("limit", str(10**30) if rng.random() < 0.05 else limit))
            if rng.random() < 0.3:
                out.append(("order", rng.choice(["asc", "desc", "up", ""])))
            for cursor in ("after", "before") if name == "list" else ("after",):
                if rng.random() < 0.2:
                    kinds = [k for k in self.seen if self.seen[k]]
                    kind = rng.choice(kinds) if kinds else "assistant"
                    out.append((cursor, self.some_id(kind, "x_")))
        elif name == "include" and rng.random() < 0.3:
            value = "step_details.tool_calls[*].file_search.results[*].content"
            out.append(("include[]", value if rng.random() < 0.8 else rng.choice(ODD_STRINGS)))
        elif name == "run_id" and rng.random() < 0.2:
            out.append(("run_id", self.some_id("thread.run", "run_")))
        elif name == "filter" and rng.random() < 0.3:
            out.append(
                ("filter", rng.choice(["in_progress", "completed", "failed", "cancelled", "x"]))
            )
        elif name == "purpose" and rng.random() < 0.3:
            out.append(("purpose", rng.choice(["assistants", "batch", "vision", "x"])))
        return out

    # ---- JSON bodies

    def json_body(self, call: Call, endpoint: Endpoint, story: dict[str, str] | None) -> None:
        assert endpoint.schema is not None
        rng = self.rng
        if story is not None and "parts" in story and rng.random() < 0.8:
            body = {"part_ids": story["parts"].split(",")}
            call.content, call.content_type = _dumps(body), "application/json"
            return
        if story is not None and "function" in story:
            message = {"role": "user", "content": f"Please {story['function']} for Paris."}
            body = self.value(endpoint.schema, "", 0)
            body.update(assistant_id=story["assistant_id"], thread={"messages": [message]})
            for key in ("tools", "tool_choice", "tool_resources"):  # the assistant's own
                body.pop(key, None)
            call.content, call.content_type = _dumps(body), "application/json"
            return
        roll = rng.random()
        call.content_type = "application/json"
        if endpoint.body == "optional" and roll < 0.1:
            call.content = b""
            return
        if roll < 0.04:
            call.content = rng.choice(RAW_BODIES)
            return
        if roll < 0.06:
            call.content_type = rng.choice(
                ["text/plain", "multipart/form-data", "", "application/x-json"]
            )
        body = self.value(endpoint.schema, "", 0)
        if rng.random() < self.mutation_rate:
            body = self.mutate_somewhere(endpoint.schema, body)
        call.content = _dumps(body)

    def value(self, schema: Field, name: str, depth: int) -> JSON:
        """A value ``schema`` accepts (mostly: ids may be unknown, strings may be long)."""
        rng = self.rng
        if schema is common.JSON_SCHEMA:
            return self.json_schema(0)
        if isinstance(schema, Id):
            kind = {"asst_": "assistant", "file-": "file", "vs_": "vector_store"}.get(schema.prefix)
            latest = self.seen.get(kind or "")
            if latest and rng.random() < 0.5:  # what was just made is what gets used
                return latest[-1]["id"]
            return self.some_id(kind or schema.prefix, schema.prefix)
        if isinstance(schema, Enum):
            if name == "role" and rng.random() < 0.8:
                return "user"
            return rng.choice(list(schema.values))
        if isinstance(schema, Str):
            return self.string(schema, name)
        if isinstance(schema, Bool):
            return rng.random() < 0.5
        if isinstance(schema, Int):
            if name == "bytes" and rng.random() < 0.7:  # an upload small enough to send
                return rng.randint(0, 20_000)
            low = schema.minimum if schema.minimum is not None else -3
            high = schema.maximum if schema.maximum is not None else max(low, 0) + 2000
            return rng.choice([low, high, rng.randint(int(low), int(high))])
        if isinstance(schema, Num):
            low = schema.minimum if schema.minimum is not None else -10.0
            high = schema.maximum if schema.maximum is not None else 10.0
            return rng.choice([low, high, round(rng.uniform(low, high), 3)])
        if isinstance(schema, Arr):
            if name == "part_ids" and self.part_ids:
                return rng.sample(self.part_ids, min(len(self.part_ids), rng.randint(1, 3)))
            if name == "tool_outputs" and self.calls_at_hand and rng.random() < 0.8:
                return [
                    {"tool_call_id": i, "output": self.string(Str(), "")}
                    for i in self.calls_at_hand
                ]
            low = schema.min_items or 0
            high = max(low, min(schema.max_items if schema.max_items is not None else 3, 3))
            count = rng.randint(max(low, rng.random() < 0.8), high) if depth < 6 else low
            return [self.value(schema.items, name, depth + 1) for _ in range(count)]
        if isinstance(schema, Obj):
            out = {}
            for key, sub in schema.properties.items():
                if key in schema.required or (depth < 6 and rng.random() < FAVOURED.get(key, 0.4)):
                    out[key] = self.value(sub, key, depth + 1)
            for pair in EXCLUSIVE:  # the schemas' "only one of" rules, kept most of the time
                if all(key in out for key in pair) and rng.random() < 0.8:
                    del out[rng.choice(pair)]
            return out
        if isinstance(schema, Tagged):
            variants = list(schema.variants)
            kind = rng.choice(variants + ["function"] * 2 if "function" in variants else variants)
            return {**self.value(schema.variants[kind], name, depth), "type": kind}
        if isinstance(schema, Map):
            keys = rng.sample(["a", "tier", "k" * 64, "user", "x-1"], rng.randint(0, 3))
            return {k: self.value(schema.values, k, depth + 1) for k in keys}
        if isinstance(schema, OneOf):
            options = list(schema.options)
            if name == "content" and rng.random() < 0.7:  # text, mostly: it decides what runs do
                options = [o for o in options if isinstance(o, Str)]
            return self.value(rng.choice(options), name, depth)
        if isinstance(schema, AnyValue):
            return self.any_value(depth)
        if schema is responses.INPUT_ITEM:
            return self.input_item(depth)
        raise TypeError(f"no values for {schema!r}")

    def input_item(self, depth: int) -> JSON:
        """A Responses/Conversations input item: mostly a user message, else a function output,
        a reference to an item seen (or not), or something else."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            role = rng.choice(["user"] * 6 + ["assistant", "system", "developer", "bogus"])
            content = self.string(Str(), "content")
            if rng.random() < 0.3:
                part = "output_text" if role == "assistant" else "input_text"
                content = [{"type": part, "text": content}]
            item = {"role": role, "content": content}
            if rng.random() < 0.3:
                item["type"] = "message"
            return item
        if roll < 0.75:
            call_id = "call_" + "".join(rng.choices("abcXYZ0123", k=24))
            return {"type": "function_call_output", "call_id": call_id, "output": "22C"}
        if roll < 0.9:
            return {"type": "item_reference", "id": self.some_id("conversation.item", "msg_")}
        return self.any_value(depth) if rng.random() < 0.5 else {"type": rng.choice(WORDS)}

    def string(self, schema: Str, name: str) -> str:
        rng = self.rng
        if name == "tool_call_id" and self.calls_at_hand and rng.random() < 0.9:
            return rng.choice(self.calls_at_hand)
        if name in ("name", "function") or schema.pattern:
            return rng.choice(FUNCTION_NAMES + ("f", "My-Tool_2"))
        if name in ("model",):
            return rng.choice(["gpt-4o", "o3-mini", "gpt-4o-mini", "x"])
        if name == "url":
            return rng.choice(["https://example.com/a.png", "data:image/png;base64,AAAA", "x"])
        roll = rng.random()
        if roll < 0.05 and schema.max_length:
            return "w " * (schema.max_length // 2)
        if roll < 0.1:
            return rng.choice(ODD_STRINGS)
        words = rng.choices(WORDS + FUNCTION_NAMES, k=rng.randint(1, 12))
        if self.functions and rng.random() < 0.6:
            words.append(rng.choice(self.functions))
        return " ".join(words)

    def any_value(self, depth: int) -> JSON:
        rng = self.rng
        kinds = ["str", "int", "num", "bool", "null"] + (["arr", "obj"] if depth < 5 else [])
        kind = rng.choice(kinds)
        if kind == "arr":
            return [self.any_value(depth + 1) for _ in range(rng.randint(0, 3))]
        if kind == "obj":
            return {rng.choice(WORDS): self.any_value(depth + 1) for _ in range(rng.randint(0, 3))}
        return {"str": rng.choice(WORDS), "int": rng.randint(-5, 5), "num": 2.5, "bool": True}.get(
            kind
        )

    def json_schema(self, depth: int) -> JSON:
        """A JSON schema as functions and response formats carry them; sometimes broken."""
        rng = self.rng
        kinds = ["string", "integer", "number", "boolean", "null", "array", "object"]
        if depth >= 4:
            kinds = kinds[:5]
        kind = rng.choice(kinds + ["object"] * (2 if depth == 0 else 0))
        schema: dict[str, JSON] = {"type": kind}
        if kind == "object":
            schema["properties"] = {
                rng.choice(
                    ["city", "location", "date", "query", "name", "unit", "count", "tags"]
                ): (self.json_schema(depth + 1))
                for _ in range(rng.randint(0, 3))
            }
            if schema["properties"] and rng.random() < 0.5:
                schema["required"] = list(schema["properties"])
        elif kind == "array":
            schema["items"] = self.json_schema(depth + 1)
            if rng.random() < 0.3:
                schema["minItems"], schema["maxItems"] = 1, rng.randint(1, 4)
        elif kind in ("integer", "number") and rng.random() < 0.4:
            schema["minimum"], schema["maximum"] = 0, rng.choice([1, 10, 1000])
        elif kind == "string" and rng.random() < 0.3:
            choice = rng.random()
            if choice < 0.4:
                schema["enum"] = ["celsius", "fahrenheit"]
            elif choice < 0.7:
                schema["format"] = rng.choice(["date", "date-time", "email", "uri", "uuid"])
            else:
                schema["maxLength"] = rng.randint(0, 5)
        roll = rng.random()
        if roll < 0.05:
            schema = {"anyOf": [self.json_schema(depth + 1), {"type": "null"}]}
        elif roll < 0.07:
            schema["const"] = rng.choice(WORDS)
        elif roll < 0.09:
            schema["type"] = [kind, "null"]
        if rng.random() < self.mutation_rate:
            schema[rng.choice(SCHEMA_KEYWORDS)] = rng.choice(BROKEN_KEYWORD_VALUES)
        return schema

    # ---- mutations

    def mutate_somewhere(self, schema: Field, body: JSON) -> JSON:
        """``body`` with one place changed into something the schema may refuse."""
        rng = self.rng
        if not isinstance(body, dict) or not body or rng.random() < 0.1:
            return self.mutation(schema, body)
        key = rng.choice(list(body))
        sub = schema.properties.get(key) if isinstance(schema, Obj) else None
        roll = rng.random()
        if roll < 0.15:
            body = {**body, rng.choice(["bogus", "Model", "type", "stream_options"]): 1}
        elif roll < 0.25:
            body = dict(body)
            del body[key]
        elif sub is not None and isinstance(body[key], dict) and rng.random() < 0.6:
            body = {**body, key: self.mutate_somewhere(_object_of(sub, body[key]), body[key])}
        elif sub is not None and isinstance(body[key], list) and body[key] and rng.random() < 0.6:
            items = list(body[key])
            i = rng.randrange(len(items))
            items[i] = self.mutate_somewhere(_items_of(sub, items[i]), items[i])
            body = {**body, key: items}
        else:
            body = {**body, key: self.mutation(sub, body[key])}
        return body

    def mutation(self, schema: Field | None, value: JSON) -> JSON:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return None
        if roll < 0.35:
            return rng.choice(WRONG_TYPES)
        if roll < 0.5:
            return rng.choice(HUGE_NUMBERS)
        if roll < 0.6 and isinstance(schema, (Int, Num)):
            edge = schema.maximum if schema.maximum is not None else schema.minimum
            return (edge or 0) + rng.choice([-1, 1, 0.5, -0.5])
        if roll < 0.7:
            # deeper than this the client's own encoder runs out of stack; RAW_BODIES go deeper
            return _nested(rng.choice([3, 20, 127, 129, 600]), value)
        if roll < 0.78:
            return "x" * rng.choice([257, 513, 256_001, 1_000_000])
        if roll < 0.86:
            return [value] * rng.choice([0, 2, 21, 129, 501, 2001])
        if roll < 0.93:
            return {"bogus": value, "type": rng.choice(WORDS)}
        return rng.choice(ODD_STRINGS)

    # ---- multipart

    def form(self, call: Call, kind: str, story: dict[str, str] | None = None) -> None:
        rng = self.rng
        file_field = "file" if kind == "file" else "data"
        filename = rng.choice(FILE_NAMES)
        text = " ".join(rng.choices(WORDS, k=rng.randint(0, 200))).encode()
        content = rng.choice([text, text, b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), b"%PDF-1"])
        if story and story.get("bytes", "").isdigit() and int(story["bytes"]) <= 100_000:
            # one part of the declared size, sometimes two halves of it
            whole = (text * (int(story["bytes"]) // max(len(text), 1) + 1))[: int(story["bytes"])]
            content = whole if rng.random() < 0.7 else whole[: len(whole) // 2]
        parts: list[tuple[str, tuple[str | None, bytes | str, str | None]]] = []
        if rng.random() < 0.93:
            parts.append((file_field, (filename, content, rng.choice(["text/plain", None]))))
        if kind == "file" and rng.random() < 0.93:
            purpose = rng.choice(list(files.FILE_PURPOSES) + ["assistants"] * 6 + ["x", ""])
            parts.append(("purpose", (None, purpose, None)))
        if kind == "file" and rng.random() < 0.1:
            parts.append(("expires_after[anchor]", (None, rng.choice(["created_at", "x"]), None)))
            seconds = rng.choice(["3600", "10", "x", "2592001", str(10**30)])
            parts.append(("expires_after[seconds]", (None, seconds, None)))
        if rng.random() < 0.05:
            parts.append(
                (rng.choice(["bogus", file_field]), (None, "v" * rng.choice([1, 70_000]), None))
            )
        if rng.random() < 0.03:
            call.content = b"--b\r\nnot a form"
            call.content_type = rng.choice(
                ["multipart/form-data; boundary=b", "multipart/form-data"]
            )
            return
        if rng.random() < 0.03:
            call.content, call.content_type = b'{"purpose": "assistants"}', "application/json"
            return
        call.files = parts


#: properties that may not come together (``exactly_one_of`` rules of the schemas)
EXCLUSIVE = (("file_ids", "files"), ("vector_store_ids", "vector_stores"))

#: properties that make a walk go further, included more often than the others
FAVOURED = {
    "tools": 0.8,
    "messages": 0.8,
    "content": 1.0,
    "stream": 0.5,
    "response_format": 0.3,
    "schema": 0.8,
    "parameters": 0.8,
    "tool_choice": 0.2,
    "file_ids": 0.5,
    "attachments": 0.1,
}

SCHEMA_KEYWORDS = (
    "properties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "enum",
    "type",
    "anyOf",
    "oneOf",
    "maxLength",
    "format",
    "const",
)
BROKEN_KEYWORD_VALUES: tuple[JSON, ...] = (
    None,
    "two",
    -1,
    0,
    1.5,
    -(10**30),
    10**30,
    [],
    ["x"],
    {},
    {"x": 1},
    True,
    [None],
    [{"type": 5}],
)
WRONG_TYPES: tuple[JSON, ...] = ("x", 0, -7, 1.5, True, False, [], [1, "a"], {}, {"a": {}}, "")
RAW_BODIES = (
    b"{",
    b"[]",
    b"null",
    b'"x"',
    b"{}{}",
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b'{"a": 1e999}',
    b'{"a": "\\ud800"}',
    b"\xff\xfe{}",
    b'{"a": ' + b"9" * 5000 + b"}",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a": 1, "a": 2}',
)


def _dumps(body: JSON) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _nested(levels: int, inner: JSON) -> JSON:
    for _ in range(levels):
        inner = [inner]
    return inner


def _object_of(schema: Field, value: dict) -> Field:
    """The object schema that describes ``value`` (through tagged unions and alternatives)."""
    if isinstance(schema, Tagged) and value.get("type") in schema.variants:
        return schema.variants[value["type"]]
    if isinstance(schema, OneOf):
        for option in schema.options:
            if isinstance(option, (Obj, Tagged)):
                return _object_of(option, value)
    return schema


def _items_of(schema: Field, item: JSON) -> Field:
    if isinstance(schema, OneOf):
        schema = next((o for o in schema.options if isinstance(o, Arr)), schema)
    if isinstance(schema, Arr):
        return _object_of(schema.items, item) if isinstance(item, dict) else schema.items
    return schema


def sse_events(body: bytes) -> Iterator[tuple[str, JSON]]:
    """The (event, data) pairs of a stream; every data line must be JSON or ``[DONE]``."""
    event = ""
    for line in body.split(b"\n"):
        if line.startswith(b"event: "):
            event = line[7:].decode()
        elif line.startswith(b"data: "):
            data = line[6:]
            yield event, (data.decode() if data == b"[DONE]" else json.loads(data))


def covered_routes() -> set[tuple[str, str]]:
    return {(e.method, "/v1" + e.path) for e in ENDPOINTS}
