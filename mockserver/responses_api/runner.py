"""Carrying out the engine's phases as a response's output items.

The phases come from the same planner and scripts as a run's (``engine/planner.py``,
``engine/scripted.py``); this module only translates them: function calls become
``function_call`` items and end the turn (``completed``: the client answers with
``function_call_output`` items in the next response), a server tool step becomes
``file_search_call`` / ``code_interpreter_call`` items, a message becomes a ``message`` item
whose file citations are the Responses kind (``index`` into the text, no marker), an end is
the response's status. Every status change goes through ``machine``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from .. import errors
from ..engine import server_tools, text
from ..engine.planner import last_user_text, prompt_tokens
from ..engine.runner import cut_reply, next_planned
from ..resources import containers, files
from ..types import EndPhase, FunctionCallsPhase, JSONObject, MessagePhase, Phase, ToolPhase
from . import items
from .context import ResponseContext
from .machine import set_status

Planner = Callable[[ResponseContext], Phase]


def work(ctx: ResponseContext, planner: Planner) -> None:
    """in_progress -> terminal: phases until the turn ends."""
    ctx.sandbox.clock.advance(1)
    record = ctx.record
    if not record["done"]:
        problem = server_tools.before_work(ctx) or _container_problem(ctx)
        if problem is not None:
            set_status(ctx, "failed", error=problem)
            return
    while ctx.response["status"] == "in_progress":
        if record.get("truncated"):
            set_status(ctx, "incomplete", incomplete_details={"reason": "max_output_tokens"})
            return
        phase = next_planned(ctx, planner)
        kind = phase["kind"]
        if kind == "function_calls":
            _function_calls(ctx, phase)
        elif kind == "tool":
            _server_tools(ctx, phase)
        elif kind == "message":
            _message(ctx, phase)
        else:
            _end(ctx, phase)


def _container_problem(ctx: ResponseContext) -> JSONObject | None:
    """The container a code interpreter tool names must still run when the work begins (a
    background response waits: it may have been deleted or expired since creation)."""
    for tool in ctx.response["tools"]:
        if tool["type"] == "code_interpreter" and isinstance(tool["container"], str):
            try:
                containers.running(ctx.sandbox, tool["container"])
            except errors.APIError as refusal:
                return errors.response_container_unavailable(refusal)
    return None


def _account(ctx: ResponseContext, completion: int) -> None:
    total = ctx.record["usage"]
    ctx.record["usage"] = [total[0] + prompt_tokens(ctx), total[1] + completion]


def _function_calls(ctx: ResponseContext, phase: FunctionCallsPhase) -> None:
    output = ctx.response["output"]
    script = ctx.record.get("script")
    for call in phase["calls"]:
        item = items.function_call(ctx.sandbox, call["name"], call["arguments"])
        output.append(item)
        if script is not None:  # the turn that answers the call plays on from here
            ctx.sandbox.call_scripts()[item["call_id"]] = copy.deepcopy(script)
    _account(ctx, sum(text.count_tokens(c["arguments"]) for c in phase["calls"]))
    set_status(ctx, "completed")  # the client runs the functions and answers next turn


def _server_tools(ctx: ResponseContext, phase: ToolPhase) -> None:
    output = ctx.response["output"]
    completion = 0
    for call in phase["calls"]:
        if call["type"] == "code_interpreter":
            ci = call["code_interpreter"]
            outputs = [_ci_output(ctx, o) for o in ci["outputs"]]
            output.append(
                items.code_interpreter_call(ctx.sandbox, _container_id(ctx), ci["input"], outputs)
            )
            logs = "".join(o.get("logs", "") for o in ci["outputs"])
            ctx.record["tool_results"].append(["code_interpreter", logs])
            completion += text.count_tokens(ci["input"])
        else:
            query = last_user_text(ctx) or ""
            results = [_search_result(ctx, r) for r in call["file_search"]["results"]]
            output.append(items.file_search_call(ctx.sandbox, [query] if query else [], results))
    _account(ctx, completion)
    ctx.sandbox.clock.advance(1)


def _container_id(ctx: ResponseContext) -> str:
    """The container the response's code runs in: the tool's named one, else one made for the
    response with copies of the tool's files (every call of the response shares it)."""
    record = ctx.record
    if "container" not in record:
        tool = next(
            (t for t in ctx.response["tools"] if t["type"] == "code_interpreter"),
            {"container": {"type": "auto"}},  # a scenario's code step without the tool
        )
        container = tool["container"]
        if isinstance(container, str):
            record["container"] = container
        else:
            made = containers.auto_container(ctx.sandbox, container.get("file_ids", []))
            record["container"] = made["id"]
    return record["container"]


