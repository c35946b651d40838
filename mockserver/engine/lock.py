"""The thread lock: while one of its runs is active, a thread takes no new run and no new
message. Runs check it when they start (``engine.create_run``); a client's messages are added
here, through it.

A run holds the lock from ``queued`` until it reaches a terminal status; a run past its
``expires_at`` on the virtual clock is expired first, which releases the lock.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..resources import messages, threads
from ..store import Sandbox
from ..types import JSONObject
from .machine import ACTIVE, RunContext, settle


def active_run(sandbox: Sandbox, thread_id: str) -> JSONObject | None:
    """The run that holds the thread's lock, if any (runs past their expiry release it)."""
    for run in sandbox.runs(thread_id):
        if run["status"] in ACTIVE:
            settle(RunContext(sandbox, run))
            if run["status"] in ACTIVE:
                return run
    return None


def check_free_for_run(sandbox: Sandbox, thread_id: str) -> None:
    run = active_run(sandbox, thread_id)
    if run is not None:
        raise errors.thread_has_active_run(thread_id, run["id"])


def add_message(sandbox: Sandbox, thread_id: str, body: dict[str, Any]) -> JSONObject:
    """``POST /threads/{id}/messages``: refused while a run holds the thread."""
    thread = threads.get(sandbox, thread_id)
    run = active_run(sandbox, thread_id)
    if run is not None:
        raise errors.thread_locked_for_messages(thread_id, run["id"])
    messages.check_references(sandbox, body)
    return threads.add_checked_messages(sandbox, thread, [body])[0]
