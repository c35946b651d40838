"""Background (and foreground) responses against a small reference model, driven by Hypothesis.

Random sequences of create (foreground or background, polled or streamed) / retrieve /
cancel / the control API's advance / GET ?stream=true / advance the clock, through the strict
SDK on a live server, each example in a fresh sandbox under the default progression. The model
predicts every status exactly (one transition per retrieve; a stream works its response to
the end) and the 400s of cancel and of streaming a foreground response. Invariants after every
read, as for runs: terminal is final, timestamps never change once set and never go
backwards, ``usage`` and ``output`` match the status, and a stream ends in the very state that
retrieve then returns.
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
    precondition,
    rule,
    run_state_machine_as_test,
)

from mockserver import create_app
from mockserver.server import LiveServer
from tests.conftest import bearer, make_client

TERMINAL = {"completed", "incomplete", "failed", "cancelled"}
ENDINGS = {"response.completed", "response.incomplete", "response.failed"}
ASKS = {"plain": "Tell me something nice.", "tool": "What's the weather in Paris?"}
TOOL = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


@dataclass
class ModelResponse:
    id: str
    kind: str  # "plain" answers with text; "tool" ends with a function call
    background: bool
    status: str
    stamps: dict[str, float] = field(default_factory=dict)


def next_status(model: ModelResponse) -> str:
    """Where one read (or one advance) moves a response under the default policy."""
    return {"queued": "in_progress", "in_progress": "completed"}.get(model.status, model.status)


class ResponseMachine(RuleBasedStateMachine):
    server: LiveServer
    keys: itertools.count

    def __init__(self) -> None:
        super().__init__()
        self.key = f"sk-response-machine-{next(self.keys)}"
        self.client = make_client(self.server.base_url, self.key)
        self.responses: list[ModelResponse] = []

    def teardown(self) -> None:
        try:
            self.the_stored_responses_are_the_models()
        finally:
            self.client.close()

    def pick(self, index: int) -> ModelResponse:
        return self.responses[index % len(self.responses)]

    def observe(self, model: ModelResponse, response) -> None:
        """Check a response the server showed against the model; remember its timestamps."""
        assert response.id == model.id and response.status == model.status, (
            response.status,
            model.status,
        )
        assert response.background is model.background
        for name in ("created_at", "completed_at"):
            value = getattr(response, name)
            if name in model.stamps:
                assert value == model.stamps[name], f"{name} changed once set"
            elif value is not None:
                model.stamps[name] = value
        if response.completed_at is not None:
            assert response.completed_at >= response.created_at
        assert (response.completed_at is not None) == (response.status == "completed")
        assert (response.usage is not None) == (response.status in ("completed", "incomplete"))
        if response.status in ("queued", "in_progress", "cancelled"):
            assert response.output == []
        if response.status == "completed":
            kinds = [item.type for item in response.output]
            assert kinds == (["function_call"] if model.kind == "tool" else ["message"])

    def streamed(self, events: list) -> object:
        """A stream's events: numbered 0, 1, 2... without a gap, ``response.created`` first,
        at most one terminal event and it is the last; returns the last snapshot."""
        assert [e.sequence_number for e in events] == list(range(len(events)))
        assert events[0].type == "response.created"
        endings = [e.type for e in events if e.type in ENDINGS]
        assert endings in ([], [events[-1].type])
        snapshots = [e.response for e in events if hasattr(e, "response")]
        return snapshots[-1]

    # -- rules ---------------------------------------------------------------------------

    @rule(kind=st.sampled_from(["plain", "tool"]), background=st.booleans(), stream=st.booleans())
    def create(self, kind: str, background: bool, stream: bool) -> None:
        body = {"model": "gpt-4o", "input": ASKS[kind], "tools": [TOOL], "background": background}
        if stream:
            final = self.streamed(list(self.client.responses.create(**body, stream=True)))
            model = ModelResponse(final.id, kind, background, "completed")
            assert self.client.responses.retrieve(final.id) == final
        else:
            final = self.client.responses.create(**body)
            model = ModelResponse(
                final.id, kind, background, "queued" if background else "completed"
            )
        event(f"create background={background} stream={stream}")
        self.responses.append(model)
        self.observe(model, final)

    @precondition(lambda self: self.responses)
    @rule(index=st.integers(0, 50))
    def retrieve(self, index: int) -> None:
        model = self.pick(index)
        model.status = next_status(model)
        self.observe(model, self.client.responses.retrieve(model.id))

    @precondition(lambda self: self.responses)
    @rule(index=st.integers(0, 50), transitions=st.integers(1, 3))
    def advance(self, index: int, transitions: int) -> None:
        model = self.pick(index)
        for _ in range(transitions):
            model.status = next_status(model)
        answer = httpx2.post(
            f"{self.server.url}/__mock__/responses/{model.id}/advance",
            headers=bearer(self.key),
            json={"transitions": transitions},
        )
        assert answer.status_code == 200
        assert answer.json()["status"] == model.status

    @precondition(lambda self: self.responses)
    @rule(index=st.integers(0, 50))
    def cancel(self, index: int) -> None:
        model = self.pick(index)
        if not model.background:
            with pytest.raises(openai.BadRequestError) as info:
                self.client.responses.cancel(model.id)
            assert info.value.body["message"] == (
                "Only responses created with background=true can be cancelled."
            )
            event("cancel refused")
            return
        if model.status not in TERMINAL:
            model.status = "cancelled"
            event("cancelled")
        self.observe(model, self.client.responses.cancel(model.id))

    @precondition(lambda self: self.responses)
    @rule(index=st.integers(0, 50), after=st.none() | st.integers(0, 5))
    def stream(self, index: int, after: int | None) -> None:
        model = self.pick(index)
        if not model.background:
            with pytest.raises(openai.BadRequestError):
                list(self.client.responses.retrieve(model.id, stream=True))
            return
        if model.status not in TERMINAL:
            model.status = "completed"  # a stream works the response to its end
        events = list(self.client.responses.retrieve(model.id, stream=True))
        final = self.streamed(events)
        retrieved = self.client.responses.retrieve(model.id)
        if model.status == "cancelled":
            assert events[-1].type != "response.cancelled"
        else:
            assert final == retrieved
        self.observe(model, retrieved)
        if after is not None:
            resumed = self.client.responses.retrieve(model.id, stream=True, starting_after=after)
            assert [e.sequence_number for e in resumed] == [
                e.sequence_number for e in events if e.sequence_number > after
            ]

    @rule(seconds=st.sampled_from([1, 5, 700]))
    def advance_clock(self, seconds: int) -> None:
        """Time alone moves no response (they do not expire)."""
        answer = httpx2.post(
            f"{self.server.url}/__mock__/clock", headers=bearer(self.key), json={"advance": seconds}
        )
        assert answer.status_code == 200

    # -- invariants ----------------------------------------------------------------------
    # every read above checks the response it shows (``observe``); the stored state, read
    # without moving anything, is compared once per example (the whole dump is costly)

    def the_stored_responses_are_the_models(self) -> None:
        """The sandbox's state (not a read, which would move responses on) agrees."""
        state = httpx2.get(f"{self.server.url}/__mock__/state", headers=bearer(self.key)).json()
        stored = {row["id"]: row for row in _rows(state, "responses/")}
        assert set(stored) == {m.id for m in self.responses}
        for model in self.responses:
            assert stored[model.id]["status"] == model.status


def _rows(state: dict, table: str) -> list[dict]:
    """The live objects of one table of ``GET /__mock__/state`` (removed ones leave a gap)."""
    return [row["object"] for row in state["tables"].get(table, []) if row["object"] is not None]


@pytest.fixture(scope="module")
def state_machine_server():
    with LiveServer(create_app(seed=0)) as server:
        yield server


def test_background_responses_match_the_reference_model(state_machine_server):
    machine = type(
        "Machine",
        (ResponseMachine,),
        {"server": state_machine_server, "keys": itertools.count()},
    )
    run_state_machine_as_test(
        machine,
        # the number of examples comes from the Hypothesis profile (tests/conftest.py)
        settings=settings(
            stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
