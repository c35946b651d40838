"""Azure OpenAI clients, unchanged: the official ``AzureOpenAI`` (strict) against the mock.

``AzureOpenAI(azure_endpoint=..., api_version=..., api_key=...)`` calls ``/openai/...`` with
``?api-version=`` and an ``api-key`` header (or ``Authorization: Bearer`` for ``azure_ad_token``).
The mock serves the same routes and objects behind that door as behind ``/v1``; the key names the
sandbox; refusals at the door read as Azure's gateway wrote them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import openai
import pytest
from openai import AzureOpenAI

from mockserver import create_app
from mockserver.handle import AZURE_API_VERSION, MockHandle
from tests.conftest import WEATHER, make_client
from tests.readme import python_block
from tests.test_runs_streaming import TEXT_FLOW, Recorder, collapse

API_VERSION = "2024-10-01-preview"
INVALID_KEY = {
    "error": {
        "code": "401",
        "message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure "
        "to provide a valid key for an active subscription and use a correct regional API "
        "endpoint for your resource.",
    }
}
INVALID_TOKEN = {
    "statusCode": 401,
    "message": "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired.",
}
RESOURCE_NOT_FOUND = {"error": {"code": "404", "message": "Resource not found"}}


def make_azure(endpoint: str, **kwargs: Any) -> AzureOpenAI:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("api_version", API_VERSION)
    return AzureOpenAI(azure_endpoint=endpoint, _strict_response_validation=True, **kwargs)


@pytest.fixture
def azure(live_server, api_key) -> Iterator[AzureOpenAI]:
    with make_azure(live_server.url, api_key=api_key) as client:
        yield client


@pytest.fixture
def journal(live_server, api_key) -> Callable[[], list[dict[str, Any]]]:
    def read() -> list[dict[str, Any]]:
        response = httpx2.get(f"{live_server.url}/__mock__/requests", headers={"api-key": api_key})
        return response.json()["data"]

    return read


def test_a_function_call_run_through_the_azure_client(azure, journal):
    assistant = azure.beta.assistants.create(model="gpt-4o", name="Weather", tools=[WEATHER])
    thread = azure.beta.threads.create()
    azure.beta.threads.messages.create(
        thread.id, role="user", content="What's the weather in Paris?"
    )
    run = azure.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert (call.function.name, call.function.arguments) == ("get_weather", '{"city": "Paris"}')
    run = azure.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22C"}],
    )
    assert run.status == "completed"
    reply = azure.beta.threads.messages.list(thread.id).data[0]
    assert reply.role == "assistant" and "get_weather returned: 22C." in reply.content[0].text.value
    # the journal keeps each path as requested, with its api-version
    entries = journal()
    assert [(e["method"], e["path"]) for e in entries[:3]] == [
        ("POST", "/openai/assistants"),
        ("POST", "/openai/threads"),
        ("POST", f"/openai/threads/{thread.id}/messages"),
    ]
    assert all(f"api-version={API_VERSION}" in e["query"].split("&") for e in entries)
    assert {e["status"] for e in entries} == {200}


def test_a_streamed_run_through_the_azure_client(azure):
    assistant = azure.beta.assistants.create(model="gpt-4o")
    thread = azure.beta.threads.create(
        messages=[{"role": "user", "content": "Why is the sky blue?"}]
    )
    handler = Recorder()
    with azure.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
    ) as stream:
        stream.until_done()
    assert collapse(handler.events) == TEXT_FLOW
    final = stream.get_final_run()
    assert final.status == "completed"
    assert azure.beta.threads.runs.retrieve(final.id, thread_id=thread.id) == final
    text = azure.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert "".join(handler.text_deltas) == text and "Why is the sky blue?" in text


def test_files_vector_stores_and_search_through_the_azure_client(azure):
    rockets = azure.files.create(
        file=("rockets.md", b"Rockets burn kerosene and liquid oxygen."), purpose="assistants"
    )
    cats = azure.files.create(file=("cats.txt", b"Cats purr and chase mice."), purpose="assistants")
    store = azure.vector_stores.create(name="azure")
    batch = azure.vector_stores.file_batches.create_and_poll(
        store.id, file_ids=[rockets.id, cats.id]
    )
    assert batch.status == "completed" and batch.file_counts.completed == 2
    tides = azure.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("tides.txt", b"Tides follow the moon.")
    )
    assert tides.status == "completed"
    assert azure.vector_stores.retrieve(store.id).file_counts.completed == 3
    hits = list(azure.vector_stores.search(store.id, query="liquid oxygen rocket"))
    assert hits[0].file_id == rockets.id and hits[0].filename == "rockets.md"
    assert azure.files.content(cats.id).read() == b"Cats purr and chase mice."
    assert azure.files.delete(cats.id).deleted is True


def test_the_key_names_the_sandbox_whichever_door_or_credential(live_server, api_key, azure):
    created = azure.beta.assistants.create(model="gpt-4o", name="shared")
    with make_client(live_server.base_url, api_key) as plain:
        assert plain.beta.assistants.retrieve(created.id).name == "shared"
    with make_azure(live_server.url, azure_ad_token=api_key) as by_token:
        assert by_token.beta.assistants.retrieve(created.id).name == "shared"
    with make_azure(live_server.url, azure_ad_token_provider=lambda: api_key) as by_provider:
        assert [a.id for a in by_provider.beta.assistants.list()] == [created.id]
    with (
        make_azure(live_server.url, api_key=api_key + "-other") as other,
        pytest.raises(openai.NotFoundError),
    ):
        other.beta.assistants.retrieve(created.id)


def test_errors_are_the_same_behind_both_doors(live_server, api_key, azure):
    with make_client(live_server.base_url, api_key) as plain:
        for client in (plain, azure):
            with pytest.raises(openai.NotFoundError) as missing:
                client.beta.assistants.retrieve("asst_nope")
            assert missing.value.body["message"] == "No assistant found with id 'asst_nope'."
            with pytest.raises(openai.BadRequestError) as bad:
                client.beta.assistants.create(model="gpt-4o", temperature=3)
            assert bad.value.body["code"] == "decimal_above_max_value"


def test_no_beta_header_is_needed_behind_the_azure_door(live_server, api_key):
    # Azure chose the Assistants version by api-version; its REST examples send no beta header
    url = f"{live_server.url}/openai/assistants?api-version={API_VERSION}"
    created = httpx2.post(url, json={"model": "gpt-4o"}, headers={"api-key": api_key})
    assert created.status_code == 200 and created.json()["object"] == "assistant"
    refused = httpx2.post(
        f"{live_server.base_url}/assistants",
        json={"model": "gpt-4o"},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_beta"


@pytest.mark.parametrize("query", ["", "?api-version=", "?limit=2"])
def test_a_missing_api_version_is_resource_not_found(live_server, api_key, journal, query):
    response = httpx2.get(
        f"{live_server.url}/openai/assistants{query}", headers={"api-key": api_key}
    )
    assert response.status_code == 404
    assert response.json() == RESOURCE_NOT_FOUND
    # refused after the key named the sandbox: it shows in the sandbox's journal
    assert [(e["path"], e["status"]) for e in journal()] == [("/openai/assistants", 404)]


def test_an_endpoint_the_mock_does_not_serve_is_resource_not_found(azure):
    # chat completions go to /openai/deployments/{model}/chat/completions
    with pytest.raises(openai.NotFoundError) as info:
        azure.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    assert info.value.response.json() == RESOURCE_NOT_FOUND
    assert info.value.request.url.path == "/openai/deployments/gpt-4o/chat/completions"


def test_a_request_without_credentials_is_refused_as_azure_refused_it(live_server):
    response = httpx2.get(f"{live_server.url}/openai/assistants?api-version={API_VERSION}")
    assert response.status_code == 401 and response.json() == INVALID_KEY


def test_a_configured_api_key_refuses_other_keys_and_tokens(server_factory):
    server = server_factory(api_key="sk-the-right-key")
    endpoint = server.url
    with (
        make_azure(endpoint, api_key="sk-wrong-key") as wrong,
        pytest.raises(openai.AuthenticationError) as info,
    ):
        wrong.beta.assistants.list()
    assert info.value.status_code == 401
    assert info.value.response.json() == INVALID_KEY
    with (
        make_azure(endpoint, azure_ad_token="not-the-key") as wrong_token,
        pytest.raises(openai.AuthenticationError) as info,
    ):
        wrong_token.beta.assistants.list()
    assert info.value.response.json() == INVALID_TOKEN
    with make_azure(endpoint, api_key="sk-the-right-key") as right:
        assert right.beta.assistants.list().data == []
    with make_azure(endpoint, azure_ad_token="sk-the-right-key") as right_token:
        assert right_token.beta.assistants.list().data == []
    operator = {"X-Mock-Operator-Token": server.operator_token}
    entries = httpx2.get(f"{endpoint}/__mock__/requests", headers=operator).json()["data"]
    assert [(e["status"], e["sandbox"]) for e in entries] == [
        (401, None),
        (401, None),
        (200, "sk-…-key"),  # keys are never shown whole
        (200, "sk-…-key"),
    ]


def test_scenario_fault_rules_fire_for_azure_paths_too():
    mock = MockHandle(create_app(), "sk-faults")
    mock.scenario(
        {
            "version": 1,
            "http": [
                {"method": "POST", "path": "/assistants", "calls": {"nth": 1}, "status": 429},
                {
                    "method": "POST",
                    "path": "/threads/*/runs",
                    "calls": {"nth": 1},
                    "drop_stream": {"after_events": 3},
                },
            ],
        }
    )
    azure = mock.azure_client()
    with pytest.raises(openai.RateLimitError):
        azure.beta.assistants.create(model="gpt-4o")
    assistant = azure.beta.assistants.create(model="gpt-4o")
    thread = azure.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    with azure.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = [event.event for event in stream]
    assert events == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    mock.close()


def test_the_handle_builds_azure_clients_on_the_in_process_transport():
    mock = MockHandle(create_app(progression="instant"), "sk-handle")
    azure = mock.azure_client()
    assert isinstance(azure, AzureOpenAI)
    assert azure._strict_response_validation is True and azure.max_retries == 0
    assert azure._api_version == AZURE_API_VERSION
    assistant = azure.beta.assistants.create(model="gpt-4o")
    thread = azure.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = azure.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    by_token = mock.azure_client(azure_ad_token=mock.api_key, api_version=API_VERSION)
    assert by_token.beta.assistants.retrieve(assistant.id).id == assistant.id
    assert mock.client().beta.assistants.retrieve(assistant.id).id == assistant.id
    assert {(r["path"], r["query"]) for r in mock.requests()[:2]} == {
        ("/openai/assistants", f"api-version={AZURE_API_VERSION}"),
        ("/openai/threads", f"api-version={AZURE_API_VERSION}"),
    }
    mock.close()


@pytest.mark.anyio
async def test_the_fixture_gives_async_azure_clients_too(assistants_mock):
    azure = assistants_mock.async_azure_client()
    assert isinstance(azure, openai.AsyncAzureOpenAI)
    assistant = await azure.beta.assistants.create(model="gpt-4o")
    thread = await azure.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = await azure.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id
    )
    assert run.status == "completed"
    assert assistants_mock.requests()[0]["path"] == "/openai/assistants"


def test_code_that_builds_its_own_azure_client_reaches_the_sandbox(assistants_mock):
    # what code under test does: endpoint and key from AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_API_KEY
    with AzureOpenAI(api_version=API_VERSION) as own:
        created = own.beta.assistants.create(model="gpt-4o")
    assert assistants_mock.client().beta.assistants.retrieve(created.id).id == created.id
    assert assistants_mock.requests()[0]["path"] == "/openai/assistants"


def test_the_readme_azure_example_runs_as_written(live_server):
    code = python_block("from openai import AzureOpenAI")
    assert '"http://127.0.0.1:8000"' in code
    code = code.replace('"http://127.0.0.1:8000"', repr(live_server.url))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102 (the README's own example)
    with make_client(live_server.base_url, namespace["client"].api_key) as plain:
        assert plain.beta.assistants.retrieve(namespace["assistant"].id).object == "assistant"
