"""Vector store search through the official SDK: relevance, filters, thresholds, checks."""

from __future__ import annotations

import itertools

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = {
    "cats.txt": "Cats are small domesticated felines. A cat purrs, naps in the sun and chases "
    "mice.",
    "rockets.md": "# Rockets\nA rocket engine burns propellant; liquid oxygen and kerosene power "
    "the first stage.",
    "pasta.txt": "Cook pasta in salted boiling water. Drain the spaghetti and add tomato sauce "
    "and basil.",
    "tides.txt": "Ocean tides rise and fall twice a day, pulled by the gravity of the moon and "
    "the sun.",
}
ATTRIBUTES = {
    "cats.txt": {"topic": "animals", "year": 2021, "public": True},
    "rockets.md": {"topic": "space", "year": 2024, "public": False},
    "pasta.txt": {"topic": "food", "year": 2023, "public": True},
    "tides.txt": {"topic": "space", "year": 2019, "public": True},
}


@pytest.fixture
def corpus(client):
    store = client.vector_stores.create(name="corpus")
    files = [
        {
            "file_id": client.files.create(file=(name, text.encode()), purpose="assistants").id,
            "attributes": ATTRIBUTES[name],
        }
        for name, text in CORPUS.items()
    ]
    batch = client.vector_stores.file_batches.create_and_poll(store.id, files=files)
    assert batch.file_counts.completed == len(CORPUS)
    return store.id


def _names(page):
    return [hit.filename for hit in page]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("why does my cat purr", "cats.txt"),
        ("liquid oxygen rocket engine", "rockets.md"),
        ("how long to boil spaghetti", "pasta.txt"),
        ("moon gravity and ocean tides", "tides.txt"),
    ],
)
def test_the_relevant_file_ranks_first(client, corpus, query, expected):
    page = client.vector_stores.search(corpus, query=query)
    hits = list(page)
    assert hits[0].filename == expected
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].content[0].type == "text" and hits[0].content[0].text == CORPUS[expected]
    assert hits[0].attributes == ATTRIBUTES[expected]


def test_results_are_deterministic_and_echo_the_query(client, corpus):
    first = client.vector_stores.search(corpus, query="the sun")
    second = client.vector_stores.search(corpus, query="the sun")
    assert [(h.file_id, h.score) for h in first] == [(h.file_id, h.score) for h in second]
    assert first.search_query == ["the sun"]


def test_query_list_combines_terms(client, corpus):
    page = client.vector_stores.search(corpus, query=["kerosene", "basil"])
    assert set(_names(page)[:2]) == {"rockets.md", "pasta.txt"}
    assert page.search_query == ["kerosene", "basil"]


def test_max_num_results_and_threshold(client, corpus):
    assert (
        len(list(client.vector_stores.search(corpus, query="the sun moon cat", max_num_results=1)))
        == 1
    )
    everything = list(client.vector_stores.search(corpus, query="sun moon"))
    assert _names(everything) == ["tides.txt", "cats.txt"]
    cut = everything[1].score + 1e-6
    kept = client.vector_stores.search(
        corpus, query="sun moon", ranking_options={"score_threshold": cut}
    )
    assert _names(kept) == ["tides.txt"]


def test_no_match_is_an_empty_page(client, corpus):
    assert list(client.vector_stores.search(corpus, query="zeppelin")) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "eq", "key": "topic", "value": "space"}, {"rockets.md", "tides.txt"}),
        ({"type": "ne", "key": "topic", "value": "space"}, {"cats.txt", "pasta.txt"}),
        ({"type": "gte", "key": "year", "value": 2023}, {"rockets.md", "pasta.txt"}),
        ({"type": "lt", "key": "year", "value": 2021}, {"tides.txt"}),
        ({"type": "in", "key": "topic", "value": ["food", "animals"]}, {"cats.txt", "pasta.txt"}),
        (
            {"type": "nin", "key": "topic", "value": ["food", "animals"]},
            {"rockets.md", "tides.txt"},
        ),
        ({"type": "eq", "key": "public", "value": False}, {"rockets.md"}),
        (
            {
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "topic", "value": "space"},
                    {"type": "gt", "key": "year", "value": 2020},
                ],
            },
            {"rockets.md"},
        ),
        (
            {
                "type": "or",
                "filters": [
                    {"type": "eq", "key": "topic", "value": "food"},
                    {
                        "type": "and",
                        "filters": [
                            {"type": "eq", "key": "public", "value": True},
                            {"type": "lte", "key": "year", "value": 2019},
                        ],
                    },
                ],
            },
            {"pasta.txt", "tides.txt"},
        ),
    ],
)
def test_attribute_filters(client, corpus, filters, expected):
    # a query every document matches, so the filter alone decides
    page = client.vector_stores.search(
        corpus, query="the a sun cat rocket pasta tides", filters=filters
    )
    assert set(_names(page)) == expected


