"""Deleting a vector store detaches it (issue 9, A3): the real assistant showed
``vector_store_ids: []`` afterwards, so a get-or-create helper made a new store instead of
reading a dead one. The same holds for threads."""

from __future__ import annotations

import json

import openai
import pytest

from tests.conftest import FILE_SEARCH, file_search_assistant


def _upload(client, text: bytes = b"Tides follow the moon."):
    return client.files.create(file=("tides.txt", text), purpose="assistants")


def _knowledge_store(client, assistant_id: str) -> str:
    """A get-or-create helper as frameworks write it: the assistant's store, or a new one."""
    assistant = client.beta.assistants.retrieve(assistant_id)
    search = assistant.tool_resources.file_search if assistant.tool_resources else None
    if search and search.vector_store_ids:
        return client.vector_stores.retrieve(search.vector_store_ids[0]).id
    store = client.vector_stores.create(name="knowledge", file_ids=[_upload(client).id])
    client.beta.assistants.update(
        assistant_id, tool_resources={"file_search": {"vector_store_ids": [store.id]}}
    )
    return store.id


def test_an_assistant_forgets_a_deleted_store_and_get_or_create_makes_a_new_one(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=FILE_SEARCH)
    first = _knowledge_store(client, assistant.id)
    assert _knowledge_store(client, assistant.id) == first
    client.vector_stores.delete(first)
    after = client.beta.assistants.retrieve(assistant.id)
    assert after.tool_resources.file_search.vector_store_ids == []
    listed = client.beta.assistants.list().data[0]
    assert listed.tool_resources.file_search.vector_store_ids == []
    second = _knowledge_store(client, assistant.id)  # no 404 on the dead id
    assert second != first
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "moon tides"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed" and first not in json.dumps(run.model_dump())


def test_a_run_made_after_the_delete_does_not_carry_the_dead_id(client):
    store = client.vector_stores.create(file_ids=[_upload(client).id])
    assistant = file_search_assistant(client, store.id)
    client.vector_stores.delete(store.id)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "moon tides"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed" and store.id not in json.dumps(run.model_dump())


def test_a_thread_forgets_a_deleted_store_and_a_new_attachment_makes_another(client):
    file = _upload(client)
    thread = client.beta.threads.create(
        messages=[
            {
                "role": "user",
                "content": "Read this",
                "attachments": [{"file_id": file.id, "tools": FILE_SEARCH}],
            }
        ]
    )
    (store_id,) = thread.tool_resources.file_search.vector_store_ids
    deleted = client.vector_stores.delete(store_id)
    assert deleted.deleted
    assert client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids == []
    client.beta.threads.messages.create(
        thread.id,
        role="user",
        content="And this",
        attachments=[{"file_id": file.id, "tools": FILE_SEARCH}],
    )
    (new_id,) = client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids
    assert new_id != store_id and client.vector_stores.retrieve(new_id).file_counts.total == 1
    with pytest.raises(openai.NotFoundError) as info:  # the dead id cannot come back
        client.beta.threads.update(
            thread.id, tool_resources={"file_search": {"vector_store_ids": [store_id]}}
        )
    assert info.value.body["message"] == f"No vector store found with id '{store_id}'."


def test_only_the_deleted_store_leaves_and_other_resources_stay(client):
    keep, drop = (client.vector_stores.create(name=n) for n in ("keep", "drop"))
    file = _upload(client)
    thread = client.beta.threads.create(
        tool_resources={
            "code_interpreter": {"file_ids": [file.id]},
            "file_search": {"vector_store_ids": [drop.id]},
        }
    )
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[*FILE_SEARCH, {"type": "code_interpreter"}],
        tool_resources={
            "file_search": {"vector_store_ids": [keep.id]},
            "code_interpreter": {"file_ids": [file.id]},
        },
    )
    client.vector_stores.delete(drop.id)
    seen = client.beta.threads.retrieve(thread.id).tool_resources
    assert seen.file_search.vector_store_ids == [] and seen.code_interpreter.file_ids == [file.id]
    kept = client.beta.assistants.retrieve(assistant.id).tool_resources
    assert kept.file_search.vector_store_ids == [keep.id]
    assert kept.code_interpreter.file_ids == [file.id]
