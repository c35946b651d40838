"""Streaming runs through the official SDK's stream helpers (strict): the event vocabulary and
order of each flow, deltas that add up to the final objects, and streams that agree with
polling (after a stream, retrieve and list return exactly the state it ended in)."""

from __future__ import annotations

import json

import httpx2
import openai
import pytest
from openai import AssistantEventHandler
from typing_extensions import override

from tests.conftest import bearer

from .test_runs import WEATHER, ask

TEXT_FLOW = [
    "thread.run.created", "thread.run.queued", "thread.run.in_progress",
    "thread.run.step.created", "thread.run.step.in_progress",
    "thread.message.created", "thread.message.in_progress",
    "thread.message.delta*",
    "thread.message.completed", "thread.run.step.completed", "thread.run.completed",
]
FUNCTION_FLOW = [
    "thread.run.created", "thread.run.queued", "thread.run.in_progress",
    "thread.run.step.created", "thread.run.step.in_progress",
    "thread.run.step.delta*",
    "thread.run.requires_action",
]
INCLUDE_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"
AFTER_OUTPUTS_FLOW = ["thread.run.step.completed", "thread.run.queued", "thread.run.in_progress"] + TEXT_FLOW[3:]


def collapse(names: list[str]) -> list[str]:
    """Runs of the same delta event collapse to ``name*`` (their number is the text's business)."""
    out: list[str] = []
    for name in names:
        label = name + "*" if name.endswith(".delta") else name
        if not (label.endswith("*") and out and out[-1] == label):
            out.append(label)
    return out


class Recorder(AssistantEventHandler):
    """Everything the SDK's helper hands to a user's handler."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.text_deltas: list[str] = []
        self.texts_done: list[str] = []
        self.tool_calls_created: list[str] = []
        self.argument_deltas: list[str] = []
        self.tool_calls_done: list[object] = []
        self.messages_done: list[object] = []
        self.steps_done: list[object] = []
        self.ended = False

    @override
    def on_event(self, event) -> None:
        self.events.append(event.event)

    @override
    def on_text_delta(self, delta, snapshot) -> None:
        self.text_deltas.append(delta.value)

    @override
    def on_text_done(self, text) -> None:
        self.texts_done.append(text.value)

    @override
    def on_tool_call_created(self, tool_call) -> None:
        self.tool_calls_created.append(tool_call.function.name if tool_call.type == "function" else tool_call.type)

    @override
    def on_tool_call_delta(self, delta, snapshot) -> None:
        if delta.type == "function" and delta.function.arguments:
            self.argument_deltas.append(delta.function.arguments)

    @override
    def on_tool_call_done(self, tool_call) -> None:
        self.tool_calls_done.append(tool_call)

    @override
    def on_run_step_done(self, run_step) -> None:
        self.steps_done.append(run_step)

    @override
    def on_message_done(self, message) -> None:
        self.messages_done.append(message)

    @override
    def on_end(self) -> None:
        self.ended = True


@pytest.fixture
def assistant(client):
    return client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[WEATHER])


def assert_agrees_with_polling(client, run, messages) -> None:
    """The stream's last run and messages are what retrieve and list return now."""
    thread_id = run.thread_id
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread_id) == run
    assert client.beta.threads.runs.list(thread_id).data[0] == run
    listed = {m.id: m for m in client.beta.threads.messages.list(thread_id).data}
    for message in messages:
        assert listed[message.id] == message


def test_text_answer_stream_with_an_event_handler(client, assistant):
    thread = ask(client, "Why is the sky blue?")
    handler = Recorder()
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=handler) as stream:
        stream.until_done()
        run = stream.get_final_run()
        messages = stream.get_final_messages()
    assert collapse(handler.events) == TEXT_FLOW and handler.ended
    assert run.status == "completed" and run.usage is not None and run.expires_at is None
    [message] = messages
    full = message.content[0].text.value
    assert "".join(handler.text_deltas) == full == handler.texts_done[0]
    assert len(handler.text_deltas) > 1 and "Why is the sky blue?" in full
    assert message.status == "completed" and message.run_id == run.id
    assert_agrees_with_polling(client, run, messages)