def _ci_output(ctx: ResponseContext, output: JSONObject) -> JSONObject:
    if output["type"] == "logs":
        return {"type": "logs", "logs": output["logs"]}
    # an image the program drew: the engine made it a file; for a response it is a file of
    # the container, served by GET /containers/{id}/files/{file_id}/content
    file_id = output["image"]["file_id"]
    chunks, _ = files.content(ctx.sandbox, file_id)
    container_id = _container_id(ctx)
    made = containers.add_file(ctx.sandbox, container_id, "chart.png", b"".join(chunks))
    files.delete(ctx.sandbox, file_id)
    return {"type": "image", "url": f"/v1/containers/{container_id}/files/{made['id']}/content"}


def _search_result(ctx: ResponseContext, result: JSONObject) -> JSONObject:
    return {
        "attributes": _attributes(ctx, result["file_id"]),
        "file_id": result["file_id"],
        "filename": result["file_name"],
        "score": result["score"],
        "text": "".join(part["text"] for part in result["content"]),
    }


def _attributes(ctx: ResponseContext, file_id: str) -> JSONObject:
    """The attributes the file has in the first searched store that holds it."""
    for store_id in server_tools.store_ids(ctx):
        attached = ctx.sandbox.vector_store_files(store_id).get(file_id)
        if attached is not None:
            return dict(attached.get("attributes") or {})
    return {}


def _message(ctx: ResponseContext, phase: MessagePhase) -> None:
    body, annotations = _citations(ctx, phase["text"], phase.get("annotations", []))
    limit = ctx.response["max_output_tokens"]
    body, truncated = cut_reply(ctx, body, phase, limit, "max_output_tokens")
    if truncated:
        annotations = [a for a in annotations if a["index"] <= len(body)]
    status = "incomplete" if truncated else "completed"
    ctx.response["output"].append(items.output_message(ctx.sandbox, body, annotations, status))
    _account(ctx, text.count_tokens(body))
    ctx.sandbox.clock.advance(1)


def _citations(
    ctx: ResponseContext, body: str, annotations: list[JSONObject]
) -> tuple[str, list[JSONObject]]:
    """A run's citations (a ``【n:m†source】`` marker at ``start_index..end_index``) as the
    Responses kind: the marker leaves the text, and the citation's ``index`` is where it
    stood, a character offset into the text (reference §2.3, §5.6)."""
    shown = []
    removed = 0
    for annotation in sorted(annotations, key=lambda a: a["start_index"]):
        start, end = annotation["start_index"] - removed, annotation["end_index"] - removed
        body = body[:start] + body[end:]
        removed += end - start
        file_id = annotation["file_citation"]["file_id"]
        found = ctx.sandbox.files().get(file_id)
        shown.append(
            {
                "type": "file_citation",
                "file_id": file_id,
                "filename": found["filename"] if found is not None else "",
                "index": start,
            }
        )
    return body, shown


def _end(ctx: ResponseContext, phase: EndPhase) -> None:
    status = phase["status"]
    if status == "incomplete":
        # a script's max_completion_tokens or max_prompt_tokens: a response has one limit
        set_status(ctx, "incomplete", incomplete_details={"reason": "max_output_tokens"})
    elif status in ("failed", "expired"):
        # a response does not expire: a script's run that overran fails here
        set_status(ctx, "failed", error=phase.get("last_error") or errors.run_failed())
    elif status == "cancelled":
        set_status(ctx, "cancelled")
    else:
        set_status(ctx, "completed")
