"""Responses streams through the official SDK (strict): ``responses.stream(...)`` and
``responses.create(stream=True)``; the event vocabulary and order of each output kind,
sequence numbers, deltas that add up to the final items, the SSE framing, endings, background
replays, and faults (HTTP errors, dropped streams) on /v1/responses as on the Assistants
paths. Whatever a stream says, a retrieve afterwards returns the same object as its terminal
event."""

from __future__ import annotations

import json

import httpx2
import openai
import pytest

from tests.conftest import bearer, make_client

from .response_events import (
    CITED_MESSAGE,
    CODE_INTERPRETER,
    FILE_SEARCH,
    FUNCTION_CALL,
    LIFECYCLE,
    MESSAGE,
)
from .test_runs_streaming import collapse

MODEL = "gpt-4o"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}


def read_sse(http, method: str, path: str, **kwargs) -> tuple[bytes, list[dict]]:
    """The raw body of a streamed call and its events (each frame checked on the way)."""
    with http.stream(method, path, **kwargs) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        body = response.read()
    events = []
    for block in body.decode().split("\n\n")[:-1]:
        event_line, data_line = block.split("\n")  # two lines, nothing else (no id:, no retry:)
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        event = json.loads(data_line.removeprefix("data: "))
        assert event_line.removeprefix("event: ") == event["type"]
        events.append(event)
    assert body.endswith(b"}\n\n")  # no [DONE] after the terminal event
    return body, events


def dump(response) -> dict:
    """The response as sent; ``parsed`` is what the SDK's helper adds to its text parts."""
    data = response.model_dump(mode="json", exclude_unset=True)
    for item in data["output"]:
        for part in item.get("content") or []:
            part.pop("parsed", None)
    return data


# -- text -------------------------------------------------------------------------------------


def test_a_text_stream_through_the_helper_adds_up_to_what_retrieve_returns(client):
    with client.responses.stream(model=MODEL, input="Why is the sky blue?") as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert collapse([e.type for e in events]) == [*LIFECYCLE, *MESSAGE, "response.completed"]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    created = events[0].response
    assert created.status == "in_progress" and created.output == [] and created.usage is None
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert len(deltas) > 1 and all(e.logprobs == [] for e in deltas)
    assert deltas[-1].snapshot == "".join(e.delta for e in deltas) == final.output_text
    assert "Why is the sky blue?" in final.output_text
    [message] = final.output
    assert {e.item_id for e in events if hasattr(e, "item_id")} == {message.id}
    assert final.status == "completed" and final.usage.output_tokens > 0
    stored = client.responses.retrieve(final.id)
    assert dump(stored) == dump(events[-1].response)
    assert (stored.status, stored.output_text, stored.output[0].id, stored.usage) == (
        "completed",
        final.output_text,
        final.output[0].id,
        final.usage,
    )


def test_create_with_stream_true_yields_the_same_events_and_its_end_is_what_retrieve_returns(
    client,
):
    with client.responses.create(model=MODEL, input="Say hi", stream=True) as stream:
        events = list(stream)
    assert collapse([e.type for e in events]) == [*LIFECYCLE, *MESSAGE, "response.completed"]
    added, done = events[2], events[-2]
    assert added.item.status == "in_progress" and added.item.content == []
    assert done.item.status == "completed" and done.item == events[-1].response.output[0]
    part = events[3].part
    assert (part.type, part.text, part.annotations, part.logprobs) == ("output_text", "", [], [])
    assert dump(client.responses.retrieve(events[0].response.id)) == dump(events[-1].response)


def test_the_sse_framing_is_event_and_data_lines_without_done(http):
    body, events = read_sse(
        http, "POST", "/v1/responses", json={"model": MODEL, "input": "hi", "stream": True}
    )
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"
    assert b"[DONE]" not in body and b"event: done" not in body