def test_function_call_stream_ends_at_requires_action_and_outputs_stream_continues(client, assistant):
    thread = ask(client, "What's the weather like in Paris today?")
    first = Recorder()
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=first) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert collapse(first.events) == FUNCTION_FLOW
    assert run.status == "requires_action"
    [call] = run.required_action.submit_tool_outputs.tool_calls
    assert first.tool_calls_created == ["get_weather"]
    assert "".join(first.argument_deltas) == call.function.arguments == '{"city": "Paris"}'
    assert_agrees_with_polling(client, run, [])
    [open_step] = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert open_step.status == "in_progress"

    second = Recorder()
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, event_handler=second,
        tool_outputs=[{"tool_call_id": call.id, "output": "22C, clear"}],
    ) as stream:
        stream.until_done()
        final = stream.get_final_run()
        messages = stream.get_final_messages()
    assert collapse(second.events) == AFTER_OUTPUTS_FLOW
    assert final.status == "completed" and final.id == run.id
    [tool_step, message_step] = second.steps_done
    assert tool_step.id == open_step.id and tool_step.status == "completed" and tool_step.usage is not None
    assert tool_step.step_details.tool_calls[0].function.output == "22C, clear"
    assert message_step.step_details.message_creation.message_id == messages[0].id
    assert "get_weather returned: 22C, clear." in messages[0].content[0].text.value
    assert_agrees_with_polling(client, final, messages)
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [s.status for s in steps] == ["completed", "completed"]


def test_create_and_run_stream_starts_with_thread_created(client, assistant):
    handler = Recorder()
    with client.beta.threads.create_and_run_stream(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Say hi"}]},
        event_handler=handler,
    ) as stream:
        stream.until_done()
        run = stream.get_final_run()
        messages = stream.get_final_messages()
    assert collapse(handler.events) == ["thread.created"] + TEXT_FLOW
    assert run.status == "completed"
    assert client.beta.threads.retrieve(run.thread_id).id == run.thread_id
    assert_agrees_with_polling(client, run, messages)


def test_iterating_the_stream_yields_typed_events(client, assistant):
    thread = ask(client, "hello")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = list(stream)
    assert events[0].event == "thread.run.created" and events[0].data.status == "queued"
    assert events[-1].event == "thread.run.completed" and events[-1].data.status == "completed"
    statuses = [e.data.status for e in events if e.event.startswith("thread.run.") and e.data.object == "thread.run"]
    assert statuses == ["queued", "queued", "in_progress", "completed"]


def test_raw_stream_framing_ends_with_done_and_closes(client, assistant, live_server, api_key):
    thread = ask(client, "frame check")
    headers = {"Authorization": f"Bearer {api_key}", "OpenAI-Beta": "assistants=v2"}
    with httpx2.Client(base_url=live_server.base_url, headers=headers) as raw, raw.stream(
        "POST", f"/threads/{thread.id}/runs", json={"assistant_id": assistant.id, "stream": True}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        body = response.read()  # returns only once the server ends the body
    blocks = body.decode().split("\n\n")
    assert blocks[-1] == ""  # every block, the last one included, ends with a blank line
    blocks = blocks[:-1]
    assert blocks[-1] == "event: done\ndata: [DONE]"
    created = next(b for b in blocks if b.startswith("event: thread.message.created\n"))
    message = json.loads(created.split("\n")[1].removeprefix("data: "))
    assert message["content"] == [] and message["status"] == "in_progress"  # as it was at that moment
    for block in blocks[:-1]:
        event_line, data_line = block.split("\n")
        assert event_line.startswith("event: thread.")
        payload = json.loads(data_line.removeprefix("data: "))
        assert isinstance(payload, dict) and "id" in payload


def test_a_refused_stream_is_a_plain_http_error(client, assistant):
    thread = ask(client, "hi")
    active = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    stream = client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info, stream as events:
        events.until_done()
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {active.id}."


def test_stream_ending_incomplete_on_max_prompt_tokens(client, assistant):
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "word " * 300}, {"role": "user", "content": "and more"}]
    )
    handler = Recorder()
    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, max_prompt_tokens=256, event_handler=handler
    ) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert handler.events == [
        "thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.incomplete"
    ]
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_prompt_tokens"
    assert run.expires_at is None and run.usage is not None
    assert_agrees_with_polling(client, run, [])


