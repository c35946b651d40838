"""Indexing a large file does not hold up the server: extraction and indexing run in a worker
thread, and other requests are answered meanwhile (a 20 MB text took the event loop for
seconds). What a look at the store decides is the same as before."""

from __future__ import annotations

import asyncio
import random

from tests.conftest import make_client

WORDS = ["tide", "moon", "harbor", "the", "river", "delta", "of", "salt", "beacon", "reef"]


def _big_text(megabytes: int) -> list[str]:
    rng = random.Random(7)
    return [rng.choice(WORDS) for _ in range(megabytes * 170_000)]


def test_other_requests_are_answered_while_a_big_file_is_indexed(
    live_server, api_key, async_client
):
    with make_client(live_server.base_url, api_key) as client:
        words = _big_text(6)
        file = client.files.create(file=("big.txt", " ".join(words).encode()), purpose="assistants")
        store = client.vector_stores.create(file_ids=[file.id])
        assistant = client.beta.assistants.create(model="gpt-4o")
    assert store.file_counts.in_progress == 1  # the look below indexes it

    async def scenario() -> tuple[list[str], object]:
        order: list[str] = []

        async def look() -> object:
            seen = await async_client.vector_stores.retrieve(store.id)
            order.append("store")
            return seen

        indexing = asyncio.ensure_future(look())
        while not indexing.done():
            await async_client.beta.assistants.retrieve(assistant.id)
            order.append("assistant")
        return order, await indexing

    order, seen = asyncio.run(scenario())
    # answered before the store: retrieves sent while its file was being indexed (one might
    # have reached the server before the store's request did, never three)
    assert order.index("store") >= 3, order
    assert seen.status == "completed" and seen.file_counts.completed == 1
    # indexed as ever: windows of 800 tokens, 400 apart
    with make_client(live_server.base_url, api_key) as client:
        pages = client.vector_stores.files.content(file.id, vector_store_id=store.id)
    chunks = [part.text for part in pages.data]
    assert len(chunks) == (len(words) - 800) // 400 + 1  # the last full window ends the text
    assert chunks[0] == " ".join(words[:800])
    assert chunks[1234] == " ".join(words[1234 * 400 : 1234 * 400 + 800])
    assert chunks[-1] == " ".join(words[-800:])
