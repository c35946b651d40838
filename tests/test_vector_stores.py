"""Vector stores and their files through the official SDK (strict validation)."""

from __future__ import annotations

import openai
import pytest

DAY = 86_400


@pytest.fixture
def settings(live_server, api_key):
    """The test sandbox's settings (ingestion and delete-scope knobs), set in-process."""
    return live_server.app.state.store.sandbox(api_key).settings


def _file(client, name="doc.txt", data=b"some searchable text"):
    return client.files.create(file=(name, data), purpose="assistants")


def _journal(http, api_key):
    return http.get("/__mock__/requests", params={"sandbox": api_key}).json()["data"]


def test_crud_round_trip_and_unnamed_store_has_empty_name(client):
    store = client.vector_stores.create()
    assert store.id.startswith("vs_") and store.name == "" and store.status == "completed"
    assert store.file_counts.total == 0 and store.usage_bytes == 0 and store.expires_at is None
    named = client.vector_stores.create(name="Docs", metadata={"team": "a"})
    assert [s.id for s in client.vector_stores.list()] == [named.id, store.id]
    updated = client.vector_stores.update(named.id, name="Renamed", metadata={"v": "2"})
    assert updated.name == "Renamed" and updated.metadata == {"v": "2"}
    assert client.vector_stores.retrieve(named.id) == updated
    deleted = client.vector_stores.delete(named.id)
    assert (deleted.object, deleted.deleted) == ("vector_store.deleted", True)
    with pytest.raises(openai.NotFoundError) as info:
        client.vector_stores.retrieve(named.id)
    assert info.value.body["message"] == f"No vector store found with id '{named.id}'."


def test_counts_and_usage_follow_the_files_at_every_read(client):
    a, b = _file(client, "a.txt", b"alpha"), _file(client, "b.txt", b"beta!")
    store = client.vector_stores.create(file_ids=[a.id, b.id])
    assert store.status == "in_progress"
    assert (store.file_counts.in_progress, store.file_counts.total) == (2, 2)
    ready = client.vector_stores.retrieve(store.id)
    assert ready.status == "completed" and ready.file_counts.completed == 2
    assert ready.usage_bytes == a.bytes + b.bytes
    client.vector_stores.files.delete(a.id, vector_store_id=store.id)
    after = client.vector_stores.retrieve(store.id)
    assert after.file_counts.total == 1 and after.usage_bytes == b.bytes


def test_expiry_runs_on_the_virtual_clock(client, http):
    store = client.vector_stores.create(expires_after={"anchor": "last_active_at", "days": 2})
    assert store.expires_at == store.last_active_at + 2 * DAY
    http.post("/__mock__/clock", json={"advance": DAY})
    touched = client.vector_stores.update(store.id, name="active")  # activity moves the expiry
    assert touched.last_active_at == store.last_active_at + DAY
    assert touched.expires_at == touched.last_active_at + 2 * DAY
    http.post("/__mock__/clock", json={"advance": 2 * DAY})
    assert client.vector_stores.retrieve(store.id).status == "expired"
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.search(store.id, query="x")
    assert info.value.body["message"] == f"Vector store '{store.id}' has expired."


def test_unsupported_extension_is_refused_at_attach(client):
    image = _file(client, "photo.png", b"\x89PNG")
    store = client.vector_stores.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.files.create(vector_store_id=store.id, file_id=image.id)
    assert info.value.body["message"] == (
        "Files with extensions [.png] are not supported for retrieval. See "
        "https://platform.openai.com/docs/assistants/tools/file-search/supported-files"
    )
    assert info.value.param == "file_ids" and info.value.code == "unsupported_file"
    assert client.vector_stores.retrieve(store.id).file_counts.total == 0


def test_supported_extension_with_unparseable_content_ends_failed(client):
    bad = _file(client, "binary.txt", b"\xff\xfe\x00\xd8\x00" + bytes(range(200)))
    store = client.vector_stores.create()
    vs_file = client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=bad.id)
    assert vs_file.status == "failed"
    assert vs_file.last_error.code == "unsupported_file"
    assert vs_file.last_error.message == "The file type is not supported."
    counts = client.vector_stores.retrieve(store.id).file_counts
    assert (counts.failed, counts.completed) == (1, 0)


