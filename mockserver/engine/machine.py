"""The run state machine: the only place a run's, a run step's or a run message's status changes.

Their status tables are :data:`RUN_STATUSES`, :data:`STEP_STATUSES` and
:data:`MESSAGE_STATUSES` (the pattern of every stateful kind, ``mockserver/transitions.py``).
Each change applies the field rules of its status (timestamps, ``required_action``,
``last_error``...), cascades a terminal status to the run's open steps and messages, and emits
the matching stream event to the run's :class:`~mockserver.events.EventLog` when one listens.
Polling and streaming therefore see the very same transitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .. import errors
from ..events import EventLog
from ..store import Sandbox
from ..tables import Collection
from ..transitions import StatusTable
from ..types import JSONObject, RunRecord
from .objects import present_step, run_usage, usage

TERMINAL = frozenset({"completed", "incomplete", "failed", "cancelled", "expired"})
ACTIVE = frozenset({"queued", "in_progress", "requires_action", "cancelling"})

#: terminal statuses move nowhere
RUN_STATUSES = StatusTable(
    "run",
    {
        "queued": frozenset({"in_progress", "cancelling", "failed", "expired"}),
        "in_progress": frozenset(
            {"requires_action", "completed", "incomplete", "failed", "cancelling", "expired"}
        ),
        "requires_action": frozenset({"queued", "cancelling", "failed", "expired"}),
        # (a cancel that loses the race never gets here: the run completes before it lands)
        "cancelling": frozenset({"cancelled", "expired"}),
    },
)
STEP_STATUSES = StatusTable(
    "step", {"in_progress": frozenset({"completed", "failed", "cancelled", "expired"})}
)
MESSAGE_STATUSES = StatusTable("message", {"in_progress": frozenset({"completed", "incomplete"})})

#: a step's timestamp of each status it ends in
_STEP_STAMP = {
    "completed": "completed_at",
    "failed": "failed_at",
    "cancelled": "cancelled_at",
    "expired": "expired_at",
}

#: what a terminal run does to the steps and messages it left open: (step status, message's
#: incomplete reason, or None: the message completes)
_CASCADE = {
    "cancelled": ("cancelled", "run_cancelled"),
    "expired": ("expired", "run_expired"),
    "failed": ("failed", "run_failed"),
    "incomplete": ("completed", "max_tokens"),
    "completed": ("completed", None),
}


class PlanContext(Protocol):
    """What the planner, the scenario scripts and the server tools read about the work they
    plan: a run's (:class:`RunContext`) or a response's
    (``mockserver.responses_api.context.ResponseContext``), so both APIs get their phases from
    the same code.

    * ``sandbox``: the files, vector stores, clock, seed and scenarios; ``api``: whose it is;
    * ``run``: the settings, in a run's vocabulary (``id``, the seed of generated values;
      ``model``, ``instructions``, ``tools``, ``tool_choice``, ``parallel_tool_calls``,
      ``response_format``, ``truncation_strategy``; ``assistant_id`` and ``thread_id`` name
      where file_search finds stores beside a tool's own ``vector_store_ids``);
    * ``record``: what was done so far (phases, usage, tool results, the script's position);
    * ``messages()``: the conversation so far, as thread messages (``role``, text parts,
      ``run_id``, ``status``).
    """

    sandbox: Sandbox
    #: which API's work it is (a scenario rule's ``match: {api: ...}``)
    api: str

    @property
    def run(self) -> JSONObject: ...

    @property
    def record(self) -> RunRecord: ...

    def messages(self) -> Collection | list[JSONObject]: ...

    def explain(self, reason: str) -> None:
        """Note why the work does what it is about to do (the inspector's explanation)."""


def note_reason(record: RunRecord, reason: str) -> None:
    """Add ``reason`` to the explanation the record keeps, once the script or the default
    assistant has begun it (``scripted.choose``)."""
    explanation = record.get("explanation")
    if explanation is not None:
        explanation["reasons"].append(reason)


@dataclass
class RunContext:
    """One run being worked on: where it lives, its bookkeeping, and who listens."""

    sandbox: Sandbox
    run: JSONObject
    log: EventLog | None = None
    api = "assistants"

    @property
    def record(self) -> RunRecord:
        """The engine's bookkeeping of the run (see :class:`~mockserver.types.RunRecord`)."""
        return self.sandbox.run_records()[self.run["id"]]

    def emit(self, event: str, data: Any) -> None:
        if self.log is not None:
            self.log.emit(event, data)

    def explain(self, reason: str) -> None:
        """Note why the run does what it is about to do (the inspector's explanation)."""
        note_reason(self.record, reason)

    def steps(self) -> Collection:
        return self.sandbox.steps(self.run["id"])

    def messages(self) -> Collection:
        return self.sandbox.messages(self.run["thread_id"])


def settle(ctx: RunContext) -> None:
    """Expire a run whose time ran out on the virtual clock."""
    run = ctx.run
    expires_at = run["expires_at"]
    if run["status"] not in TERMINAL and expires_at is not None and ctx.sandbox.now() >= expires_at:
        ctx.explain(f"expired: the virtual clock reached expires_at ({expires_at})")
        set_run_status(ctx, "expired")


def set_run_status(ctx: RunContext, status: str, **fields: Any) -> None:
    run, now = ctx.run, ctx.sandbox.now()
    RUN_STATUSES.check(run, status)
    run["status"] = status
    run.update(fields)
    if status != "requires_action":
        run["required_action"] = None
    if status == "in_progress" and run["started_at"] is None:
        run["started_at"] = now
    if status in TERMINAL:
        _finish(ctx, status)
    timeline = ctx.record.get("timeline")
    if timeline is not None:
        timeline.append([status, now])
    ctx.sandbox.changed("run", run, status=status)
    ctx.emit(f"thread.run.{status}", run)


def _finish(ctx: RunContext, status: str) -> None:
    run, now = ctx.run, ctx.sandbox.now()
    stamp = {
        "completed": "completed_at",
        "incomplete": "completed_at",
        "failed": "failed_at",
        "cancelled": "cancelled_at",
    }
    if status in stamp:
        run[stamp[status]] = now
    if status != "expired":
        run["expires_at"] = None
    if run["started_at"] is not None:  # a run that never started used nothing
        prompt, completion = ctx.record["usage"]
        run["usage"] = run_usage(prompt, completion)
    step_status, message_reason = _CASCADE[status]
    for step in ctx.steps():
        if step["status"] == "in_progress":
            set_step_status(
                ctx, step, step_status, last_error=run["last_error"] if status == "failed" else None
            )
    for message in ctx.messages():
        if message["run_id"] == run["id"] and message["status"] == "in_progress":
            if message_reason is None:
                set_message_status(ctx, message, "completed")
            else:
                set_message_status(ctx, message, "incomplete", reason=message_reason)


def set_step_status(
    ctx: RunContext, step: JSONObject, status: str, last_error: JSONObject | None = None
) -> None:
    STEP_STATUSES.check(step, status)
    step["status"] = status
    step[_STEP_STAMP[status]] = ctx.sandbox.now()
    if status == "failed":
        step["last_error"] = last_error or errors.run_failed()
    if step["usage"] is None:
        step["usage"] = usage(0, 0)
    # streamed like a list or retrieve shows it: file_search content only if include[] asked
    ctx.emit(f"thread.run.step.{status}", present_step(step, ctx.record["include"]))


def set_message_status(
    ctx: RunContext, message: JSONObject, status: str, reason: str | None = None
) -> None:
    MESSAGE_STATUSES.check(message, status)
    now = ctx.sandbox.now()
    message["status"] = status
    if status == "completed":
        message["completed_at"] = now
    else:
        message["incomplete_at"] = now
        message["incomplete_details"] = {"reason": reason}
    ctx.sandbox.changed("message", message, status=status)
    ctx.emit(f"thread.message.{status}", message)
