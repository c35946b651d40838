"""Cursor pagination through the SDK: auto-pagination past 100 objects in both orders,
``after``/``before`` windows, and a stable order for objects created in the same second."""

from __future__ import annotations

import openai
import pytest

N_ASSISTANTS = 130
N_MESSAGES = 105


@pytest.fixture
def assistant_ids(client) -> list[str]:
    """Ids of N_ASSISTANTS assistants, oldest first (all created in the same virtual second)."""
    created = [
        client.beta.assistants.create(model="gpt-4o", name=f"a{i}") for i in range(N_ASSISTANTS)
    ]
    assert len({a.created_at for a in created}) == 1  # the tie-break is all that orders them
    return [a.id for a in created]


def test_auto_pagination_walks_every_assistant_in_both_orders(client, assistant_ids):
    descending = [a.id for a in client.beta.assistants.list(limit=100)]
    ascending = [a.id for a in client.beta.assistants.list(limit=100, order="asc")]
    assert ascending == assistant_ids
    assert descending == assistant_ids[::-1]
    # small pages visit the same objects, no duplicates, no gaps
    assert [a.id for a in client.beta.assistants.list(limit=7, order="asc")] == assistant_ids


def test_pages_report_has_more_and_their_first_and_last_ids(client, assistant_ids):
    page = client.beta.assistants.list(limit=100, order="asc")
    assert len(page.data) == 100 and page.has_more is True
    assert page.first_id == assistant_ids[0] and page.last_id == assistant_ids[99]
    rest = page.get_next_page()
    assert [a.id for a in rest.data] == assistant_ids[100:]
    assert rest.has_more is False and rest.last_id == assistant_ids[-1]
    assert not rest.has_next_page()
    default = client.beta.assistants.list()
    assert len(default.data) == 20 and default.data[0].id == assistant_ids[-1]


@pytest.mark.parametrize(
    ("order", "kwargs", "expected"),
    [
        ("asc", {"after": 9}, slice(10, 15)),
        ("desc", {"after": 9}, slice(8, 3, -1)),
        ("asc", {"before": 20}, slice(15, 20)),
        ("desc", {"before": 20}, slice(25, 20, -1)),
        ("asc", {"after": 5, "before": 8}, slice(6, 8)),
        ("desc", {"after": 8, "before": 5}, slice(7, 5, -1)),
    ],
)
def test_after_and_before_windows(client, assistant_ids, order, kwargs, expected):
    cursors = {name: assistant_ids[i] for name, i in kwargs.items()}
    page = client.beta.assistants.list(limit=5, order=order, **cursors)
    assert [a.id for a in page.data] == assistant_ids[expected]


def test_window_at_the_end_has_no_more(client, assistant_ids):
    page = client.beta.assistants.list(limit=5, order="asc", after=assistant_ids[-3])
    assert [a.id for a in page.data] == assistant_ids[-2:] and page.has_more is False
    empty = client.beta.assistants.list(order="asc", after=assistant_ids[-1])
    assert empty.data == [] and empty.first_id is None and empty.last_id is None
    assert empty.has_more is False


def test_cursor_of_a_deleted_object_still_pages_on(client, assistant_ids):
    client.beta.assistants.delete(assistant_ids[10])
    page = client.beta.assistants.list(limit=3, order="asc", after=assistant_ids[10])
    assert [a.id for a in page.data] == assistant_ids[11:14]
    everything = [a.id for a in client.beta.assistants.list(limit=100, order="asc")]
    assert everything == assistant_ids[:10] + assistant_ids[11:]


def test_a_cursor_from_another_list_is_refused(client):
    client.beta.assistants.create(model="gpt-4o")
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.list(after="asst_unknown")
    assert info.value.body["message"] == (
        "Invalid 'after': 'asst_unknown'. Expected the id of an object in this list."
    )
    assert info.value.param == "after"


def test_messages_auto_paginate_past_100_in_both_orders(client):
    thread = client.beta.threads.create()
    ids = [
        client.beta.threads.messages.create(thread.id, role="user", content=f"m{i}").id
        for i in range(N_MESSAGES)
    ]
    ascending = [m.id for m in client.beta.threads.messages.list(thread.id, order="asc", limit=100)]
    descending = [m.id for m in client.beta.threads.messages.list(thread.id, limit=100)]
    assert ascending == ids and descending == ids[::-1]
    window = client.beta.threads.messages.list(
        thread.id, order="asc", after=ids[49], before=ids[53]
    )
    assert [m.id for m in window.data] == ids[50:53]
    before = client.beta.threads.messages.list(thread.id, limit=2, before=ids[100])
    assert [m.id for m in before.data] == [ids[102], ids[101]] and before.has_more is True


def test_messages_of_other_threads_never_appear(client):
    a = client.beta.threads.create(messages=[{"role": "user", "content": "a"}])
    b = client.beta.threads.create(messages=[{"role": "user", "content": "b"}] * 3)
    assert [m.content[0].text.value for m in client.beta.threads.messages.list(a.id)] == ["a"]
    assert len(list(client.beta.threads.messages.list(b.id, limit=1))) == 3
