"""Responses as state: the same seed answers byte for byte alike (streams included),
``--data-dir`` keeps responses, their input items, their chain and a background response's
progress across a restart, and the request journal records their calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import make_client
from tests.recording import Answer, RawAnswers, journal_calls, seeded_answers

TOOL = {
    "type": "function",
    "name": "lookup",
    "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
}


def drive(base_url: str, key: str = "sk-responses-state") -> list[Answer]:
    """A fixed sequence of calls, a refusal and a stream among them; every raw response."""
    r = RawAnswers()
    keep = r.keep

    with make_client(base_url, key) as c:
        responses = c.responses.with_raw_response
        first = keep(responses.create(model="gpt-4o", input="Order A-1 please", tools=[TOOL]))
        call = first.output[0]
        keep(
            responses.create(
                model="gpt-4o",
                previous_response_id=first.id,
                tools=[TOOL],
                input=[{"type": "function_call_output", "call_id": call.call_id, "output": "ok"}],
            )
        )
        background = keep(responses.create(model="gpt-4o", input="Later", background=True))
        keep(responses.retrieve(background.id))
        keep(c.responses.input_items.with_raw_response.list(first.id))
        r.refused(responses.retrieve, "resp_unknown")
        with c.responses.with_streaming_response.create(
            model="gpt-4o", input="Stream it", stream=True
        ) as streamed:
            r.seen.append((streamed.status_code, streamed.headers["x-request-id"], streamed.read()))
    return r.seen


def test_the_same_seed_answers_byte_for_byte_alike(server_factory: Any) -> None:
    first = seeded_answers(drive, server_factory)
    assert len(first) == 7 and first[5][0] == 404


def test_data_dir_keeps_responses_and_their_chain(server_factory: Any, tmp_path: Path) -> None:
    key = "sk-responses-persist"
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, key) as c:
        asked = c.responses.create(model="gpt-4o", input="Order A-1 please", tools=[TOOL])
        waiting = c.responses.create(model="gpt-4o", input="Later", background=True)
        assert c.responses.retrieve(waiting.id).status == "in_progress"
        items_before = c.responses.input_items.list(asked.id).model_dump()
    first.stop()
    second = server_factory(data_dir=tmp_path)
    with make_client(second.base_url, key) as c:
        assert c.responses.retrieve(asked.id) == asked
        assert c.responses.input_items.list(asked.id).model_dump() == items_before
        # the chain goes on from the restored response
        call = asked.output[0]
        answer = c.responses.create(
            model="gpt-4o",
            previous_response_id=asked.id,
            tools=[TOOL],
            input=[{"type": "function_call_output", "call_id": call.call_id, "output": "shipped"}],
        )
        assert "lookup returned: shipped." in answer.output_text
        # the background response goes on where it was; its stream log came back too
        assert c.responses.retrieve(waiting.id).status == "completed"
        events = list(c.responses.retrieve(waiting.id, stream=True))
        assert [e.sequence_number for e in events] == list(range(len(events)))
        assert c.responses.create(model="gpt-4o", input="Hi").id not in (asked.id, waiting.id)


def test_the_journal_records_response_calls(live_server: Any, client: Any, api_key: str) -> None:
    response = client.responses.create(model="gpt-4o", input="Hi")
    client.responses.input_items.list(response.id)
    client.responses.delete(response.id)
    assert journal_calls(live_server.url, api_key) == [
        ("POST", "/v1/responses", 200),
        ("GET", f"/v1/responses/{response.id}/input_items", 200),
        ("DELETE", f"/v1/responses/{response.id}", 200),
    ]


def test_the_fixture_clients_serve_responses_and_conversations(assistants_mock: Any) -> None:
    """The plugin's in-process clients (sync and async) stream responses, answer a function
    call and keep a conversation, and its journal lists those calls, with no option set."""
    import asyncio

    client = assistants_mock.client()
    conversation = client.conversations.create(items=[{"role": "user", "content": "Hello"}])
    with client.responses.stream(
        model="gpt-4o",
        input="Where is order 42?",
        tools=[TOOL],
        tool_choice="required",
        conversation=conversation.id,
    ) as stream:
        asked = stream.get_final_response()
    (call,) = asked.output
    answer = [{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}]
    answered = client.responses.create(
        model="gpt-4o", input=answer, tools=[TOOL], conversation=conversation.id
    )
    assert "lookup returned: sunny." in answered.output_text
    kinds = [i.type for i in client.conversations.items.list(conversation.id, order="asc")]
    assert kinds == ["message", "message", "function_call", "function_call_output", "message"]

    async def asynchronously() -> tuple[str, str]:
        async_client = assistants_mock.async_client()
        async with async_client.responses.stream(model="gpt-4o", input="Hi") as stream:
            streamed = await stream.get_final_response()
        items = await async_client.conversations.items.list(conversation.id, limit=1)
        return streamed.output_text, items.data[0].id

    streamed_text, newest = asyncio.run(asynchronously())
    assert streamed_text.startswith('You asked: "Hi".') and newest == answered.output[0].id
    calls = [(r["method"], r["path"]) for r in assistants_mock.requests()]
    assert calls == [
        ("POST", "/v1/conversations"),
        ("POST", "/v1/responses"),
        ("POST", "/v1/responses"),
        ("GET", f"/v1/conversations/{conversation.id}/items"),
        ("POST", "/v1/responses"),
        ("GET", f"/v1/conversations/{conversation.id}/items"),
    ]
