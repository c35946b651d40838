"""The ``assistants_mock`` fixture used as a user would: the plugin is installed with the package,
so these tests take the fixture straight from its entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx2
import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from mockserver.config import PROGRESSIONS
from mockserver.pytest_plugin import plugin
from mockserver.pytest_plugin.guard import RealOpenAIBlocked
from tests.conftest import NODE_PROJECT


def test_in_process_client_runs_a_lifecycle_in_the_tests_own_sandbox(assistants_mock) -> None:
    client = assistants_mock.client()
    assert client.api_key == assistants_mock.api_key
    assistant = client.beta.assistants.create(model="gpt-4o", name="helper")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    assert [m.role for m in client.beta.threads.messages.list(thread.id)] == ["assistant", "user"]
    paths = [(r["method"], r["path"]) for r in assistants_mock.requests()]
    assert paths[:2] == [("POST", "/v1/assistants"), ("POST", "/v1/threads")]
    assert assistants_mock.state()["tables"]["assistants/"][0]["object"]["name"] == "helper"


@pytest.mark.anyio
async def test_async_client_runs_on_the_tests_loop(assistants_mock) -> None:
    client = assistants_mock.async_client()
    assistant = await client.beta.assistants.create(model="gpt-4o")
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    async with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id
    ) as stream:
        events = [event.event async for event in stream]
    assert events[0] == "thread.run.created" and events[-1] == "thread.run.completed"


def test_client_defaults_are_strict_and_never_retry(assistants_mock) -> None:
    client = assistants_mock.client()
    assert client.max_retries == 0 and client._strict_response_validation is True
    assert assistants_mock.client(max_retries=3).max_retries == 3


def test_env_vars_point_code_that_builds_its_own_client_at_the_sandbox(assistants_mock) -> None:
    assert os.environ["OPENAI_BASE_URL"] == assistants_mock.base_url
    assert os.environ["OPENAI_API_KEY"] == assistants_mock.api_key
    with OpenAI() as own:  # what code under test does: no arguments at all
        created = own.beta.assistants.create(model="gpt-4o")
    # the live server and the in-process client see one sandbox
    assert assistants_mock.client().beta.assistants.retrieve(created.id).id == created.id


def test_a_python_subprocess_reaches_the_sandbox(assistants_mock) -> None:
    script = "from openai import OpenAI; print(OpenAI().beta.assistants.create(model='gpt-4o').id)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    ids = [row["object"]["id"] for row in assistants_mock.state()["tables"]["assistants/"]]
    assert ids == [out.stdout.strip()]


def test_a_node_subprocess_reaches_the_sandbox(assistants_mock, node_sdk) -> None:
    script = (
        "import OpenAI from 'openai';"
        "const a = await new OpenAI().beta.assistants.create({model: 'gpt-4o', name: 'from-node'});"
        "console.log(JSON.stringify(a));"
    )
    out = subprocess.run(
        [node_sdk, "--input-type=module", "-e", script],
        cwd=NODE_PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    created = json.loads(out.stdout)
    assert assistants_mock.client().beta.assistants.retrieve(created["id"]).name == "from-node"


def test_requests_to_the_real_api_fail_fast_with_a_clear_message(assistants_mock) -> None:
    real = OpenAI(base_url="https://api.openai.com/v1", api_key="sk-real", max_retries=5)
    with pytest.raises(RealOpenAIBlocked, match="assistants_mock fixture is active") as info:
        real.beta.assistants.list()
    assert "GET https://api.openai.com/v1/assistants" in str(info.value)
    assert assistants_mock.base_url in str(info.value)


@pytest.mark.anyio
async def test_async_requests_to_the_real_api_fail_fast_too(assistants_mock) -> None:
    real = AsyncOpenAI(base_url="https://api.openai.com/v1", api_key="sk-real")
    with pytest.raises(RealOpenAIBlocked):
        await real.models.list()


def test_other_libraries_cannot_resolve_the_real_host(assistants_mock) -> None:
    import socket

    with pytest.raises(RealOpenAIBlocked):
        socket.getaddrinfo("api.openai.com", 443)


def test_the_guard_and_env_vars_are_gone_after_the_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        import os, httpx2, socket
        ORIGINAL = (httpx2.HTTPTransport.handle_request, socket.getaddrinfo)

        def test_uses_fixture(assistants_mock):
            assert httpx2.HTTPTransport.handle_request is not ORIGINAL[0]

        def test_after(monkeypatch):
            assert (httpx2.HTTPTransport.handle_request, socket.getaddrinfo) == ORIGINAL
            assert os.environ.get("OPENAI_BASE_URL") == "http://before/v1"
        """
    )
    monkeypatch.setenv("OPENAI_BASE_URL", "http://before/v1")
    pytester.runpytest_inprocess("-p", "no:xdist").assert_outcomes(passed=2)


