"""The Conversations API through the official SDK (strict validation): conversations, their
items, cursor pages, the real error texts, and no ``OpenAI-Beta`` header needed."""

from __future__ import annotations

import re
from typing import Any

import httpx2
import openai
import pytest
from openai import OpenAI

from mockserver.server import LiveServer

HEX48 = re.compile(r"^conv_[0-9a-f]{48}$")


def error_of(excinfo: pytest.ExceptionInfo[openai.APIStatusError]) -> dict[str, Any]:
    return excinfo.value.response.json()["error"]


def test_create_retrieve_update_delete(client: OpenAI) -> None:
    conversation = client.conversations.create()
    assert HEX48.match(conversation.id)
    assert conversation.object == "conversation" and conversation.metadata == {}
    assert isinstance(conversation.created_at, int)
    assert client.conversations.retrieve(conversation.id) == conversation

    tagged = client.conversations.create(metadata={"topic": "demo", "user": "u1"})
    assert tagged.metadata == {"topic": "demo", "user": "u1"}
    updated = client.conversations.update(tagged.id, metadata={"topic": "other"})
    assert updated.metadata == {"topic": "other"}  # replaced, as in the spec's example
    assert client.conversations.retrieve(tagged.id).metadata == {"topic": "other"}

    deleted = client.conversations.delete(tagged.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (
        tagged.id,
        "conversation.deleted",
        True,
    )
    for call in (client.conversations.retrieve, client.conversations.delete):
        with pytest.raises(openai.NotFoundError) as excinfo:
            call(tagged.id)
        assert error_of(excinfo) == {
            "message": f"Conversation with id '{tagged.id}' not found.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }


def test_seed_items_come_back_typed_newest_first(client: OpenAI) -> None:
    conversation = client.conversations.create(
        items=[
            {"role": "user", "content": "Hello!"},
            {"type": "message", "role": "assistant", "content": "Hi, how can I help?"},
            {"role": "user", "content": [{"type": "input_text", "text": "Weather?"}]},
        ]
    )
    page = client.conversations.items.list(conversation.id)
    assert [i.role for i in page.data] == ["user", "assistant", "user"][::-1]
    first = page.data[-1]
    assert first.type == "message" and first.status == "completed"
    assert first.id.startswith("msg_")
    assert [(p.type, p.text) for p in first.content] == [("input_text", "Hello!")]
    assert page.data[1].content[0].type == "output_text"
    assert page.first_id == page.data[0].id and page.last_id == first.id
    assert page.has_more is False


def test_items_create_retrieve_delete(client: OpenAI) -> None:
    conversation = client.conversations.create()
    created = client.conversations.items.create(
        conversation.id,
        items=[
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "a"}]},
            {"type": "message", "role": "user", "content": "b"},
        ],
        include=["file_search_call.results"],
    )
    assert created.object == "list" and created.has_more is False
    assert [i.content[0].text for i in created.data] == ["a", "b"]  # request order
    a, b = created.data
    assert client.conversations.items.retrieve(b.id, conversation_id=conversation.id) == b

    after_delete = client.conversations.items.delete(a.id, conversation_id=conversation.id)
    assert after_delete == client.conversations.retrieve(conversation.id)  # the Conversation
    assert [i.id for i in client.conversations.items.list(conversation.id)] == [b.id]
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.conversations.items.retrieve(a.id, conversation_id=conversation.id)
    assert error_of(excinfo)["message"] == f"Item with id '{a.id}' not found."


def test_items_page_by_cursor(client: OpenAI) -> None:
    conversation = client.conversations.create(
        items=[{"role": "user", "content": f"m{n}"} for n in range(5)]
    )
    oldest_first = client.conversations.items.list(conversation.id, order="asc", limit=2)
    assert oldest_first.has_more is True
    texts = [item.content[0].text for item in oldest_first]  # auto-paging follows last_id
    assert texts == [f"m{n}" for n in range(5)]
    newest = client.conversations.items.list(conversation.id, limit=2)
    assert [i.content[0].text for i in newest.data] == ["m4", "m3"]
    rest = client.conversations.items.list(conversation.id, limit=10, after=newest.last_id)
    assert [i.content[0].text for i in rest.data] == ["m2", "m1", "m0"]
    assert rest.has_more is False