def test_deltas_carry_obfuscation_unless_the_request_turns_it_off(http):
    request = {"model": MODEL, "input": "hi", "stream": True}
    _, padded = read_sse(http, "POST", "/v1/responses", json=request)
    deltas = [e for e in padded if e["type"].endswith(".delta")]
    assert deltas and all(e["obfuscation"] for e in deltas)
    off = {**request, "stream_options": {"include_obfuscation": False}}
    _, plain = read_sse(http, "POST", "/v1/responses", json=off)
    assert [e for e in plain if "obfuscation" in e] == []


# -- function calls ---------------------------------------------------------------------------


def test_a_function_call_streams_its_arguments_then_the_output_round_trip_streams_the_answer(
    client,
):
    with client.responses.stream(
        model=MODEL, input="What's the weather in Paris?", tools=[WEATHER]
    ) as stream:
        events = list(stream)
        response = stream.get_final_response()
    assert collapse([e.type for e in events]) == [*LIFECYCLE, *FUNCTION_CALL, "response.completed"]
    [call] = response.output
    assert call.type == "function_call" and response.status == "completed"
    deltas = [e for e in events if e.type == "response.function_call_arguments.delta"]
    assert deltas[-1].snapshot == "".join(e.delta for e in deltas) == call.arguments
    [done] = [e for e in events if e.type == "response.function_call_arguments.done"]
    assert (done.name, done.arguments, done.item_id) == ("get_weather", call.arguments, call.id)
    assert json.loads(call.arguments) == {"city": "Paris"}
    assert call.arguments == '{"city": "Paris"}'  # the serialisation, to the byte
    added = events[2].item
    assert (added.arguments, added.call_id, added.status) == ("", call.call_id, "in_progress")
    output = {"type": "function_call_output", "call_id": call.call_id, "output": "22C and clear"}
    with client.responses.stream(
        model=MODEL, previous_response_id=response.id, input=[output], tools=[WEATHER]
    ) as stream:
        second = [e.type for e in stream]
        final = stream.get_final_response()
    assert collapse(second) == [*LIFECYCLE, *MESSAGE, "response.completed"]
    assert "get_weather returned: 22C and clear." in final.output_text


# -- built-in tools ---------------------------------------------------------------------------


def test_file_search_streams_its_call_then_a_message_whose_citations_are_announced(client):
    store = client.vector_stores.create(name="facts")
    client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("rockets.md", b"Rockets burn fuel to fly to space.")
    )
    tools = [{"type": "file_search", "vector_store_ids": [store.id]}]
    with client.responses.stream(model=MODEL, input="How do rockets fly?", tools=tools) as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert collapse([e.type for e in events]) == [
        *LIFECYCLE,
        *FILE_SEARCH,
        *CITED_MESSAGE,
        "response.completed",
    ]
    call, message = final.output
    assert call.type == "file_search_call" and call.status == "completed" and call.queries
    annotations = message.content[0].annotations
    added = [e for e in events if e.type == "response.output_text.annotation.added"]
    assert [e.annotation.model_dump() for e in added] == [a.model_dump() for a in annotations]
    assert annotations
    assert [e.annotation_index for e in added] == list(range(len(annotations)))
    assert {e.output_index for e in added} == {1}
    assert dump(client.responses.retrieve(final.id)) == dump(events[-1].response)


def test_code_interpreter_streams_the_code_then_interprets(client, use):
    use("failing-runs")
    tools = [{"type": "code_interpreter", "container": {"type": "auto"}}]
    with client.responses.stream(model=MODEL, input="Draw a chart", tools=tools) as stream:
        events = list(stream)
        final = stream.get_final_response()
    expected = [*LIFECYCLE, *CODE_INTERPRETER]
    assert collapse([e.type for e in events])[: len(expected)] == expected
    assert events[-1].type == "response.completed"
    call = final.output[0]
    assert call.type == "code_interpreter_call" and call.container_id.startswith("cntr_")
    deltas = [e.delta for e in events if e.type == "response.code_interpreter_call_code.delta"]
    [done] = [e for e in events if e.type == "response.code_interpreter_call_code.done"]
    assert "".join(deltas) == done.code == call.code and "plt.bar" in call.code
    assert events[2].item.code == "" and events[2].item.status == "in_progress"


# -- endings ----------------------------------------------------------------------------------


