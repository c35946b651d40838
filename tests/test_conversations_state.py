"""Conversations and containers as state: the same seed answers byte for byte alike,
``--data-dir`` keeps them (container file bytes included) across a restart, and the request
journal records their calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import make_client
from tests.recording import Answer, RawAnswers, journal_calls, seeded_answers


def drive(base_url: str, key: str = "sk-conversations-state") -> list[Answer]:
    """A fixed sequence of calls, a refusal among them; every raw response."""
    r = RawAnswers()
    keep = r.keep

    with make_client(base_url, key) as c:
        conversations = c.conversations.with_raw_response
        items = c.conversations.items.with_raw_response
        conversation = keep(
            conversations.create(items=[{"role": "user", "content": "Hi"}], metadata={"a": "1"})
        )
        keep(items.create(conversation.id, items=[{"role": "assistant", "content": "Hello"}]))
        keep(items.list(conversation.id, order="asc"))
        r.refused(items.list, conversation.id, after="msg_unknown")  # an unknown cursor
        container = keep(c.containers.with_raw_response.create(name="box"))
        keep(c.containers.files.with_raw_response.create(container.id, file=("a.txt", b"abc")))
        keep(c.containers.files.with_raw_response.list(container.id))
        keep(conversations.delete(conversation.id))
    return r.seen


def test_the_same_seed_answers_byte_for_byte_alike(server_factory: Any) -> None:
    first = seeded_answers(drive, server_factory)
    assert len(first) == 8 and first[3][0] == 400


def test_data_dir_keeps_conversations_containers_and_bytes(
    server_factory: Any, tmp_path: Path
) -> None:
    key = "sk-conversations-persist"
    first = server_factory(data_dir=tmp_path)
    with make_client(first.base_url, key) as c:
        conversation = c.conversations.create(items=[{"role": "user", "content": "Hi"}])
        kept = c.conversations.items.create(
            conversation.id, items=[{"role": "user", "content": "Still here?"}]
        ).data[0]
        container = c.containers.create(name="box")
        file = c.containers.files.create(container.id, file=("a.txt", b"bytes kept"))
        before = c.conversations.items.list(conversation.id).model_dump()
    first.stop()
    second = server_factory(data_dir=tmp_path)
    with make_client(second.base_url, key) as c:
        assert c.conversations.items.list(conversation.id).model_dump() == before
        assert c.conversations.items.retrieve(kept.id, conversation_id=conversation.id) == kept
        assert c.containers.retrieve(container.id).name == "box"
        content = c.containers.files.content.retrieve(file.id, container_id=container.id)
        assert content.read() == b"bytes kept"
        # the id counters came back too: the next conversation is not a repeat
        assert c.conversations.create().id != conversation.id


def test_the_journal_records_conversation_and_container_calls(
    live_server: Any, client: Any, api_key: str
) -> None:
    conversation = client.conversations.create()
    client.conversations.items.list(conversation.id)
    container = client.containers.create(name="box")
    client.containers.delete(container.id)
    assert journal_calls(live_server.url, api_key) == [
        ("POST", "/v1/conversations", 200),
        ("GET", f"/v1/conversations/{conversation.id}/items", 200),
        ("POST", "/v1/containers", 200),
        ("DELETE", f"/v1/containers/{container.id}", 200),
    ]