def test_at_most_twenty_items_per_request(client: OpenAI) -> None:
    too_many = [{"role": "user", "content": "x"}] * 21
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.create(items=too_many)
    assert error_of(excinfo)["param"] == "items"
    assert error_of(excinfo)["code"] == "array_above_max_length"
    conversation = client.conversations.create(items=too_many[:20])
    with pytest.raises(openai.BadRequestError):
        client.conversations.items.create(conversation.id, items=too_many)
    assert len(client.conversations.items.list(conversation.id, limit=100).data) == 20


def test_unknown_conversation_on_every_item_path(client: OpenAI) -> None:
    missing = "conv_x"
    calls = [
        lambda: client.conversations.items.list(missing),
        lambda: client.conversations.items.create(
            missing, items=[{"role": "user", "content": "x"}]
        ),
        lambda: client.conversations.items.retrieve("msg_x", conversation_id=missing),
        lambda: client.conversations.items.delete("msg_x", conversation_id=missing),
        lambda: client.conversations.update(missing, metadata={}),
    ]
    for call in calls:
        with pytest.raises(openai.NotFoundError) as excinfo:
            call()
        assert error_of(excinfo)["message"] == "Conversation with id 'conv_x' not found."


def test_bad_requests(client: OpenAI) -> None:
    conversation = client.conversations.create()
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.items.list(conversation.id, include=["bogus"])  # type: ignore[list-item]
    assert error_of(excinfo)["param"] == "include[]"
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.items.list(conversation.id, after="msg_unknown")
    assert error_of(excinfo)["param"] == "after"
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.create(items=[{"role": "bogus", "content": "x"}])  # type: ignore[list-item]
    assert error_of(excinfo)["param"] == "items[0].role"


def test_no_beta_header_and_no_update_without_metadata(
    live_server: LiveServer, api_key: str
) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}  # no OpenAI-Beta, as the SDKs send
    with httpx2.Client(base_url=live_server.base_url, headers=headers) as http:
        created = http.post("/conversations", json={})
        assert created.status_code == 200, created.text
        conversation_id = created.json()["id"]
        assert http.get(f"/conversations/{conversation_id}/items").json()["data"] == []
        refused = http.post(f"/conversations/{conversation_id}", json={})
        assert refused.status_code == 400
        assert refused.json()["error"]["message"] == "Missing required parameter: 'metadata'."
        cleared = http.post(f"/conversations/{conversation_id}", json={"metadata": None})
        assert cleared.json()["metadata"] == {}
        assert http.post("/conversations", content=b"").status_code == 200  # body optional


def test_a_response_naming_the_conversation_appends_its_turn(client: OpenAI) -> None:
    conversation = client.conversations.create(items=[{"role": "user", "content": "Hello"}])
    response = client.responses.create(
        model="gpt-4o", conversation=conversation.id, input="What is 2+2?"
    )
    assert response.conversation is not None and response.conversation.id == conversation.id
    listed = client.conversations.items.list(conversation.id).data  # newest first
    assert [(i.type, i.role) for i in listed] == [
        ("message", "assistant"),
        ("message", "user"),
        ("message", "user"),
    ]
    assert listed[0].id == response.output[0].id  # the output item, with its own id
    assert listed[1].content[0].text == "What is 2+2?"

    client.conversations.delete(conversation.id)
    with pytest.raises(openai.NotFoundError) as excinfo:
        client.responses.create(model="gpt-4o", conversation=conversation.id, input="Again")
    assert error_of(excinfo)["message"] == f"Conversation with id '{conversation.id}' not found."


def test_tool_results_show_on_conversation_items_when_included(client: OpenAI) -> None:
    file = client.files.create(
        file=("facts.txt", b"The capybara is the largest rodent."), purpose="assistants"
    )
    store = client.vector_stores.create(file_ids=[file.id])
    conversation = client.conversations.create()
    client.responses.create(
        model="gpt-4o",
        conversation=conversation.id,
        input="What is the largest rodent?",
        tools=[{"type": "file_search", "vector_store_ids": [store.id]}],
    )
    plain = client.conversations.items.list(conversation.id, order="asc").data
    assert [i.type for i in plain] == ["message", "file_search_call", "message"]
    assert plain[1].results is None
    search = client.conversations.items.retrieve(
        plain[1].id, conversation_id=conversation.id, include=["file_search_call.results"]
    )
    assert search.results and search.results[0].file_id == file.id


