"""The Response object and its parts, exactly as the API shows them (reference §2.1)."""

from __future__ import annotations

import copy
from typing import Any

from ..resources.model_families import default_search_results, is_reasoning_model
from ..store import Sandbox
from ..types import JSONObject
from . import items


def response(
    sandbox: Sandbox,
    response_id: str,
    body: dict[str, Any],
    *,
    status: str,
    conversation_id: str | None,
) -> JSONObject:
    """A new response with ``output: []`` and ``usage: null``; the echo of the request's
    settings, the defaults where it gave none (``null`` means "not given", reference §1.1)."""
    model = body["model"]
    reasoning = is_reasoning_model(model)
    asked = body.get("reasoning") or {}
    text = body.get("text") or {}
    return {
        "id": response_id,
        "object": "response",
        "created_at": sandbox.now(),
        "status": status,
        "background": body.get("background", False),
        "billing": {"payer": "developer"},
        "completed_at": None,
        "conversation": None if conversation_id is None else {"id": conversation_id},
        "error": None,
        "frequency_penalty": body.get("frequency_penalty", 0.0),
        "incomplete_details": None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": body.get("max_tool_calls"),
        "metadata": copy.deepcopy(body.get("metadata") or {}),
        "model": model,
        "output": [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "presence_penalty": body.get("presence_penalty", 0.0),
        "previous_response_id": body.get("previous_response_id"),
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": {
            "effort": asked.get("effort", "medium" if reasoning else None),
            "summary": asked.get("summary"),
        },
        "safety_identifier": body.get("safety_identifier"),
        # the tier actually used: "auto" is served by "default", "fast" by "priority"
        "service_tier": {"auto": "default", "fast": "priority"}.get(
            body.get("service_tier", "auto"), body.get("service_tier", "auto")
        ),
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": {
            "format": text_format(text.get("format")),
            "verbosity": text.get("verbosity", "medium"),
        },
        "tool_choice": copy.deepcopy(body.get("tool_choice", "auto")),
        "tools": [tool_echo(tool, model) for tool in body.get("tools") or []],
        "top_logprobs": body.get("top_logprobs", 0),
        "top_p": body.get("top_p", 1.0),
        "truncation": body.get("truncation", "disabled"),
        "usage": None,
        "user": body.get("user"),
    }


def text_format(fmt: JSONObject | None) -> JSONObject:
    if fmt is None:
        return {"type": "text"}
    if fmt["type"] == "json_schema":
        return {
            "type": "json_schema",
            "description": fmt.get("description"),
            "name": fmt["name"],
            "schema": copy.deepcopy(fmt["schema"]),
            "strict": fmt.get("strict", False),
        }
    return {"type": fmt["type"]}


def tool_echo(tool: JSONObject, model: str) -> JSONObject:
    """A tool as the response echoes it: a function's ``strict`` comes back ``true`` when
    omitted and its ``description`` ``null``; a file_search tool's defaults filled in."""
    kind = tool["type"]
    if kind == "function":
        return {
            "type": "function",
            "description": tool.get("description"),
            "name": tool["name"],
            "parameters": copy.deepcopy(tool.get("parameters")),
            "strict": tool.get("strict", True),
        }
    if kind == "file_search":
        ranking = tool.get("ranking_options") or {}
        return {
            "type": "file_search",
            "filters": copy.deepcopy(tool.get("filters")),
            "max_num_results": tool.get("max_num_results", default_search_results(model)),
            "ranking_options": {
                "ranker": ranking.get("ranker", "auto"),
                "score_threshold": ranking.get("score_threshold", 0.0),
            },
            "vector_store_ids": list(tool["vector_store_ids"]),
        }
    return copy.deepcopy(tool)


def usage(input_tokens: int, output_tokens: int) -> JSONObject:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input_tokens + output_tokens,
    }


def present(response: JSONObject, include: list[str]) -> JSONObject:
    """The response as a request shows it: tool results and outputs as ``include[]`` asks."""
    return {**response, "output": [items.present(item, include) for item in response["output"]]}