def test_a_failed_response_sends_the_error_event_then_response_failed(client, http, use):
    use("failing-runs")
    with (
        pytest.raises(openai.APIError) as info,
        client.responses.stream(model=MODEL, input="this one should fail") as stream,
    ):
        for _ in stream:
            pass
    assert info.value.message == "You exceeded your current quota."
    _, events = read_sse(
        http, "POST", "/v1/responses", json={"model": MODEL, "input": "fail again", "stream": True}
    )
    assert [e["type"] for e in events] == [*LIFECYCLE, "error", "response.failed"]
    assert events[2]["error"] == {
        "message": "You exceeded your current quota.",
        "type": "rate_limit_exceeded",
        "param": None,
        "code": "rate_limit_exceeded",
    }
    failed = events[-1]["response"]
    assert failed["status"] == "failed" and failed["error"] == {
        "code": "rate_limit_exceeded",
        "message": "You exceeded your current quota.",
    }
    retrieved = client.responses.retrieve(failed["id"])
    assert retrieved.model_dump(mode="json", exclude_unset=True) == failed


def test_an_incomplete_response_closes_its_message_incomplete_and_ends_with_response_incomplete(
    client,
):
    request = {"model": MODEL, "input": "Tell me everything. " * 40, "max_output_tokens": 16}
    with client.responses.stream(**request) as stream:
        events = list(stream)
        with pytest.raises(RuntimeError, match="response.completed"):
            stream.get_final_response()  # the SDK's helper only returns completed responses
    assert collapse([e.type for e in events]) == [*LIFECYCLE, *MESSAGE, "response.incomplete"]
    end = events[-1].response
    assert end.status == "incomplete" and end.incomplete_details.reason == "max_output_tokens"
    assert events[-2].item.status == "incomplete" and end.output == [events[-2].item]
    assert dump(client.responses.retrieve(end.id)) == dump(end)


# -- background streams -----------------------------------------------------------------------


def test_a_background_stream_starts_queued_and_replays_after_a_cursor_with_the_same_numbers(
    client, http
):
    request = {"model": MODEL, "input": "Say hi", "background": True, "stream": True}
    body, events = read_sse(http, "POST", "/v1/responses", json=request)
    assert [e["type"] for e in events[:3]] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    assert (
        events[0]["response"]["status"] == "queued" and events[0]["response"]["background"] is True
    )
    assert events[-1]["type"] == "response.completed"
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    response_id = events[0]["response"]["id"]
    whole, _ = read_sse(http, "GET", f"/v1/responses/{response_id}", params={"stream": "true"})
    assert whole == body  # the same events, byte for byte
    _, after = read_sse(
        http, "GET", f"/v1/responses/{response_id}", params={"stream": "true", "starting_after": 4}
    )
    assert after == events[5:]
    # the same cursor through the SDK's raw stream retrieve (it sends ``starting_after``)
    resumed = client.responses.retrieve(response_id, stream=True, starting_after=4)
    assert [e.sequence_number for e in resumed] == list(range(5, len(events)))
    # the SDK's helper replays the whole log and drops what the cursor has seen
    with client.responses.stream(response_id=response_id, starting_after=4) as stream:
        resumed = list(stream)
        final = stream.get_final_response()
    assert [e.sequence_number for e in resumed] == [e["sequence_number"] for e in events[5:]]
    assert final.status == "completed"
    assert dump(final) == dump(client.responses.retrieve(response_id))


def test_a_polled_background_response_can_be_streamed_from_the_start(client):
    created = client.responses.create(model=MODEL, input="Say hi", background=True)
    assert created.status == "queued"
    with client.responses.retrieve(created.id, stream=True) as stream:
        events = list(stream)
    assert [e.type for e in events[:3]] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    assert events[-1].type == "response.completed"
    assert dump(client.responses.retrieve(created.id)) == dump(events[-1].response)


# -- faults -----------------------------------------------------------------------------------


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
            client.responses.create(model=MODEL, input="Hi")
        assert client.responses.create(model=MODEL, input="Hi").status == "completed"


