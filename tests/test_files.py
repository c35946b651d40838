"""Files through the official SDK: streamed upload, list, retrieve, content, delete."""

from __future__ import annotations

import tracemalloc

import openai
import pytest

from tests.conftest import make_client


def test_upload_list_retrieve_content_delete_round_trip(client):
    created = client.files.create(file=("notes.txt", b"hello files"), purpose="assistants")
    assert created.id.startswith("file-") and created.object == "file"
    assert created.bytes == 11 and created.filename == "notes.txt"
    assert created.status == "processed" and created.purpose == "assistants"
    assert client.files.retrieve(created.id) == created
    assert [f.id for f in client.files.list()] == [created.id]
    assert client.files.content(created.id).content == b"hello files"
    deleted = client.files.delete(created.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (created.id, "file", True)
    with pytest.raises(openai.NotFoundError) as info:
        client.files.retrieve(created.id)
    assert info.value.body["message"] == f"No file found with id '{created.id}'."
    with pytest.raises(openai.NotFoundError):
        client.files.content(created.id)


def test_binary_content_comes_back_byte_for_byte(client):
    data = bytes(range(256)) * 300
    created = client.files.create(file=("blob.bin", data), purpose="user_data")
    assert client.files.content(created.id).content == data


def test_multipart_fields_are_read_by_name_in_any_order(http):
    """Node sends the file part first, Python the purpose first; both must work."""
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="n.md"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n# Node order\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nassistants\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    response = http.post(
        "/v1/files",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["filename"] == "n.md" and response.json()["bytes"] == len(
        b"# Node order"
    )


def test_list_filters_by_purpose_and_pages_forward(client):
    ids = [client.files.create(file=(f"f{i}.txt", b"x"), purpose="assistants").id for i in range(3)]
    client.files.create(file=("v.png", b"png"), purpose="vision")
    assert [f.id for f in client.files.list(purpose="assistants")] == ids[::-1]
    page = client.files.list(purpose="assistants", limit=2, order="asc")
    assert [f.id for f in page.data] == ids[:2] and page.has_more
    assert [f.id for f in client.files.list(purpose="assistants", limit=2, order="asc")] == ids


def test_evals_purpose_is_accepted_and_reported_as_user_data(client):
    created = client.files.create(file=("e.jsonl", b"{}"), purpose="evals")
    assert created.purpose == "user_data"


def test_expires_after_sets_expires_at(client):
    created = client.files.create(
        file=("t.txt", b"x"),
        purpose="assistants",
        expires_after={"anchor": "created_at", "seconds": 3600},
    )
    assert created.expires_at == created.created_at + 3600


@pytest.mark.parametrize(
    ("purpose", "message", "code"),
    [
        (
            "bogus",
            (
                "Invalid value: 'bogus'. Supported values are: 'assistants', 'batch', 'fine-tune', "
                "'vision', 'user_data', and 'evals'."
            ),
            "invalid_value",
        ),
    ],
)
def test_purpose_is_validated(client, purpose, message, code):
    with pytest.raises(openai.BadRequestError) as info:
        client.files.create(file=("a.txt", b"x"), purpose=purpose)
    assert info.value.body["message"] == message
    assert info.value.param == "purpose" and info.value.code == code
    assert list(client.files.list()) == []


def test_missing_file_part_is_the_real_missing_parameter(http):
    response = http.post("/v1/files", files={"purpose": (None, "assistants")})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Missing required parameter: 'file'."


def test_upload_over_the_size_limit_is_refused_and_leaves_nothing(server_factory):
    server = server_factory(max_upload_bytes=1000)
    with make_client(server.base_url, "sk-limit") as c:
        with pytest.raises(openai.BadRequestError) as info:
            c.files.create(file=("big.txt", b"x" * 1001), purpose="assistants")
        assert (
            info.value.body["message"]
            == "File is too large. The maximum size of a file is 1000 bytes."
        )
        assert info.value.param == "file"
        assert list(c.files.list()) == []
        assert c.files.create(file=("ok.txt", b"x" * 1000), purpose="assistants").bytes == 1000
    blobs = server.app.state.blobs
    assert list(blobs.incoming.iterdir()) == []


def test_uploads_stream_to_disk_and_are_never_held_in_memory(server_factory, tmp_path):
    """There is no spool threshold to pass: every part is written to disk as it arrives."""
    server = server_factory()
    size = 16 * 1024 * 1024
    source = tmp_path / "big.txt"
    with open(source, "wb") as f:
        f.writelines(b"%063d\n" % i for i in range(size // 64))
    with make_client(server.base_url, "sk-spool") as c:
        c.files.create(file=("warm.txt", b"x"), purpose="assistants")
        tracemalloc.start()
        try:
            with open(source, "rb") as handle:
                created = c.files.create(file=handle, purpose="assistants")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert created.bytes == size
    on_disk = server.app.state.blobs.path("sk-spool", created.id)
    assert on_disk.stat().st_size == size
    assert on_disk.read_bytes() == source.read_bytes()
    # client and server together never held the file: both stream in small chunks
    assert peak < size // 4, f"peak traced memory {peak} for a {size}-byte upload"


def test_delete_removes_the_file_from_every_store_and_every_code_interpreter(client):
    file = client.files.create(file=("doc.txt", b"shared text"), purpose="assistants")
    other = client.files.create(file=("other.txt", b"kept"), purpose="assistants")
    stores = [client.vector_stores.create(file_ids=[file.id, other.id]) for _ in range(2)]
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "code_interpreter"}],
        tool_resources={"code_interpreter": {"file_ids": [file.id, other.id]}},
    )
    thread = client.beta.threads.create(
        tool_resources={"code_interpreter": {"file_ids": [file.id]}}
    )
    client.files.delete(file.id)
    for store in stores:
        assert [f.id for f in client.vector_stores.files.list(store.id)] == [other.id]
        assert client.vector_stores.retrieve(store.id).file_counts.total == 1
    resources = client.beta.assistants.retrieve(assistant.id).tool_resources
    assert resources.code_interpreter.file_ids == [other.id]
    assert client.beta.threads.retrieve(thread.id).tool_resources.code_interpreter.file_ids == []
