"""The in-process transports: the official SDK against the app with no socket at all."""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx2
import pytest
from openai import AsyncOpenAI, OpenAI

from mockserver import create_app
from mockserver.transport import async_transport, transport


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket opened during the test fails it: in-process means in-process."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def sync_client(app) -> OpenAI:
    return OpenAI(
        base_url="http://assistants-mock/v1",
        api_key="sk-transport",
        max_retries=0,
        _strict_response_validation=True,
        http_client=httpx2.Client(transport=transport(app)),
    )


def test_sync_transport_runs_a_full_lifecycle_without_sockets(no_sockets: None) -> None:
    app = create_app(progression="instant")
    with sync_client(app) as client:
        assistant = client.beta.assistants.create(model="gpt-4o", name="helper")
        thread = client.beta.threads.create()
        client.beta.threads.messages.create(thread.id, role="user", content="Hello")
        run = client.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id
        )
        assert run.status == "completed"
        messages = client.beta.threads.messages.list(thread.id)
        assert [m.role for m in messages.data] == ["assistant", "user"]
    sandbox = app.state.store.sandboxes["sk-transport"]
    assert sandbox.table("assistants").get(assistant.id)["name"] == "helper"


def test_sync_transport_streams_a_run_with_an_event_handler(no_sockets: None) -> None:
    from openai.lib.streaming import AssistantEventHandler  # type: ignore[attr-defined]

    seen: list[str] = []

    class Handler(AssistantEventHandler):
        def on_event(self, event) -> None:  # type: ignore[no-untyped-def]
            seen.append(event.event)

    app = create_app()
    with sync_client(app) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()
        ) as stream:
            stream.until_done()
            final = stream.get_final_run()
        assert final.status == "completed"
        assert seen[0] == "thread.run.created" and seen[-1] == "thread.run.completed"
        # polling sees the state the stream ended in
        assert (
            client.beta.threads.runs.retrieve(final.id, thread_id=thread.id).status == "completed"
        )


def test_async_transport_runs_on_the_callers_loop(no_sockets: None) -> None:
    app = create_app(progression="instant")

    async def main() -> str:
        async with AsyncOpenAI(
            base_url="http://assistants-mock/v1",
            api_key="sk-async",
            max_retries=0,
            _strict_response_validation=True,
            http_client=httpx2.AsyncClient(transport=async_transport(app)),
        ) as client:
            assistant = await client.beta.assistants.create(model="gpt-4o")
            thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
            run = await client.beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id
            )
            async with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id
            ) as stream:
                await stream.until_done()
            return run.status

    assert asyncio.run(main()) == "completed"


def test_sync_client_works_inside_a_running_event_loop() -> None:
    """A sync client called from async code (the loop is busy) is served by a helper thread."""
    app = create_app()
    with sync_client(app) as client:

        async def main() -> str:
            return client.beta.assistants.create(model="gpt-4o").id

        assert asyncio.run(main()).startswith("asst_")


def test_sync_transport_uploads_a_file_and_reads_it_back(no_sockets: None) -> None:
    app = create_app()
    with sync_client(app) as client:
        uploaded = client.files.create(
            file=("notes.md", b"# Notes\nin-process\n"), purpose="assistants"
        )
        assert client.files.content(uploaded.id).content == b"# Notes\nin-process\n"


def transport_threads() -> set[threading.Thread]:
    """The live helper threads of in-process transports (they carry the transport's name)."""
    return {t for t in threading.enumerate() if t.name == "assistants-mock-transport"}


def test_closing_the_client_leaves_no_thread_behind() -> None:
    # Only the threads this transport starts are checked, by identity: the process's other
    # threads (servers of other tests, executors winding down) come and go on their own.
    before = transport_threads()
    app = create_app()
    client = sync_client(app)

    async def inside_a_loop() -> None:
        client.beta.assistants.create(model="gpt-4o")  # starts the helper thread

    asyncio.run(inside_a_loop())
    started = transport_threads() - before
    assert len(started) == 1, started  # the helper thread exists until the client closes
    client.beta.assistants.list()
    client.close()
    assert [t for t in started if t.is_alive()] == []
    with pytest.raises(Exception, match="closed"):
        client.beta.assistants.list()