def test_a_dropped_responses_stream_stops_early_but_the_response_finishes(client, use):
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
    with client.responses.create(model=MODEL, input="hi", stream=True) as stream:
        events = list(stream)
    assert [e.type for e in events] == [*LIFECYCLE, "response.output_item.added"]
    assert client.responses.retrieve(events[0].response.id).status == "completed"


def test_a_scripted_stream_error_is_an_error_event_numbered_in_sequence(http, use):
    use(
        {
            "version": 1,
            "http": [
                {
                    "path": "/responses",
                    "method": "POST",
                    "calls": {"nth": 1},
                    "drop_stream": {
                        "after_events": 2,
                        "error": {"message": "Upstream overloaded."},
                    },
                }
            ],
        }
    )
    _, events = read_sse(
        http, "POST", "/v1/responses", json={"model": MODEL, "input": "hi", "stream": True}
    )
    assert events[-1] == {
        "type": "error",
        "sequence_number": 2,
        "error": {
            "message": "Upstream overloaded.",
            "type": "server_error",
            "param": None,
            "code": "server_error",
        },
    }
    assert [e["type"] for e in events] == [*LIFECYCLE, "error"]


def test_a_cancelled_background_response_replays_what_it_sent_and_no_terminal_event(client):
    created = client.responses.create(model=MODEL, input="Say hi", background=True)
    assert (
        client.responses.retrieve(created.id).status == "in_progress"
    )  # default policy: one step a read
    assert client.responses.cancel(created.id).status == "cancelled"
    with client.responses.retrieve(created.id, stream=True) as stream:
        events = list(stream)
    assert [e.type for e in events] == [
        "response.created",
        "response.queued",
        "response.in_progress",
    ]
    assert client.responses.retrieve(created.id).status == "cancelled"


def test_a_replay_leaves_out_obfuscation_when_asked_and_a_bad_cursor_is_refused(client, http):
    created = client.responses.create(model=MODEL, input="Say hi", background=True)
    path = f"/v1/responses/{created.id}"
    _, padded = read_sse(http, "GET", path, params={"stream": "true"})
    assert any("obfuscation" in e for e in padded)
    _, plain = read_sse(
        http, "GET", path, params={"stream": "true", "include_obfuscation": "false"}
    )
    assert [e for e in plain if "obfuscation" in e] == []
    assert plain == [{k: v for k, v in e.items() if k != "obfuscation"} for e in padded]
    refused = http.get(path, params={"stream": "true", "starting_after": "two"})
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "starting_after"


def test_a_foreground_response_has_no_stream_to_resume(client):
    response = client.responses.create(model=MODEL, input="Say hi")
    with pytest.raises(openai.BadRequestError) as info:
        client.responses.retrieve(response.id, stream=True)
    assert (
        info.value.body["message"] == "Only responses created with background=true can be streamed."
    )


def test_deleting_a_background_response_forgets_its_events(client, live_server, api_key):
    def kept() -> dict:
        state = httpx2.get(f"{live_server.url}/__mock__/state", headers=bearer(api_key)).json()
        return state["internal"].get("response_events", {})

    created = client.responses.create(model=MODEL, input="Say hi", background=True)
    with client.responses.retrieve(created.id, stream=True) as stream:
        assert list(stream)[-1].type == "response.completed"
    assert [e["type"] for e in kept()[created.id]][-1] == "response.completed"
    client.responses.delete(created.id)
    assert created.id not in kept()
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id, stream=True)


def test_the_kept_events_survive_a_data_dir_restart(server_factory, tmp_path):
    """A response cancelled while in progress keeps the in_progress event it sent; that is
    only known from the kept events, so they must come back after a restart."""
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, "sk-restart") as client:
        created = client.responses.create(model=MODEL, input="Say hi", background=True)
        assert client.responses.retrieve(created.id).status == "in_progress"
        client.responses.cancel(created.id)
    first.stop()
    second = server_factory(data_dir=tmp_path)
    with (
        make_client(second.base_url, "sk-restart") as client,
        client.responses.retrieve(created.id, stream=True) as stream,
    ):
        types = [e.type for e in stream]
    assert types == ["response.created", "response.queued", "response.in_progress"]