def test_upload_and_poll_finishes_on_the_first_poll(client, http, api_key):
    store = client.vector_stores.create()
    vs_file = client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("guide.md", b"# Guide\nHow to poll.")
    )
    assert vs_file.status == "completed" and vs_file.vector_store_id == store.id
    polls = [e for e in _journal(http, api_key) if e["method"] == "GET" and "/files/" in e["path"]]
    assert len(polls) == 1
    assert vs_file.chunking_strategy.type == "static"
    assert vs_file.chunking_strategy.static.max_chunk_size_tokens == 800


def test_list_filter_retrieve_update_attributes(client, settings):
    good, bad = _file(client, "good.txt"), _file(client, "bad.txt", b"\x00\x01binary")
    store = client.vector_stores.create()
    client.vector_stores.files.create_and_poll(
        vector_store_id=store.id, file_id=good.id, attributes={"k": 1}
    )
    client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=bad.id)
    assert [f.id for f in client.vector_stores.files.list(store.id, filter="failed")] == [bad.id]
    assert [f.id for f in client.vector_stores.files.list(store.id, filter="completed")] == [
        good.id
    ]
    fetched = client.vector_stores.files.retrieve(good.id, vector_store_id=store.id)
    assert fetched.id == good.id and fetched.attributes == {"k": 1}
    updated = client.vector_stores.files.update(
        good.id, vector_store_id=store.id, attributes={"lang": "en"}
    )
    assert updated.attributes == {"lang": "en"}
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.files.list(store.id, filter="bogus")  # type: ignore[arg-type]
    assert info.value.param == "filter"


def test_vs_file_delete_is_scoped_to_its_store_by_default(client):
    file = _file(client)
    first, second = (
        client.vector_stores.create(file_ids=[file.id]),
        client.vector_stores.create(file_ids=[file.id]),
    )
    deleted = client.vector_stores.files.delete(file.id, vector_store_id=first.id)
    assert (deleted.object, deleted.deleted) == ("vector_store.file.deleted", True)
    assert client.vector_stores.retrieve(first.id).file_counts.total == 0
    assert client.vector_stores.retrieve(second.id).file_counts.total == 1
    assert client.files.retrieve(file.id).id == file.id  # the File itself survives


def test_global_delete_scope_replays_node_1710(client, settings):
    settings["delete_scope"] = "global"
    file = _file(client)
    stores = [client.vector_stores.create(file_ids=[file.id]) for _ in range(3)]
    client.vector_stores.files.delete(file.id, vector_store_id=stores[0].id)
    assert [client.vector_stores.retrieve(s.id).file_counts.total for s in stores] == [0, 0, 0]
    assert client.files.retrieve(file.id).id == file.id


def test_content_pages_the_parsed_chunks(client):
    words = " ".join(f"word{i}" for i in range(250))
    file = _file(client, "long.txt", words.encode())
    store = client.vector_stores.create(
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 0},
        }
    )
    client.vector_stores.files.create_and_poll(
        vector_store_id=store.id,
        file_id=file.id,
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 0},
        },
    )
    pages = list(client.vector_stores.files.content(file.id, vector_store_id=store.id))
    assert [p.type for p in pages] == ["text"] * 3
    assert " ".join(p.text for p in pages) == words


def test_static_overlap_above_half_is_refused(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.create(
            chunking_strategy={
                "type": "static",
                "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 101},
            }
        )
    assert info.value.param == "chunking_strategy.static.chunk_overlap_tokens"


def test_manual_progression_keeps_files_in_progress(client, http):
    http.post("/__mock__/settings", json={"progression": "manual"})
    store = client.vector_stores.create(file_ids=[_file(client).id])
    assert client.vector_stores.retrieve(store.id).status == "in_progress"
    assert client.vector_stores.retrieve(store.id).file_counts.in_progress == 1


def test_ingestion_seconds_wait_on_the_virtual_clock(client, http, settings):
    settings["ingestion"] = {"seconds": 30}
    store = client.vector_stores.create(file_ids=[_file(client).id])
    assert client.vector_stores.retrieve(store.id).status == "in_progress"
    http.post("/__mock__/clock", json={"advance": 30})
    assert client.vector_stores.retrieve(store.id).status == "completed"


def test_ingestion_failures_can_be_injected_by_filename(client, settings):
    settings["ingestion"] = {"fail": {"*.md": {"code": "invalid_file", "message": "Corrupt."}}}
    store = client.vector_stores.create()
    vs_file = client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("x.md", b"# ok")
    )
    assert vs_file.status == "failed"
    assert (vs_file.last_error.code, vs_file.last_error.message) == ("invalid_file", "Corrupt.")


