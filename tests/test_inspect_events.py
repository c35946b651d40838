"""The inspector's live stream (GET /__mock__/inspect/events): change notices of the caller's
sandbox as requests arrive and runs move; nothing kept or built while nobody listens; a slow
reader loses the oldest notices rather than slowing anyone; server shutdown ends it."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import pytest

from mockserver import create_app
from mockserver.inspect.naming import SandboxNames
from mockserver.inspect.notifier import QUEUE_SIZE, Notifier
from mockserver.server import LiveServer
from tests.conftest import bearer, make_client

OPERATOR = "X-Mock-Operator-Token"
KEY_A = "sk-events-a-0123456789abcdef0123"
KEY_B = "sk-events-b-fedcba9876543210fedc"
SENTINEL = "/v1/end-of-test"


def handle(server: LiveServer, key: str) -> str:
    response = httpx2.get(f"{server.url}/__mock__/inspect/sandboxes", headers=bearer(key))
    return response.json()["data"][0]["id"]


@contextmanager
def following(
    server: LiveServer, headers: dict[str, str], params: dict[str, str] | None = None
) -> Iterator[Callable[[str], list[dict[str, Any]]]]:
    """Follow the stream in a thread; ``until_sentinel(key)`` sends a request to an unknown
    path with ``key`` and returns every notice read up to its own (excluded)."""
    notices: list[dict[str, Any]] = []
    seen = threading.Event()
    subscribed = threading.Event()
    failure: list[BaseException] = []

    def read() -> None:
        try:
            with httpx2.stream(
                "GET",
                f"{server.url}/__mock__/inspect/events",
                headers=headers,
                params=params,
                timeout=30,
            ) as response:
                assert response.status_code == 200, response.read()
                assert response.headers["content-type"].startswith("text/event-stream")
                subscribed.set()  # the endpoint subscribes before it answers
                event = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        assert event == "change"
                        notice = json.loads(line[6:])
                        if notice.get("path") == SENTINEL:
                            seen.set()
                            return
                        notices.append(notice)
        except BaseException as exc:  # noqa: BLE001 - reported in the test's thread
            failure.append(exc)
            subscribed.set()
            seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert subscribed.wait(10)

    def until_sentinel(key: str) -> list[dict[str, Any]]:
        httpx2.get(f"{server.base_url}{SENTINEL.removeprefix('/v1')}", headers=bearer(key))
        assert seen.wait(10), "the sentinel's notice never came"
        reader.join(10)
        if failure:
            raise failure[0]
        return notices

    yield until_sentinel
    reader.join(10)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer(create_app()) as live:
        yield live


def test_a_key_follows_its_own_sandbox_as_requests_arrive_and_runs_move(server):
    client = make_client(server.base_url, KEY_A)
    other = make_client(server.base_url, KEY_B)
    with following(server, bearer(KEY_A)) as until_sentinel:
        other.beta.assistants.create(model="gpt-4o")  # another sandbox: not shown
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        with client.beta.threads.runs.stream(
            thread_id=thread.id, assistant_id=assistant.id
        ) as stream:
            stream.until_done()
        run = stream.get_final_run()
        notices = until_sentinel(KEY_A)
    sbx = handle(server, KEY_A)
    assert {n["sandbox"] for n in notices} == {sbx}
    assert all(set(n) >= {"sandbox", "kind", "id", "thread_id", "status"} for n in notices)
    requests = [(n["method"], n["path"], n["status"]) for n in notices if n["kind"] == "request"]
    assert requests == [
        ("POST", "/v1/assistants", 200),
        ("POST", "/v1/threads", 200),
        ("POST", f"/v1/threads/{thread.id}/runs", 200),
    ]
    assert {"kind": "assistant", "id": assistant.id} in [
        {"kind": n["kind"], "id": n["id"]} for n in notices
    ]
    run_statuses = [n["status"] for n in notices if n["kind"] == "run" and n["id"] == run.id]
    assert [s for s in run_statuses if s] == ["queued", "in_progress", "completed"]
    assert all(n["thread_id"] == thread.id for n in notices if n["kind"] in ("run", "message"))
    messages = [n for n in notices if n["kind"] == "message"]
    assert messages and messages[-1]["status"] == "completed"
    # the request's own notice comes after the changes it made
    kinds = [n["kind"] for n in notices]
    assert kinds.index("assistant") < kinds.index("request")


def test_the_operator_follows_every_sandbox_or_names_one(server):
    operator = {OPERATOR: server.operator_token}
    make_client(server.base_url, KEY_A).beta.assistants.create(model="gpt-4o")  # handles exist
    make_client(server.base_url, KEY_B).beta.assistants.create(model="gpt-4o")
    with following(server, operator) as until_sentinel:
        make_client(server.base_url, KEY_A).beta.assistants.create(model="gpt-4o")
        make_client(server.base_url, KEY_B).beta.assistants.create(model="gpt-4o")
        everything = until_sentinel(KEY_A)
    assert {n["sandbox"] for n in everything} == {handle(server, KEY_A), handle(server, KEY_B)}
    with following(server, operator, {"sandbox": handle(server, KEY_B)}) as until_sentinel:
        make_client(server.base_url, KEY_A).beta.assistants.create(model="gpt-4o")
        make_client(server.base_url, KEY_B).beta.assistants.create(model="gpt-4o")
        only_b = until_sentinel(KEY_B)
    assert {n["sandbox"] for n in only_b} == {handle(server, KEY_B)}
    assert [n["kind"] for n in only_b] == ["assistant", "request"]


def test_nothing_is_kept_for_changes_nobody_follows(server):
    store = server.app.state.store
    client = make_client(server.base_url, KEY_A)
    client.beta.assistants.create(model="gpt-4o")
    assert not store.notifier.listening
    assert store.sandboxes[KEY_A].listener is None  # no notice is even built
    with following(server, bearer(KEY_A)) as until_sentinel:
        client.beta.assistants.create(model="gpt-4o")
        assert store.sandboxes[KEY_A].listener is not None
        until_sentinel(KEY_A)
    # the reader left: once the server has noticed, the next request builds nothing again
    for _ in range(1000):
        if not store.notifier.listening:
            break
        threading.Event().wait(0.01)
    assert not store.notifier.listening
    client.beta.assistants.create(model="gpt-4o")
    assert store.sandboxes[KEY_A].listener is None


def test_stopping_the_server_ends_the_stream_and_leaves_nothing_behind():
    threads_before = set(threading.enumerate())
    server = LiveServer(create_app()).start()
    ended = threading.Event()

    def read() -> None:
        with httpx2.stream(
            "GET", f"{server.url}/__mock__/inspect/events", headers=bearer(KEY_A), timeout=30
        ) as response:
            for _ in response.iter_lines():
                pass
        ended.set()

    reader = threading.Thread(target=read)
    reader.start()
    store = server.app.state.store
    for _ in range(1000):
        if store.notifier.listening:
            break
        threading.Event().wait(0.01)
    assert store.notifier.listening
    server.stop()
    reader.join(10)
    assert ended.is_set()
    assert set(threading.enumerate()) <= threads_before


def test_a_keep_alive_comment_goes_out_while_nothing_happens(server, monkeypatch):
    from mockserver.routes import inspect

    monkeypatch.setattr(inspect, "KEEP_ALIVE_SECONDS", 0.05)
    with httpx2.stream(
        "GET", f"{server.url}/__mock__/inspect/events", headers=bearer(KEY_A), timeout=30
    ) as response:
        first = next(response.iter_lines())
    assert first.startswith(":")  # an SSE comment: readers ignore it


# -- the queue of one subscriber ---------------------------------------------------------------


def test_a_slow_reader_loses_the_oldest_notices_and_never_blocks_a_publisher():
    async def scenario() -> tuple[list[Any], int]:
        notifier = Notifier(SandboxNames(b"secret"))
        subscription = notifier.subscribe(KEY_A)
        for n in range(QUEUE_SIZE + 10):  # nobody reads meanwhile: publishing never waits
            notifier.publish(KEY_A, {"kind": "request", "id": n})
        notifier.publish(KEY_B, {"kind": "request", "id": "other"})  # not this reader's
        notices = await subscription.next()
        return notices, subscription.dropped

    notices, dropped = asyncio.run(scenario())
    assert dropped == 10
    assert [n["id"] for n in notices] == list(range(10, QUEUE_SIZE + 10))
    assert notices[0]["sandbox"] == SandboxNames(b"secret").of(KEY_A)


def test_a_notice_from_another_thread_wakes_the_reader():
    async def scenario() -> list[Any] | None:
        notifier = Notifier(SandboxNames())
        subscription = notifier.subscribe(None)
        publisher = threading.Thread(
            target=notifier.publish, args=(KEY_A, {"kind": "run", "id": "run_x"})
        )
        publisher.start()
        notices = await subscription.next(timeout=10)
        publisher.join()
        notifier.close()
        assert await subscription.next() is None  # closed: the stream ends
        return notices

    notices = asyncio.run(scenario())
    assert notices is not None and [n["id"] for n in notices] == ["run_x"]
