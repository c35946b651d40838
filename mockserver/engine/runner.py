"""Carrying out phases: the steps, messages, deltas and usage a run produces.

Every status change goes through ``machine``; this module only builds objects and emits the
content events (deltas) between those changes.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

from .. import errors
from ..backend import MESSAGES, STEPS
from ..types import EndPhase, FunctionCallsPhase, JSONObject, MessagePhase, Phase, ToolPhase
from . import objects, server_tools, text
from .arguments import CannotGenerate
from .machine import PlanContext, RunContext, set_message_status, set_run_status, set_step_status
from .objects import present_step
from .planner import next_phase, prompt_tokens

log = logging.getLogger("mockserver")

#: what decides a run's next phase: the default assistant's or a scenario's
Planner = Callable[[RunContext], Phase]


def work(ctx: RunContext, planner: Planner = next_phase) -> None:
    """in_progress -> the next stable state (requires_action or terminal).

    The token limits are the runner's, whoever plans: a prompt over ``max_prompt_tokens``
    ends the run before the model does anything, and a reply cut by
    ``max_completion_tokens`` ends it right after that message."""
    ctx.sandbox.clock.advance(1)
    if not ctx.record["done"]:
        problem = server_tools.before_work(ctx)
        if problem is not None:
            ctx.explain(f"failed before it started: {problem['message']}")
            set_run_status(ctx, "failed", last_error=problem)
            return
        limit = ctx.run["max_prompt_tokens"]
        if limit is not None and (prompt := prompt_tokens(ctx)) > limit:
            ctx.explain(
                f"ended incomplete: the prompt has {prompt} tokens, over max_prompt_tokens {limit}"
            )
            _end(ctx, {"status": "incomplete", "reason": "max_prompt_tokens"})
            return
    while ctx.run["status"] == "in_progress":
        if ctx.record.get("truncated"):
            _end(ctx, {"status": "incomplete", "reason": "max_completion_tokens"})
            return
        phase = next_planned(ctx, planner)
        kind = phase["kind"]
        if kind == "function_calls":
            _function_calls(ctx, phase)
        elif kind == "tool":
            _server_tool_step(ctx, phase)
        elif kind == "message":
            _message(ctx, phase)
        else:
            _end(ctx, phase)


def next_planned(ctx: PlanContext, planner: Callable[[Any], Phase]) -> Phase:
    """The planner's next phase, noted as done. A schema accepted at creation that no value
    satisfies within the caps ends the work failed (a run's generic server_error, which
    releases the thread); the log and the explanation say why."""
    try:
        phase = planner(ctx)
    except CannotGenerate as error:
        log.warning("%s failed: %s", ctx.run["id"], error)
        ctx.explain(f"failed: {error}")
        phase = {"kind": "end", "status": "failed"}
    ctx.record["done"].append(phase["kind"])
    return phase


def cut_reply(
    ctx: PlanContext, body: str, phase: MessagePhase, limit: int | None, name: str
) -> tuple[str, bool]:
    """The reply as the completion limit ``name`` (``max_completion_tokens``,
    ``max_output_tokens``) lets it out: cut where ``limit`` runs out, or halfway when the
    script ends incomplete. Returns the reply and whether it was cut; a cut reply marks the
    record ``truncated``: the work ends incomplete right after it."""
    used = ctx.record["usage"][1]
    if limit is not None and used + text.count_tokens(body) > limit:
        body = text.truncate_tokens(body, max(0, limit - used))
        ctx.explain(f"the reply was cut: it would pass {name} {limit}")
    elif phase.get("cut"):
        body = text.truncate_tokens(body, text.count_tokens(body) // 2)
        ctx.explain(f"the reply stops halfway: the rule ends incomplete ({name})")
    else:
        return body, False
    ctx.record["truncated"] = True
    return body, True


def _new_step(ctx: RunContext, details: JSONObject) -> JSONObject:
    step = objects.step(ctx.sandbox, ctx.run, details)
    ctx.sandbox.add(STEPS, step, scope=ctx.run["id"])
    shown = present_step(step, ctx.record["include"])
    ctx.emit("thread.run.step.created", shown)
    ctx.emit("thread.run.step.in_progress", shown)
    return step


def _call_delta(ctx: RunContext, step: JSONObject, call: JSONObject) -> None:
    """A delta of one tool call of a ``tool_calls`` step (the only steps that stream deltas)."""
    details = {"type": "tool_calls", "tool_calls": [call]}
    delta = {
        "id": step["id"],
        "object": "thread.run.step.delta",
        "delta": {"step_details": details},
    }
    ctx.emit("thread.run.step.delta", delta)


def _account(ctx: RunContext, step: JSONObject, completion: int) -> None:
    prompt = prompt_tokens(ctx)
    step["usage"] = objects.usage(prompt, completion)
    total = ctx.record["usage"]
    ctx.record["usage"] = [total[0] + prompt, total[1] + completion]


def _function_calls(ctx: RunContext, phase: FunctionCallsPhase) -> None:
    step = _new_step(ctx, {"type": "tool_calls", "tool_calls": []})
    calls = step["step_details"]["tool_calls"]
    for index, call in enumerate(phase["calls"]):
        tool_call = {
            "id": ctx.sandbox.ids.new("call_"),
            "type": "function",
            "function": {"name": call["name"], "arguments": call["arguments"], "output": None},
        }
        calls.append(tool_call)
        first = {
            "index": index,
            "id": tool_call["id"],
            "type": "function",
            "function": {"name": call["name"], "arguments": "", "output": None},
        }
        _call_delta(ctx, step, first)
        for fragment in text.chunks(call["arguments"]):
            _call_delta(
                ctx, step, {"index": index, "type": "function", "function": {"arguments": fragment}}
            )
    _account(ctx, step, sum(text.count_tokens(c["function"]["arguments"]) for c in calls))
    ctx.record["tool_step"] = step["id"]
    required = [
        {
            "id": c["id"],
            "type": "function",
            "function": {"name": c["function"]["name"], "arguments": c["function"]["arguments"]},
        }
        for c in calls
    ]
    set_run_status(
        ctx,
        "requires_action",
        required_action={
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": required},
        },
    )


def _server_tool_step(ctx: RunContext, phase: ToolPhase) -> None:
    step = _new_step(ctx, {"type": "tool_calls", "tool_calls": []})
    for index, call in enumerate(phase["calls"]):
        call = {**copy.deepcopy(call), "id": ctx.sandbox.ids.new("call_")}
        step["step_details"]["tool_calls"].append(call)
        kind = call["type"]
        if kind == "code_interpreter":
            ci = call["code_interpreter"]
            first = {"index": index, "id": call["id"], "type": kind}
            _call_delta(ctx, step, {**first, kind: {"input": "", "outputs": []}})
            for fragment in text.chunks(ci["input"]):
                _call_delta(ctx, step, {"index": index, "type": kind, kind: {"input": fragment}})
            for n, output in enumerate(ci["outputs"]):
                outputs = [{"index": n, **output}]
                _call_delta(ctx, step, {"index": index, "type": kind, kind: {"outputs": outputs}})
            logs = "".join(o.get("logs", "") for o in ci["outputs"])
            ctx.record["tool_results"].append(["code_interpreter", logs])
        else:
            # file_search deltas carry an empty object; the results arrive with step.completed
            _call_delta(ctx, step, {"index": index, "id": call["id"], "type": kind, kind: {}})
    inputs = [c.get("code_interpreter", {}).get("input", "") for c in phase["calls"]]
    _account(ctx, step, sum(text.count_tokens(i) for i in inputs))
    ctx.sandbox.clock.advance(1)
    set_step_status(ctx, step, "completed")


def _message(ctx: RunContext, phase: MessagePhase) -> None:
    run = ctx.run
    message = objects.assistant_message(ctx.sandbox, run)
    step = _new_step(
        ctx, {"type": "message_creation", "message_creation": {"message_id": message["id"]}}
    )
    ctx.sandbox.add(MESSAGES, message, scope=run["thread_id"])
    ctx.emit("thread.message.created", message)
    ctx.emit("thread.message.in_progress", message)
    # either way a cut reply ends the run incomplete (max_completion_tokens)
    body, truncated = cut_reply(
        ctx, phase["text"], phase, run["max_completion_tokens"], "max_completion_tokens"
    )
    content = message["content"]
    for image in phase.get("images", []):
        part = {"type": "image_file", "image_file": {"file_id": image, "detail": "auto"}}
        content.append(part)
        ctx.emit(
            "thread.message.delta", _message_delta(message, [{"index": len(content) - 1, **part}])
        )
    annotations = [] if truncated else phase.get("annotations", [])
    content.append(objects.text_part(body, annotations))
    index = len(content) - 1
    pieces = text.chunks(body)
    for n, piece in enumerate(pieces):
        delta_text: dict[str, Any] = {"value": piece}
        if n == 0:
            delta_text["annotations"] = []
        if n == len(pieces) - 1 and annotations:
            delta_text["annotations"] = [{"index": i, **a} for i, a in enumerate(annotations)]
        ctx.emit(
            "thread.message.delta",
            _message_delta(message, [{"index": index, "type": "text", "text": delta_text}]),
        )
    _account(ctx, step, text.count_tokens(body))
    ctx.sandbox.clock.advance(1)
    if truncated:
        set_message_status(ctx, message, "incomplete", reason="max_tokens")
    else:
        set_message_status(ctx, message, "completed")
    set_step_status(ctx, step, "completed")


def _message_delta(message: JSONObject, parts: list[JSONObject]) -> JSONObject:
    return {
        "id": message["id"],
        "object": "thread.message.delta",
        "delta": {"role": "assistant", "content": parts},
    }


def _end(ctx: RunContext, phase: EndPhase) -> None:
    status = phase["status"]
    if status == "incomplete":
        set_run_status(
            ctx,
            "incomplete",
            incomplete_details={"reason": phase.get("reason", "max_completion_tokens")},
        )
    elif status == "cancelled":  # cancelled from elsewhere (another client, the dashboard)
        set_run_status(ctx, "cancelling")
        ctx.sandbox.clock.advance(1)
        set_run_status(ctx, "cancelled")
    elif status == "failed":
        set_run_status(ctx, "failed", last_error=phase.get("last_error") or errors.run_failed())
    else:
        set_run_status(ctx, status)
