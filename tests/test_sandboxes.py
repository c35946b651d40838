"""Sandboxes: each API key sees only its own objects, on one server, even in parallel."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from tests.conftest import make_client


def test_objects_of_one_key_are_invisible_to_another(live_server):
    with (
        make_client(live_server.base_url, "sk-box-a") as a,
        make_client(live_server.base_url, "sk-box-b") as b,
    ):
        assistant = a.beta.assistants.create(model="gpt-4o")
        thread = a.beta.threads.create(messages=[{"role": "user", "content": "private"}])
        assert b.beta.assistants.list().data == []
        with pytest.raises(openai.NotFoundError):
            b.beta.assistants.retrieve(assistant.id)
        with pytest.raises(openai.NotFoundError):
            b.beta.threads.messages.list(thread.id)
        with pytest.raises(openai.NotFoundError):
            b.beta.assistants.delete(assistant.id)
        with pytest.raises(openai.NotFoundError):
            b.beta.threads.update(thread.id, metadata={"stolen": "yes"})
        assert a.beta.assistants.retrieve(assistant.id) == assistant
        assert a.beta.threads.retrieve(thread.id).metadata == {}


def test_two_keys_on_one_seed_never_mint_the_same_id(live_server):
    with (
        make_client(live_server.base_url, "sk-ids-a") as a,
        make_client(live_server.base_url, "sk-ids-b") as b,
    ):
        ids_a = {a.beta.assistants.create(model="gpt-4o").id for _ in range(20)}
        ids_b = {b.beta.assistants.create(model="gpt-4o").id for _ in range(20)}
    assert len(ids_a) == len(ids_b) == 20 and not ids_a & ids_b


def test_two_clients_with_the_same_key_share_one_sandbox(live_server):
    with (
        make_client(live_server.base_url, "sk-shared") as one,
        make_client(live_server.base_url, "sk-shared") as two,
    ):
        made = one.beta.threads.create()
        assert two.beta.threads.retrieve(made.id) == made


def test_parallel_clients_only_ever_see_their_own_objects(live_server):
    keys = [f"sk-parallel-{i}" for i in range(4)]

    def work(key: str) -> tuple[str, list[str], list[str]]:
        with make_client(live_server.base_url, key) as c:
            made = [c.beta.assistants.create(model="gpt-4o", name=key).id for _ in range(15)]
            thread = c.beta.threads.create()
            for i in range(10):
                c.beta.threads.messages.create(thread.id, role="user", content=f"{key}:{i}")
            texts = [
                m.content[0].text.value
                for m in c.beta.threads.messages.list(thread.id, order="asc")
            ]
            listed = [a.id for a in c.beta.assistants.list(order="asc", limit=100) if a.name == key]
            assert len(list(c.beta.assistants.list(limit=100))) == 15
            return key, made, listed + texts

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        results = list(pool.map(work, keys))
    for key, made, seen in results:
        assert seen == made + [f"{key}:{i}" for i in range(10)]
