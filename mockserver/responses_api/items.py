"""Items: the one normalisation of input items into stored items, and the output item builders.

The Responses API's ``input`` and the Conversations API's ``items`` take the same input items
(reference §2.4): a string (one user message), "easy" messages ``{"role", "content"}`` with a
string or parts, typed ``message`` items, replayed output items, ``function_call`` and
``function_call_output`` items, and ``item_reference``s. :func:`from_input` turns them (already
checked by ``schemas.responses.INPUT_ITEMS``) into the resource form every list shows: each
item with an id (``msg_``, ``fc_``, ``fco_``... and 48 hex digits, deterministic), a ``status``
where its type has one, string content expanded into a text part. :func:`remember` indexes
stored items by id, so that a later ``item_reference`` finds them.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import errors
from ..resources.lookup import find
from ..store import Sandbox
from ..types import JSONObject

#: the id prefix of each item type (reference §2.2, §2.10)
PREFIXES = {
    "message": "msg_",
    "function_call": "fc_",
    "function_call_output": "fco_",
    "file_search_call": "fs_",
    "code_interpreter_call": "ci_",
    "reasoning": "rs_",
}


def from_input(
    sandbox: Sandbox, value: str | list[JSONObject], param: str = "input"
) -> list[JSONObject]:
    """The request's ``input`` (or a conversation's ``items``) as stored items, in order.
    Nothing is stored here; references that name nothing are the real 404."""
    if isinstance(value, str):
        value = [{"type": "message", "role": "user", "content": value}]
    with sandbox.ids.unless_refused():  # a reference to nothing after items that minted ids
        return [stored(sandbox, item, f"{param}[{i}]") for i, item in enumerate(value)]


def stored(sandbox: Sandbox, item: JSONObject, path: str) -> JSONObject:
    """One checked input item in its resource form."""
    kind = item["type"]
    if kind == "item_reference":
        found = sandbox.item_index().get(item["id"])
        if found is None:
            raise errors.item_not_found(item["id"])
        return copy.deepcopy(found)
    if kind == "message":
        return _message(sandbox, item, path)
    if kind == "function_call":
        return {
            "id": item.get("id") or sandbox.ids.new_item(PREFIXES[kind]),
            "type": kind,
            "status": item.get("status", "completed"),
            "arguments": item["arguments"],
            "call_id": item["call_id"],
            "name": item["name"],
        }
    if kind == "function_call_output":
        output = item["output"]
        if isinstance(output, list):  # parts, as a message's: a named file must exist
            output = [_part(sandbox, part, f"{path}.output[{i}]") for i, part in enumerate(output)]
        return {
            "id": item.get("id") or sandbox.ids.new_item(PREFIXES[kind]),
            "type": kind,
            "call_id": item["call_id"],
            "output": output,
            "status": item.get("status", "completed"),
        }
    # a replayed output item (file_search_call, code_interpreter_call, reasoning): it was
    # stored when it was made, and comes back as it was (an item of another kind under that
    # id is no match: a reasoning item never turns into the message it named)
    if not isinstance(item.get("id"), str):
        raise errors.missing_parameter(f"{path}.id")
    known = sandbox.item_index().get(item["id"])
    if known is not None and known["type"] == kind:
        return copy.deepcopy(known)
    # observed (reference §2.4): a reasoning item the API never stored is the 404, unless it
    # carries its encrypted content (the stateless form, which stands for the stored item)
    if kind == "reasoning" and item.get("encrypted_content") is None:
        raise errors.item_not_found(item["id"])
    return copy.deepcopy(item)


def _message(sandbox: Sandbox, item: JSONObject, path: str) -> JSONObject:
    role = item["role"]
    content = item["content"]
    if isinstance(content, str):
        content = [
            {"type": "output_text" if role == "assistant" else "input_text", "text": content}
        ]
    parts = [_part(sandbox, part, f"{path}.content[{i}]") for i, part in enumerate(content)]
    message: JSONObject = {
        "id": item.get("id") or sandbox.ids.new_item(PREFIXES["message"]),
        "type": "message",
        "status": item.get("status", "completed"),
        "role": role,
        "content": parts,
    }
    if "phase" in item:
        message["phase"] = item["phase"]
    return message


def _part(sandbox: Sandbox, part: JSONObject, path: str) -> JSONObject:
    kind = part["type"]
    if kind == "input_text":
        return {"type": kind, "text": part["text"]}
    if kind == "output_text":
        return {
            "type": kind,
            "text": part["text"],
            "annotations": copy.deepcopy(part.get("annotations", [])),
            "logprobs": copy.deepcopy(part.get("logprobs", [])),
        }
    if kind == "refusal":
        return {"type": kind, "refusal": part["refusal"]}
    if "file_id" in part:  # input_image, input_file: the file must exist
        find(sandbox.files(), "file", part["file_id"], f"{path}.file_id")
    if kind == "input_image":
        return {
            "type": kind,
            "detail": part.get("detail", "auto"),
            "file_id": part.get("file_id"),
            "image_url": part.get("image_url"),
        }
    shown: dict[str, Any] = {"type": kind}
    for key in ("file_id", "filename", "file_url", "file_data"):
        if key in part:
            shown[key] = part[key]
    return shown


def check_unique(before: list[JSONObject], added: list[JSONObject], param: str) -> None:
    """Every item of a context has its own id: an added item whose id an earlier one (of
    ``before`` or of ``added``) has is the real 400, not a silent replacement of that one."""
    seen = {item["id"] for item in before}
    for item in added:
        if item["id"] in seen:
            raise errors.duplicate_item(item["id"], param)
        seen.add(item["id"])


def remember(sandbox: Sandbox, items: list[JSONObject]) -> None:
    """Index stored items by id (copies: an index entry never shares a list with an object)."""
    index = sandbox.item_index()
    for item in items:
        index[item["id"]] = copy.deepcopy(item)


def text_of(item: JSONObject) -> str:
    """The text of a message item: its text parts, joined by newlines."""
    return "\n".join(
        part["text"] for part in item["content"] if part["type"] in ("input_text", "output_text")
    )


# -- output items, as the model makes them ------------------------------------------------------


def _output_item(sandbox: Sandbox, kind: str, status: str = "completed") -> JSONObject:
    """What every output item starts with: a new id of its type's prefix, its type, its status
    (the id drawn first, before any id the item's own fields take)."""
    return {"id": sandbox.ids.new_item(PREFIXES[kind]), "type": kind, "status": status}


def output_message(
    sandbox: Sandbox, text: str, annotations: list[JSONObject], status: str
) -> JSONObject:
    return {
        **_output_item(sandbox, "message", status),
        "content": [
            {"type": "output_text", "annotations": annotations, "logprobs": [], "text": text}
        ],
        "role": "assistant",
    }


def function_call(sandbox: Sandbox, name: str, arguments: str) -> JSONObject:
    return {
        **_output_item(sandbox, "function_call"),
        "arguments": arguments,
        "call_id": sandbox.ids.new("call_"),
        "name": name,
    }


def file_search_call(sandbox: Sandbox, queries: list[str], results: list[JSONObject]) -> JSONObject:
    """Stored with its results; :func:`present` hides them unless ``include[]`` asks."""
    return {
        **_output_item(sandbox, "file_search_call"),
        "queries": queries,
        "results": results,
    }


def code_interpreter_call(
    sandbox: Sandbox, container_id: str, code: str, outputs: list[JSONObject]
) -> JSONObject:
    """Stored with its outputs; :func:`present` hides them unless ``include[]`` asks."""
    return {
        **_output_item(sandbox, "code_interpreter_call"),
        "code": code,
        "container_id": container_id,
        "outputs": outputs,
    }


#: what each ``include[]`` value reveals: item type -> (the include, the field it fills)
_INCLUDED = {
    "file_search_call": ("file_search_call.results", "results"),
    "code_interpreter_call": ("code_interpreter_call.outputs", "outputs"),
}


def present(item: JSONObject, include: list[str]) -> JSONObject:
    """An item as a response or a list shows it: file_search results and code interpreter
    outputs only when ``include[]`` asks (else ``null``)."""
    hidden = _INCLUDED.get(item["type"])
    if hidden is None or hidden[0] in include:
        return item
    return {**item, hidden[1]: None}
