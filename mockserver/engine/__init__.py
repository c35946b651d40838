"""The run engine: one state machine behind polling and streaming."""

from __future__ import annotations

from ..store import JSONObject, Sandbox

ACTIVE = frozenset({"queued", "in_progress", "requires_action", "cancelling"})


def active_run(sandbox: Sandbox, thread_id: str) -> JSONObject | None:
    """The run that holds the thread's lock, if any."""
    for run in sandbox.table("runs", thread_id):
        if run["status"] in ACTIVE:
            return run
    return None
