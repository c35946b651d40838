"""File batches through the official SDK: upload_and_poll, counts, cancel, errors."""

from __future__ import annotations

import openai
import pytest


def _journal(http, api_key):
    return http.get("/__mock__/requests", params={"sandbox": api_key}).json()["data"]


def test_upload_and_poll_with_five_parallel_uploads_finishes_on_the_first_poll(
    client, http, api_key
):
    store = client.vector_stores.create()
    files = [(f"doc{i}.txt", f"document number {i}".encode()) for i in range(12)]
    batch = client.vector_stores.file_batches.upload_and_poll(
        store.id, files=files, max_concurrency=5
    )
    assert batch.id.startswith("vsfb_") and batch.object == "vector_store.files_batch"
    assert batch.status == "completed"
    assert (
        batch.file_counts.completed,
        batch.file_counts.total,
        batch.file_counts.in_progress,
    ) == (12, 12, 0)
    journal = _journal(http, api_key)
    assert sum(1 for e in journal if e["method"] == "POST" and e["path"] == "/v1/files") == 12
    polls = [e for e in journal if e["method"] == "GET" and "/file_batches/" in e["path"]]
    assert len(polls) == 1
    listed = client.vector_stores.file_batches.list_files(batch.id, vector_store_id=store.id)
    assert len(listed.data) == 12 and all(f.status == "completed" for f in listed.data)


def test_status_and_counts_agree_at_every_poll(client, http):
    http.post("/__mock__/settings", json={"progression": "manual"})
    store = client.vector_stores.create()
    ids = [client.files.create(file=(f"{i}.txt", b"x"), purpose="assistants").id for i in range(3)]
    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids)
    for _ in range(2):
        seen = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
        assert seen.status == "in_progress" and seen.file_counts.in_progress == 3
    http.post("/__mock__/settings", json={"progression": "default"})
    done = client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id)
    assert done.status == "completed" and done.file_counts.in_progress == 0


def test_files_variant_carries_per_file_attributes(client):
    store = client.vector_stores.create()
    a = client.files.create(file=("a.txt", b"alpha"), purpose="assistants")
    b = client.files.create(file=("b.txt", b"beta"), purpose="assistants")
    batch = client.vector_stores.file_batches.create_and_poll(
        store.id,
        files=[
            {"file_id": a.id, "attributes": {"n": 1}},
            {"file_id": b.id, "attributes": {"n": 2}},
        ],
    )
    assert batch.file_counts.completed == 2
    attributes = {f.id: f.attributes for f in client.vector_stores.files.list(store.id)}
    assert attributes == {a.id: {"n": 1}, b.id: {"n": 2}}


def test_empty_batch_is_the_real_empty_array_error(client):
    store = client.vector_stores.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.create(store.id, file_ids=[])
    assert info.value.body["message"] == (
        "Invalid 'file_ids': empty array. Expected an array with minimum length 1, but got an "
        "empty array instead."
    )
    assert (info.value.param, info.value.code) == ("file_ids", "empty_array")


def test_python_upload_and_poll_with_no_files_sends_the_empty_batch(client):
    store = client.vector_stores.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.upload_and_poll(store.id, files=[])
    assert info.value.code == "empty_array"


def test_a_vector_store_id_where_a_batch_id_belongs(client):
    store = client.vector_stores.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.list_files(store.id, vector_store_id=store.id)
    assert info.value.body["message"] == (
        f"Invalid 'batch_id': '{store.id}'. Expected an ID that begins with 'vsfb_'."
    )
    assert info.value.param == "batch_id"


def test_cancel_marks_unfinished_files_cancelled(client, http):
    http.post("/__mock__/settings", json={"progression": "manual"})
    store = client.vector_stores.create()
    ids = [client.files.create(file=(f"{i}.txt", b"x"), purpose="assistants").id for i in range(2)]
    batch = client.vector_stores.file_batches.create(store.id, file_ids=ids)
    cancelled = client.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    assert cancelled.status == "cancelled"
    assert (cancelled.file_counts.cancelled, cancelled.file_counts.in_progress) == (2, 0)
    listed = client.vector_stores.file_batches.list_files(
        batch.id, vector_store_id=store.id, filter="cancelled"
    )
    assert sorted(f.id for f in listed) == sorted(ids)
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.cancel(batch.id, vector_store_id=store.id)
    assert (
        info.value.body["message"]
        == f"Cannot cancel file batch {batch.id} with status 'cancelled'."
    )


def test_unsupported_file_in_a_batch_refuses_the_whole_batch(client):
    store = client.vector_stores.create()
    ok = client.files.create(file=("a.txt", b"a"), purpose="assistants")
    image = client.files.create(file=("b.jpg", b"jpg"), purpose="assistants")
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.create(store.id, file_ids=[ok.id, image.id])
    assert info.value.code == "unsupported_file"
    assert client.vector_stores.retrieve(store.id).file_counts.total == 0


def test_file_ids_and_files_are_mutually_exclusive(client):
    store = client.vector_stores.create()
    file = client.files.create(file=("a.txt", b"a"), purpose="assistants")
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.file_batches.create(
            store.id, file_ids=[file.id], files=[{"file_id": file.id}]
        )
    assert info.value.param == "files"


def test_unknown_file_in_files_names_its_position(client):
    store = client.vector_stores.create()
    with pytest.raises(openai.NotFoundError) as info:
        client.vector_stores.file_batches.create(store.id, files=[{"file_id": "file-missing"}])
    assert info.value.body["message"] == "No file found with id 'file-missing'."


def test_async_upload_and_poll_runs_five_uploads_at_once(async_client):
    import asyncio

    async def scenario():
        async with async_client as client:
            store = await client.vector_stores.create()
            files = [(f"a{i}.txt", f"async document {i}".encode()) for i in range(9)]
            batch = await client.vector_stores.file_batches.upload_and_poll(
                store.id, files=files, max_concurrency=5
            )
            assert batch.status == "completed" and batch.file_counts.completed == 9
            hits = await client.vector_stores.search(store.id, query="async document")
            assert len([h async for h in hits]) == 9

    asyncio.run(scenario())


def test_each_batch_poll_counts_as_one_read(client, live_server, api_key):
    live_server.app.state.store.sandbox(api_key).settings["ingestion"] = {"seconds": 999, "reads": 2}
    store = client.vector_stores.create()
    file = client.files.create(file=("r.txt", b"reads"), purpose="assistants")
    batch = client.vector_stores.file_batches.create(store.id, file_ids=[file.id])
    statuses = [
        client.vector_stores.file_batches.retrieve(batch.id, vector_store_id=store.id).status
        for _ in range(3)
    ]
    assert statuses == ["in_progress", "in_progress", "completed"]
