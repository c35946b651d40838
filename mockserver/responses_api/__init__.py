"""The Responses API on the one engine: create, retrieve, delete, cancel, input items.

Public operations take a sandbox and checked request values and return wire objects. A
response is worked on by the engine's planner and scripts through a
:class:`~.context.ResponseContext`; a foreground response is finished before create returns,
a background one (``background: true``) moves ``queued -> in_progress -> terminal`` as it is
read, under the sandbox's progression policy, like a run.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import errors, progression
from ..backend import RESPONSE_INPUTS, RESPONSES
from ..engine import scripted
from ..resources import containers, conversations, files
from ..resources.model_families import is_reasoning_model
from ..store import Sandbox
from ..types import JSONObject, Pager, ResponseRecord
from . import items, objects, stream
from .context import ResponseContext, engine_settings
from .machine import TERMINAL, keep_events, set_status
from .runner import work
from .stream import Event

__all__ = [
    "advance_response",
    "cancel",
    "create",
    "create_stream",
    "delete",
    "get",
    "input_items",
    "retrieve",
    "stream_events",
]


def get(sandbox: Sandbox, response_id: str) -> JSONObject:
    """The stored response (a ``store: false`` one was never kept: the same 404)."""
    response = sandbox.responses().get(response_id)
    if response is None:
        raise errors.response_not_found(response_id)
    return response


def create(sandbox: Sandbox, body: dict[str, Any], include: list[str]) -> JSONObject:
    """``POST /responses`` with a checked body; returns the response as the request shows it."""
    conversation_id, history = _check(sandbox, body)
    with sandbox.ids.unless_refused():  # the pairing check refuses after inputs got ids
        inputs = items.from_input(sandbox, body.get("input", []))
        items.check_unique(history, inputs, "input")
        _check_call_pairs(history, inputs)
    response_id = sandbox.ids.new_item("resp_")
    background = body.get("background", False)
    response = objects.response(
        sandbox,
        response_id,
        body,
        status="queued" if background else "in_progress",
        conversation_id=conversation_id,
    )
    record = ResponseRecord(
        done=[],
        usage=[0, 0],
        include=include,
        tool_results=[],
        tool_step=None,
        settings=engine_settings(response_id, body),
        context=copy.deepcopy([*history, *inputs]),
        timeline=[[response["status"], response["created_at"]]],
    )
    sandbox.add(RESPONSES, response)
    for item in inputs:
        sandbox.add(RESPONSE_INPUTS, copy.deepcopy(item), scope=response_id)
    sandbox.response_records()[response_id] = record
    ctx = ResponseContext(sandbox, response)
    answers = _answers(record["context"])
    if answers:
        # the turn after function calls (chained, in a conversation or replayed by hand): as
        # a run after its tool outputs, the tool round is done, the outputs are the tool
        # results, and a scripted turn plays on where the calls left it
        record["done"] = ["function_calls"]
        record["tool_results"] = [[name, output] for _, name, output in answers]
        script = sandbox.call_scripts().get(answers[0][0])
        if script is not None:
            record["script"] = copy.deepcopy(script)
    if "script" not in record:
        scripted.choose(ctx, {})  # matched once, at creation
    if response["store"]:
        items.remember(sandbox, inputs)
    if background:
        keep_events(ctx)
    else:
        _advance(ctx, progression.UNTIL_STABLE)
    shown = objects.present(response, include)
    if not response["store"]:
        _forget(sandbox, response_id)
    return shown


def create_stream(sandbox: Sandbox, body: dict[str, Any], include: list[str]) -> list[Event]:
    """``POST /responses`` with ``stream: true``: the events of the whole turn. A background
    response is worked to its end at once, as a streamed run is (the stream is its log, which
    a later ``GET ?stream=true`` replays)."""
    shown = create(sandbox, body, include)
    if not shown["background"]:
        return stream.events(shown)
    return stream_events(sandbox, shown["id"], None)


def stream_events(sandbox: Sandbox, response_id: str, starting_after: int | None) -> list[Event]:
    """``GET /responses/{id}?stream=true``: a background response's events, after
    ``starting_after`` (all without it); the response is worked to its end first."""
    response = get(sandbox, response_id)
    if not response["background"]:
        raise errors.stream_of_foreground_response()
    ctx = ResponseContext(sandbox, response)
    _advance(ctx, progression.UNTIL_STABLE)
    return stream.replay(keep_events(ctx), starting_after)


def _check(sandbox: Sandbox, body: dict[str, Any]) -> tuple[str | None, list[JSONObject]]:
    """The request's state checks, in the real API's order (reference §1.2): mutual
    exclusion, then the lookups (conversation, prompt, previous response), the empty input,
    the model's capabilities, the tool choice. Returns the conversation's id, the items the
    model sees before this input."""
    given = body.get("conversation")
    previous = body.get("previous_response_id")
    if given is not None and previous is not None:
        raise errors.previous_and_conversation()
    conversation_id = given["id"] if isinstance(given, dict) else given
    history: list[JSONObject] = []
    if conversation_id is not None:
        history = conversations.items_of(sandbox, conversation_id)
    for tool in body.get("tools") or []:
        if tool["type"] == "code_interpreter":
            container = tool["container"]
            if isinstance(container, str):
                containers.get(sandbox, container)
            else:
                for i, file_id in enumerate(container.get("file_ids", [])):
                    files.get(sandbox, file_id, f"tools.container.file_ids[{i}]")
    if body.get("prompt") is not None:
        # prompt objects are retired (reference §5.8): none exists
        raise errors.prompt_not_found(body["prompt"]["id"])
    if previous is not None:
        parent = sandbox.responses().get(previous)
        if parent is None:
            raise errors.previous_response_not_found(previous)
        history = [*sandbox.response_records()[previous]["context"], *parent["output"]]
    if body.get("input") in (None, "", []) and previous is None and conversation_id is None:
        raise errors.no_input()
    if is_reasoning_model(body["model"]):
        # sampling settings, with any value (reference §1.2 step 7, §3.2)
        for name in ("temperature", "top_p", "presence_penalty", "frequency_penalty"):
            if body.get(name) is not None:
                raise errors.sampling_unsupported(name)
        if body.get("top_logprobs"):
            raise errors.logprobs_on_reasoning_model("top_logprobs")
        if "message.output_text.logprobs" in (body.get("include") or []):
            raise errors.logprobs_on_reasoning_model("include")
    _check_tool_choice(body)
    if body.get("background") and body.get("store") is False:
        raise errors.background_needs_store()
    return conversation_id, history


def _check_tool_choice(body: dict[str, Any]) -> None:
    choice = body.get("tool_choice")
    if not isinstance(choice, dict) or choice["type"] == "allowed_tools":
        return
    tools = body.get("tools") or []
    if choice["type"] == "function":
        if choice["name"] not in [t["name"] for t in tools if t["type"] == "function"]:
            raise errors.tool_choice_not_in_tools(choice["name"])
    elif choice["type"] not in {t["type"] for t in tools}:
        raise errors.tool_choice_not_in_tools(choice["type"])


def _check_call_pairs(history: list[JSONObject], inputs: list[JSONObject]) -> None:
    """Calls and their outputs pair up (reference §5.1): the calls the context left open and
    the calls the input replays (the stateless form) are each answered, and every answer
    answers a call of the context, this input's own included."""
    context = [*history, *inputs]
    answered = {i["call_id"] for i in context if i["type"] == "function_call_output"}
    replayed = [i["call_id"] for i in inputs if i["type"] == "function_call"]
    for call_id in [*_pending_calls(history), *replayed]:
        if call_id not in answered:
            raise errors.no_tool_output(call_id)
    calls = {i["call_id"] for i in context if i["type"] == "function_call"}
    for item in inputs:
        if item["type"] == "function_call_output" and item["call_id"] not in calls:
            raise errors.no_tool_call(item["call_id"])


