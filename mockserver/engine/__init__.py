"""The run engine: one state machine behind polling and streaming.

Public operations take a sandbox (which knows its progression policy and seed) and return the
run (and, for streams, the :class:`~mockserver.events.EventLog` of what happened). Reads move
runs on according to the progression policy; a stream moves its run to the next stable state
at once. Messages a client adds go through the thread lock (:mod:`.lock`).
"""

from __future__ import annotations

from typing import Any

from .. import errors, progression
from ..backend import RUNS
from ..events import EventLog
from ..resources import assistants, messages, threads
from ..resources.assistants import SAMPLING
from ..resources.lookup import find
from ..store import Sandbox
from ..types import JSONObject, Pager, RunRecord
from . import lock, objects, scripted
from .lock import add_message
from .machine import (
    RUN_STATUSES,
    RunContext,
    set_run_status,
    set_step_status,
    settle,
)
from .objects import present_step
from .runner import work

__all__ = [
    "add_message",
    "advance",
    "advance_clock",
    "advance_run",
    "cancel",
    "create_run",
    "create_thread_and_run",
    "get_run",
    "get_step",
    "list_runs",
    "list_steps",
    "retrieve_run",
    "submit_tool_outputs",
    "update_run",
]


def get_run(sandbox: Sandbox, thread_id: str, run_id: str) -> JSONObject:
    threads.get(sandbox, thread_id)
    return find(sandbox.runs(thread_id), "run", run_id)


def update_run(sandbox: Sandbox, thread_id: str, run_id: str, body: dict[str, Any]) -> JSONObject:
    """``POST .../runs/{id}``: only the metadata changes (``null`` clears it); the run does not
    move on."""
    run = get_run(sandbox, thread_id, run_id)
    if "metadata" in body:
        run["metadata"] = body["metadata"] or {}
    return run


def list_steps(
    sandbox: Sandbox, thread_id: str, run_id: str, include: list[str], page: Pager
) -> JSONObject:
    """A page of the run's steps, shown as ``include[]`` asks (file_search result content)."""
    get_run(sandbox, thread_id, run_id)
    listed = page(sandbox.steps(run_id), None)
    listed["data"] = [present_step(step, include) for step in listed["data"]]
    return listed


def get_step(
    sandbox: Sandbox, thread_id: str, run_id: str, step_id: str, include: list[str]
) -> JSONObject:
    get_run(sandbox, thread_id, run_id)
    return present_step(find(sandbox.steps(run_id), "step", step_id), include)


def advance(ctx: RunContext, transitions: int) -> None:
    """Up to ``transitions`` moves toward the next stable state."""
    settle(ctx)
    for _ in range(transitions):
        status = ctx.run["status"]
        if status == "queued":
            ctx.sandbox.clock.advance(1)
            set_run_status(ctx, "in_progress")
        elif status == "in_progress":
            work(ctx, scripted.planner_for(ctx))  # a scenario's script, or the default
        elif status == "cancelling":
            ctx.sandbox.clock.advance(1)
            set_run_status(ctx, "cancelled")
        else:
            return
        settle(ctx)


def until_stable(ctx: RunContext) -> None:
    advance(ctx, progression.UNTIL_STABLE)


