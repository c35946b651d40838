"""The stream of a response: its events, computed from the response object at its end.

A response is generated whole before anything is sent (as a run is), so its stream is a pure
function of what it became: ``response.created`` (the snapshot at the start: ``in_progress``,
or ``queued`` with ``response.queued`` after it for a background response), then
``response.in_progress``, then each output item opened, filled and closed in order, then one
terminal event whose ``response`` is the object a retrieve returns afterwards. Every event has
``type`` and ``sequence_number`` (0, 1, 2... per response, never a gap).

Per output item (``output_index`` is the item's position in ``output``; ``item_id`` its id):

* ``message``: ``output_item.added`` (no content) and per part ``content_part.added`` (empty),
  ``output_text.delta``... (the text cut as the run engine cuts message deltas),
  ``output_text.annotation.added`` per annotation, ``output_text.done``, ``content_part.done``;
  a ``refusal`` part streams ``refusal.delta``... and ``refusal.done`` instead; then
  ``output_item.done`` with the whole item;
* ``function_call``: ``function_call_arguments.delta``... then ``.done`` (with ``name``);
* ``file_search_call``: ``file_search_call.in_progress``, ``.searching``, ``.completed``;
* ``code_interpreter_call``: ``code_interpreter_call.in_progress``, the code in
  ``code_interpreter_call_code.delta``... and ``.done``, ``.interpreting``, ``.completed``;
* ``reasoning``: per summary part ``reasoning_summary_part.added``,
  ``reasoning_summary_text.delta``..., ``.done``, ``reasoning_summary_part.done`` (the
  engine makes no reasoning items yet; this is the reference's sequence, ready for them);
* ``web_search_call``: ``web_search_call.in_progress``, ``.searching``, ``.completed``.

Endings: ``response.completed``; ``response.incomplete`` (items cut short close with their
``incomplete`` status); a failed response sends an ``error`` event (the nested form the real API
sends, which both SDKs raise on: ``type`` is the error's code, as observed) and then
``response.failed``; a cancelled background response
ends without a terminal event (the API has none for it).

Text, summary and argument deltas carry an ``obfuscation`` padding by default, as the real
stream does; ``stream_options.include_obfuscation: false`` leaves it out. The padding is made
from the item id and the sequence number, so the same seed gives the same bytes.

The events of a background response are kept with it (``Sandbox.response_events``), so that
``GET /responses/{id}?stream=true`` replays them with their original numbers, from the start
or after ``starting_after``.
"""

from __future__ import annotations

import copy
import hashlib
import string
from collections.abc import Callable, Iterable
from typing import Any

from ..engine import text
from ..errors import error_body
from ..events import frame
from ..faults import StreamCut
from ..store import Sandbox
from ..types import JSONObject

Event = JSONObject

#: the statuses of a response still being worked on: its stream has only announced it
OPEN = frozenset({"queued", "in_progress"})

#: the terminal event of each ending that has one (a cancelled response has none)
ENDINGS = {
    "completed": "response.completed",
    "incomplete": "response.incomplete",
    "failed": "response.failed",
}

_PADDING_ALPHABET = string.ascii_letters + string.digits
#: deltas plus their padding fill a multiple of this many characters
_PADDING_BLOCK = 16


# -- the events of a response -----------------------------------------------------------------


def events(response: JSONObject) -> list[Event]:
    """Every event of ``response``'s stream, as it stands: a response still ``queued`` or
    ``in_progress`` has only the events that announce it so far."""
    out = _Events()
    status = response["status"]
    background = bool(response.get("background"))
    out.add(
        "response.created", response=_snapshot(response, "queued" if background else "in_progress")
    )
    if background:
        out.add("response.queued", response=_snapshot(response, "queued"))
        if status == "queued" or (status == "cancelled" and not response["output"]):
            return out.events
    out.add("response.in_progress", response=_snapshot(response, "in_progress"))
    if status in OPEN:
        return out.events
    for index, item in enumerate(response["output"]):
        _item(out, index, item)
    if status == "failed":
        error = response["error"]
        out.add("error", **error_body(error["message"], type=error["code"], code=error["code"]))
    if status in ENDINGS:
        out.add(ENDINGS[status], response=response)
    return out.events