def _pending_calls(history: list[JSONObject]) -> list[str]:
    """The call ids of the function calls the context's last turn made and nothing answered
    yet: the next input must answer each (reference §5.1)."""
    answered = {i["call_id"] for i in history if i["type"] == "function_call_output"}
    pending: list[str] = []
    for item in reversed(history):
        if item["type"] != "function_call":
            if pending or item["type"] != "function_call_output":
                break
            continue
        if item["call_id"] not in answered:
            pending.append(item["call_id"])
    return pending[::-1]


def _answers(context: list[JSONObject]) -> list[tuple[str, str, str]]:
    """``(call id, function name, output)`` of the ``function_call_output`` items that end the
    context, each answering a function call of it: what makes a turn the one after calls."""
    names = {i["call_id"]: i["name"] for i in context if i["type"] == "function_call"}
    answers = []
    for item in reversed(context):
        if item["type"] != "function_call_output" or item["call_id"] not in names:
            break
        answers.append((item["call_id"], names[item["call_id"]], _output_text(item["output"])))
    return answers[::-1]


def _output_text(output: str | list[JSONObject]) -> str:
    if isinstance(output, str):
        return output
    return "\n".join(part.get("text", "") for part in output)


def _forget(sandbox: Sandbox, response_id: str) -> None:
    """A ``store: false`` response leaves nothing behind."""
    sandbox.responses().remove(response_id)
    sandbox.drop_table(RESPONSE_INPUTS, response_id)
    sandbox.response_records().pop(response_id, None)
    stream.forget(sandbox, response_id)


