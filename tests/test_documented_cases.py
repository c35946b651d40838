"""The ten documented production problems of the Assistants API, each switched on by its
scenario and replayed through the strict Python SDK: what the client sees, and the fix."""

from __future__ import annotations

import time

import httpx2
import openai
import pytest

from tests.conftest import SERVE, bearer, make_client, require_module, serve_process

LOOKUP = {"type": "function", "function": {"name": "lookup_order", "parameters": {
    "type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}}


@pytest.fixture
def control(live_server, api_key):
    with httpx2.Client(base_url=f"{live_server.url}/__mock__", headers=bearer(api_key)) as c:
        yield c


@pytest.fixture
def use(control):
    def install(name):
        response = control.post("/scenario", json={"name": name})
        assert response.status_code == 200, response.text

    return install


def _user(text):
    return [{"role": "user", "content": text}]


# 1 -------------------------------------------------------------------------------------------
def test_1_thread_already_has_an_active_run(client, use):
    use("active-run")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[LOOKUP])
    thread = client.beta.threads.create(messages=_user("Where is my order?"))
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Hello?")
    assert info.value.body == {"message": f"Can't add messages to {thread.id} while a run {run.id} is active.",
                               "type": "invalid_request_error", "param": None, "code": None}
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {run.id}."
    # the fix: cancel the active run and wait for it to settle, then write to the thread
    assert client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id).status == "cancelling"
    assert client.beta.threads.runs.poll(thread_id=thread.id, run_id=run.id).status == "cancelled"
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Hello?")


# 2 -------------------------------------------------------------------------------------------
def test_2_runs_end_incomplete_and_a_cut_stream_has_no_final_run(client, use):
    use("incomplete-run")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=_user("Explain everything"))
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = [event.event for event in stream]
        seen = stream.get_final_run()
    assert len(events) == 6 and not any(e in events for e in ("thread.run.incomplete", "thread.run.completed"))
    assert seen.status == "in_progress"  # Python keeps the last run it saw; Node throws (see the Node test)
    # the fix: retrieve the run and handle 'incomplete'
    run = client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=seen.id)
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_completion_tokens"
    # without a client limit the scripted answer still stops halfway, as a message 'incomplete'
    cut = client.beta.threads.messages.list(thread.id).data[0]
    assert cut.role == "assistant" and cut.status == "incomplete"
    assert cut.incomplete_details.reason == "max_tokens"
    assert cut.content[0].text.value.startswith("Part 1:") and "Part 36" not in cut.content[0].text.value
    # a whole stream ends with thread.run.incomplete, and the client's own limit cuts the answer
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id,
                                         max_completion_tokens=256) as stream:
        events = [event.event for event in stream]
        final = stream.get_final_run()
    assert events[-1] == "thread.run.incomplete" and "thread.message.incomplete" in events
    assert final.status == "incomplete" and final.usage.completion_tokens <= 256
    message = client.beta.threads.messages.list(thread.id).data[0]
    assert message.status == "incomplete" and message.incomplete_details.reason == "max_tokens"


def test_2_max_prompt_tokens_ends_incomplete_before_any_answer(client, use):
    use("incomplete-run")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=_user(" ".join(["word"] * 300)))
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id,
                                                   max_prompt_tokens=256)
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_prompt_tokens"
    assert client.beta.threads.messages.list(thread.id).data[0].role == "user"


# 3 -------------------------------------------------------------------------------------------
def test_3_vector_store_used_before_indexing_completes(client, use):
    use("vector-store-not-ready")
    file = client.files.create(file=("tides.txt", b"Tides follow the moon and the sun."), purpose="assistants")
    store = client.vector_stores.create(name="kb", file_ids=[file.id])
    store = client.vector_stores.retrieve(store.id)
    assert store.status == "in_progress" and store.file_counts.in_progress == 1
    # no error, just nothing found yet
    assert client.vector_stores.search(vector_store_id=store.id, query="moon tides").data == []
    # the fix: poll until 'completed' (the scenario's files finish after 3 reads of the store,
    # the search above included)
    polls = 0
    while (store := client.vector_stores.retrieve(store.id)).status != "completed":
        polls += 1
        assert polls < 10
    assert store.file_counts.completed == 1 and polls == 1
    assert client.vector_stores.search(vector_store_id=store.id, query="moon tides").data[0].file_id == file.id
    # the SDK's poll helpers end on their own too
    other = client.vector_stores.files.upload_and_poll(vector_store_id=store.id, file=("more.txt", b"More tides."))
    assert other.status == "completed"


