"""Message attachments for file_search go into the thread's vector store, as the real API did;
the run then searches and cites them."""

from __future__ import annotations

import openai
import pytest

from tests.conftest import FILE_SEARCH


def upload(client, name: str, data: bytes):
    return client.files.create(file=(name, data), purpose="assistants")


def test_an_attachment_creates_the_threads_store_and_the_run_cites_it(client):
    policy = upload(client, "policy.txt", b"Refunds are possible within 30 days of purchase.")
    assistant = client.beta.assistants.create(model="gpt-4o", tools=FILE_SEARCH)
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(
        thread.id, role="user", content="How long do refunds take?",
        attachments=[{"file_id": policy.id, "tools": FILE_SEARCH}],
    )
    [store_id] = client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids
    store = client.vector_stores.retrieve(store_id)
    assert store.expires_after.anchor == "last_active_at" and store.expires_after.days == 7
    assert [f.id for f in client.vector_stores.files.list(store_id)] == [policy.id]
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    text = client.beta.threads.messages.list(thread.id).data[0].content[0].text
    [citation] = text.annotations
    assert citation.file_citation.file_id == policy.id
    assert text.value[citation.start_index:citation.end_index] == citation.text


def test_later_attachments_join_the_same_store_and_initial_messages_count_too(client):
    first = upload(client, "a.md", b"# Alpha\nThe alpha launch is in March.")
    second = upload(client, "b.md", b"# Beta\nThe beta launch is in June.")
    thread = client.beta.threads.create(messages=[
        {"role": "user", "content": "Read this", "attachments": [{"file_id": first.id, "tools": FILE_SEARCH}]},
    ])
    [store_id] = client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids
    client.beta.threads.messages.create(
        thread.id, role="user", content="And this",
        attachments=[{"file_id": second.id, "tools": FILE_SEARCH}, {"file_id": first.id, "tools": FILE_SEARCH}],
    )
    assert client.beta.threads.retrieve(thread.id).tool_resources.file_search.vector_store_ids == [store_id]
    assert sorted(f.id for f in client.vector_stores.files.list(store_id)) == sorted([first.id, second.id])


def test_a_code_interpreter_attachment_does_not_make_a_store(client):
    data = upload(client, "data.csv", b"a,b\n1,2\n")
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(
        thread.id, role="user", content="Sum it", attachments=[{"file_id": data.id, "tools": [{"type": "code_interpreter"}]}],
    )
    assert message.attachments[0].file_id == data.id
    assert client.beta.threads.retrieve(thread.id).tool_resources.file_search is None
    assert client.vector_stores.list().data == []


def test_an_unsupported_file_attached_for_file_search_is_refused_and_changes_nothing(client):
    image = upload(client, "chart.png", b"\x89PNG\r\n\x1a\n")
    thread = client.beta.threads.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(
            thread.id, role="user", content="Look", attachments=[{"file_id": image.id, "tools": FILE_SEARCH}],
        )
    assert info.value.body["code"] == "unsupported_file"
    assert info.value.body["message"].startswith("Files with extensions [.png] are not supported for retrieval.")
    assert client.beta.threads.messages.list(thread.id).data == []
    assert client.vector_stores.list().data == []
