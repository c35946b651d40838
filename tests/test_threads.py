"""Threads through the official SDK: create (empty, with messages), retrieve, update, delete."""

from __future__ import annotations

import openai
import pytest

from mockserver.clock import DEFAULT_START


def test_empty_thread_round_trips(client):
    created = client.beta.threads.create()
    assert created.id.startswith("thread_") and len(created.id) == len("thread_") + 24
    assert created.object == "thread"
    assert created.created_at == DEFAULT_START  # the virtual clock, never the wall clock
    assert created.metadata == {}
    assert client.beta.threads.retrieve(created.id) == created


def test_thread_created_with_messages_keeps_them_in_order(client):
    thread = client.beta.threads.create(
        messages=[
            {"role": "user", "content": "first"},
            {"role": "assistant", "content": "second", "metadata": {"n": "2"}},
            {"role": "user", "content": [{"type": "text", "text": "third"}]},
        ],
        metadata={"topic": "order"},
    )
    assert thread.metadata == {"topic": "order"}
    listed = client.beta.threads.messages.list(thread.id, order="asc").data
    assert [m.content[0].text.value for m in listed] == ["first", "second", "third"]
    assert [m.role for m in listed] == ["user", "assistant", "user"]
    assert listed[1].metadata == {"n": "2"}
    assert all(m.thread_id == thread.id for m in listed)


def test_update_replaces_metadata_and_null_clears_it(client):
    thread = client.beta.threads.create(metadata={"a": "1"})
    updated = client.beta.threads.update(thread.id, metadata={"b": "2"})
    assert updated.metadata == {"b": "2"} and updated.id == thread.id
    assert client.beta.threads.retrieve(thread.id).metadata == {"b": "2"}
    cleared = client.beta.threads.update(thread.id, metadata=None)
    assert cleared.metadata == {}
    untouched = client.beta.threads.update(thread.id)
    assert untouched == cleared


def test_delete_removes_the_thread_and_its_messages(client):
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    deleted = client.beta.threads.delete(thread.id)
    assert deleted.id == thread.id and deleted.deleted and deleted.object == "thread.deleted"
    for call in (
        lambda: client.beta.threads.retrieve(thread.id),
        lambda: client.beta.threads.messages.list(thread.id),
        lambda: client.beta.threads.delete(thread.id),
    ):
        with pytest.raises(openai.NotFoundError) as info:
            call()
        assert info.value.body["message"] == f"No thread found with id '{thread.id}'."


def test_invalid_initial_message_creates_no_thread(client, sandbox_state):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.create(
            messages=[{"role": "user", "content": "ok"}, {"role": "user", "content": []}]
        )
    assert info.value.body["message"] == (
        "Invalid 'messages[1].content': empty array. Expected an array with minimum length 1, "
        "but got an empty array instead."
    )
    assert info.value.param == "messages[1].content" and info.value.code == "empty_array"
    assert sandbox_state() == {}


def test_unknown_file_in_tool_resources_is_a_404_and_creates_nothing(client, sandbox_state):
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.threads.create(tool_resources={"code_interpreter": {"file_ids": ["file-nope"]}})
    assert info.value.body["message"] == "No file found with id 'file-nope'."
    assert sandbox_state() == {}


def test_async_client_round_trip(async_client):
    import asyncio

    async def scenario():
        async with async_client as c:
            thread = await c.beta.threads.create(metadata={"via": "async"})
            fetched = await c.beta.threads.retrieve(thread.id)
            return thread, fetched

    thread, fetched = asyncio.run(scenario())
    assert thread == fetched and fetched.metadata == {"via": "async"}
