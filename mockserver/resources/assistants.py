"""Assistants: create, read, update, delete."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..backend import ASSISTANTS
from ..store import Sandbox
from ..types import JSONObject, Pager
from .lookup import find
from .model_families import is_reasoning_model
from .tools import normalize_tool_resources, normalize_tools, with_tool_entries


def create(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    model = body["model"]
    reasoning = is_reasoning_model(model)
    default_sampling = None if reasoning else 1.0
    tools = body.get("tools")
    assistant = {
        "id": "",  # minted once every check passed: a refused request uses up no id
        "object": "assistant",
        "created_at": sandbox.now(),
        "name": body.get("name"),
        "description": body.get("description"),
        "model": model,
        "instructions": body.get("instructions"),
        "tools": normalize_tools(tools) if tools else [],
        "tool_resources": {},
        "metadata": body.get("metadata") or {},
        "top_p": body.get("top_p", default_sampling),
        "temperature": body.get("temperature", default_sampling),
        "reasoning_effort": body.get("reasoning_effort"),
        "response_format": body.get("response_format") or "auto",
    }
    if reasoning:  # only reasoning models refuse sampling settings
        check_sampling(assistant)
    # resolved last: the vector_stores helper creates objects, so only once all else passed;
    # most assistants have neither tools nor resources (their tool_resources stay {})
    given = body.get("tool_resources")
    if tools or given:
        resources = normalize_tool_resources(sandbox, given) if given else {}
        assistant["tool_resources"] = with_tool_entries(assistant["tools"], resources)
    assistant["id"] = sandbox.ids.new("asst_")
    return sandbox.add(ASSISTANTS, assistant)


def get(sandbox: Sandbox, assistant_id: str, param: str = "assistant_id") -> JSONObject:
    return find(sandbox.assistants(), "assistant", assistant_id, param)


def list_(sandbox: Sandbox, page: Pager) -> JSONObject:
    return page(sandbox.assistants(), None)


def update(sandbox: Sandbox, assistant_id: str, body: dict[str, Any]) -> JSONObject:
    current = get(sandbox, assistant_id)
    changed = dict(current)
    for key in ("name", "description", "instructions", "reasoning_effort", "temperature", "top_p"):
        if key in body:
            changed[key] = body[key]
    if "model" in body:
        changed["model"] = body["model"]
    if "metadata" in body:
        changed["metadata"] = body["metadata"] or {}
    if "tools" in body:
        changed["tools"] = normalize_tools(body["tools"])
    if "response_format" in body:
        changed["response_format"] = body["response_format"] or "auto"
    # The real API reports the stale setting against 'model' when the model is what changed.
    check_sampling(
        changed,
        param_for={k: "model" for k in SAMPLING if k not in body and "model" in body},
    )
    if "tool_resources" in body:
        changed["tool_resources"] = normalize_tool_resources(
            sandbox, body["tool_resources"], current["tool_resources"]
        )
    changed["tool_resources"] = with_tool_entries(changed["tools"], changed["tool_resources"])
    current.update(changed)
    return current


def delete(sandbox: Sandbox, assistant_id: str) -> JSONObject:
    get(sandbox, assistant_id)
    sandbox.assistants().remove(assistant_id)
    return {"id": assistant_id, "object": "assistant.deleted", "deleted": True}


#: the sampling settings reasoning models refuse
SAMPLING = ("temperature", "top_p")


def check_sampling(settings: JSONObject, param_for: dict[str, str] | None = None) -> None:
    """Reasoning models take neither ``temperature`` nor ``top_p``; ``null`` clears them.
    ``param_for`` names the parameter a refusal reports, when it is not the setting itself."""
    if not is_reasoning_model(settings["model"]):
        return
    param_for = param_for or {}
    for name in SAMPLING:
        if settings.get(name) is not None:
            raise errors.unsupported_parameter(name, param_for.get(name, name))
