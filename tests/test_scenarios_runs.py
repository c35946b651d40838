"""Scenario-scripted runs through the strict Python SDK: matching, steps, endings, determinism."""

from __future__ import annotations

import os
from pathlib import Path

import httpx2
import pytest

from mockserver import create_app
from mockserver.server import LiveServer

GOLDEN = Path(__file__).parent / "golden"
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
    "required": ["city", "days"]}}}


def ask(client, assistant_id, text, **thread):
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant_id, thread={"messages": [{"role": "user", "content": text}], **thread})
    return run


def answer(client, thread_id):
    message = client.beta.threads.messages.list(thread_id).data[0]
    assert message.role == "assistant"
    return message


def test_a_function_call_with_given_arguments_then_a_templated_answer(client, use):
    use("weather-tool")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    run = ask(client, assistant.id, "How is the weather today?")
    assert run.status == "requires_action"
    (call,) = run.required_action.submit_tool_outputs.tool_calls
    assert (call.function.name, call.function.arguments) == ("get_weather", '{"city": "Paris", "unit": "celsius"}')
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=run.thread_id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "18 C and sunny"}])
    assert run.status == "completed"
    assert answer(client, run.thread_id).content[0].text.value == "The weather in Paris: 18 C and sunny."
    # the default rule of the same scenario answers everything else
    other = ask(client, assistant.id, "Tell me a joke")
    assert answer(client, other.thread_id).content[0].text.value == "Hello from the weather-tool scenario."


def test_arguments_left_out_are_generated_from_the_declared_parameters(client, use):
    use({"version": 1, "runs": [{"steps": [{"function_call": [{"name": "get_weather"}, {"name": "undeclared"}]}]}]})
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    run = ask(client, assistant.id, "anything")
    weather, undeclared = run.required_action.submit_tool_outputs.tool_calls
    import json

    arguments = json.loads(weather.function.arguments)
    assert set(arguments) >= {"city", "days"} and isinstance(arguments["days"], int)
    assert undeclared.function.name == "undeclared" and json.loads(undeclared.function.arguments) == {}


def test_rules_match_on_assistant_model_thread_metadata_and_message_first_match_wins(client, use):
    use({"version": 1, "name": "routing", "runs": [
        {"match": {"assistant_name": "Support"}, "steps": [{"message": "support"}]},
        {"match": {"model": "gpt-4o-mini"}, "steps": [{"message": "mini"}]},
        {"match": {"thread_metadata": {"tier": "gold"}}, "steps": [{"message": "gold"}]},
        {"match": {"message_regex": r"^\d+$"}, "steps": [{"message": "digits"}]},
        {"match": {"message_contains": "REFUND"}, "steps": [{"message": "refund"}]},
        {"steps": [{"message": "default"}]},
    ]})
    support = client.beta.assistants.create(model="gpt-4o-mini", name="Support")
    mini = client.beta.assistants.create(model="gpt-4o-mini")
    plain = client.beta.assistants.create(model="gpt-4o")
    cases = [
        (support.id, "42", {}, "support"),  # first match wins over the model and regex rules
        (mini.id, "42", {}, "mini"),
        (plain.id, "hello", {"metadata": {"tier": "gold"}}, "gold"),
        (plain.id, "12345", {}, "digits"),
        (plain.id, "I want a refund", {}, "refund"),  # substring match ignores case
        (plain.id, "hello", {"metadata": {"tier": "silver"}}, "default"),
    ]
    for assistant_id, text, thread, expected in cases:
        run = ask(client, assistant_id, text, **thread)
        assert answer(client, run.thread_id).content[0].text.value == expected, (text, thread)


def test_a_rule_with_a_match_wins_over_an_earlier_scenarios_default(client, use):
    use({"version": 1, "name": "first", "runs": [{"steps": [{"message": "first default"}]}]},
        {"version": 1, "name": "second", "runs": [{"match": {"message_contains": "x"}, "steps": [{"message": "x"}]}]})
    assistant = client.beta.assistants.create(model="gpt-4o")
    assert answer(client, ask(client, assistant.id, "x marks").thread_id).content[0].text.value == "x"
    assert answer(client, ask(client, assistant.id, "y").thread_id).content[0].text.value == "first default"


def test_code_interpreter_step_makes_a_real_png_and_the_answer_shows_it(client, use):
    use("failing-runs")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = ask(client, assistant.id, "draw me a chart")
    assert run.status == "completed"
    steps = client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data
    tool_call = steps[0].step_details.tool_calls[0]
    assert tool_call.code_interpreter.input.startswith("import matplotlib")
    logs, image = tool_call.code_interpreter.outputs
    assert logs.logs == "plotted 3 bars\n"
    content = client.files.content(image.image.file_id).read()
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    message = answer(client, run.thread_id)
    assert message.content[0].type == "image_file" and message.content[0].image_file.file_id == image.image.file_id
    assert message.content[1].text.value == "Here is your chart (plotted 3 bars\n)."
    # the step's delay moved the virtual clock, not the wall clock
    assert run.completed_at - run.created_at >= 5


