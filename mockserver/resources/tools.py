"""Tools and tool resources as the API echoes them back."""

from __future__ import annotations

import copy
from typing import Any

from ..store import JSONObject, Sandbox
from . import vector_stores
from .lookup import find

DEFAULT_FILE_SEARCH = {
    "max_num_results": 20,
    "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
}


def normalize_tools(tools: list[JSONObject] | None) -> list[JSONObject]:
    """Fill in the defaults the real API reports for each tool."""
    result = []
    for tool in tools or []:
        tool = copy.deepcopy(tool)
        if tool["type"] == "file_search":
            settings = tool.setdefault("file_search", {})
            settings.setdefault("max_num_results", DEFAULT_FILE_SEARCH["max_num_results"])
            ranking = settings.setdefault("ranking_options", {})
            ranking.setdefault("ranker", "default_2024_08_21")
            if ranking.get("ranker") == "auto":
                ranking["ranker"] = "default_2024_08_21"
            ranking.setdefault("score_threshold", 0.0)
        elif tool["type"] == "function":
            tool["function"].setdefault("strict", False)
            if tool["function"].get("strict") is None:
                tool["function"]["strict"] = False
        result.append(tool)
    return result


def normalize_tool_resources(
    sandbox: Sandbox, given: JSONObject | None, current: JSONObject | None = None
) -> JSONObject:
    """Resolve ``tool_resources`` against the sandbox: referenced files and stores must exist;
    the ``vector_stores`` helper creates a store and is replaced by its id."""
    if given is None:  # an explicit null clears them
        return {}
    result: dict[str, Any] = copy.deepcopy(current) if current else {}
    if "code_interpreter" in given and given["code_interpreter"] is not None:
        file_ids = list(given["code_interpreter"].get("file_ids", []))
        for i, file_id in enumerate(file_ids):
            find(sandbox.table("files"), "file", file_id, f"tool_resources.code_interpreter.file_ids[{i}]")
        result["code_interpreter"] = {"file_ids": file_ids}
    if "file_search" in given and given["file_search"] is not None:
        spec = given["file_search"]
        if spec.get("vector_stores"):
            store_ids = [vector_stores.create_from_helper(sandbox, s) for s in spec["vector_stores"]]
        else:
            store_ids = list(spec.get("vector_store_ids", []))
            for i, store_id in enumerate(store_ids):
                find(
                    sandbox.table("vector_stores"),
                    "vector_store",
                    store_id,
                    f"tool_resources.file_search.vector_store_ids[{i}]",
                )
        result["file_search"] = {"vector_store_ids": store_ids}
    return result