def _check_request(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    """Everything that can refuse a run, checked before anything is created."""
    assistant = assistants.get(sandbox, body["assistant_id"])
    # the run's own sampling settings win over the assistant's (a null clears them)
    sampling = {name: body[name] if name in body else assistant.get(name) for name in SAMPLING}
    assistants.check_sampling({"model": body.get("model") or assistant["model"], **sampling})
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        tools = body["tools"] if body.get("tools") is not None else assistant["tools"]
        if choice["type"] == "function":
            names = [t["function"]["name"] for t in tools if t["type"] == "function"]
            if choice["function"]["name"] not in names:
                raise errors.tool_choice_not_a_run_tool("function", choice["function"]["name"])
        elif choice["type"] not in {t["type"] for t in tools}:
            raise errors.tool_choice_not_a_run_tool("tool", choice["type"])
    return assistant


def _start(
    sandbox: Sandbox,
    thread_id: str,
    assistant: JSONObject,
    body: dict[str, Any],
    include: list[str],
    log: EventLog | None,
) -> JSONObject:
    run = objects.run(sandbox, thread_id, assistant, body)
    sandbox.add(RUNS, run, scope=thread_id)
    sandbox.run_records()[run["id"]] = RunRecord(
        done=[],
        usage=[0, 0],
        include=include,
        tool_results=[],
        tool_step=None,
        timeline=[[run["status"], run["created_at"]]],
    )
    ctx = RunContext(sandbox, run, log)
    scripted.choose(ctx, assistant)  # matched once, at creation
    ctx.emit("thread.run.created", run)
    ctx.emit("thread.run.queued", run)
    if log is not None:
        until_stable(ctx)
    return run


def create_run(
    sandbox: Sandbox,
    thread_id: str,
    body: dict[str, Any],
    include: list[str],
    *,
    stream: bool = False,
) -> tuple[JSONObject, EventLog | None]:
    threads.get(sandbox, thread_id)
    lock.check_free_for_run(sandbox, thread_id)
    assistant = _check_request(sandbox, body)
    extra = body.get("additional_messages") or []
    for i, message in enumerate(extra):
        messages.check_references(sandbox, message, f"additional_messages[{i}].")
    threads.add_checked_messages(sandbox, threads.get(sandbox, thread_id), extra)
    log = EventLog() if stream else None
    return _start(sandbox, thread_id, assistant, body, include, log), log


def create_thread_and_run(
    sandbox: Sandbox, body: dict[str, Any], include: list[str], *, stream: bool = False
) -> tuple[JSONObject, EventLog | None]:
    assistant = _check_request(sandbox, body)
    thread_body = dict(body.get("thread") or {})
    if body.get("tool_resources") is not None:
        thread_body["tool_resources"] = body["tool_resources"]
    thread = threads.create(sandbox, thread_body)
    log = EventLog() if stream else None
    if log is not None:
        log.emit("thread.created", thread)
    return _start(sandbox, thread["id"], assistant, body, include, log), log


def retrieve_run(sandbox: Sandbox, thread_id: str, run_id: str) -> JSONObject:
    """A read: the run moves on as far as the progression policy allows."""
    run = get_run(sandbox, thread_id, run_id)
    advance(RunContext(sandbox, run), progression.transitions_per_read(sandbox))
    return run


def list_runs(sandbox: Sandbox, thread_id: str, page: Pager) -> JSONObject:
    """A page of the thread's runs, with expiry applied (listing does not move runs on)."""
    threads.get(sandbox, thread_id)
    runs = sandbox.runs(thread_id)
    for run in runs:
        settle(RunContext(sandbox, run))
    return page(runs, None)


def cancel(sandbox: Sandbox, thread_id: str, run_id: str) -> JSONObject:
    run = get_run(sandbox, thread_id, run_id)
    ctx = RunContext(sandbox, run)
    settle(ctx)
    if run["status"] in ("queued", "in_progress") and scripted.loses_cancel_race(ctx):
        ctx.explain("a cancel arrived: the rule's cancel_loses_race completes the run first")
        until_stable(ctx)  # the scenario's race: the run completes before the cancel lands
    if not RUN_STATUSES.allows(run["status"], "cancelling"):
        raise errors.run_not_cancellable(run["status"])
    ctx.explain("cancelled by the client")
    set_run_status(ctx, "cancelling")
    return run


def submit_tool_outputs(
    sandbox: Sandbox,
    thread_id: str,
    run_id: str,
    outputs: list[dict[str, Any]],
    *,
    stream: bool = False,
) -> tuple[JSONObject, EventLog | None]:
    run = get_run(sandbox, thread_id, run_id)
    log = EventLog() if stream else None
    ctx = RunContext(sandbox, run, log)
    settle(ctx)
    if run["status"] != "requires_action":
        raise errors.run_takes_no_tool_outputs(run["status"])
    expected = [c["id"] for c in run["required_action"]["submit_tool_outputs"]["tool_calls"]]
    got = [o.get("tool_call_id") for o in outputs]
    if sorted(map(str, got)) != sorted(expected):
        raise errors.tool_outputs_mismatch(expected, got)
    answers = {o["tool_call_id"]: o.get("output") or "" for o in outputs}
    step = ctx.steps().get(ctx.record["tool_step"])
    for call in step["step_details"]["tool_calls"]:
        call["function"]["output"] = answers[call["id"]]
        ctx.record["tool_results"].append([call["function"]["name"], answers[call["id"]]])
    sandbox.clock.advance(1)
    set_step_status(ctx, step, "completed")
    set_run_status(ctx, "queued")
    if log is not None:
        until_stable(ctx)
    return run, log


def advance_run(sandbox: Sandbox, thread_id: str, run_id: str, transitions: int = 1) -> JSONObject:
    """The control API's "move this run on": works under every policy, ``manual`` included."""
    run = get_run(sandbox, thread_id, run_id)
    advance(RunContext(sandbox, run), transitions)
    return run


def advance_clock(sandbox: Sandbox, seconds: int) -> int:
    """Move the sandbox's virtual clock on; runs past their ``expires_at`` expire at once."""
    now = sandbox.clock.advance(seconds)
    for thread in sandbox.threads():
        for run in sandbox.runs(thread["id"]):
            settle(RunContext(sandbox, run))
    return now
