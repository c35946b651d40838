"""The default assistant (no scenario): a text answer to the last user message, and function
calls decided by ``tool_choice`` and the words of the last user message, with arguments that
satisfy the function's JSON schema, deterministic per seed."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from tests.conftest import make_client


def function(name: str, parameters: dict | None = None) -> dict:
    return {"type": "function", "function": {"name": name, "parameters": parameters or {"type": "object", "properties": {}}}}


WEATHER = function("get_weather", {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
STOCK = function("getStockPrice", {"type": "object", "properties": {"ticker": {"type": "string"}}, "required": ["ticker"]})
FORECAST = function("fetch_forecast")
BOOKING = function("create_booking", {
    "type": "object",
    "properties": {
        "destination": {"type": "string"},
        "nights": {"type": "integer", "minimum": 1, "maximum": 14},
        "budget": {"type": "number", "minimum": 100, "maximum": 5000},
        "refundable": {"type": "boolean"},
        "cabin": {"type": "string", "enum": ["economy", "business", "first"]},
        "check_in_date": {"type": "string", "format": "date"},
        "contact": {
            "type": "object",
            "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
            "required": ["email"],
        },
        "guests": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "object", "properties": {"age": {"type": "integer"}}, "required": ["age"]},
        },
        "tags": {"type": "array", "items": {"type": "string", "enum": ["quiet", "view"]}},
    },
    "required": ["destination", "nights", "cabin", "contact", "guests"],
})

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def conforms(value: Any, schema: dict) -> bool:
    """The JSON Schema subset functions use: type, properties, required, enum, items, bounds."""
    if "enum" in schema and value not in schema["enum"]:
        return False
    kind = schema.get("type")
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind is not None:
        ok = isinstance(value, _TYPES[kind])
    else:
        ok = True
    if not ok:
        return False
    if kind in ("integer", "number"):
        return schema.get("minimum", value) <= value <= schema.get("maximum", value)
    if kind == "object":
        properties = schema.get("properties", {})
        return all(k in value for k in schema.get("required", [])) and all(
            conforms(v, properties[k]) for k, v in value.items() if k in properties
        )
    if kind == "array":
        return len(value) >= schema.get("minItems", 0) and all(conforms(v, schema.get("items", {})) for v in value)
    return True


def called(client, text: str, tools: list[dict], **run_options) -> list[tuple[str, dict]]:
    """The function calls the default assistant makes for ``text`` (name, parsed arguments)."""
    assistant = client.beta.assistants.create(model="gpt-4o", tools=tools)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, **run_options)
    if run.status == "completed":
        return []
    assert run.status == "requires_action"
    return [(c.function.name, json.loads(c.function.arguments)) for c in run.required_action.submit_tool_outputs.tool_calls]


def names(calls: list[tuple[str, dict]]) -> list[str]:
    return [name for name, _ in calls]


def test_the_reply_quotes_the_last_user_message_only(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[
        {"role": "user", "content": "an older question"},
        {"role": "assistant", "content": "an older answer"},
        {"role": "user", "content": "the newest question"},
    ])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    reply = client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert reply == 'You asked: "the newest question". This is a simulated answer from the assistants mock.'


def test_an_empty_thread_gets_a_greeting(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    reply = client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
    assert reply.startswith("Hello!")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please call get_weather", ["get_weather"]),  # the name itself
        ("Is the weather nice in Rome?", ["get_weather"]),  # a distinctive word
        ("what is ACME's stock price?", ["getStockPrice"]),  # camel case split
        ("any forecasts for tomorrow?", ["fetch_forecast"]),  # a plural
        ("can you get me something and fetch it?", []),  # generic verbs never match
        ("tell me a story", []),
    ],
)
def test_auto_calls_a_function_the_last_message_mentions(client, text, expected):
    assert names(called(client, text, [WEATHER, STOCK, FORECAST])) == expected


def test_several_matches_are_parallel_calls_in_one_step(client):
    calls = called(client, "weather and stock price please", [WEATHER, STOCK])
    assert names(calls) == ["get_weather", "getStockPrice"]


def test_parallel_tool_calls_false_makes_one_call(client):
    calls = called(client, "weather and stock price please", [WEATHER, STOCK], parallel_tool_calls=False)
    assert names(calls) == ["get_weather"]


def test_only_the_last_user_message_counts(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[
        {"role": "user", "content": "what's the weather?"}, {"role": "user", "content": "never mind"},
    ])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"


def test_tool_choice_required_calls_a_function_without_a_mention(client):
    assert names(called(client, "tell me a story", [WEATHER, STOCK], tool_choice="required")) == ["get_weather"]


def test_tool_choice_naming_a_function_calls_that_one(client):
    choice = {"type": "function", "function": {"name": "getStockPrice"}}
    assert names(called(client, "weather please", [WEATHER, STOCK], tool_choice=choice)) == ["getStockPrice"]


def test_tool_choice_none_never_calls_a_tool(client):
    assert called(client, "call get_weather for the weather", [WEATHER], tool_choice="none") == []


def test_tool_choice_naming_an_unknown_function_is_refused(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(
            thread_id=thread.id, assistant_id=assistant.id,
            tool_choice={"type": "function", "function": {"name": "nope"}},
        )
    assert info.value.param == "tool_choice" and info.value.code == "invalid_value"


def test_arguments_satisfy_the_schema_and_use_the_message(client):
    [(name, arguments)] = called(client, "Book a trip to Tokyo for two guests", [BOOKING], tool_choice="required")
    assert name == "create_booking"
    assert conforms(arguments, BOOKING["function"]["parameters"]), arguments
    assert arguments["destination"] == "Tokyo"
    assert "@" in arguments["contact"]["email"]
    assert len(arguments["check_in_date"]) == 10  # an ISO date from the virtual clock


def test_arguments_are_deterministic_per_seed(server_factory, api_key):
    results = []
    for _ in range(2):
        with make_client(server_factory(seed=7).base_url, api_key) as client:
            results.append(called(client, "Book a trip to Tokyo", [BOOKING], tool_choice="required"))
    assert results[0] == results[1]


def test_a_function_without_parameters_gets_an_empty_object(client):
    assert called(client, "forecast please", [FORECAST]) == [("fetch_forecast", {})]