def test_3_indexing_time_is_virtual_the_clock_finishes_it(client, use, control):
    use("vector-store-not-ready")
    file = client.files.create(file=("tides.txt", b"Tides follow the moon."), purpose="assistants")
    store = client.vector_stores.create(name="kb", file_ids=[file.id])
    assert client.vector_stores.retrieve(store.id).status == "in_progress"
    control.post("/clock", json={"advance": 30})
    assert client.vector_stores.retrieve(store.id).status == "completed"


def test_3_a_run_on_the_threads_store_waits_for_indexing_on_the_virtual_clock(client, use):
    use("vector-store-not-ready")
    file = client.files.create(file=("tides.txt", b"Tides follow the moon and the sun."), purpose="assistants")
    store = client.vector_stores.create(name="thread kb", file_ids=[file.id])
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    thread = client.beta.threads.create(messages=_user("What do tides follow?"),
                                        tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    assert client.vector_stores.files.retrieve(vector_store_id=store.id, file_id=file.id).status == "completed"
    assert run.completed_at - run.created_at >= 30  # the documented fallback wait, in virtual seconds


# 4 -------------------------------------------------------------------------------------------
def test_4_unsupported_formats_refused_at_attach_and_parse_failures_end_failed(client, use):
    use("unsupported-files")
    store = client.vector_stores.create(name="docs")
    image = client.files.create(file=("chart.png", b"\x89PNG\r\n\x1a\n"), purpose="assistants")
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.files.create(vector_store_id=store.id, file_id=image.id)
    assert info.value.body == {
        "message": "Files with extensions [.png] are not supported for retrieval. See "
                   "https://platform.openai.com/docs/assistants/tools/file-search/supported-files",
        "type": "invalid_request_error", "param": "file_ids", "code": "unsupported_file"}
    notes = client.files.create(file=("notes.md", b"# Notes\nSome notes."), purpose="assistants")
    vs_file = client.vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=notes.id)
    assert vs_file.status == "failed"
    assert (vs_file.last_error.code, vs_file.last_error.message) == ("unsupported_file", "The file type is not supported.")
    assert client.vector_stores.retrieve(store.id).file_counts.failed == 1


# 5 -------------------------------------------------------------------------------------------
def test_5_a_file_batch_with_no_files(client, use):
    use("empty-file-batch")
    store = client.vector_stores.create(name="empty")
    for call in (lambda: client.vector_stores.file_batches.create(vector_store_id=store.id, file_ids=[]),
                 lambda: client.vector_stores.file_batches.upload_and_poll(vector_store_id=store.id, files=[])):
        with pytest.raises(openai.BadRequestError) as info:
            call()
        assert info.value.body == {
            "message": "Invalid 'file_ids': empty array. Expected an array with minimum length 1, "
                       "but got an empty array instead.",
            "type": "invalid_request_error", "param": "file_ids", "code": "empty_array"}
    # the fix: pass the files
    batch = client.vector_stores.file_batches.upload_and_poll(
        vector_store_id=store.id, files=[("a.txt", b"alpha"), ("b.txt", b"beta")])
    assert batch.status == "completed" and batch.file_counts.completed == 2


# 6 -------------------------------------------------------------------------------------------
def test_6_reasoning_models_reject_temperature_until_it_is_cleared(client, use):
    use("reasoning-temperature")
    assistant = client.beta.assistants.create(model="gpt-4o", temperature=0.2)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.update(assistant.id, model="o3-mini")
    assert info.value.body["message"] == "Unsupported parameter: 'temperature' is not supported with this model."
    assert info.value.code == "unsupported_parameter"
    thread = client.beta.threads.create(messages=_user("hi"))
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, model="o3-mini")
    assert info.value.param == "temperature"
    # the fix: clear both with null
    updated = client.beta.assistants.update(assistant.id, model="o3-mini", temperature=None, top_p=None)
    assert updated.model == "o3-mini"
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"


# 7 -------------------------------------------------------------------------------------------
def test_7_a_vector_store_id_passed_as_a_batch_id(client, use):
    use("batch-id-mixup")
    store = client.vector_stores.create(name="mixup")
    for call in (lambda: client.vector_stores.file_batches.retrieve(batch_id=store.id, vector_store_id=store.id),
                 lambda: client.vector_stores.file_batches.list_files(batch_id=store.id, vector_store_id=store.id)):
        with pytest.raises(openai.BadRequestError) as info:
            call()
        assert info.value.body["message"] == f"Invalid 'batch_id': '{store.id}'. Expected an ID that begins with 'vsfb_'."
        assert info.value.param == "batch_id"
    # the fix: the batch id comes from the batch
    batch = client.vector_stores.file_batches.upload_and_poll(vector_store_id=store.id, files=[("a.txt", b"alpha")])
    assert client.vector_stores.file_batches.retrieve(batch_id=batch.id, vector_store_id=store.id).id.startswith("vsfb_")


# 8 -------------------------------------------------------------------------------------------
def _shared_file(client):
    file = client.files.create(file=("shared.txt", b"shared knowledge"), purpose="assistants")
    stores = [client.vector_stores.create(name=n, file_ids=[file.id]) for n in ("A", "B", "C")]
    return file, stores


def test_8_deleting_from_one_store_removes_the_file_from_all(client, use, control):
    file, (a, b, c) = _shared_file(client)
    client.vector_stores.files.delete(vector_store_id=a.id, file_id=file.id)
    # the documented default: only store A loses it
    assert [len(client.vector_stores.files.list(s.id).data) for s in (a, b, c)] == [0, 1, 1]
    use("global-file-delete")
    client.vector_stores.files.delete(vector_store_id=b.id, file_id=file.id)
    assert [len(client.vector_stores.files.list(s.id).data) for s in (a, b, c)] == [0, 0, 0]
    assert client.files.retrieve(file.id).id == file.id  # the File object itself survives
    # the fix it exercises: one upload per store, so a delete touches only that store
    copies = {s.id: client.files.create(file=("own.txt", b"own copy"), purpose="assistants") for s in (a, b)}
    for store_id, own in copies.items():
        client.vector_stores.files.create(vector_store_id=store_id, file_id=own.id)
    client.vector_stores.files.delete(vector_store_id=a.id, file_id=copies[a.id].id)
    assert [f.id for f in client.vector_stores.files.list(b.id).data] == [copies[b.id].id]


# 9 -------------------------------------------------------------------------------------------
def test_9_large_uploads_leave_the_servers_memory_flat(tmp_path):
    require_module("psutil", "psutil is not installed: `pip install -e '.[test]'` brings it")
    import psutil

    command = (*SERVE, "--port", "0", "--scenario", "large-uploads")
    with serve_process(*command, log=tmp_path / "server.log") as (proc, base_url, _port):
        server = psutil.Process(proc.pid)
        size = 48 * 1024 * 1024
        big = tmp_path / "big.txt"
        megabyte = (b"a large upload, line after line of text\n" * 30_000)[: 1024 * 1024]
        with big.open("wb") as fh:
            for _ in range(size // len(megabyte)):
                fh.write(megabyte)
        with make_client(base_url, "sk-large") as client:
            client.files.list()  # warm up: the sandbox and the code paths exist before measuring
            baseline = server.memory_info().rss
            for _ in range(3):
                with big.open("rb") as fh:
                    uploaded = client.files.create(file=fh, purpose="assistants")
                assert uploaded.bytes == big.stat().st_size
            with client.files.with_streaming_response.content(uploaded.id) as response:
                received = sum(len(chunk) for chunk in response.iter_bytes())
            assert received == big.stat().st_size
            grown = server.memory_info().rss - baseline
        # three 48 MB uploads and one download: the server holds none of them in memory
        assert grown < 24 * 1024 * 1024, f"server RSS grew by {grown} bytes"


# 10 ------------------------------------------------------------------------------------------
def create_run_safely(client, thread_id, assistant_id):
    """The seed document's safe create-run pattern, in Python."""
    runs = client.beta.threads.runs.list(thread_id=thread_id, limit=1)
    active = next((r for r in runs.data if r.status in ("queued", "in_progress", "requires_action")), None)
    if active is not None:
        try:
            client.beta.threads.runs.cancel(thread_id=thread_id, run_id=active.id)
            run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=active.id)
            while run.status == "cancelling":
                time.sleep(0)  # the mock moves on per read; nothing to wait for in wall time
                run = client.beta.threads.runs.retrieve(thread_id=thread_id, run_id=active.id)
        except openai.BadRequestError as error:
            if "completed" not in error.message:  # "already completed": the run finished first
                raise
    return client.beta.threads.runs.create(thread_id=thread_id, assistant_id=assistant_id)


def test_10_cancel_race_and_the_safe_create_run_pattern(client, use):
    use("cancel-race")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=_user("first"))
    first = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.cancel(thread_id=thread.id, run_id=first.id)
    assert info.value.body == {"message": "Cannot cancel run with status 'completed'.",
                               "type": "invalid_request_error", "param": None, "code": None}
    # the safe pattern swallows the race and creates the next run
    second = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    third = create_run_safely(client, thread.id, assistant.id)
    assert third.id not in (first.id, second.id)
    statuses = {r.id: r.status for r in client.beta.threads.runs.list(thread_id=thread.id)}
    assert statuses[second.id] == "completed"


def test_10_the_safe_pattern_also_waits_out_a_real_cancellation(client):
    """Without the scenario the cancel wins: the pattern waits out 'cancelling'."""
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=_user("first"))
    first = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    create_run_safely(client, thread.id, assistant.id)
    assert client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=first.id).status == "cancelled"
