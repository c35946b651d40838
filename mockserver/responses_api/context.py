"""The seam between a response and the one engine: a :class:`ResponseContext` is what the
planner, the scenario scripts and the server tools read (``engine.machine.PlanContext``).

Responses state their settings in their own shapes (flat function tools, ``tool_choice``
forms of their own, ``text.format``); :func:`engine_settings` translates them once, at
creation, into the vocabulary the engine reads (a run's), so the planner is never forked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.machine import note_reason
from ..store import Sandbox
from ..types import JSONObject, ResponseRecord
from . import items


@dataclass
class ResponseContext:
    """One response being worked on. Nothing listens while it works: a stream is derived from
    the finished object (``responses_api/stream.py``)."""

    sandbox: Sandbox
    response: JSONObject
    log: None = None
    api = "responses"

    @property
    def record(self) -> ResponseRecord:
        return self.sandbox.response_records()[self.response["id"]]

    @property
    def run(self) -> JSONObject:
        """The settings, as the engine reads them (see :func:`engine_settings`)."""
        return self.record["settings"]

    def emit(self, event: str, data: Any) -> None:
        """Nothing listens (the engine's protocol has it)."""

    def explain(self, reason: str) -> None:
        """Note why the response does what it is about to do, as a run does."""
        note_reason(self.record, reason)

    def messages(self) -> list[JSONObject]:
        """The message items of the context, as thread messages (role and text)."""
        return [
            {
                "role": item["role"],
                "content": [{"type": "text", "text": {"value": items.text_of(item)}}],
                "run_id": None,
                "status": "completed",
            }
            for item in self.record["context"]
            if item["type"] == "message"
        ]


def engine_settings(response_id: str, body: dict[str, Any]) -> JSONObject:
    """A create body's settings in the engine's vocabulary: a run's field names and shapes."""
    tools = body.get("tools") or []
    choice = body.get("tool_choice", "auto")
    if isinstance(choice, dict) and choice["type"] == "allowed_tools":
        # only the allowed tools exist for the model; the mode says whether one must be used
        allowed = choice["tools"]
        tools = [t for t in tools if any(_names(a, t) for a in allowed)]
        choice = choice["mode"]
    return {
        "id": response_id,  # seeds the generated arguments and values
        "assistant_id": None,
        "thread_id": None,
        "model": body["model"],
        "instructions": body.get("instructions") or "",
        "tools": [engine_tool(tool) for tool in tools],
        "tool_choice": engine_choice(choice),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "response_format": engine_format((body.get("text") or {}).get("format")),
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "expires_at": None,  # responses do not expire
    }


def _names(allowed: JSONObject, tool: JSONObject) -> bool:
    if allowed.get("type") != tool["type"]:
        return False
    return tool["type"] != "function" or allowed.get("name") == tool["name"]


def engine_tool(tool: JSONObject) -> JSONObject:
    """A flat Responses tool as a run's tool."""
    kind = tool["type"]
    if kind == "function":
        function = {
            k: tool[k] for k in ("name", "description", "parameters", "strict") if k in tool
        }
        return {"type": "function", "function": function}
    if kind == "file_search":
        names = ("vector_store_ids", "max_num_results", "ranking_options", "filters")
        settings = {k: tool[k] for k in names if k in tool}
        return {"type": "file_search", "file_search": settings}
    return {"type": kind}


def engine_choice(choice: Any) -> Any:
    """``{"type": "function", "name": n}`` is a run's ``{"type": "function", "function":
    {"name": n}}``; the strings and the built-in tools' forms are the same."""
    if isinstance(choice, dict) and choice["type"] == "function":
        return {"type": "function", "function": {"name": choice["name"]}}
    return choice


def engine_format(fmt: JSONObject | None) -> Any:
    """``text.format`` as a run's ``response_format``."""
    if fmt is None or fmt["type"] == "text":
        return "auto"
    if fmt["type"] == "json_schema":
        spec = {k: fmt[k] for k in ("name", "description", "schema", "strict") if k in fmt}
        return {"type": "json_schema", "json_schema": spec}
    return {"type": fmt["type"]}
