"""Ingestion moves with the virtual clock, not with reads (issue 9, A2).

Semantic Kernel's file-search sample creates a vector store with a file, attaches it to an
assistant and runs at once, never reading the store: the run must find the file. Each
progression policy's meaning for files, batches and stores is pinned here as the README
states it."""

from __future__ import annotations

import pytest

from tests.conftest import file_search_assistant

TIDES = b"Tides follow the moon and the sun. Spring tides come at new and full moon."
ROCKETS = b"Rockets burn fuel to climb. The moon is far, and the tides of space are slow."


@pytest.fixture
def control(http, api_key):
    """The control API for the test's sandbox."""

    def post(path: str, body: dict) -> dict:
        response = http.post(f"/__mock__{path}", params={"sandbox": api_key}, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    return post


def _upload(client, name: str, data: bytes):
    return client.files.create(file=(name, data), purpose="assistants")


def _cited(client, thread_id: str) -> list[str]:
    """The file ids the thread's last answer cites."""
    answer = client.beta.threads.messages.list(thread_id).data[0]
    assert answer.role == "assistant"
    return [
        a.file_citation.file_id
        for a in answer.content[0].text.annotations
        if a.type == "file_citation"
    ]


def _store_reads(http, api_key) -> list[str]:
    journal = http.get("/__mock__/requests", params={"sandbox": api_key}).json()["data"]
    return [
        e["path"]
        for e in journal
        if e["method"] == "GET" and e["path"].startswith("/v1/vector_stores")
    ]


@pytest.mark.parametrize("policy", ["default", "instant"])
def test_semantic_kernel_pattern_the_run_cites_a_file_nobody_polled(
    client, http, api_key, control, policy
):
    control("/settings", {"progression": policy})
    file = _upload(client, "tides.txt", TIDES)
    store = client.vector_stores.create(name="kb", file_ids=[file.id])
    assert store.status == "in_progress" and store.file_counts.in_progress == 1  # as created
    assistant = file_search_assistant(client, store.id)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="What do tides follow?")
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    assert _cited(client, thread.id) == [file.id]
    assert _store_reads(http, api_key) == []  # nobody looked at the store before the run
    store = client.vector_stores.retrieve(store.id)
    assert store.status == "completed" and store.file_counts.completed == 1


def test_the_assistants_and_the_threads_stores_are_both_searched(client):
    tides, rockets = _upload(client, "tides.txt", TIDES), _upload(client, "rockets.txt", ROCKETS)
    assistant_store = client.vector_stores.create(file_ids=[tides.id])
    thread_store = client.vector_stores.create(file_ids=[rockets.id])
    assistant = file_search_assistant(client, assistant_store.id)
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "moon tides"}],
        tool_resources={"file_search": {"vector_store_ids": [thread_store.id]}},
    )
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert sorted(_cited(client, thread.id)) == sorted([tides.id, rockets.id])


def test_a_file_batch_is_searchable_at_once(client):
    ids = [_upload(client, f"{i}.txt", text).id for i, text in enumerate([TIDES, b"Unrelated."])]
    store = client.vector_stores.create()
    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids)
    assert batch.status == "in_progress" and batch.file_counts.in_progress == 2  # as created
    assistant = file_search_assistant(client, store.id)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "spring tides"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert _cited(client, thread.id) == [ids[0]]
    batch = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert batch.status == "completed" and batch.file_counts.completed == 2


def test_a_delayed_ingestion_is_not_waited_for_on_the_assistants_store(client, control):
    """vector-store-not-ready: 30 virtual seconds. The documented 60-second fallback wait is
    for the thread's store only; the assistant's store is searched as it stands, and once the
    clock has passed the file's ready time a run finds it without anyone reading the store."""
    control("/scenario", {"name": "vector-store-not-ready"})
    file = _upload(client, "tides.txt", TIDES)
    store = client.vector_stores.create(file_ids=[file.id])
    assistant = file_search_assistant(client, store.id)
    early = client.beta.threads.create(
        messages=[{"role": "user", "content": "What do tides follow?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=early.id, assistant_id=assistant.id)
    assert run.status == "completed" and run.completed_at - run.created_at < 30  # no wait
    assert _cited(client, early.id) == []
    control("/clock", {"advance": 30})
    late = client.beta.threads.create(
        messages=[{"role": "user", "content": "What do tides follow?"}]
    )
    client.beta.threads.runs.create_and_poll(thread_id=late.id, assistant_id=assistant.id)
    assert _cited(client, late.id) == [file.id]


def test_manual_files_wait_for_the_clock_not_for_reads(client, control):
    control("/settings", {"progression": "manual"})
    file = _upload(client, "tides.txt", TIDES)
    store = client.vector_stores.create(file_ids=[file.id])
    batch = client.vector_stores.file_batches.create(
        store.id, file_ids=[_upload(client, "b.txt", TIDES).id]
    )
    for _ in range(3):  # reads never move a file under manual
        assert client.vector_stores.retrieve(store.id).status == "in_progress"
        assert (
            client.vector_stores.files.retrieve(file.id, vector_store_id=store.id).status
            == "in_progress"
        )
        seen = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
        assert (seen.status, seen.file_counts.in_progress) == ("in_progress", 1)
    control("/clock", {"advance": 1})  # time does
    store = client.vector_stores.retrieve(store.id)
    assert store.status == "completed" and store.file_counts.completed == 2
    batch = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert batch.status == "completed" and batch.file_counts.completed == 1


def test_manual_a_run_moved_by_the_control_api_finds_the_assistants_file(client, control):
    control("/settings", {"progression": "manual"})
    file = _upload(client, "tides.txt", TIDES)
    store = client.vector_stores.create(file_ids=[file.id])
    assistant = file_search_assistant(client, store.id)
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "What do tides follow?"}]
    )
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    moved = control(f"/runs/{thread.id}/{run.id}/advance", {"transitions": 5})
    assert moved["status"] == "completed"
    assert _cited(client, thread.id) == [file.id]
