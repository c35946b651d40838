"""Containers (code interpreter's files for the Responses API) through the official SDK:
objects, files uploaded, copied and made by the engine, their bytes, and expiry on the
virtual clock."""

from __future__ import annotations

import re
from typing import Any

import httpx2
import openai
import pytest
from openai import OpenAI

from mockserver.resources import containers
from mockserver.server import LiveServer

from .conftest import bearer


def error_of(excinfo: pytest.ExceptionInfo[openai.APIStatusError]) -> dict[str, Any]:
    return excinfo.value.response.json()["error"]


def test_create_retrieve_list_delete(client: OpenAI) -> None:
    container = client.containers.create(name="My Container", memory_limit="4g")
    assert re.fullmatch(r"cntr_[0-9a-f]{48}", container.id)
    assert container.object == "container" and container.status == "running"
    assert container.name == "My Container" and container.memory_limit == "4g"
    assert container.expires_after.anchor == "last_active_at"
    assert container.expires_after.minutes == 20
    assert container.last_active_at == container.created_at
    assert client.containers.retrieve(container.id).model_dump() == container.model_dump()

    other = client.containers.create(
        name="other", expires_after={"anchor": "last_active_at", "minutes": 5}
    )
    assert other.memory_limit == "1g" and other.expires_after.minutes == 5
    assert [c.id for c in client.containers.list()] == [other.id, container.id]
    assert [c.id for c in client.containers.list(name="other")] == [other.id]

    assert client.containers.delete(other.id) is None  # the SDK drops the body
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.containers.retrieve(other.id)
    assert error_of(excinfo)["message"] == f"Container with id '{other.id}' not found."


def test_files_uploaded_copied_listed_served_deleted(client: OpenAI) -> None:
    uploaded = client.files.create(file=("data.csv", b"a,b\n1,2\n"), purpose="assistants")
    container = client.containers.create(name="c", file_ids=[uploaded.id])
    (copied,) = client.containers.files.list(container.id).data
    assert copied.path == "/mnt/data/data.csv" and copied.source == "user"
    assert copied.bytes == 8 and copied.container_id == container.id
    assert re.fullmatch(r"cfile_[0-9a-f]{32}", copied.id)

    sent = client.containers.files.create(container.id, file=("notes.txt", b"hello"))
    assert sent.object == "container.file" and sent.bytes == 5
    assert re.fullmatch(r"/mnt/data/[0-9a-f]{32}-notes\.txt", sent.path)
    by_id = client.containers.files.create(container.id, file_id=uploaded.id)
    assert by_id.path == "/mnt/data/data.csv"

    listed = client.containers.files.list(container.id, order="asc")
    assert [f.id for f in listed] == [copied.id, sent.id, by_id.id]
    retrieved = client.containers.files.retrieve(sent.id, container_id=container.id)
    assert retrieved.model_dump() == sent.model_dump()
    content = client.containers.files.content.retrieve(sent.id, container_id=container.id)
    assert content.read() == b"hello"

    assert client.containers.files.delete(sent.id, container_id=container.id) is None
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.containers.files.retrieve(sent.id, container_id=container.id)
    assert error_of(excinfo)["message"] == f"Container file with id '{sent.id}' not found."
    client.containers.delete(container.id)
    with pytest.raises(openai.NotFoundError):
        client.containers.files.list(container.id)


def test_upload_names_beyond_latin_1_are_kept(client: OpenAI) -> None:
    """The SDKs send a file's name as UTF-8 in the part's header: a name outside Latin-1 (an
    emoji) is kept, not a server error, and an accented one is not mangled."""
    container = client.containers.create(name="c")
    for name in ("r\u00e9sum\u00e9.txt", "\U0001f600 notes.txt"):
        sent = client.containers.files.create(container.id, file=(name, b"hi"))
        assert sent.path.endswith("-" + name)
        uploaded = client.files.create(file=(name, b"hi"), purpose="assistants")
        assert uploaded.filename == name


def test_refusals(client: OpenAI, http: Any) -> None:
    refused = http.post("/v1/containers", json={})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "Missing required parameter: 'name'."
    with pytest.raises(openai.NotFoundError):
        client.containers.create(name="c", file_ids=["file-unknown"])
    assert client.containers.list().data == []  # nothing made before the refusal
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.containers.create(name="c", memory_limit="2g")  # type: ignore[arg-type]
    assert error_of(excinfo)["param"] == "memory_limit"


def test_expiry_follows_the_virtual_clock(
    client: OpenAI, live_server: LiveServer, api_key: str
) -> None:
    container = client.containers.create(
        name="c", expires_after={"anchor": "last_active_at", "minutes": 1}
    )
    control = f"{live_server.url}/__mock__/clock"
    httpx2.post(control, json={"advance": 30}, headers=bearer(api_key)).raise_for_status()
    client.containers.files.create(container.id, file=("a.txt", b"a"))  # activity: 1 more minute
    httpx2.post(control, json={"advance": 59}, headers=bearer(api_key)).raise_for_status()
    assert client.containers.retrieve(container.id).status == "running"
    httpx2.post(control, json={"advance": 1}, headers=bearer(api_key)).raise_for_status()
    assert client.containers.retrieve(container.id).status == "expired"
    assert client.containers.list().data[0].status == "expired"
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.containers.files.create(container.id, file=("b.txt", b"b"))
    assert error_of(excinfo)["message"] == f"Container with id '{container.id}' is expired."
    assert len(client.containers.files.list(container.id).data) == 1  # still readable


def test_engine_files_for_code_interpreter(live_server: LiveServer, client: OpenAI) -> None:
    """What the Responses engine calls: an auto container with copies of the tool's files,
    and a PNG it made, served from the content endpoint."""
    uploaded = client.files.create(file=("in.csv", b"x\n1\n"), purpose="assistants")
    store = live_server.app.state.store
    key = client.api_key
    sandbox = store.sandbox(key)
    auto = containers.auto_container(sandbox, [uploaded.id])
    png = b"\x89PNG\r\n\x1a\nfake"
    made = containers.add_file(sandbox, auto["id"], "chart.png", png)
    assert made["source"] == "assistant" and made["path"] == "/mnt/data/chart.png"
    assert client.containers.retrieve(auto["id"]).status == "running"
    files = client.containers.files.list(auto["id"], order="asc").data
    assert [f.path for f in files] == ["/mnt/data/in.csv", "/mnt/data/chart.png"]
    served = client.containers.files.content.retrieve(made["id"], container_id=auto["id"])
    assert served.read() == png


def test_a_background_response_whose_container_went_fails_instead_of_every_read_erring(
    client: OpenAI,
) -> None:
    """The container a code interpreter tool names is deleted while the response waits: the
    response fails (the container's 404 as its error), as a run whose store expired does; a
    read of the response is not the container's 404, and the response does not stay
    in_progress for ever."""
    container = client.containers.create(name="c")
    created = client.responses.create(
        model="gpt-4o",
        input="plot a chart of x^2 with code interpreter",
        background=True,
        tools=[{"type": "code_interpreter", "container": container.id}],
        tool_choice="required",
    )
    assert client.responses.retrieve(created.id).status == "in_progress"
    client.containers.delete(container.id)
    done = client.responses.retrieve(created.id)
    assert done.status == "failed" and done.output == []
    assert done.error is not None and done.error.code == "server_error"
    assert done.error.message == f"Container with id '{container.id}' not found."
    # the replayed stream ends with the failure's error event, which the SDK raises
    stream = client.responses.retrieve(created.id, stream=True)
    with pytest.raises(openai.APIError, match="not found"), stream as events:
        list(events)