def test_file_search_step_cites_the_attached_files(client, use):
    use("failing-runs")
    store = client.vector_stores.create(name="docs")
    client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("rockets.md", b"Rockets burn liquid oxygen and kerosene to reach orbit.\n"))
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    run = ask(client, assistant.id, "search: what do rockets burn?")
    assert run.status == "completed"
    steps = client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id, order="asc").data
    assert steps[0].step_details.tool_calls[0].type == "file_search"
    text = answer(client, run.thread_id).content[0].text
    assert "kerosene" in text.value
    assert text.annotations and text.annotations[0].type == "file_citation"


@pytest.mark.parametrize(
    ("message", "status", "detail"),
    [
        ("this will fail now", "failed", ("rate_limit_exceeded", "You exceeded your current quota.")),
        ("let it expire", "expired", None),
        ("a long prompt", "incomplete", "max_prompt_tokens"),
    ],
)
def test_scripted_endings(client, use, message, status, detail):
    use("failing-runs")
    assistant = client.beta.assistants.create(model="gpt-4o")
    run = ask(client, assistant.id, message)
    assert run.status == status
    if status == "failed":
        assert (run.last_error.code, run.last_error.message) == detail
        assert run.failed_at is not None
    elif status == "expired":
        assert run.expires_at is not None and run.completed_at is None
    else:
        assert run.incomplete_details.reason == detail
    # a finished run releases the thread
    client.beta.threads.messages.create(thread_id=run.thread_id, role="user", content="next")


def test_a_scripted_answer_is_cut_by_the_clients_max_completion_tokens(client, use):
    use("incomplete-run")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Explain"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id,
                                                   max_completion_tokens=256)
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_completion_tokens"
    message = answer(client, thread.id)
    assert message.status in ("completed", "incomplete")


def test_cancel_loses_the_race(client, use):
    use("cancel-race")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    import openai

    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id)
    assert info.value.body["message"] == "Cannot cancel run with status 'completed'."
    assert client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).status == "completed"


def _event(stream: bytes, name: str) -> dict:
    import json

    for block in stream.decode().split("\n\n"):
        if block.startswith(f"event: {name}\n"):
            return json.loads(block.split("\ndata: ", 1)[1])
    raise AssertionError(f"no {name} event")


def _golden_flow(server: LiveServer) -> bytes:
    headers = {"Authorization": "Bearer sk-golden-scenario", "OpenAI-Beta": "assistants=v2"}
    with httpx2.Client(base_url=server.base_url, headers=headers) as http:
        assistant = http.post("/assistants", json={"model": "gpt-4o", "tools": [WEATHER, {"type": "code_interpreter"}]}).json()
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": "weather chart please"}]}).json()
        body = {"assistant_id": assistant["id"], "stream": True}
        with http.stream("POST", f"/threads/{thread['id']}/runs", json=body) as response:
            first = response.read()
        run = _event(first, "thread.run.requires_action")
        call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
        outputs = {"tool_outputs": [{"tool_call_id": call_id, "output": "sunny"}], "stream": True}
        with http.stream("POST", f"/threads/{thread['id']}/runs/{run['id']}/submit_tool_outputs", json=outputs) as response:
            second = response.read()
    return first + second


GOLDEN_SCENARIO = {"version": 1, "name": "golden", "runs": [{"steps": [
    {"function_call": {"name": "get_weather"}},
    {"code_interpreter": {"input": "print('sunny')", "logs": "sunny\n", "image": True}},
    {"message": "It is {{outputs.get_weather}}; see the chart."},
]}]}


def test_scenario_runs_are_deterministic_golden_transcript():
    """Same seed, same scenario, same requests: the same bytes, equal to the golden file."""
    transcripts = []
    for _ in range(2):
        with LiveServer(create_app(seed=7, scenarios=[GOLDEN_SCENARIO])) as server:
            transcripts.append(_golden_flow(server))
    assert transcripts[0] == transcripts[1]
    path = GOLDEN / "scenario_weather_chart.sse"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(transcripts[0])
    assert transcripts[0] == path.read_bytes()
    text = transcripts[0].decode()
    assert "event: thread.run.requires_action" in text and "It is sunny; see the chart." in text
    assert text.count("event: done\ndata: [DONE]") == 2
