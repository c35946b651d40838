"""Streamed responses through the official SDK (strict), wired to the engine: what a stream
says and what retrieve returns afterwards agree; background streams resume; faults (HTTP
errors, dropped streams) fire on /v1/responses as on the Assistants paths."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tests.conftest import bearer, make_client


@pytest.fixture
def use(live_server, api_key):
    def install(spec):
        response = httpx2.post(
            f"{live_server.url}/__mock__/scenario", headers=bearer(api_key), json={"scenario": spec}
        )
        assert response.status_code == 200, response.text

    return install


def test_the_stream_and_the_stored_response_agree(client):
    with client.responses.stream(model="gpt-4o", input="Hello there") as stream:
        types = [event.type for event in stream]
        final = stream.get_final_response()
    assert types[0] == "response.created" and types[-1] == "response.completed"
    stored = client.responses.retrieve(final.id)
    assert stored.status == "completed"
    assert stored.output_text == final.output_text
    assert stored.output[0].id == final.output[0].id
    assert stored.usage == final.usage


def test_a_background_stream_resumes_after_a_sequence_number(client):
    stream = client.responses.create(model="gpt-4o", input="Hi", background=True, stream=True)
    events = list(stream)
    assert [e.type for e in events[:3]] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    assert events[0].response.status == "queued" and events[0].response.background is True
    assert [e.sequence_number for e in events] == list(range(len(events)))
    response_id = events[0].response.id
    resumed = client.responses.retrieve(response_id, stream=True, starting_after=4)
    assert [e.sequence_number for e in resumed] == list(range(5, len(events)))
    with client.responses.stream(response_id=response_id, starting_after=2) as helper:
        numbers = [e.sequence_number for e in helper]
        assert numbers == list(range(3, len(events)))
        assert helper.get_final_response().status == "completed"


def test_a_background_response_streams_its_log_when_asked_later(client):
    created = client.responses.create(model="gpt-4o", input="Hi", background=True)
    events = list(client.responses.retrieve(created.id, stream=True))
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    assert events[-1].response == client.responses.retrieve(created.id)


def test_only_background_responses_stream_on_retrieve(client):
    response = client.responses.create(model="gpt-4o", input="Hi")
    with pytest.raises(openai.BadRequestError) as refused:
        list(client.responses.retrieve(response.id, stream=True))
    assert refused.value.body["message"] == (
        "Only responses created with background=true can be streamed."
    )


def test_a_stream_of_a_function_call_then_its_answer(client):
    tool = {
        "type": "function",
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    with client.responses.stream(model="gpt-4o", input="Weather in Rome?", tools=[tool]) as s:
        final = s.get_final_response()
    (call,) = final.output
    assert call.type == "function_call" and call.arguments == '{"city": "Rome"}'
    with client.responses.stream(
        model="gpt-4o",
        previous_response_id=final.id,
        tools=[tool],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "20C"}],
    ) as s:
        answer = s.get_final_response()
    assert "get_weather returned: 20C." in answer.output_text


def test_http_faults_fire_on_responses(live_server, api_key, use):
    use(
        {
            "version": 1,
            "http": [
                {"path": "/responses", "method": "POST", "calls": {"first": 1}, "status": 429}
            ],
        }
    )
    with make_client(live_server.base_url, api_key) as client:
        with pytest.raises(openai.RateLimitError):
            client.responses.create(model="gpt-4o", input="Hi")
        assert client.responses.create(model="gpt-4o", input="Hi").status == "completed"


def test_a_dropped_response_stream_still_finishes_the_response(client, use):
    use(
        {
            "version": 1,
            "http": [
                {
                    "path": "/responses",
                    "method": "POST",
                    "calls": {"nth": 1},
                    "drop_stream": {"after_events": 3},
                }
            ],
        }
    )
    stream = client.responses.create(model="gpt-4o", input="Hi", stream=True)
    events = list(stream)
    assert [e.type for e in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
    ]
    assert client.responses.retrieve(events[0].response.id).status == "completed"
