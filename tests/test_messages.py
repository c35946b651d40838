"""Messages through the official SDK: content forms, CRUD, scoping to their thread."""

from __future__ import annotations

import openai
import pytest


@pytest.fixture
def thread(client):
    return client.beta.threads.create()


def test_string_content_becomes_a_text_part(client, thread):
    message = client.beta.threads.messages.create(thread.id, role="user", content="Hello ✓")
    assert message.id.startswith("msg_") and message.object == "thread.message"
    assert message.thread_id == thread.id and message.role == "user"
    assert message.status == "completed" and message.completed_at == message.created_at
    assert message.assistant_id is None and message.run_id is None
    assert message.incomplete_details is None and message.incomplete_at is None
    assert len(message.content) == 1
    part = message.content[0]
    assert part.type == "text" and part.text.value == "Hello ✓" and part.text.annotations == []
    assert message.attachments == [] and message.metadata == {}


def test_content_parts_round_trip_with_default_detail(client, thread):
    message = client.beta.threads.messages.create(
        thread.id,
        role="user",
        content=[
            {"type": "text", "text": "look"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/b.png", "detail": "low"},
            },
        ],
    )
    text, first, second = message.content
    assert text.type == "text" and text.text.value == "look"
    assert first.type == "image_url" and first.image_url.url == "https://example.com/a.png"
    assert first.image_url.detail == "auto" and second.image_url.detail == "low"
    assert client.beta.threads.messages.retrieve(message.id, thread_id=thread.id) == message


def test_update_metadata_and_delete(client, thread):
    message = client.beta.threads.messages.create(thread.id, role="assistant", content="hi")
    assert message.role == "assistant"
    updated = client.beta.threads.messages.update(
        message.id, thread_id=thread.id, metadata={"k": "v"}
    )
    assert updated.metadata == {"k": "v"} and updated.content == message.content
    deleted = client.beta.threads.messages.delete(message.id, thread_id=thread.id)
    assert deleted.id == message.id and deleted.deleted
    assert deleted.object == "thread.message.deleted"
    assert client.beta.threads.messages.list(thread.id).data == []
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
    assert info.value.body["message"] == f"No message found with id '{message.id}'."


def test_a_message_is_only_found_through_its_own_thread(client, thread):
    other = client.beta.threads.create()
    message = client.beta.threads.messages.create(thread.id, role="user", content="mine")
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.messages.retrieve(message.id, thread_id=other.id)
    assert info.value.body["message"] == f"No message found with id '{message.id}'."
    assert client.beta.threads.messages.list(other.id).data == []


def test_list_filters_by_run_id(client, thread):
    client.beta.threads.messages.create(thread.id, role="user", content="a")
    assert client.beta.threads.messages.list(thread.id, run_id="run_none").data == []
    assert len(client.beta.threads.messages.list(thread.id).data) == 1


def test_missing_attachment_file_is_a_404_and_adds_nothing(client, thread):
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.messages.create(
            thread.id,
            role="user",
            content="see file",
            attachments=[{"file_id": "file-missing", "tools": [{"type": "file_search"}]}],
        )
    assert info.value.body["message"] == "No file found with id 'file-missing'."
    assert client.beta.threads.messages.list(thread.id).data == []


def test_content_over_256000_characters_is_refused(client, thread):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(thread.id, role="user", content="x" * 256_001)
    assert info.value.body["message"] == (
        "Invalid 'content': string too long. Expected a string with maximum length 256000, "
        "but got a string with length 256001 instead."
    )
    assert info.value.code == "string_above_max_length" and info.value.param == "content"
    exactly = client.beta.threads.messages.create(thread.id, role="user", content="y" * 256_000)
    assert len(exactly.content[0].text.value) == 256_000