@pytest.mark.parametrize("case", ["first", "second", "third"])
def test_parametrized_cases_each_get_a_fresh_sandbox(assistants_mock, case: str) -> None:
    client = assistants_mock.client()
    client.beta.assistants.create(model="gpt-4o", name=case)
    assert [a.name for a in client.beta.assistants.list()] == [case]


def test_reset_empties_the_sandbox_and_keeps_its_settings(assistants_mock) -> None:
    client = assistants_mock.client()
    first = client.beta.assistants.create(model="gpt-4o")
    assistants_mock.progression = "manual"
    assistants_mock.reset()
    assert client.beta.assistants.list().data == []
    assert assistants_mock.requests()[-1]["path"] == "/v1/assistants"
    assert assistants_mock.progression == "manual"
    # a fresh sandbox with the same key and seed mints the same ids again
    assert client.beta.assistants.create(model="gpt-4o").id == first.id


@pytest.mark.assistants_mock(progression="manual")
def test_manual_progression_moves_a_run_only_when_told(assistants_mock) -> None:
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
    assert assistants_mock.advance_run(thread.id, run.id)["status"] == "in_progress"
    assistants_mock.advance_run(thread.id, run.id, 10)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "completed"


@pytest.mark.assistants_mock(progression="manual")
def test_manual_progression_moves_a_background_response_only_when_told(assistants_mock) -> None:
    client = assistants_mock.client()
    response = client.responses.create(model="gpt-4o", input="Hi", background=True)
    assert client.responses.retrieve(response.id).status == "queued"
    assert assistants_mock.advance_response(response.id)["status"] == "in_progress"
    assert assistants_mock.advance_response(response.id, 10)["status"] == "completed"
    assert client.responses.retrieve(response.id).output_text.startswith('You asked: "Hi".')
    with pytest.raises(ValueError, match="transitions"):
        assistants_mock.advance_response(response.id, 0)


@pytest.mark.assistants_mock(progression="instant")
def test_the_instant_policy_keeps_a_polling_loop_from_sleeping(assistants_mock) -> None:
    client = assistants_mock.client()
    response = client.responses.create(model="gpt-4o", input="Hi", background=True)
    polls = 0
    while response.status in ("queued", "in_progress"):
        polls += 1
        response = client.responses.retrieve(response.id)
    assert (polls, response.status) == (1, "completed")


@pytest.mark.assistants_mock(progression="manual")
def test_advancing_the_clock_expires_a_waiting_run(assistants_mock) -> None:
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    start = assistants_mock.now
    assert assistants_mock.advance_clock(3600) == start + 3600
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "expired"


def test_bad_control_values_are_refused(assistants_mock) -> None:
    with pytest.raises(ValueError, match="valid values: default, instant, manual"):
        assistants_mock.progression = "fast"
    with pytest.raises(ValueError):
        assistants_mock.advance_clock(-1)


def test_plugin_knows_the_servers_progressions() -> None:
    assert plugin.PROGRESSIONS == PROGRESSIONS


def test_in_process_clients_open_no_socket(
    assistants_mock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", refuse)
    assert assistants_mock.client().beta.assistants.list().data == []
    assert isinstance(openai.__version__, str)


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.mark.assistants_mock(scenario="weather-tool")
def test_a_scenario_from_the_marker_scripts_function_calling(assistants_mock) -> None:
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER_TOOL])
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "What's the weather?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)["city"]) == (
        "get_weather",
        "Paris",
    )
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22C"}],
    )
    assert run.status == "completed"
    reply = client.beta.threads.messages.list(thread.id).data[0]
    assert reply.content[0].text.value == "The weather in Paris: 22C."


def test_handle_scenario_loads_an_inline_scenario_that_survives_reset(assistants_mock) -> None:
    loaded = assistants_mock.scenario(
        {"version": 1, "name": "greeter", "runs": [{"steps": [{"message": "Scripted hello."}]}]}
    )
    assert [s.name for s in loaded] == ["greeter"]
    assistants_mock.reset()
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    reply = client.beta.threads.messages.list(thread.id).data[0]
    assert reply.content[0].text.value == "Scripted hello."


def test_a_bad_scenario_names_what_is_wrong(assistants_mock) -> None:
    from mockserver import scenarios

    with pytest.raises(scenarios.ScenarioError, match="built-in scenarios: .*weather-tool"):
        assistants_mock.scenario("no-such-scenario")