def test_thread_helper_store_expires_after_seven_idle_days(client):
    file = _file(client)
    thread = client.beta.threads.create(
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [file.id]}]}}
    )
    (store_id,) = thread.tool_resources.file_search.vector_store_ids
    store = client.vector_stores.retrieve(store_id)
    assert store.expires_after.days == 7 and store.expires_after.anchor == "last_active_at"
    assert store.expires_at == store.last_active_at + 7 * DAY
    assert store.file_counts.total == 1


def test_a_file_detached_and_attached_again_is_listed_once(client):
    file = _file(client)
    store = client.vector_stores.create(file_ids=[file.id])
    client.vector_stores.files.delete(file.id, vector_store_id=store.id)
    client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=file.id)
    assert [f.id for f in client.vector_stores.files.list(store.id)] == [file.id]
    assert client.vector_stores.retrieve(store.id).file_counts.total == 1


def test_unknown_file_is_the_real_not_found(client):
    store = client.vector_stores.create()
    with pytest.raises(openai.NotFoundError) as info:
        client.vector_stores.files.create(vector_store_id=store.id, file_id="file-missing")
    assert info.value.body["message"] == "No file found with id 'file-missing'."
    with pytest.raises(openai.BadRequestError) as prefix:
        client.vector_stores.files.create(vector_store_id=store.id, file_id="nope")
    assert prefix.value.code == "invalid_value" and prefix.value.param == "file_id"


# -- the entry points the run engine calls (Python API, same sandbox as the SDK sees) --------


@pytest.fixture
def engine_side(live_server, api_key):
    app = live_server.app
    return app.state.store.sandbox(api_key)


def test_finish_indexing_waits_on_the_virtual_clock_up_to_the_limit(client, settings, engine_side):
    from mockserver.search import ingestion

    sandbox = engine_side
    settings["ingestion"] = {"seconds": 45}
    store = client.vector_stores.create(file_ids=[_file(client).id])
    assert ingestion.indexing_files(sandbox, [store.id]) == 1
    before = sandbox.now()
    assert ingestion.finish_indexing(sandbox, [store.id], max_wait_seconds=60) == 45
    assert sandbox.now() == before + 45
    assert ingestion.indexing_files(sandbox, [store.id]) == 0
    assert client.vector_stores.retrieve(store.id).file_counts.completed == 1

    settings["ingestion"] = {"seconds": 600}
    slow = client.vector_stores.create(file_ids=[_file(client).id])
    assert ingestion.finish_indexing(sandbox, [slow.id], max_wait_seconds=60) == 60
    assert ingestion.indexing_files(sandbox, [slow.id]) == 1


def test_search_stores_and_store_expired_for_the_engine(client, engine_side, http):
    from mockserver.resources import files, vector_stores
    from mockserver.search import retrieval

    sandbox = engine_side
    made = files.create_from_bytes(
        sandbox, None, "made.txt", b"engine made this quokka note", "assistants"
    )
    assert client.files.retrieve(made["id"]).bytes == len(b"engine made this quokka note")
    store = client.vector_stores.create(
        file_ids=[made["id"]], expires_after={"anchor": "last_active_at", "days": 1}
    )
    client.vector_stores.retrieve(store.id)
    searched = vector_stores.for_search(sandbox, [store.id])
    hits = retrieval.search(sandbox, searched, ["quokka"], max_num_results=5)
    assert [(h.file_id, h.filename) for h in hits] == [(made["id"], "made.txt")]
    assert 0 < hits[0].score <= 1 and "quokka" in hits[0].text
    assert not vector_stores.store_expired(sandbox, store.id)
    http.post("/__mock__/clock", json={"advance": 86_400})
    assert vector_stores.store_expired(sandbox, store.id)