def test_only_completed_files_are_searched(client, http):
    http.post("/__mock__/settings", json={"progression": "manual"})
    file = client.files.create(file=("late.txt", b"quokka facts"), purpose="assistants")
    store = client.vector_stores.create(file_ids=[file.id])
    assert list(client.vector_stores.search(store.id, query="quokka")) == []
    http.post("/__mock__/settings", json={"progression": "default"})
    assert _names(client.vector_stores.search(store.id, query="quokka")) == ["late.txt"]


@pytest.mark.parametrize(
    ("kwargs", "param", "code"),
    [
        ({"max_num_results": 51}, "max_num_results", "integer_above_max_value"),
        ({"max_num_results": 0}, "max_num_results", "integer_below_min_value"),
        ({"filters": {"type": "like", "key": "a", "value": 1}}, "filters.type", "invalid_value"),
        (
            {"ranking_options": {"score_threshold": 1.5}},
            "ranking_options.score_threshold",
            "decimal_above_max_value",
        ),
    ],
)
def test_search_parameters_are_validated(client, corpus, kwargs, param, code):
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.search(corpus, query="x", **kwargs)
    assert (info.value.param, info.value.code) == (param, code)


def test_empty_query_list_is_refused(client, corpus):
    with pytest.raises(openai.BadRequestError) as info:
        client.vector_stores.search(corpus, query=[])
    assert info.value.code == "empty_array"


def test_long_files_are_chunked_and_the_matching_chunk_is_returned(client):
    filler = " ".join(f"filler{i}" for i in range(3000))
    text = f"{filler} the secret password is swordfish {filler}"
    file = client.files.create(file=("long.txt", text.encode()), purpose="assistants")
    store = client.vector_stores.create(file_ids=[file.id])
    client.vector_stores.retrieve(store.id)
    hits = list(
        client.vector_stores.search(store.id, query="swordfish password", max_num_results=50)
    )
    assert hits and all("swordfish" in h.content[0].text for h in hits)
    assert len(hits[0].content[0].text) < len(text) // 3


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.integers(min_value=1, max_value=900),
    size=st.integers(min_value=100, max_value=400),
    overlap_share=st.floats(min_value=0, max_value=0.5),
)
def test_static_chunks_cover_the_text_in_windows_of_at_most_max_tokens(
    client, words, size, overlap_share
):
    overlap = int(size * overlap_share)
    text = " ".join(f"t{i}" for i in range(words))
    strategy = {
        "type": "static",
        "static": {"max_chunk_size_tokens": size, "chunk_overlap_tokens": overlap},
    }
    store = client.vector_stores.create()
    file = client.files.create(file=("w.txt", text.encode()), purpose="assistants")
    client.vector_stores.files.create_and_poll(
        vector_store_id=store.id, file_id=file.id, chunking_strategy=strategy
    )
    chunks = [
        p.text.split()
        for p in client.vector_stores.files.content(file.id, vector_store_id=store.id)
    ]
    assert all(0 < len(c) <= size for c in chunks)
    assert chunks[0][0] == "t0" and chunks[-1][-1] == f"t{words - 1}"
    step = size - overlap
    for previous, current in itertools.pairwise(chunks):
        assert int(current[0][1:]) == int(previous[0][1:]) + step  # windows move by size - overlap
    seen = {w for c in chunks for w in c}
    assert seen == set(text.split())