def _advance(ctx: ResponseContext, transitions: int) -> None:
    """Up to ``transitions`` moves toward a terminal status."""
    for _ in range(transitions):
        status = ctx.response["status"]
        if status == "queued":
            ctx.sandbox.clock.advance(1)
            set_status(ctx, "in_progress")
        elif status == "in_progress":
            work(ctx, scripted.planner_for(ctx))  # a scenario's script, or the default
        else:
            return


def retrieve(sandbox: Sandbox, response_id: str, include: list[str]) -> JSONObject:
    """A read: a background response moves on as far as the progression policy allows."""
    response = get(sandbox, response_id)
    _advance(ResponseContext(sandbox, response), progression.transitions_per_read(sandbox))
    return objects.present(response, include)


def advance_response(sandbox: Sandbox, response_id: str, transitions: int = 1) -> JSONObject:
    """The control API's "move this response on": works under every policy, ``manual``
    included."""
    response = get(sandbox, response_id)
    _advance(ResponseContext(sandbox, response), transitions)
    return response


def delete(sandbox: Sandbox, response_id: str) -> JSONObject:
    get(sandbox, response_id)
    _forget(sandbox, response_id)
    return {"id": response_id, "object": "response", "deleted": True}


def cancel(sandbox: Sandbox, response_id: str) -> JSONObject:
    """Only a background response can be cancelled; cancelling a finished one returns it as
    it is (idempotent, reference §1.5)."""
    response = get(sandbox, response_id)
    if not response["background"]:
        raise errors.response_not_cancellable()
    ctx = ResponseContext(sandbox, response)
    if response["status"] not in TERMINAL:
        if scripted.loses_cancel_race(ctx):
            _advance(ctx, progression.UNTIL_STABLE)  # the scenario's race: it finishes first
        else:
            set_status(ctx, "cancelled")
    return objects.present(response, [])


def input_items(sandbox: Sandbox, response_id: str, include: list[str], page: Pager) -> JSONObject:
    """A page of the items the request gave as ``input`` (its own, not inherited history)."""
    get(sandbox, response_id)
    listed = page(sandbox.response_inputs(response_id), None)
    listed["data"] = [items.present(item, include) for item in listed["data"]]
    return listed
