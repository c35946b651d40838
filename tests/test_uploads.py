"""The Uploads API through the official SDK: parts, completion in the given order, checks."""

from __future__ import annotations

import openai
import pytest


def _upload(client, size: int, filename: str = "big.txt"):
    return client.uploads.create(
        bytes=size, filename=filename, mime_type="text/plain", purpose="assistants"
    )


def test_parts_complete_into_one_file_in_the_order_given(client):
    upload = _upload(client, 10)
    assert upload.status == "pending" and upload.file is None
    assert upload.expires_at == upload.created_at + 3600
    first = client.uploads.parts.create(upload.id, data=b"hello")
    second = client.uploads.parts.create(upload.id, data=b"world")
    assert first.id.startswith("part_") and first.upload_id == upload.id
    done = client.uploads.complete(upload.id, part_ids=[second.id, first.id])
    assert done.status == "completed" and done.file.bytes == 10 and done.file.filename == "big.txt"
    assert client.files.content(done.file.id).content == b"worldhello"
    assert client.files.retrieve(done.file.id) == done.file


def test_sdk_chunked_upload_helper(client, tmp_path):
    source = tmp_path / "chunked.txt"
    source.write_bytes(b"0123456789" * 1000)
    done = client.uploads.upload_file_chunked(
        file=source, mime_type="text/plain", purpose="assistants", part_size=3000
    )
    assert done.status == "completed"
    assert client.files.content(done.file.id).content == source.read_bytes()


def test_byte_count_mismatch_is_refused_and_the_upload_stays_pending(client):
    upload = _upload(client, 11)
    part = client.uploads.parts.create(upload.id, data=b"hello")
    with pytest.raises(openai.BadRequestError) as info:
        client.uploads.complete(upload.id, part_ids=[part.id])
    assert info.value.body["message"] == (
        "The number of bytes uploaded (5) does not match the number of bytes declared at "
        "creation (11)."
    )
    assert list(client.files.list()) == []
    more = client.uploads.parts.create(upload.id, data=b" world")
    assert client.uploads.complete(upload.id, part_ids=[part.id, more.id]).status == "completed"


def test_unknown_part_id_is_refused(client):
    upload = _upload(client, 5)
    with pytest.raises(openai.BadRequestError) as info:
        client.uploads.complete(upload.id, part_ids=["part_nope"])
    assert info.value.param == "part_ids[0]"


def test_cancel_ends_the_upload(client):
    upload = _upload(client, 5)
    client.uploads.parts.create(upload.id, data=b"hello")
    cancelled = client.uploads.cancel(upload.id)
    assert cancelled.status == "cancelled" and cancelled.file is None
    with pytest.raises(openai.BadRequestError) as info:
        client.uploads.parts.create(upload.id, data=b"more")
    assert info.value.body["message"] == f"Upload {upload.id} is already cancelled."
    with pytest.raises(openai.BadRequestError):
        client.uploads.complete(upload.id, part_ids=[])


def test_upload_expires_after_an_hour_on_the_virtual_clock(client, http):
    upload = _upload(client, 5)
    assert http.post("/__mock__/clock", json={"advance": 3600}).status_code == 200
    with pytest.raises(openai.BadRequestError) as info:
        client.uploads.parts.create(upload.id, data=b"hello")
    assert info.value.body["message"] == f"Upload {upload.id} is already expired."


def test_create_is_validated(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.uploads.create(
            bytes=5, filename="a.txt", mime_type="text/plain", purpose="user_data"
        )
    assert info.value.param == "purpose" and info.value.code == "invalid_value"
    with pytest.raises(openai.NotFoundError) as missing:
        client.uploads.cancel("upload_missing")
    assert missing.value.body["message"] == "No upload found with id 'upload_missing'."
