"""The Responses API through the official SDK (strict): text, input items, chaining, the
function call round trip, structured output, store: false, errors."""

from __future__ import annotations

import json

import openai
import pytest

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}


def test_a_string_input_gets_the_default_reply(client):
    response = client.responses.create(model="gpt-4o", input="Hello there")
    assert response.status == "completed"
    assert response.id.startswith("resp_") and len(response.id) == len("resp_") + 48
    assert response.output_text == (
        'You asked: "Hello there". This is a simulated answer from the assistants mock.'
    )
    message = response.output[0]
    assert message.type == "message" and message.id.startswith("msg_")
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens
    assert response.store is True and response.background is False
    assert client.responses.retrieve(response.id).model_dump() == response.model_dump()


def test_input_items_lists_the_input_in_its_resource_form(client):
    response = client.responses.create(
        model="gpt-4o",
        instructions="Be brief.",
        input=[
            {"role": "user", "content": "first"},
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "second"}],
            },
        ],
    )
    listed = client.responses.input_items.list(response.id)
    # newest first by default
    assert [item.content[0].text for item in listed.data] == ["second", "first"]
    assert all(item.id.startswith("msg_") and item.status == "completed" for item in listed.data)
    asc = client.responses.input_items.list(response.id, order="asc", limit=1)
    assert asc.data[0].content[0].text == "first" and asc.has_more
    pages = [item.content[0].text for item in client.responses.input_items.list(
        response.id, order="asc", limit=1
    )]
    assert pages == ["first", "second"]
    # the instructions are not an item
    assert response.instructions == "Be brief."


def test_a_function_call_round_trip_through_previous_response_id(client):
    first = client.responses.create(
        model="gpt-4o", input="What is the weather in Paris?", tools=[WEATHER]
    )
    assert first.status == "completed"
    (call,) = first.output
    assert call.type == "function_call" and call.name == "get_weather"
    assert call.call_id.startswith("call_") and call.id.startswith("fc_")
    assert json.loads(call.arguments) == {"city": "Paris"}
    # the next turn must answer the call
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(
            model="gpt-4o", previous_response_id=first.id, input="never mind", tools=[WEATHER]
        )
    assert refused.value.body["message"] == f"No tool output found for function call {call.call_id}."
    second = client.responses.create(
        model="gpt-4o",
        previous_response_id=first.id,
        tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "18C, sunny"}],
    )
    assert second.previous_response_id == first.id
    assert second.output_text == (
        'You asked: "What is the weather in Paris?". get_weather returned: 18C, sunny. '
        "This is a simulated answer from the assistants mock."
    )
    # the chain's context counts: the second turn reads more than the first
    assert second.usage.input_tokens > first.usage.input_tokens
    (output,) = client.responses.input_items.list(second.id).data
    assert output.type == "function_call_output" and output.call_id == call.call_id


def test_instructions_are_not_carried_over(client):
    first = client.responses.create(model="gpt-4o", input="Hi", instructions="Be brief.")
    second = client.responses.create(model="gpt-4o", input="Again", previous_response_id=first.id)
    assert second.instructions is None
    assert second.output_text.startswith('You asked: "Again".')


def test_store_false_cannot_be_read_back(client):
    response = client.responses.create(model="gpt-4o", input="Hi", store=False)
    assert response.store is False and response.status == "completed"
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.retrieve(response.id)
    assert missing.value.body["message"] == f"Response with id '{response.id}' not found."
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(model="gpt-4o", input="Hi", previous_response_id=response.id)
    assert refused.value.body["code"] == "previous_response_not_found"
    assert refused.value.body["message"] == f"Previous response with id '{response.id}' not found."


def test_delete_then_everything_is_not_found(client):
    response = client.responses.create(model="gpt-4o", input="Hi")
    assert client.responses.delete(response.id) is None
    for call in (
        lambda: client.responses.retrieve(response.id),
        lambda: client.responses.delete(response.id),
        lambda: client.responses.input_items.list(response.id),
        lambda: client.responses.cancel(response.id),
    ):
        with pytest.raises(openai.NotFoundError):
            call()