def test_stream_ending_incomplete_on_max_completion_tokens_leaves_an_incomplete_message(client, assistant):
    # the reply quotes the question and the tool output: ~400 tokens, over the 256 allowed
    question = "Weather? " + "? " * 150
    thread = ask(client, question)
    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, max_completion_tokens=256
    ) as stream:
        stream.until_done()
        run = stream.get_final_run()
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    handler = Recorder()
    with client.beta.threads.runs.submit_tool_outputs_stream(
        thread_id=thread.id, run_id=run.id, event_handler=handler,
        tool_outputs=[{"tool_call_id": call.id, "output": "!" * 300}],
    ) as stream:
        stream.until_done()
        final = stream.get_final_run()
        messages = stream.get_final_messages()
    assert collapse(handler.events)[-3:] == [
        "thread.message.incomplete", "thread.run.step.completed", "thread.run.incomplete"
    ]
    assert final.status == "incomplete" and final.incomplete_details.reason == "max_completion_tokens"
    assert final.usage.completion_tokens <= 256
    [message] = messages
    assert message.status == "incomplete" and message.incomplete_details.reason == "max_tokens"
    assert message.incomplete_at is not None and message.completed_at is None
    assert_agrees_with_polling(client, final, messages)


def test_same_question_same_deltas(client, assistant):
    """Message deltas are cut deterministically: two runs asking the same get the same pieces."""
    pieces = []
    for _ in range(2):
        thread = ask(client, "A question whose answer is long enough to need several deltas")
        handler = Recorder()
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=handler) as s:
            s.until_done()
        pieces.append(handler.text_deltas)
    assert pieces[0] == pieces[1] and len(pieces[0]) > 2


def install_scenario(live_server, api_key: str, name: str) -> None:
    response = httpx2.post(f"{live_server.url}/__mock__/scenario", headers=bearer(api_key), json={"name": name})
    assert response.status_code == 200, response.text


def test_stream_ending_failed_carries_last_error(client, assistant, live_server, api_key):
    install_scenario(live_server, api_key, "failing-runs")
    thread = ask(client, "this one should fail")
    handler = Recorder()
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=handler) as s:
        s.until_done()
        run = s.get_final_run()
    assert handler.events == ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.failed"]
    assert run.status == "failed" and run.failed_at is not None and run.expires_at is None
    assert run.last_error.code == "rate_limit_exceeded" and run.last_error.message == "You exceeded your current quota."
    assert_agrees_with_polling(client, run, [])
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'failed'."


def test_stream_ending_expired(client, assistant, live_server, api_key):
    install_scenario(live_server, api_key, "failing-runs")
    thread = ask(client, "let it expire")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as s:
        events = [e.event for e in s]
        run = s.get_final_run()
    assert events[-1] == "thread.run.expired" and run.status == "expired"
    assert run.completed_at is None and run.cancelled_at is None and run.failed_at is None
    assert_agrees_with_polling(client, run, [])


def test_stream_ending_cancelled(client, assistant, live_server, api_key):
    install_scenario(live_server, api_key, "failing-runs")
    thread = ask(client, "cancel it please")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as s:
        events = [e.event for e in s]
        run = s.get_final_run()
    assert events[-2:] == ["thread.run.cancelling", "thread.run.cancelled"]
    assert run.status == "cancelled" and run.cancelled_at is not None and run.expires_at is None
    assert_agrees_with_polling(client, run, [])


@pytest.mark.parametrize("include", [False, True])
def test_streamed_file_search_step_shows_content_only_with_include(client, include):
    store = client.vector_stores.create(name="notes")
    client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("notes.txt", b"The ocelot sleeps in the afternoon.\n")
    )
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    thread = ask(client, "When does the ocelot sleep?")
    options = {"include": [INCLUDE_CONTENT]} if include else {}
    handler = Recorder()
    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler, **options
    ) as stream:
        stream.until_done()
        run = stream.get_final_run()
    tool_step = next(s for s in handler.steps_done if s.type == "tool_calls")
    [result] = tool_step.step_details.tool_calls[0].file_search.results
    assert (result.content is not None) == include
    listed = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc", **options).data
    assert listed[0] == tool_step  # the stream shows the step as list does, include[] and all
