"""Background responses through the official SDK (strict): the progression policies, the
control API's advance, cancel, and the errors of cancelling what cannot be cancelled."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tests.conftest import bearer


def set_policy(live_server, api_key: str, name: str) -> None:
    response = httpx2.post(
        f"{live_server.url}/__mock__/settings", headers=bearer(api_key), json={"progression": name}
    )
    response.raise_for_status()


def advance(live_server, api_key: str, response_id: str, transitions: int = 1) -> dict:
    response = httpx2.post(
        f"{live_server.url}/__mock__/responses/{response_id}/advance",
        headers=bearer(api_key),
        json={"transitions": transitions},
    )
    response.raise_for_status()
    return response.json()


def test_default_policy_shows_every_status_once(client):
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert created.status == "queued" and created.background is True
    assert created.output == [] and created.usage is None
    seen = [client.responses.retrieve(created.id).status for _ in range(3)]
    assert seen == ["in_progress", "completed", "completed"]
    done = client.responses.retrieve(created.id)
    assert done.output_text.startswith('You asked: "Hi".')
    assert done.usage is not None and done.completed_at is not None


def test_instant_policy_finishes_on_the_first_read(client, live_server, api_key):
    set_policy(live_server, api_key, "instant")
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert created.status == "queued"
    assert client.responses.retrieve(created.id).status == "completed"


def test_manual_policy_moves_only_through_the_control_api(client, live_server, api_key):
    set_policy(live_server, api_key, "manual")
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert [client.responses.retrieve(created.id).status for _ in range(3)] == ["queued"] * 3
    assert advance(live_server, api_key, created.id)["status"] == "in_progress"
    assert advance(live_server, api_key, created.id, 5)["status"] == "completed"
    assert client.responses.retrieve(created.id).status == "completed"


def test_a_polling_loop_without_sleeping(client, monkeypatch):
    """The README's advice: the SDK has no poll helper, so a loop sleeps; patch the sleep."""
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    response = client.responses.create(model="gpt-4o", input="Hi", background=True)
    while response.status in ("queued", "in_progress"):
        time.sleep(2)
        response = client.responses.retrieve(response.id)
    assert response.status == "completed"


def test_cancel_a_queued_response_and_again(client, live_server, api_key):
    set_policy(live_server, api_key, "manual")
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    cancelled = client.responses.cancel(created.id)
    assert cancelled.status == "cancelled" and cancelled.usage is None
    # idempotent: the final object again
    assert client.responses.cancel(created.id).model_dump() == cancelled.model_dump()
    assert client.responses.retrieve(created.id).status == "cancelled"
    assert advance(live_server, api_key, created.id)["status"] == "cancelled"


def test_cancel_an_in_progress_response(client):
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert client.responses.retrieve(created.id).status == "in_progress"
    assert client.responses.cancel(created.id).status == "cancelled"
    assert client.responses.retrieve(created.id).output == []


def test_cancelling_a_finished_background_response_returns_it(client):
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    while client.responses.retrieve(created.id).status != "completed":
        pass
    assert client.responses.cancel(created.id).status == "completed"


def test_only_background_responses_can_be_cancelled(client):
    response = client.responses.create(model="gpt-4o", input="Hi")
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.cancel(response.id)
    assert refused.value.body["message"] == (
        "Only responses created with background=true can be cancelled."
    )


def test_a_function_call_ends_a_background_response_completed(client):
    tool = {
        "type": "function",
        "name": "lookup",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
    }
    created = client.responses.create(
        model="gpt-4o", input="Hi", tools=[tool], tool_choice="required", background=True
    )
    client.responses.retrieve(created.id)
    done = client.responses.retrieve(created.id)
    assert done.status == "completed"
    assert [item.type for item in done.output] == ["function_call"]
