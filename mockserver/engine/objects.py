"""Builders of the run, run step and assistant message objects, exactly as the API shows them."""

from __future__ import annotations

import copy
from typing import Any

from ..resources import messages
from ..resources.tools import normalize_tools
from ..store import Sandbox
from ..types import JSONObject

RUN_EXPIRY_SECONDS = 600
INCLUDE_SEARCH_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"


def run(
    sandbox: Sandbox, thread_id: str, assistant: JSONObject, body: dict[str, Any]
) -> JSONObject:
    """A new ``queued`` run; run-level overrides win over the assistant's settings.

    ``body`` is the checked request: a ``null`` the client sent is already gone unless it
    clears (``temperature``, ``top_p``), so a key that is present overrides."""
    now = sandbox.now()

    def pick(name: str) -> Any:
        return body[name] if name in body else assistant.get(name)

    instructions = pick("instructions") or ""
    if body.get("additional_instructions"):
        instructions = (
            f"{instructions}\n{body['additional_instructions']}"
            if instructions
            else body["additional_instructions"]
        )
    truncation = body.get("truncation_strategy") or {"type": "auto", "last_messages": None}
    truncation = {"type": truncation["type"], "last_messages": truncation.get("last_messages")}
    return {
        "id": sandbox.ids.new("run_"),
        "object": "thread.run",
        "created_at": now,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": now + RUN_EXPIRY_SECONDS,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "incomplete_details": None,
        "model": body.get("model") or assistant["model"],
        "instructions": instructions,
        # copies: a run is a snapshot, and objects never share a list or dict (see tables.py)
        "tools": normalize_tools(body["tools"])
        if "tools" in body
        else copy.deepcopy(assistant["tools"]),
        # the recorded real runs show {} even when the assistant has files or a vector store
        # (file_search still searches the assistant's and the thread's stores)
        "tool_resources": {},
        "metadata": body.get("metadata") or {},
        "temperature": pick("temperature"),
        "top_p": pick("top_p"),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "truncation_strategy": truncation,
        "tool_choice": body.get("tool_choice", "auto"),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "response_format": copy.deepcopy(pick("response_format")) or "auto",
        "reasoning_effort": pick("reasoning_effort"),
        "usage": None,
    }


def step(sandbox: Sandbox, run: JSONObject, details: JSONObject) -> JSONObject:
    return {
        "id": sandbox.ids.new("step_"),
        "object": "thread.run.step",
        "created_at": sandbox.now(),
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "type": details["type"],
        "status": "in_progress",
        "step_details": details,
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "metadata": {},
        "usage": None,
    }


def assistant_message(sandbox: Sandbox, run: JSONObject) -> JSONObject:
    return {
        "id": sandbox.ids.new("msg_"),
        "object": "thread.message",
        "created_at": sandbox.now(),
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "role": "assistant",
        "content": [],
        "attachments": [],
        "metadata": {},
        "status": "in_progress",
        "incomplete_details": None,
        "completed_at": None,
        "incomplete_at": None,
    }


def text_part(value: str, annotations: list[JSONObject] | None = None) -> JSONObject:
    return messages.text_part(value, annotations)


def usage(prompt: int, completion: int) -> JSONObject:
    """A run step's ``usage``: the three counts."""
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def run_usage(prompt: int, completion: int) -> JSONObject:
    """A finished run's ``usage``: the counts and the two details the recorded real runs
    carried, spelled as recorded (``prompt_token_details``, not ``prompt_tokens_details``);
    nothing is cached or spent on reasoning here."""
    return {
        **usage(prompt, completion),
        "prompt_token_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def present_step(step: JSONObject, include: list[str]) -> JSONObject:
    """A step as the API shows it: file_search result content only when ``include[]`` asks."""
    if step["type"] != "tool_calls" or INCLUDE_SEARCH_CONTENT in include:
        return step
    calls = step["step_details"]["tool_calls"]
    if not any(c["type"] == "file_search" for c in calls):
        return step
    shown = copy.deepcopy(step)
    for call in shown["step_details"]["tool_calls"]:
        for result in call.get("file_search", {}).get("results", []) or []:
            result.pop("content", None)
    return shown
