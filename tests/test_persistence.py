"""``--data-dir``: a restart keeps every object and every byte; without it nothing is left."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import SERVE, bearer, make_client, serve_process


@contextmanager
def cli_server(data_dir: Path) -> Iterator[str]:
    """``serve --port 0 --data-dir DIR`` in a child process; yields its base URL, stops it with
    SIGTERM and checks that it ended cleanly (its log lies beside the data directory)."""
    log_path = data_dir.parent / f"{data_dir.name}-server.log"
    command = (*SERVE, "--port", "0", "--data-dir", str(data_dir))
    with serve_process(*command, log=log_path) as (process, base_url, _port):
        yield base_url
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log_path.read_text()


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
    assert list((data_dir / "sandboxes").glob("*.json"))
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


def test_state_files_are_replaced_atomically(server_factory, tmp_path):
    server = server_factory(data_dir=tmp_path)
    with make_client(server.base_url, "sk-atomic") as client:
        for i in range(3):
            client.files.create(file=(f"{i}.txt", b"x"), purpose="assistants")
    server.stop()  # the save after a request may still be running when its response arrives
    names = sorted(p.name for p in (tmp_path / "sandboxes").iterdir())
    assert len(names) == 1 and names[0].endswith(".json")  # no temp files left behind
    assert not any((tmp_path / "incoming").glob("*"))


def test_without_data_dir_the_bytes_live_in_a_temporary_directory_removed_on_stop(server_factory):
    server = server_factory()
    with make_client(server.base_url, "sk-temp") as client:
        file = client.files.create(file=("t.txt", b"temporary"), purpose="assistants")
    path = server.app.state.blobs.path("sk-temp", file.id)
    assert path.read_bytes() == b"temporary"
    server.stop()
    assert not server.app.state.blobs.root.exists()


def test_ingestion_finished_by_a_read_is_saved_at_once(server_factory, tmp_path):
    import json

    server = server_factory(data_dir=tmp_path)
    with make_client(server.base_url, "sk-read") as client:
        file = client.files.create(file=("r.txt", b"read me"), purpose="assistants")
        store = client.vector_stores.create(file_ids=[file.id])
        assert client.vector_stores.retrieve(store.id).status == "completed"
        (saved,) = (tmp_path / "sandboxes").glob("*.json")
        tables = json.loads(saved.read_text())["sandbox"]["tables"]
        rows = tables[f"vector_store_files/{store.id}"]
        assert [row["object"]["status"] for row in rows] == ["completed"]


def test_a_reset_sandbox_does_not_come_back_after_a_restart(server_factory, tmp_path):
    import httpx2

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