def _snapshot(response: JSONObject, status: str) -> JSONObject:
    """The response as it was announced: nothing produced, nothing counted yet."""
    shown = {**response, "status": status, "output": [], "usage": None, "error": None}
    shown["incomplete_details"] = None
    if "completed_at" in response:
        shown["completed_at"] = None
    return shown


class _Events:
    """Numbers the events as they are added."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, type: str, **fields: Any) -> Event:
        event = {"type": type, "sequence_number": len(self.events), **fields}
        self.events.append(event)
        return event

    def deltas(self, type: str, whole: str, padded: bool = True, **fields: Any) -> None:
        """``whole`` in the fragments the run engine streams message deltas in."""
        for piece in text.chunks(whole):
            event = self.add(type, **fields, delta=piece)
            if padded:
                event["obfuscation"] = _padding(fields["item_id"], event["sequence_number"], piece)


def _padding(item_id: str, sequence_number: int, delta: str) -> str:
    """Characters that bring the delta to a multiple of 16, derived from where it is."""
    length = _PADDING_BLOCK - len(delta) % _PADDING_BLOCK
    digest = hashlib.blake2b(f"{item_id}:{sequence_number}".encode(), digest_size=32).digest()
    return "".join(_PADDING_ALPHABET[b % len(_PADDING_ALPHABET)] for b in digest[:length])


def _item(out: _Events, index: int, item: JSONObject) -> None:
    kind = item["type"]
    out.add("response.output_item.added", output_index=index, item=_opened(item))
    where = {"item_id": item["id"], "output_index": index}
    ITEM_EVENTS.get(kind, _nothing)(out, where, item)
    out.add("response.output_item.done", output_index=index, item=item)


def _opened(item: JSONObject) -> JSONObject:
    """The item as ``output_item.added`` shows it: in progress, nothing produced yet."""
    opened = copy.deepcopy(item)
    if "status" in item:
        opened["status"] = "in_progress"
    opened.update(OPENED_FIELDS.get(item["type"], {}))
    return opened


#: what an item of each type holds when it is opened (the rest is filled by its events)
OPENED_FIELDS: dict[str, JSONObject] = {
    "message": {"content": []},
    "function_call": {"arguments": ""},
    "file_search_call": {"queries": [], "results": None},
    "code_interpreter_call": {"code": "", "outputs": None},
    "reasoning": {"summary": []},
}


def _message(out: _Events, where: JSONObject, item: JSONObject) -> None:
    for content_index, part in enumerate(item["content"]):
        at = {**where, "content_index": content_index}
        if part["type"] == "output_text":
            empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
            out.add("response.content_part.added", **at, part=empty)
            out.deltas("response.output_text.delta", part["text"], **at, logprobs=[])
            for n, annotation in enumerate(part.get("annotations", [])):
                out.add(
                    "response.output_text.annotation.added",
                    **at,
                    annotation_index=n,
                    annotation=annotation,
                )
            out.add("response.output_text.done", **at, text=part["text"], logprobs=[])
        elif part["type"] == "refusal":
            out.add("response.content_part.added", **at, part={"type": "refusal", "refusal": ""})
            out.deltas("response.refusal.delta", part["refusal"], padded=False, **at)
            out.add("response.refusal.done", **at, refusal=part["refusal"])
        else:
            out.add("response.content_part.added", **at, part=part)
        out.add("response.content_part.done", **at, part=part)


def _function_call(out: _Events, where: JSONObject, item: JSONObject) -> None:
    out.deltas("response.function_call_arguments.delta", item["arguments"], **where)
    out.add(
        "response.function_call_arguments.done",
        **where,
        name=item["name"],
        arguments=item["arguments"],
    )


def _searching(kind: str) -> Callable[[_Events, JSONObject, JSONObject], None]:
    def searching(out: _Events, where: JSONObject, item: JSONObject) -> None:
        for stage in ("in_progress", "searching", "completed"):
            out.add(f"response.{kind}.{stage}", **where)

    return searching


def _code_interpreter_call(out: _Events, where: JSONObject, item: JSONObject) -> None:
    out.add("response.code_interpreter_call.in_progress", **where)
    code = item.get("code") or ""
    out.deltas("response.code_interpreter_call_code.delta", code, padded=False, **where)
    out.add("response.code_interpreter_call_code.done", **where, code=code)
    out.add("response.code_interpreter_call.interpreting", **where)
    out.add("response.code_interpreter_call.completed", **where)


def _reasoning(out: _Events, where: JSONObject, item: JSONObject) -> None:
    for n, part in enumerate(item.get("summary", [])):
        at = {**where, "summary_index": n}
        out.add("response.reasoning_summary_part.added", **at, part={**part, "text": ""})
        out.deltas("response.reasoning_summary_text.delta", part["text"], **at)
        out.add("response.reasoning_summary_text.done", **at, text=part["text"])
        out.add("response.reasoning_summary_part.done", **at, part=part)


def _nothing(out: _Events, where: JSONObject, item: JSONObject) -> None:
    """Items whose stream is only their opening and closing."""


ITEM_EVENTS: dict[str, Callable[[_Events, JSONObject, JSONObject], None]] = {
    "message": _message,
    "function_call": _function_call,
    "file_search_call": _searching("file_search_call"),
    "web_search_call": _searching("web_search_call"),
    "code_interpreter_call": _code_interpreter_call,
    "reasoning": _reasoning,
}


# -- the recorded log of a background response ------------------------------------------------


def record(sandbox: Sandbox, response: JSONObject) -> list[Event]:
    """Bring the kept events of ``response`` up to where it stands, and return them all.

    Events already kept stay as they were sent (a response cancelled while in progress keeps
    its ``response.in_progress``); only the ones its new state adds are appended."""
    kept = sandbox.response_events()
    log = kept.get(response["id"])
    if log is None:
        log = kept[response["id"]] = []
    log.extend(events(response)[len(log) :])
    return log


def forget(sandbox: Sandbox, response_id: str) -> None:
    """The response is gone: so are its kept events."""
    sandbox.response_events().pop(response_id, None)


def replay(log: Iterable[Event], starting_after: int | None = None) -> list[Event]:
    """The kept events after ``starting_after`` (all of them without it)."""
    if starting_after is None:
        return list(log)
    return [event for event in log if event["sequence_number"] > starting_after]


# -- on the wire --------------------------------------------------------------------------------


def frames(
    stream: Iterable[Event], *, obfuscation: bool = True, cut: StreamCut | None = None
) -> list[bytes]:
    """The SSE frames of ``stream`` (``event:`` is the type; no ``[DONE]`` after the last).

    ``cut`` (a scenario's dropped connection) keeps the first ``cut.after`` events, then an
    ``error`` event if it says so; the response itself is whole server-side, as it is when the
    client leaves on its own."""
    shown = list(stream) if obfuscation else [_without_padding(e) for e in stream]
    if cut is not None:
        shown = shown[: cut.after]
        if cut.error is not None:
            number = shown[-1]["sequence_number"] + 1 if shown else 0
            scripted = {"type": "server_error", "code": "server_error", **cut.error}
            shown.append({"type": "error", "sequence_number": number, **error_body(**scripted)})
    return [frame(event["type"], event) for event in shown]


def _without_padding(event: Event) -> Event:
    if "obfuscation" not in event:
        return event
    return {key: value for key, value in event.items() if key != "obfuscation"}
