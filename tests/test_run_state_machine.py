"""The run engine against a small reference model, driven by Hypothesis.

Random sequences of create (polled or streamed) / retrieve / cancel / submit tool outputs
(right or wrong ids, polled or streamed) / advance the clock, through the strict SDK on a live
server, each example in a fresh sandbox under the default progression. The model predicts every
status exactly (default policy: one transition per retrieve) and the 400s of the lock, cancel
and tool-output rules. Invariants after every step: terminal is final, timestamps never go
backwards or change once set, at most one active run per thread, list agrees with the model,
and a stream ends in the very state that retrieve then returns.

Clock steps are small (1 or 5 s) or large (700 s): with at most 25 steps the small ones can
never add up to a run's 600 s lifetime, so expiry happens exactly when the model says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import httpx2
import openai
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mockserver import create_app
from mockserver.server import LiveServer
from tests.conftest import WEATHER, bearer, make_client

ACTIVE = {"queued", "in_progress", "requires_action", "cancelling"}
TERMINAL = {"completed", "incomplete", "failed", "cancelled", "expired"}
STABLE_EVENTS = {f"thread.run.{s}" for s in TERMINAL | {"requires_action"}}
CANCELLABLE = {"queued", "in_progress", "requires_action"}
STAMPS = ("created_at", "started_at", "completed_at", "cancelled_at", "failed_at")
ASKS = {"plain": "Tell me something nice.", "tool": "What's the weather in Paris?"}


@dataclass
class ModelRun:
    id: str
    thread_id: str
    kind: str  # "plain" answers with text; "tool" calls get_weather first
    status: str
    stamps: dict[str, int] = field(default_factory=dict)
    call_ids: list[str] = field(default_factory=list)


def next_status(run: ModelRun) -> str:
    """Where one read moves a run under the default policy."""
    if run.status == "queued":
        return "in_progress"
    if run.status == "in_progress":
        return "requires_action" if run.kind == "tool" and not run.call_ids else "completed"
    if run.status == "cancelling":
        return "cancelled"
    return run.status


class RunMachine(RuleBasedStateMachine):
    server: LiveServer
    keys: itertools.count

    def __init__(self) -> None:
        super().__init__()
        self.key = f"sk-state-machine-{next(self.keys)}"
        self.client = make_client(self.server.base_url, self.key)
        self.runs: list[ModelRun] = []
        self.threads: list[str] = []
        self.assistant_id = ""
        self.created: list[int] = []

    def teardown(self) -> None:
        self.client.close()

    @initialize()
    def setup(self) -> None:
        self.assistant_id = self.client.beta.assistants.create(model="gpt-4o", tools=[WEATHER]).id
        self.threads = [self.client.beta.threads.create().id for _ in range(2)]

    # -- helpers -------------------------------------------------------------------------

    def active_on(self, thread_id: str) -> ModelRun | None:
        return next((r for r in self.runs if r.thread_id == thread_id and r.status in ACTIVE), None)

    def observe(self, model: ModelRun, run) -> None:
        """Check a run the server showed against the model, then remember its timestamps."""
        assert run.id == model.id and run.status == model.status, (run.status, model.status)
        for name in STAMPS:
            value = getattr(run, name)
            if name in model.stamps:
                assert value == model.stamps[name], f"{name} changed once set"
            elif value is not None:
                model.stamps[name] = value
        started = run.started_at if run.started_at is not None else run.created_at
        assert run.created_at <= started
        for name in ("completed_at", "cancelled_at", "failed_at"):
            if getattr(run, name) is not None:
                assert getattr(run, name) >= started
        assert (run.required_action is not None) == (run.status == "requires_action")
        assert (run.expires_at is None) == (run.status in TERMINAL - {"expired"})

    def stream_final(self, stream_cm):
        """Run an SDK stream to its end: exactly one stable run event, and it is the last."""
        with stream_cm as stream:
            events = [event.event for event in stream]
            run = stream.get_final_run()
        stable = [e for e in events if e in STABLE_EVENTS]
        assert stable == [events[-1]] == [f"thread.run.{run.status}"], events
        return run

    def pick(self, index: int) -> ModelRun:
        return self.runs[index % len(self.runs)]

    # -- rules ---------------------------------------------------------------------------

    @rule(thread=st.integers(0, 1), kind=st.sampled_from(["plain", "tool"]), stream=st.booleans())
    def create(self, thread: int, kind: str, stream: bool) -> None:
        thread_id = self.threads[thread]
        active = self.active_on(thread_id)
        body = {
            "thread_id": thread_id,
            "assistant_id": self.assistant_id,
            "additional_messages": [{"role": "user", "content": ASKS[kind]}],
        }
        if active is not None:
            with pytest.raises(openai.BadRequestError) as info:
                if stream:
                    self.stream_final(self.client.beta.threads.runs.stream(**body))
                else:
                    self.client.beta.threads.runs.create(**body)
            assert (
                info.value.body["message"]
                == f"Thread {thread_id} already has an active run {active.id}."
            )
            event("create refused: thread locked")
            return
        if stream:
            run = self.stream_final(self.client.beta.threads.runs.stream(**body))
            model = ModelRun(
                run.id, thread_id, kind, "requires_action" if kind == "tool" else "completed"
            )
            self.agree(model, run)
        else:
            run = self.client.beta.threads.runs.create(**body)
            model = ModelRun(run.id, thread_id, kind, "queued")
        if self.created:
            assert run.created_at >= self.created[-1], (
                "runs created later never carry an earlier time"
            )
        self.created.append(run.created_at)
        self.runs.append(model)
        self.observe(model, run)

    def agree(self, model: ModelRun, streamed) -> None:
        """Stream and poll agree: retrieve returns exactly the state the stream ended in."""
        if streamed.status == "requires_action":
            model.call_ids = [c.id for c in streamed.required_action.submit_tool_outputs.tool_calls]
        retrieved = self.client.beta.threads.runs.retrieve(streamed.id, thread_id=model.thread_id)
        assert retrieved == streamed

    @precondition(lambda self: self.runs)
    @rule(index=st.integers(0, 50))
    def retrieve(self, index: int) -> None:
        model = self.pick(index)
        model.status = next_status(model)
        run = self.client.beta.threads.runs.retrieve(model.id, thread_id=model.thread_id)
        if run.status == "requires_action":
            model.call_ids = [c.id for c in run.required_action.submit_tool_outputs.tool_calls]
        self.observe(model, run)

    @precondition(lambda self: self.runs)
    @rule(index=st.integers(0, 50))
    def cancel(self, index: int) -> None:
        model = self.pick(index)
        if model.status not in CANCELLABLE:
            with pytest.raises(openai.BadRequestError) as info:
                self.client.beta.threads.runs.cancel(model.id, thread_id=model.thread_id)
            assert info.value.body["message"] == f"Cannot cancel run with status '{model.status}'."
            event("cancel refused")
            return
        model.status = "cancelling"
        self.observe(
            model, self.client.beta.threads.runs.cancel(model.id, thread_id=model.thread_id)
        )

    @precondition(lambda self: self.runs)
    @rule(index=st.integers(0, 50), right_ids=st.booleans(), stream=st.booleans())
    def submit(self, index: int, right_ids: bool, stream: bool) -> None:
        model = self.pick(index)
        ids = model.call_ids if right_ids else ["call_wrong"]
        outputs = [{"tool_call_id": i, "output": "sunny"} for i in ids]
        args = {"run_id": model.id, "thread_id": model.thread_id, "tool_outputs": outputs}
        if model.status != "requires_action" or not right_ids:
            with pytest.raises(openai.BadRequestError) as info:
                if stream:
                    self.stream_final(
                        self.client.beta.threads.runs.submit_tool_outputs_stream(**args)
                    )
                else:
                    self.client.beta.threads.runs.submit_tool_outputs(**args)
            if model.status != "requires_action":
                expected = f'Runs in status "{model.status}" do not accept tool outputs.'
            else:
                expected = (
                    f"Expected tool outputs for call_ids {model.call_ids!r}, got ['call_wrong']"
                )
            assert info.value.body["message"] == expected
            event("submit refused")
            return
        event(f"submit accepted (stream={stream})")
        if stream:
            run = self.stream_final(
                self.client.beta.threads.runs.submit_tool_outputs_stream(**args)
            )
            model.status = "completed"
            self.agree(model, run)
        else:
            run = self.client.beta.threads.runs.submit_tool_outputs(**args)
            model.status = "queued"
        self.observe(model, run)

    @precondition(lambda self: any(r.status == "requires_action" for r in self.runs))
    @rule(index=st.integers(0, 50), stream=st.booleans())
    def answer_a_waiting_run(self, index: int, stream: bool) -> None:
        """The rule above rarely hits a waiting run with the right ids; this one always does."""
        waiting = [i for i, r in enumerate(self.runs) if r.status == "requires_action"]
        self.submit(waiting[index % len(waiting)], right_ids=True, stream=stream)

    @rule(seconds=st.sampled_from([1, 5, 700]))
    def advance_clock(self, seconds: int) -> None:
        response = httpx2.post(
            f"{self.server.url}/__mock__/clock", headers=bearer(self.key), json={"advance": seconds}
        )
        assert response.status_code == 200
        if seconds >= 600:
            for model in self.runs:
                if model.status in ACTIVE:
                    model.status = "expired"
                    event("run expired")

    # -- invariants ----------------------------------------------------------------------

    @invariant()
    def list_agrees_with_the_model_and_one_run_at_most_is_active(self) -> None:
        for thread_id in self.threads:
            listed = self.client.beta.threads.runs.list(thread_id, limit=100).data
            expected = {m.id: m for m in self.runs if m.thread_id == thread_id}
            assert {r.id for r in listed} == set(expected)
            for run in listed:
                self.observe(expected[run.id], run)  # also: terminal is final, stamps stay put
            assert sum(r.status in ACTIVE for r in listed) <= 1


@pytest.fixture(scope="module")
def state_machine_server():
    with LiveServer(create_app(seed=0)) as server:
        yield server


def test_run_engine_matches_the_reference_model(state_machine_server):
    machine = type(
        "Machine", (RunMachine,), {"server": state_machine_server, "keys": itertools.count()}
    )
    run_state_machine_as_test(
        machine,
        # the number of examples comes from the Hypothesis profile (tests/conftest.py)
        settings=settings(
            stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