def test_a_scripted_function_call_goes_on_in_its_conversation(
    client: OpenAI, live_server: LiveServer, api_key: str
) -> None:
    """The turn that answers a function call on a conversation continues the scenario where
    the call left it, as a turn after ``previous_response_id`` does."""
    installed = httpx2.post(
        f"{live_server.url}/__mock__/scenario",
        json={"name": "weather-tool"},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert installed.status_code == 200, installed.text
    tools = [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]
    conversation = client.conversations.create()
    asked = client.responses.create(
        model="gpt-4o", conversation=conversation.id, input="Weather in Paris?", tools=tools
    )
    call = asked.output[0]
    assert call.type == "function_call" and call.name == "get_weather"
    answered = client.responses.create(
        model="gpt-4o",
        conversation=conversation.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "22°C"}],
        tools=tools,
    )
    assert answered.output_text == "The weather in Paris: 22°C."
    kinds = [i.type for i in client.conversations.items.list(conversation.id, order="asc")]
    assert kinds == ["message", "function_call", "function_call_output", "message"]


def test_http_faults_fire_on_conversations(
    client: OpenAI, live_server: LiveServer, api_key: str
) -> None:
    """A scenario's ``http`` rules match /conversations paths as any other: each rule counts
    its own calls, and the injected bodies are the real ones."""
    rules = [
        {"path": "/conversations", "method": "POST", "calls": {"first": 1}, "status": 503},
        {"path": "/conversations/*/items", "method": "GET", "calls": {"nth": 1}, "status": 500},
        {"path": "/conversations/*", "method": "DELETE", "calls": {"nth": 1}, "status": 429},
    ]
    installed = httpx2.post(
        f"{live_server.url}/__mock__/scenario",
        json={"scenario": {"version": 1, "http": rules}},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert installed.status_code == 200, installed.text
    with pytest.raises(openai.InternalServerError) as overloaded:
        client.conversations.create()
    assert overloaded.value.status_code == 503
    assert error_of(overloaded)["message"] == "The server is overloaded or not ready yet."
    conversation = client.conversations.create()
    with pytest.raises(openai.InternalServerError) as failed:
        client.conversations.items.list(conversation.id)
    assert failed.value.status_code == 500
    assert client.conversations.items.list(conversation.id).data == []
    with pytest.raises(openai.RateLimitError) as limited:
        client.conversations.delete(conversation.id)
    assert error_of(limited)["code"] == "rate_limit_exceeded"
    assert client.conversations.delete(conversation.id).deleted is True


def test_an_item_id_given_twice_is_refused_not_overwritten(client: OpenAI) -> None:
    """Two items under one id (in one request, or one already in the conversation) are the
    real 400; before, the second silently replaced the first and the conversation lost it."""
    first = {"type": "message", "id": "msg_1", "role": "user", "content": "first"}
    second = {**first, "content": "second"}
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.create(items=[first, second])
    duplicate = (
        "Duplicate item found with id msg_1. Remove duplicate items from your input and try again."
    )
    assert error_of(excinfo)["message"] == duplicate
    assert error_of(excinfo)["param"] == "items"

    conversation = client.conversations.create(items=[first])
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.conversations.items.create(conversation.id, items=[second])
    assert error_of(excinfo)["message"] == duplicate
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.responses.create(model="gpt-4o", conversation=conversation.id, input=[second])
    assert error_of(excinfo)["message"] == duplicate and error_of(excinfo)["param"] == "input"
    with pytest.raises(openai.BadRequestError):
        client.responses.create(model="gpt-4o", input=[first, second])
    (kept,) = client.conversations.items.list(conversation.id)
    assert kept.content[0].text == "first"  # type: ignore[union-attr]
