"""The README's plugin examples, run as a user's test suite by tests/test_plugin_readme.py."""

import json
import subprocess
import sys

import myapp
import pytest
from openai import AssistantEventHandler


def test_sync(assistants_mock):
    client = assistants_mock.client()  # openai.OpenAI, in-process, strict, no retries
    assistant = client.beta.assistants.create(model="gpt-4o", name="Math tutor")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What is 2 + 2?"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    reply = client.beta.threads.messages.list(thread.id).data[0]
    assert reply.role == "assistant" and reply.content[0].text.value


@pytest.mark.anyio
async def test_async(assistants_mock):
    client = assistants_mock.async_client()  # openai.AsyncOpenAI on the test's event loop
    assistant = await client.beta.assistants.create(model="gpt-4o")
    thread = await client.beta.threads.create()
    await client.beta.threads.messages.create(thread.id, role="user", content="Hi")
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id
    )
    assert run.status == "completed"


def test_streaming_with_an_event_handler(assistants_mock):
    class Collector(AssistantEventHandler):
        def __init__(self):
            super().__init__()
            self.text = ""

        def on_text_delta(self, delta, snapshot):
            self.text += delta.value

    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Tell me a story"}])
    handler = Collector()
    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
    ) as stream:
        stream.until_done()
    assert stream.get_final_run().status == "completed"
    assert (
        handler.text == client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    )


WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.mark.assistants_mock(scenario="weather-tool")
def test_function_calling(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Paris?"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments)["city"] == "Paris"
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22°C"}],
    )
    answer = client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert answer == "The weather in Paris: 22°C."


@pytest.mark.assistants_mock(scenario="cancel-race", seed=7, progression="manual")
def test_a_scenario_via_the_marker(assistants_mock):
    import openai

    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'completed'."


def test_code_that_builds_its_own_client(assistants_mock):
    answer = myapp.ask("Hello?")  # myapp calls OpenAI() with no arguments
    assert answer
    assert [r["path"] for r in assistants_mock.requests()][:2] == ["/v1/assistants", "/v1/threads"]


def test_a_subprocess(assistants_mock):
    script = "import myapp; print(myapp.ask('Hello from a subprocess'))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip()
    assert len(assistants_mock.state()["tables"]["assistants/"]) == 1


@pytest.mark.assistants_mock(progression="manual")
def test_clock_and_run_control(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert assistants_mock.advance_run(thread.id, run.id)["status"] == "in_progress"
    assistants_mock.advance_clock(15 * 60)  # past expires_at
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "expired"
