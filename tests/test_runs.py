"""Runs through the official SDK (strict): create, poll, overrides, tool outputs, cancel,
expiry, the thread lock, run steps, reasoning-model parameters and the poll-after header."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tests.conftest import bearer

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture
def assistant(client):
    return client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[WEATHER])


def ask(client, text: str):
    return client.beta.threads.create(messages=[{"role": "user", "content": text}])


def advance_clock(live_server, api_key: str, seconds: int) -> int:
    response = httpx2.post(
        f"{live_server.url}/__mock__/clock", headers=bearer(api_key), json={"advance": seconds}
    )
    response.raise_for_status()
    return response.json()["now"]


def test_create_answers_queued_with_the_field_rules_of_queued(client, assistant):
    thread = ask(client, "Hello")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert run.id.startswith("run_") and run.object == "thread.run"
    assert run.status == "queued" and run.thread_id == thread.id and run.assistant_id == assistant.id
    assert run.expires_at == run.created_at + 600
    assert (run.started_at, run.completed_at, run.cancelled_at, run.failed_at) == (None, None, None, None)
    assert (run.required_action, run.last_error, run.incomplete_details, run.usage) == (None, None, None, None)
    assert run.instructions == "Be brief." and run.model == "gpt-4o"
    assert run.tool_choice == "auto" and run.parallel_tool_calls is True


def test_create_and_poll_completes_with_usage_and_an_answer_to_the_last_user_message(client, assistant):
    thread = ask(client, "What is the capital of France?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    assert run.started_at is not None and run.completed_at >= run.started_at >= run.created_at
    assert run.expires_at is None and run.required_action is None
    assert run.usage.total_tokens == run.usage.prompt_tokens + run.usage.completion_tokens > 0
    messages = client.beta.threads.messages.list(thread.id).data
    reply = messages[0]
    assert reply.role == "assistant" and reply.run_id == run.id and reply.assistant_id == assistant.id
    assert reply.status == "completed" and reply.completed_at is not None
    assert "What is the capital of France?" in reply.content[0].text.value
    only_this_run = client.beta.threads.messages.list(thread.id, run_id=run.id).data
    assert [m.id for m in only_this_run] == [reply.id]


def test_run_overrides_win_over_the_assistant(client, assistant):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(
        thread_id=thread.id,
        assistant_id=assistant.id,
        model="gpt-4o-mini",
        instructions="Override.",
        additional_instructions="Also this.",
        tools=[{"type": "code_interpreter"}],
        temperature=0.2,
        top_p=0.5,
        max_prompt_tokens=5000,
        max_completion_tokens=4000,
        truncation_strategy={"type": "last_messages", "last_messages": 3},
        tool_choice="none",
        parallel_tool_calls=False,
        response_format={"type": "json_object"},
        metadata={"case": "overrides"},
    )
    assert run.model == "gpt-4o-mini"
    assert run.instructions == "Override.\nAlso this."
    assert [t.type for t in run.tools] == ["code_interpreter"]
    assert (run.temperature, run.top_p) == (0.2, 0.5)
    assert (run.max_prompt_tokens, run.max_completion_tokens) == (5000, 4000)
    assert run.truncation_strategy.type == "last_messages" and run.truncation_strategy.last_messages == 3
    assert run.tool_choice == "none" and run.parallel_tool_calls is False
    assert run.response_format.type == "json_object"
    assert run.metadata == {"case": "overrides"}
    done = client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    assert done.status == "completed" and done.metadata == {"case": "overrides"}


def test_additional_messages_join_the_thread_before_the_run(client, assistant):
    thread = ask(client, "first question")
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        additional_messages=[{"role": "user", "content": "the added question"}],
    )
    texts = [m.content[0].text.value for m in client.beta.threads.messages.list(thread.id, order="asc").data]
    assert texts[:2] == ["first question", "the added question"]
    assert "the added question" in texts[2] and run.status == "completed"


def test_list_retrieve_and_update_metadata(client, assistant):
    thread = ask(client, "hi")
    first = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    second = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    listed = client.beta.threads.runs.list(thread.id)
    assert [r.id for r in listed.data] == [second.id, first.id]
    assert listed.first_id == second.id and listed.last_id == first.id and listed.has_more is False
    asc = client.beta.threads.runs.list(thread.id, order="asc", limit=1)
    assert [r.id for r in asc.data] == [first.id] and asc.has_more is True
    updated = client.beta.threads.runs.update(first.id, thread_id=thread.id, metadata={"k": "v"})
    assert updated.metadata == {"k": "v"} and updated.status == "completed"
    assert client.beta.threads.runs.retrieve(first.id, thread_id=thread.id).metadata == {"k": "v"}


def test_unknown_run_is_a_404_with_the_real_message(client, assistant):
    thread = ask(client, "hi")
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.runs.retrieve("run_doesnotexist", thread_id=thread.id)
    assert info.value.body["message"] == "No run found with id 'run_doesnotexist'."


def test_function_call_requires_action_then_outputs_complete_the_run(client, assistant):
    thread = ask(client, "What's the weather in Paris?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action" and run.expires_at is not None and run.usage is None
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert len(calls) == 1 and calls[0].function.name == "get_weather"
    assert calls[0].id.startswith("call_") and calls[0].function.arguments == '{"city": "Paris"}'
    [step] = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert step.type == "tool_calls" and step.status == "in_progress"
    assert step.step_details.tool_calls[0].function.output is None

    done = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": calls[0].id, "output": "18C and sunny"}]
    )
    assert done.status == "completed" and done.required_action is None
    assert done.started_at == run.started_at  # kept across the return to queued
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    assert all(s.status == "completed" and s.usage is not None for s in steps)
    assert steps[0].step_details.tool_calls[0].function.output == "18C and sunny"
    reply = client.beta.threads.messages.retrieve(
        steps[1].step_details.message_creation.message_id, thread_id=thread.id
    )
    assert "get_weather returned: 18C and sunny." in reply.content[0].text.value


def test_submit_tool_outputs_without_stream_answers_queued(client, assistant):
    thread = ask(client, "weather in Rome")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    queued = client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "ok"}]
    )
    assert queued.status == "queued" and queued.required_action is None


def test_submit_tool_outputs_must_answer_every_call_id(client, assistant):
    thread = ask(client, "weather in Oslo")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    call_id = run.required_action.submit_tool_outputs.tool_calls[0].id
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": "call_other", "output": "x"}]
        )
    assert info.value.body["message"] == f"Expected tool outputs for call_ids ['{call_id}'], got ['call_other']"
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"


def test_submit_tool_outputs_to_a_run_that_does_not_wait_for_them(client, assistant):
    thread = ask(client, "no tools here")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": "call_x", "output": "x"}]
        )
    assert info.value.body["message"] == 'Runs in status "completed" do not accept tool outputs.'


def test_thread_lock_refuses_messages_and_runs_while_a_run_is_active(client, assistant):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(thread.id, role="user", content="more")
    assert info.value.body["message"] == f"Can't add messages to {thread.id} while a run {run.id} is active."
    assert info.value.param is None and info.value.code is None
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {run.id}."
    assert len(client.beta.threads.runs.list(thread.id).data) == 1
    client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    client.beta.threads.messages.create(thread.id, role="user", content="now it works")


def test_requires_action_also_holds_the_lock(client, assistant):
    thread = ask(client, "weather in Lima")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {run.id}."


def test_cancel_answers_cancelling_then_the_run_is_cancelled(client, assistant):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    cancelling = client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert cancelling.status == "cancelling" and cancelling.cancelled_at is None
    with pytest.raises(openai.BadRequestError):  # cancelling still holds the lock
        client.beta.threads.messages.create(thread.id, role="user", content="more")
    cancelled = client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None
    assert cancelled.expires_at is None and cancelled.usage is None  # never started, used nothing
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'cancelled'."
    client.beta.threads.messages.create(thread.id, role="user", content="unlocked")


def test_cancel_while_requires_action_cancels_the_open_step(client, assistant):
    thread = ask(client, "weather in Cairo")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    cancelled = client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    assert cancelled.status == "cancelled" and cancelled.usage is not None
    [step] = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert step.status == "cancelled" and step.cancelled_at == cancelled.cancelled_at


@pytest.mark.parametrize("status", ["cancelling", "completed"])
def test_cancel_refused_when_not_cancellable(client, assistant, status):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    if status == "completed":
        client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    else:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == f"Cannot cancel run with status '{status}'."


def test_the_virtual_clock_expires_a_run_waiting_for_tool_outputs(client, assistant, live_server, api_key):
    thread = ask(client, "weather in Quito")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    advance_clock(live_server, api_key, 599 - (run.started_at - run.created_at) - 1)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "requires_action"
    advance_clock(live_server, api_key, 600)
    expired = client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert expired.status == "expired" and expired.expires_at == run.expires_at
    assert expired.completed_at is None and expired.cancelled_at is None and expired.failed_at is None
    [step] = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert step.status == "expired" and step.expired_at is not None
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.submit_tool_outputs(
            run.id, thread_id=thread.id,
            tool_outputs=[{"tool_call_id": run.required_action.submit_tool_outputs.tool_calls[0].id, "output": "x"}],
        )
    assert info.value.body["message"] == 'Runs in status "expired" do not accept tool outputs.'
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'expired'."
    client.beta.threads.messages.create(thread.id, role="user", content="the lock is released")


def test_expiry_shows_in_list_without_a_retrieve(client, assistant, live_server, api_key):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    advance_clock(live_server, api_key, 601)
    [listed] = client.beta.threads.runs.list(thread.id).data
    assert listed.id == run.id and listed.status == "expired" and listed.usage is None


def test_create_and_run_poll_creates_the_thread_too(client, assistant):
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "tell me a joke"}], "metadata": {"t": "1"}},
    )
    assert run.status == "completed" and run.thread_id.startswith("thread_")
    thread = client.beta.threads.retrieve(run.thread_id)
    assert thread.metadata == {"t": "1"}
    texts = [m.content[0].text.value for m in client.beta.threads.messages.list(thread.id, order="asc").data]
    assert texts[0] == "tell me a joke" and "tell me a joke" in texts[1]


def test_steps_list_and_retrieve(client, assistant):
    thread = ask(client, "hello")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    page = client.beta.threads.runs.steps.list(
        run.id, thread_id=thread.id,
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    )
    [step] = page.data
    assert step.type == "message_creation" and step.run_id == run.id and step.thread_id == thread.id
    assert step.status == "completed" and step.completed_at is not None and step.expired_at is None
    assert step.usage.total_tokens == run.usage.total_tokens
    again = client.beta.threads.runs.steps.retrieve(step.id, thread_id=thread.id, run_id=run.id)
    assert again == step
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.runs.steps.retrieve("step_nope", thread_id=thread.id, run_id=run.id)
    assert info.value.body["message"] == "No run step found with id 'step_nope'."


def test_steps_include_rejects_unknown_values(client, assistant):
    thread = ask(client, "hello")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, include=["bogus"])  # type: ignore[list-item]
    assert info.value.param == "include[]" and info.value.code == "invalid_value"


def test_file_search_results_content_only_with_include(client):
    store = client.vector_stores.create(name="notes")
    upload = client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("notes.txt", b"The ocelot sleeps in the afternoon under the banyan tree.\n")
    )
    assert upload.status == "completed"
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    thread = ask(client, "When does the ocelot sleep?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    plain = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data[0]
    included = client.beta.threads.runs.steps.list(
        run.id, thread_id=thread.id, order="asc",
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    ).data[0]
    [plain_result] = plain.step_details.tool_calls[0].file_search.results
    [full_result] = included.step_details.tool_calls[0].file_search.results
    assert plain_result.content is None and plain_result.file_id == upload.id
    assert "ocelot" in full_result.content[0].text


def test_reasoning_models_reject_temperature_and_top_p(client):
    assistant = client.beta.assistants.create(model="gpt-4o", temperature=0.7)
    thread = client.beta.threads.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, model="o3-mini")
    assert info.value.body["message"] == "Unsupported parameter: 'temperature' is not supported with this model."
    assert info.value.param == "temperature" and info.value.code == "unsupported_parameter"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id, model="o3-mini", temperature=None, top_p=0.5
        )
    assert info.value.param == "top_p"
    assert client.beta.threads.runs.list(thread.id).data == []  # refused requests create nothing
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, model="o3-mini", temperature=None, top_p=None
    )
    assert run.status == "completed" and run.model == "o3-mini" and run.temperature is None


def test_run_retrieves_carry_a_small_poll_after_header(client, assistant):
    thread = ask(client, "hi")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    raw = client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=thread.id)
    poll_after = raw.headers["openai-poll-after-ms"]
    assert poll_after.isdigit() and int(poll_after) <= 50
    assert raw.parse().status == "in_progress"


def test_refused_run_requests_create_nothing(client, assistant):
    thread = ask(client, "hi")
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id="asst_missing")
    assert info.value.body["message"] == "No assistant found with id 'asst_missing'."
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id,
            additional_messages=[{"role": "user", "content": "fine"}, {"role": "user", "content": []}],
        )
    assert info.value.param == "additional_messages[1].content"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id, tool_choice={"type": "file_search"}
        )
    assert info.value.param == "tool_choice"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id, include=["nope"]  # type: ignore[list-item]
        )
    assert info.value.param == "include[]"
    assert client.beta.threads.runs.list(thread.id).data == []
    assert len(client.beta.threads.messages.list(thread.id).data) == 1


def test_runs_of_an_unknown_thread_are_404(client, assistant):
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.runs.create(thread_id="thread_missing", assistant_id=assistant.id)
    assert info.value.body["message"] == "No thread found with id 'thread_missing'."
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.runs.list("thread_missing")
