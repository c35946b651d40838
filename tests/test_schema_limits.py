"""No accepted schema can break a run, and generated values are bounded (issue 10, items 4
and 6): invalid JSON Schemas are refused at creation with a 400 naming the function; a schema
no value satisfies within the caps fails the run (server_error) and releases the thread."""

from __future__ import annotations

import json

import openai
import pytest


def tool(parameters: dict, name: str = "f") -> dict:
    return {"type": "function", "function": {"name": name, "parameters": parameters}}


@pytest.mark.parametrize(
    ("parameters", "context", "detail"),
    [
        (
            {"type": "object", "properties": [{"name": "a"}]},
            "('properties',)",
            "[{'name': 'a'}] is not of type 'object'",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "array", "minItems": "two"}}},
            "('properties', 'a', 'minItems')",
            "'two' is not of type 'integer'",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "number", "minimum": None}}},
            "('properties', 'a', 'minimum')",
            "None is not of type 'number'",
        ),
        ({"type": "strng"}, "('type',)", "'strng' is not valid under any of the given schemas"),
    ],
)
def test_an_invalid_function_schema_is_refused_at_creation(client, parameters, context, detail):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(model="gpt-4o", tools=[tool(parameters, "get_menu")])
    assert (
        info.value.body["message"]
        == f"Invalid schema for function 'get_menu': In context={context}, {detail}."
    )
    assert info.value.param == "tools[0].function.parameters"
    assert info.value.code == "invalid_function_parameters"
    assert client.beta.assistants.list().data == []  # nothing was created


def test_run_tools_and_assistant_updates_are_checked_too(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    bad = tool({"type": "object", "required": "a"})
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.update(assistant.id, tools=[bad])
    assert info.value.param == "tools[0].function.parameters"
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, tools=[bad])
    assert info.value.param == "tools[0].function.parameters"


def test_an_invalid_response_format_schema_is_refused_at_creation(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(
            model="gpt-4o",
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": {"properties": -(10**30)}},
            },
        )
    assert info.value.body["message"] == (
        f"Invalid schema for response_format 'answer': In context=('properties',), {-(10**30)} is not of type 'object'."
    )
    assert info.value.param == "response_format"


def failed_then_recovers(client, **assistant_options) -> None:
    """The run fails with server_error, and the thread takes (and completes) a new run."""
    assistant = client.beta.assistants.create(model="gpt-4o", **assistant_options)
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "call f"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "failed"
    assert run.last_error.code == "server_error"
    assert run.last_error.message == "Sorry, something went wrong."
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "failed"
    again = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tools=[], response_format="auto"
    )
    assert again.status == "completed"


@pytest.mark.parametrize(
    "parameters",
    [
        {
            "type": "object",
            "properties": {"a": {"type": "array", "minItems": 200_000}},
            "required": ["a"],
        },
        {
            "type": "object",
            "properties": {"a": {"type": "string", "minLength": 10**6}},
            "required": ["a"],
        },
        {
            "type": "object",
            "properties": {"a": {"type": "string", "minLength": 5, "maxLength": 2}},
            "required": ["a"],
        },
        {"type": "object", "minProperties": 5000},
        {
            "$defs": {
                "n": {
                    "type": "object",
                    "properties": {"next": {"$ref": "#/$defs/n"}},
                    "required": ["next"],
                }
            },
            "$ref": "#/$defs/n",
        },
        {
            "type": "object",
            "properties": {"a": {"type": "string", "pattern": "^(x{1000}){1000}$"}},
            "required": ["a"],
        },
        {
            "type": "object",
            "properties": {"a": {"type": "integer", "minimum": 5, "maximum": 4}},
            "required": ["a"],
        },
        {
            "type": "object",
            "properties": {"a": {"allOf": [{"type": "string"}, {"type": "integer"}]}},
            "required": ["a"],
        },
        {"type": "object", "properties": {"a": {"not": {}}}, "required": ["a"]},
        # twelve allOf parts of three options pair into 3**12 options: past the cap, not a stall
        {
            "type": "object",
            "properties": {
                "a": {
                    "allOf": [
                        {
                            "anyOf": [
                                {"type": "string", "minLength": 1},
                                {"type": "string", "maxLength": 50},
                                {"type": "string", "description": "any"},
                            ]
                        }
                    ]
                    * 12
                }
            },
            "required": ["a"],
        },
    ],
)
def test_a_schema_no_value_satisfies_fails_the_run_and_releases_the_thread(client, parameters):
    failed_then_recovers(client, tools=[tool(parameters)])


def test_a_response_format_no_value_satisfies_fails_the_run(client):
    failed_then_recovers(
        client,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "big", "schema": {"type": "array", "minItems": 1_000_000}},
        },
    )


def test_a_streamed_run_fails_with_the_terminal_event(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[
            tool(
                {
                    "type": "object",
                    "properties": {"a": {"type": "array", "minItems": 200_000}},
                    "required": ["a"],
                }
            )
        ],
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "call f"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = [event.event for event in stream]
    assert events[-1] == "thread.run.failed"
    assert stream.get_final_run().last_error.code == "server_error"


def test_values_stay_within_the_caps(client):
    """A schema asking for up to a million items of up to a million characters gets a
    small value; a ``$ref`` cycle with a way out ends."""
    parameters = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "label": {"type": "string", "maxLength": 1_000_000},
                    "children": {
                        "type": "array",
                        "items": {"$ref": "#/$defs/node"},
                        "maxItems": 1_000_000,
                    },
                },
                "required": ["label", "children"],
            }
        },
        "type": "object",
        "properties": {
            "root": {"$ref": "#/$defs/node"},
            "rows": {"type": "array", "minItems": 100, "items": {"type": "integer"}},
        },
        "required": ["root", "rows"],
    }
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[tool(parameters)])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "call f"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    arguments = run.required_action.submit_tool_outputs.tool_calls[0].function.arguments
    assert len(json.loads(arguments)["rows"]) == 100
    assert len(arguments) < 100_000


def _arguments(client, parameters: dict) -> dict:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[tool(parameters)])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "call f"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action", run.last_error
    return json.loads(run.required_action.submit_tool_outputs.tool_calls[0].function.arguments)


def test_a_long_chain_of_references_without_a_cycle_is_followed(client):
    """Forty references, each to the next, end at an integer: a chain, not a cycle (it was
    taken for one past 24 references)."""
    chain = {f"r{i}": {"$ref": f"#/$defs/r{i + 1}"} for i in range(40)}
    chain["r40"] = {"type": "integer", "minimum": 7, "maximum": 7}
    parameters = {
        "$defs": chain,
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/r0"}},
        "required": ["a"],
    }
    assert _arguments(client, parameters) == {"a": 7}


def test_a_multiple_under_a_low_maximum_is_found(client):
    """Only a bound above, lower than the first positive multiple: 0, -5, -10... fit."""
    parameters = {
        "type": "object",
        "properties": {"a": {"type": "integer", "maximum": 2, "multipleOf": 5}},
        "required": ["a"],
    }
    value = _arguments(client, parameters)["a"]
    assert value <= 2 and value % 5 == 0
