"""Progression policies for runs: default (each state observable once), instant, manual (the
control API moves runs), per app and overridden per sandbox; the clock expires runs under all."""

from __future__ import annotations

import httpx2
import pytest

from tests.conftest import bearer, make_client

from .test_runs import WEATHER


class Control:
    """The /__mock__ control API, acting on one sandbox."""

    def __init__(self, server, api_key: str) -> None:
        self.url, self.headers = f"{server.url}/__mock__", bearer(api_key)

    def post(self, path: str, body: dict) -> httpx2.Response:
        return httpx2.post(self.url + path, headers=self.headers, json=body)

    def progression(self, name: str) -> None:
        response = self.post("/settings", {"progression": name})
        assert response.status_code == 200, response.text
        assert response.json()["settings"]["progression"] == name

    def advance(self, run, transitions: int = 1) -> dict:
        response = self.post(f"/runs/{run.thread_id}/{run.id}/advance", {"transitions": transitions})
        assert response.status_code == 200, response.text
        return response.json()

    def clock(self, seconds: int) -> None:
        self.post("/clock", {"advance": seconds}).raise_for_status()


@pytest.fixture
def control(live_server, api_key):
    return Control(live_server, api_key)


def start(client, text: str = "hello", **run_options):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, **run_options)


def statuses(client, run, reads: int) -> list[str]:
    return [client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id).status for _ in range(reads)]


def test_default_makes_every_state_observable_once(client):
    run = start(client)
    assert run.status == "queued"
    assert statuses(client, run, 3) == ["in_progress", "completed", "completed"]


def test_default_stops_at_requires_action_and_resumes_through_queued(client):
    run = start(client, "weather in Paris")
    assert statuses(client, run, 3) == ["in_progress", "requires_action", "requires_action"]
    call = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id).required_action.submit_tool_outputs.tool_calls[0]
    queued = client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": call.id, "output": "sun"}]
    )
    assert queued.status == "queued"
    assert statuses(client, run, 2) == ["in_progress", "completed"]


def test_default_cancel_is_observable_as_cancelling_then_cancelled(client):
    run = start(client)
    assert client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id).status == "cancelling"
    assert statuses(client, run, 2) == ["cancelled", "cancelled"]


def test_listing_does_not_move_runs_on(client):
    run = start(client)
    for _ in range(3):
        assert client.beta.threads.runs.list(run.thread_id).data[0].status == "queued"


def test_instant_per_app_shows_the_stable_state_on_the_first_read(server_factory, api_key):
    server = server_factory(progression="instant")
    with make_client(server.base_url, api_key) as client:
        run = start(client)
        assert run.status == "queued"  # create itself still answers queued
        assert statuses(client, run, 1) == ["completed"]
        tool_run = start(client, "weather in Oslo")
        assert statuses(client, tool_run, 1) == ["requires_action"]


def test_instant_per_sandbox_leaves_other_sandboxes_on_the_default(client, control, live_server):
    control.progression("instant")
    assert statuses(client, start(client), 1) == ["completed"]
    with make_client(live_server.base_url, "sk-progression-neighbour") as neighbour:
        assert statuses(neighbour, start(neighbour), 2) == ["in_progress", "completed"]


def test_manual_moves_only_when_the_control_api_says_so(client, control):
    control.progression("manual")
    run = start(client)
    assert statuses(client, run, 3) == ["queued"] * 3
    assert control.advance(run)["status"] == "in_progress"
    assert statuses(client, run, 2) == ["in_progress"] * 2
    assert control.advance(run)["status"] == "completed"
    assert control.advance(run)["status"] == "completed"  # past the stable state nothing moves
    messages = client.beta.threads.messages.list(run.thread_id).data
    assert messages[0].role == "assistant" and messages[0].run_id == run.id


def test_manual_advance_by_several_transitions(client, control):
    control.progression("manual")
    run = start(client, "weather in Lisbon")
    assert control.advance(run, transitions=5)["status"] == "requires_action"
    call = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id).required_action.submit_tool_outputs.tool_calls[0]
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": call.id, "output": "rain"}]
    )
    assert statuses(client, run, 2) == ["queued", "queued"]
    assert control.advance(run, transitions=2)["status"] == "completed"


def test_manual_cancel_stays_cancelling_until_advanced(client, control):
    control.progression("manual")
    run = start(client)
    client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id)
    assert statuses(client, run, 2) == ["cancelling"] * 2
    assert control.advance(run)["status"] == "cancelled"


def test_the_clock_expires_runs_under_manual_too(client, control):
    control.progression("manual")
    run = start(client)
    control.clock(599)
    assert statuses(client, run, 1) == ["queued"]
    control.clock(1)
    assert statuses(client, run, 1) == ["expired"]
    assert control.advance(run)["status"] == "expired"  # terminal is final


def test_create_and_poll_under_manual_needs_the_control_api(client, control):
    """A run under manual never finishes by itself: a poll with a timeout would spin; the
    control API is how a test finishes it."""
    control.progression("manual")
    run = start(client)
    control.advance(run, transitions=10)
    assert client.beta.threads.runs.poll(run.id, thread_id=run.thread_id).status == "completed"


def test_control_api_refuses_bad_input(client, control):
    run = start(client)
    response = control.post(f"/runs/{run.thread_id}/{run.id}/advance", {"transitions": 0})
    assert response.status_code == 400 and response.json()["error"]["param"] == "transitions"
    response = control.post("/settings", {"progression": "sometimes"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_value"
    response = control.post(f"/runs/{run.thread_id}/run_nope/advance", {"transitions": 1})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No run found with id 'run_nope'."


def test_a_stream_runs_to_the_stable_state_under_every_policy(client, control):
    """A stream is the client waiting for the run: it ends at requires_action or a terminal
    state even under manual, so SDK stream helpers always get their final run."""
    control.progression("manual")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hello"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert run.status == "completed"
    assert statuses(client, run, 1) == ["completed"]
