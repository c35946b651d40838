"""Tools and tool resources as the API echoes them back."""

from __future__ import annotations

from typing import Any

from ..store import Sandbox
from ..types import JSONObject
from . import vector_stores
from .lookup import find
from .model_families import default_search_results

#: a file_search tool's ranking options when none are given, as the real API echoed them
DEFAULT_RANKING = {"ranker": "default_2024_08_21", "score_threshold": 0.0}

#: the server tools that have resources, in the order the API lists them
RESOURCE_TOOLS = ("code_interpreter", "file_search")
_EMPTY_RESOURCE = {"code_interpreter": ("file_ids",), "file_search": ("vector_store_ids",)}


def normalize_tools(tools: list[JSONObject] | None) -> list[JSONObject]:
    """Fill in what the real API reports for each tool: a file_search tool's
    ``max_num_results`` stays ``null`` unless set (the default applies when it searches, see
    :func:`max_num_results`), its ranking options get their defaults; a function's ``strict``
    is ``false`` unless set."""
    result = []
    for tool in tools or []:
        tool = copied(tool)
        if tool["type"] == "file_search":
            settings = tool.setdefault("file_search", {})
            settings.setdefault("max_num_results", None)
            ranking = settings.setdefault("ranking_options", {})
            if ranking.get("ranker", "auto") == "auto":
                ranking["ranker"] = DEFAULT_RANKING["ranker"]
            ranking.setdefault("score_threshold", DEFAULT_RANKING["score_threshold"])
        elif tool["type"] == "function":
            tool["function"].setdefault("strict", False)
        result.append(tool)
    return result


def copied(value: Any) -> Any:
    """A copy of JSON (dicts, lists and scalars) that shares no dict or list with it: what
    ``copy.deepcopy`` gives for JSON, at about a third of its cost (JSON has no cycles and no
    other mutable values, so it needs neither deepcopy's memo nor its dispatch)."""
    if isinstance(value, dict):
        return {key: copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copied(item) for item in value]
    return value


def max_num_results(settings: JSONObject, model: str) -> int:
    """How many results a file_search returns at most: the tool's ``max_num_results``, else
    the model's default."""
    given = settings.get("max_num_results")
    return given if given is not None else default_search_results(model)


def with_tool_entries(tools: list[JSONObject], resources: JSONObject) -> JSONObject:
    """An assistant's ``tool_resources``: an entry for each of its server tools, empty when
    nothing is attached (``{"code_interpreter": {"file_ids": []}}``), as the real API showed;
    the entries of tools it no longer has are kept (their files stay attached)."""
    if not tools and not resources:  # no tools, nothing attached: most assistants
        return {}
    kinds = {tool["type"] for tool in tools}
    shown = dict(resources)
    for kind in RESOURCE_TOOLS:
        if kind in kinds and kind not in shown:
            shown[kind] = {key: [] for key in _EMPTY_RESOURCE[kind]}
    return {kind: shown[kind] for kind in RESOURCE_TOOLS if kind in shown}


def normalize_tool_resources(
    sandbox: Sandbox, given: JSONObject | None, current: JSONObject | None = None
) -> JSONObject:
    """Resolve ``tool_resources`` against the sandbox: referenced files and stores must exist;
    the ``vector_stores`` helper creates a store and is replaced by its id. On an update
    (``current`` given) only what ``given`` names changes: a list that is not given keeps its
    value, and ``None`` (a ``tool_resources: null`` that clears) empties them all."""
    if given is None:
        return {}
    result: dict[str, Any] = copied(current) if current else {}
    if "code_interpreter" in given:
        interpreter = given["code_interpreter"]
        if "file_ids" in interpreter or "code_interpreter" not in result:
            file_ids = list(interpreter.get("file_ids", []))
            for i, file_id in enumerate(file_ids):
                find(
                    sandbox.files(),
                    "file",
                    file_id,
                    f"tool_resources.code_interpreter.file_ids[{i}]",
                )
            result["code_interpreter"] = {"file_ids": file_ids}
    if "file_search" in given:
        spec = given["file_search"]
        if "vector_stores" in spec:
            store_ids = [
                vector_stores.create_from_helper(sandbox, s) for s in spec["vector_stores"]
            ]
            result["file_search"] = {"vector_store_ids": store_ids}
        elif "vector_store_ids" in spec or "file_search" not in result:
            store_ids = list(spec.get("vector_store_ids", []))
            for i, store_id in enumerate(store_ids):
                find(
                    sandbox.vector_stores(),
                    "vector_store",
                    store_id,
                    f"tool_resources.file_search.vector_store_ids[{i}]",
                )
            result["file_search"] = {"vector_store_ids": store_ids}
    return result
