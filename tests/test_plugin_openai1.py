"""The plugin with ``openai`` 1.x (built on ``httpx``, not ``httpx2``), in a virtualenv of its
own: ``make test`` builds ``.venv-openai1`` (``openai<2`` + this package). Without it the test
is skipped, except under CI, where a missing virtualenv is a failure (``tests.conftest.require``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

USER_TESTS = """
import asyncio, os, socket
import httpx, openai, pytest
from openai import AsyncOpenAI, OpenAI
from openai.lib.streaming import AssistantEventHandler


def test_runs_openai_1x_on_httpx(assistants_mock):
    assert openai.__version__.startswith("1.")
    assert type(assistants_mock.client()._client._transport).__module__ == "mockserver.transport"


def test_sync_lifecycle_and_stream_with_an_event_handler(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    seen = []

    class Handler(AssistantEventHandler):
        def on_event(self, event):
            seen.append(event.event)

    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()
    ) as stream:
        stream.until_done()
    assert seen[0] == "thread.run.created" and seen[-1] == "thread.run.completed"


def test_async_client(assistants_mock):
    async def main():
        client = assistants_mock.async_client()
        assistant = await client.beta.assistants.create(model="gpt-4o")
        return (await client.beta.assistants.retrieve(assistant.id)).id == assistant.id

    assert asyncio.run(main())


def test_code_that_builds_its_own_client(assistants_mock):
    created = OpenAI().beta.assistants.create(model="gpt-4o")
    assert assistants_mock.client().beta.assistants.retrieve(created.id).id == created.id


def test_azure_clients(assistants_mock):
    azure = assistants_mock.azure_client()
    assert isinstance(azure, openai.AzureOpenAI)
    assistant = azure.beta.assistants.create(model="gpt-4o")
    thread = azure.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = azure.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    own = openai.AzureOpenAI(api_version="2024-05-01-preview")  # AZURE_OPENAI_* from the fixture
    assert own.beta.assistants.retrieve(assistant.id).id == assistant.id
    assert assistants_mock.requests()[0]["path"] == "/openai/assistants"


def test_fail_closed_on_httpx(assistants_mock):
    with pytest.raises(BaseException, match="assistants_mock fixture is active"):
        OpenAI(base_url="https://api.openai.com/v1", api_key="sk-real").models.list()
    with pytest.raises(BaseException, match="assistants_mock fixture is active"):
        real = AsyncOpenAI(base_url="https://api.openai.com/v1", api_key="sk-real")
        asyncio.run(real.beta.assistants.retrieve("asst_x"))


@pytest.mark.assistants_mock(progression="manual")
def test_marker(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
"""


def test_the_plugin_works_with_openai_1x(tmp_path: Path, openai1_python: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "PYTEST_"))}
    result = subprocess.run(
        [
            str(openai1_python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout
