"""``--data-dir``: a restart keeps every object and every byte, a SIGKILL loses nothing
acknowledged (API and control requests alike), nothing half-written is left behind, and a
request's saving costs what it changed, not what the sandbox holds. Without a data directory
nothing is left."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest

from mockserver import create_app
from mockserver.handle import MockHandle
from mockserver.persistence import DataDirError
from mockserver.transport import transport
from tests.conftest import SERVE, bearer, make_client, require, serve_process


def serve_command(data_dir: Path) -> tuple[str, ...]:
    """``serve --port 0 --data-dir DIR``, its operator token file beside the data directory
    (not in a temporary folder of its own, which a SIGKILL would leave behind)."""
    token_file = data_dir.parent / f"{data_dir.name}-operator-token"
    return (*SERVE, "--port", "0", "--data-dir", str(data_dir), "--operator-token-file", str(token_file))


@contextmanager
def cli_server(data_dir: Path) -> Iterator[str]:
    """``serve --port 0 --data-dir DIR`` in a child process; yields its base URL, stops it with
    SIGTERM and checks that it ended cleanly (its log lies beside the data directory)."""
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    command = serve_command(data_dir)
    with serve_process(*command, log=log_path) as (process, base_url, _port):
        yield base_url
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_path.read_text()


@contextmanager
def cli_process(data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``serve --port 0 --data-dir DIR`` in a child process, to be killed by the test."""
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    command = serve_command(data_dir)
    with serve_process(*command, log=log_path) as (process, base_url, _port):
        yield process, base_url


def sigkill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def control(base_url: str, key: str, method: str, path: str, body: dict | None = None) -> bytes:
    """A control API call on the sandbox of ``key`` (named by its own bearer key)."""
    root = base_url.removesuffix("/v1")
    response = httpx2.request(method, f"{root}/__mock__/{path}", json=body, headers=bearer(key))
    assert response.status_code == 200, response.text
    return response.content


def _populate(client) -> dict:
    file = client.files.create(
        file=("facts.txt", b"The capybara is the largest rodent."), purpose="assistants"
    )
    store = client.vector_stores.create(name="kept", file_ids=[file.id])
    client.vector_stores.retrieve(store.id)  # ingestion finishes
    client.vector_stores.files.update(file.id, vector_store_id=store.id, attributes={"k": "v"})
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    return {"file": file, "store": store.id, "assistant": assistant}


def _check(client, before: dict) -> None:
    file = before["file"]
    assert client.files.retrieve(file.id) == file
    assert client.files.content(file.id).content == b"The capybara is the largest rodent."
    store = client.vector_stores.retrieve(before["store"])
    assert store.name == "kept" and store.file_counts.completed == 1
    assert client.vector_stores.files.retrieve(file.id, vector_store_id=store.id).attributes == {
        "k": "v"
    }
    hits = list(client.vector_stores.search(store.id, query="largest rodent"))
    assert [h.file_id for h in hits] == [file.id]  # the index is rebuilt from the saved bytes
    assert client.beta.assistants.retrieve(before["assistant"].id) == before["assistant"]
    # ids keep counting where they stopped: nothing minted before the restart is reused
    assert client.files.create(file=("new.txt", b"n"), purpose="assistants").id != file.id


def test_cli_restart_with_data_dir_keeps_objects_and_bytes(tmp_path):
    data_dir = tmp_path / "state"
    with cli_server(data_dir) as url, make_client(url, "sk-persist") as client:
        before = _populate(client)
    assert (data_dir / "state.sqlite3").is_file()
    with cli_server(data_dir) as url, make_client(url, "sk-persist") as client:
        _check(client, before)


def test_in_process_restart_with_data_dir(server_factory, tmp_path):
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, "sk-app") as client:
        before = _populate(client)
    first.stop()
    second = server_factory(data_dir=tmp_path)
    with make_client(second.base_url, "sk-app") as client:
        _check(client, before)
        assert [f.id for f in client.files.list()][-1] == before["file"].id


def test_a_clean_stop_leaves_only_the_database_and_the_bytes(server_factory, tmp_path):
    server = server_factory(data_dir=tmp_path)
    with make_client(server.base_url, "sk-atomic") as client:
        for i in range(3):
            client.files.create(file=(f"{i}.txt", b"x"), purpose="assistants")
    server.stop()
    # no temporary file, no write-ahead log, no upload area left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "state.sqlite3"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_database_and_its_log_are_readable_by_their_user_only(server_factory, tmp_path):
    server = server_factory(data_dir=tmp_path)
    with make_client(server.base_url, "sk-private") as client:
        client.beta.assistants.create(model="gpt-4o")
    for name in ("state.sqlite3", "state.sqlite3-wal"):  # the keys are in them
        assert (tmp_path / name).stat().st_mode & 0o077 == 0, name


def test_without_data_dir_the_bytes_live_in_a_temporary_directory_removed_on_stop(server_factory):
    server = server_factory()
    with make_client(server.base_url, "sk-temp") as client:
        file = client.files.create(file=("t.txt", b"temporary"), purpose="assistants")
    path = server.app.state.blobs.path("sk-temp", file.id)
    assert path.read_bytes() == b"temporary"
    server.stop()
    assert not server.app.state.blobs.root.exists()


def test_ingestion_finished_by_a_read_is_saved_at_once(server_factory, tmp_path):
    server = server_factory(data_dir=tmp_path)
    with make_client(server.base_url, "sk-read") as client:
        file = client.files.create(file=("r.txt", b"read me"), purpose="assistants")
        store = client.vector_stores.create(file_ids=[file.id])
        assert client.vector_stores.retrieve(store.id).status == "completed"
        _, saved = server.app.state.persistence.read()  # what a restart would load
        rows = saved["sk-read"].dump()["tables"][f"vector_store_files/{store.id}"]
        assert [row["object"]["status"] for row in rows] == ["completed"]


def test_a_reset_sandbox_does_not_come_back_after_a_restart(server_factory, tmp_path):
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, "sk-gone") as client:
        client.files.create(file=("g.txt", b"gone"), purpose="assistants")
    with make_client(first.base_url, "sk-kept") as client:
        kept = client.files.create(file=("k.txt", b"kept"), purpose="assistants")
    httpx2.post(f"{first.url}/__mock__/reset", headers=bearer("sk-gone")).raise_for_status()
    first.stop()
    assert len(list((tmp_path / "files").iterdir())) == 1
    second = server_factory(data_dir=tmp_path)
    with make_client(second.base_url, "sk-gone") as client:
        assert list(client.files.list()) == []
    with make_client(second.base_url, "sk-kept") as client:
        assert client.files.content(kept.id).content == b"kept"


def test_acknowledged_writes_survive_sigkill(tmp_path):
    data_dir = tmp_path / "state"
    keys = ("sk-kill-a", "sk-kill-b")
    with cli_process(data_dir) as (process, url):
        for key in keys:
            with make_client(url, key) as client:
                _populate(client)
                thread = client.beta.threads.create(
                    messages=[{"role": "user", "content": f"hello {i}"} for i in range(5)]
                )
                assistant = client.beta.assistants.create(model="gpt-4o")
                client.beta.threads.runs.create_and_poll(
                    thread_id=thread.id, assistant_id=assistant.id
                )
                message = client.beta.threads.messages.list(thread.id, order="asc").data[1]
                client.beta.threads.messages.delete(message.id, thread_id=thread.id)
                client.beta.assistants.update(assistant.id, name="last write")
        before = {key: control(url, key, "GET", "state") for key in keys}
        sigkill(process)
    with cli_process(data_dir) as (process, url):
        assert {key: control(url, key, "GET", "state") for key in keys} == before
        with make_client(url, keys[0]) as client:
            assert [a.name for a in client.beta.assistants.list(limit=1).data] == ["last write"]
        sigkill(process)


def test_control_changes_survive_sigkill(tmp_path):
    """A reset, a clock move, settings and scenarios through the control API are saved before
    the control API answers, like API writes."""
    data_dir = tmp_path / "state"
    with cli_process(data_dir) as (process, url):
        for key in ("sk-kept", "sk-gone"):
            with make_client(url, key) as client:
                client.beta.assistants.create(model="gpt-4o")
        control(url, "sk-kept", "POST", "clock", {"advance": 3600})
        control(url, "sk-kept", "POST", "settings", {"progression": "manual"})
        control(url, "sk-kept", "POST", "scenario", {"name": "weather-tool"})
        control(url, "sk-gone", "POST", "reset")
        kept = json.loads(control(url, "sk-kept", "GET", "state"))
        sigkill(process)
    assert kept["clock"] == 1_767_225_600 + 3600
    assert kept["settings"]["progression"] == "manual"
    assert [s["name"] for s in kept["settings"]["scenarios"]] == ["weather-tool"]
    with cli_process(data_dir) as (process, url):
        assert json.loads(control(url, "sk-kept", "GET", "state")) == kept
        assert json.loads(control(url, "sk-gone", "GET", "state"))["tables"] == {}
        sigkill(process)
    # the reset sandbox's bytes are gone as well: only sk-kept has a folder (no files yet)
    gone = hashlib.sha256(b"sk-gone").hexdigest()[:32]
    assert not (data_dir / "files" / gone).exists()


def test_a_truncated_upload_leaves_no_part_file(server_factory, tmp_path):
    server = server_factory(data_dir=tmp_path)
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nthe body ends before the file part does"
    )
    response = httpx2.post(
        f"{server.base_url}/files",
        content=body,
        headers={
            "Authorization": "Bearer sk-trunc",
            "Content-Type": "multipart/form-data; boundary=XX",
        },
    )
    assert response.status_code == 400
    assert list((tmp_path / "incoming").iterdir()) == []


def test_start_up_removes_what_a_killed_server_left(server_factory, tmp_path):
    (tmp_path / "incoming").mkdir()
    (tmp_path / "incoming" / "part-abc123").write_bytes(b"half an upload")
    (tmp_path / "sandboxes").mkdir()  # the first format's folder, a save cut short in it
    (tmp_path / "sandboxes" / ".tmp-x1y2z3.partial").write_text('{"format": 1, "sand')
    server_factory(data_dir=tmp_path)
    assert list((tmp_path / "incoming").iterdir()) == []
    assert not (tmp_path / "sandboxes").exists()


def _bytes_written() -> int:
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith("wchar:")).split()[1])


def _read_cost(data_dir: Path, objects: int) -> int:
    """Median bytes written by this process for one retrieve, with ``objects`` messages."""
    app = create_app(data_dir=data_dir)
    mock = MockHandle(app, "sk-cost")
    try:
        client = mock.client()
        thread = None
        for _ in range(objects // 32):  # a thread and 31 messages: 32 objects a request
            thread = client.beta.threads.create(
                messages=[{"role": "user", "content": "a message of some length"}] * 31
            )
        costs = []
        for _ in range(21):
            start = _bytes_written()
            client.beta.threads.retrieve(thread.id)
            costs.append(_bytes_written() - start)
        return sorted(costs)[len(costs) // 2]  # a WAL checkpoint lands in one read at most
    finally:
        mock.close()
        app.state.store.close()


def test_a_read_writes_as_little_in_a_large_sandbox_as_in_a_small_one(tmp_path):
    require(os.path.exists("/proc/self/io"), "counting bytes written needs /proc/self/io (Linux)")
    small = _read_cost(tmp_path / "small", 200)
    large = _read_cost(tmp_path / "large", 2000)
    # a read saves what it changed (the request id counter), not the whole sandbox
    assert large <= small * 1.5 + 8192, (small, large)


def test_a_cursor_on_a_deleted_object_pages_on_after_a_restart(server_factory, tmp_path):
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, "sk-cursor") as client:
        made = [client.beta.assistants.create(model="gpt-4o", name=f"a{i}").id for i in range(3)]
        client.beta.assistants.delete(made[1])
    first.stop()
    second = server_factory(data_dir=tmp_path)
    with make_client(second.base_url, "sk-cursor") as client:
        page = client.beta.assistants.list(order="asc", after=made[1])
        assert [a.id for a in page.data] == [made[2]]


def test_a_data_dir_of_the_first_format_is_converted_once(server_factory, tmp_path):
    source = server_factory()
    with make_client(source.base_url, "sk-legacy") as client:
        client.beta.threads.create(messages=[{"role": "user", "content": "kept"}])
        client.beta.assistants.create(model="gpt-4o", name="kept")
    state = control(source.base_url, "sk-legacy", "GET", "state")
    legacy = tmp_path / "sandboxes"
    legacy.mkdir()
    name = hashlib.sha256(b"sk-legacy").hexdigest()[:32]
    # what the first format wrote: the whole dump, unmasked key included
    dump = source.app.state.store.sandboxes["sk-legacy"].dump()
    document = {"format": 1, "sandbox": dump}
    (legacy / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")

    converted = server_factory(data_dir=tmp_path)
    assert control(converted.base_url, "sk-legacy", "GET", "state") == state
    assert not legacy.exists()
    converted.stop()
    again = server_factory(data_dir=tmp_path)
    assert control(again.base_url, "sk-legacy", "GET", "state") == state


def test_a_data_dir_of_an_unknown_format_is_refused_with_the_file_named(tmp_path):
    (tmp_path / "sandboxes").mkdir()
    (tmp_path / "sandboxes" / "x.json").write_text('{"format": 7}')
    with pytest.raises(DataDirError, match=r"x\.json: unsupported state format 7"):
        create_app(data_dir=tmp_path)


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path):
    first = create_app(data_dir=tmp_path)
    try:
        with pytest.raises(DataDirError, match="in use by another assistants-mock server"):
            create_app(data_dir=tmp_path)
        out = subprocess.run(
            [*SERVE, "--port", "0", "--data-dir", str(tmp_path)],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 2
        assert "in use by another assistants-mock server" in out.stderr
    finally:
        first.state.store.close()
    create_app(data_dir=tmp_path).state.store.close()  # free again once the first is gone


def test_a_body_sent_in_pieces_is_saved_though_another_answer_went_out_meanwhile(tmp_path):
    # the create's sandbox is handed out before its body is read; another request of the
    # sandbox is answered (and committed) while the body is still coming: the create's own
    # answer must still save what it made, or a kill loses an acknowledged object
    key = "sk-pieces"
    app = create_app(data_dir=tmp_path, seed=0)
    piece_read = asyncio.Event()
    other_answered = asyncio.Event()

    async def pieces() -> AsyncIterator[bytes]:
        yield b'{"model": "gpt-4o", '
        piece_read.set()
        await other_answered.wait()
        yield b'"name": "sent in pieces"}'

    async def exchange() -> httpx2.Response:
        async with httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://mock/v1", headers={
                **bearer(key), "OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"
            }
        ) as http:  # fmt: skip

            async def other() -> httpx2.Response:
                await piece_read.wait()
                answered = await http.get("/assistants")
                other_answered.set()
                return answered

            created, listed = await asyncio.gather(
                http.post("/assistants", content=pieces()), other()
            )
        assert listed.status_code == 200
        return created

    created = asyncio.run(exchange())
    assert created.status_code == 200, created.text
    app.state.persistence.close(save=False)  # what SIGKILL leaves: no final save
    app = create_app(data_dir=tmp_path, seed=0)
    try:
        with make_client(
            "http://mock/v1", key, http_client=httpx2.Client(transport=transport(app))
        ) as client:
            assert client.beta.assistants.retrieve(created.json()["id"]).name == "sent in pieces"
    finally:
        app.state.store.close()
