"""Assistants through the official SDK: CRUD, defaults, validation with the real messages."""

from __future__ import annotations

import openai
import pytest


def test_create_retrieve_update_delete_round_trip(client):
    created = client.beta.assistants.create(
        model="gpt-4o",
        name="Math Tutor",
        instructions="You are a math tutor.",
        tools=[{"type": "code_interpreter"}],
        metadata={"team": "edu"},
    )
    assert created.id.startswith("asst_")
    assert created.temperature == 1.0 and created.top_p == 1.0
    assert created.response_format == "auto"
    fetched = client.beta.assistants.retrieve(created.id)
    assert fetched == created
    updated = client.beta.assistants.update(created.id, name="Physics Tutor", metadata={"v": "2"})
    assert updated.name == "Physics Tutor" and updated.metadata == {"v": "2"}
    assert updated.instructions == "You are a math tutor."
    deleted = client.beta.assistants.delete(created.id)
    assert deleted.deleted and deleted.object == "assistant.deleted" and deleted.id == created.id
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.assistants.retrieve(created.id)
    assert info.value.body["message"] == f"No assistant found with id '{created.id}'."


def test_file_search_tool_gets_the_real_defaults(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "file_search"}])
    settings = assistant.tools[0].file_search
    assert settings.max_num_results is None  # as recorded: null unless set (20 still applies)
    assert settings.ranking_options.ranker == "default_2024_08_21"
    assert settings.ranking_options.score_threshold == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message", "param", "code"),
    [
        (
            {"name": "x" * 257},
            (
                "Invalid 'name': string too long. Expected a string with maximum length 256, "
                "but got a string with length 257 instead."
            ),
            "name",
            "string_above_max_length",
        ),
        (
            {"metadata": {f"k{i}": "v" for i in range(17)}},
            (
                "Invalid 'metadata': too many properties. Expected an object with at most 16 "
                "properties, but got an object with 17 properties instead."
            ),
            "metadata",
            "object_above_max_properties",
        ),
        (
            {"temperature": 2.5},
            (
                "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got "
                "2.5 instead."
            ),
            "temperature",
            "decimal_above_max_value",
        ),
        (
            {"extra_body": {"colour": "blue"}},
            "Unknown parameter: 'colour'.",
            "colour",
            "unknown_parameter",
        ),
    ],
)
def test_invalid_create_is_refused_with_the_real_message(client, kwargs, message, param, code):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(model="gpt-4o", **kwargs)
    assert info.value.status_code == 400
    assert info.value.body["message"] == message
    assert info.value.param == param and info.value.code == code
    assert client.beta.assistants.list().data == []


def test_reasoning_model_rejects_stale_temperature_until_cleared(client):
    assistant = client.beta.assistants.create(model="gpt-4o", temperature=0.2)
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.update(assistant.id, model="o3-mini")
    assert (
        info.value.body["message"]
        == "Unsupported parameter: 'temperature' is not supported with this model."
    )
    assert info.value.code == "unsupported_parameter" and info.value.param == "model"
    fixed = client.beta.assistants.update(
        assistant.id, model="o3-mini", temperature=None, top_p=None
    )
    assert fixed.model == "o3-mini" and fixed.temperature is None and fixed.top_p is None


def test_list_update_and_delete_through_the_list(client):
    first = client.beta.assistants.create(model="gpt-4o", name="one")
    second = client.beta.assistants.create(model="gpt-4o", name="two")
    assert [a.id for a in client.beta.assistants.list()] == [second.id, first.id]
    client.beta.assistants.update(first.id, name="uno")
    assert [a.name for a in client.beta.assistants.list(order="asc")] == ["uno", "two"]
    client.beta.assistants.delete(second.id)
    assert [a.id for a in client.beta.assistants.list()] == [first.id]


def test_null_clears_optional_fields_and_tools_are_replaced(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        name="n",
        description="d",
        instructions="i",
        tools=[{"type": "code_interpreter"}],
        metadata={"k": "v"},
    )
    cleared = client.beta.assistants.update(
        assistant.id, name=None, description=None, instructions=None, tools=[], metadata=None
    )
    assert (cleared.name, cleared.description, cleared.instructions) == (None, None, None)
    assert cleared.tools == [] and cleared.metadata == {}
    assert cleared.model == "gpt-4o" and cleared.created_at == assistant.created_at


def test_function_tools_and_response_formats_round_trip(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "parameters": {"type": "object", "properties": {}},
                },
            }
        ],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "out", "schema": {"type": "object"}, "strict": True},
        },
    )
    function = assistant.tools[0].function
    assert function.name == "get_weather" and function.strict is False
    assert function.parameters == {"type": "object", "properties": {}}
    assert assistant.response_format.type == "json_schema"
    assert assistant.response_format.json_schema.name == "out"
    assert assistant.response_format.json_schema.strict is True
    updated = client.beta.assistants.update(assistant.id, response_format={"type": "json_object"})
    assert updated.response_format.type == "json_object"
    assert (
        client.beta.assistants.update(assistant.id, response_format="auto").response_format
        == "auto"
    )


def test_reasoning_models_default_to_no_sampling_settings(client):
    assistant = client.beta.assistants.create(model="o3-mini")
    assert assistant.temperature is None and assistant.top_p is None
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(model="o1", top_p=0.5)
    assert info.value.param == "top_p" and info.value.code == "unsupported_parameter"


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        (
            {"tools": [{"type": "function", "function": {"name": "bad name!"}}]},
            400,
            (
                "Invalid 'tools[0].function.name': string does not match pattern. Expected a string "
                "that matches the pattern '^[a-zA-Z0-9_-]+$'."
            ),
        ),
        (
            {"tool_resources": {"file_search": {"vector_store_ids": ["vs_1", "vs_2"]}}},
            400,
            (
                "Invalid 'tool_resources.file_search.vector_store_ids': array too long. Expected an "
                "array with maximum length 1, but got an array with length 2 instead."
            ),
        ),
        (
            {"tool_resources": {"file_search": {"vector_store_ids": ["vs_missing"]}}},
            404,
            "No vector store found with id 'vs_missing'.",
        ),
        (
            {"tool_resources": {"code_interpreter": {"file_ids": ["vs_1"]}}},
            400,
            (
                "Invalid 'tool_resources.code_interpreter.file_ids[0]': 'vs_1'. Expected an ID that "
                "begins with 'file'."
            ),
        ),
        (
            {"response_format": "text"},
            400,
            "Invalid value: 'text'. Supported values are: 'auto'.",
        ),
        (
            {"response_format": {"type": "json_schema"}},
            400,
            "Missing required parameter: 'response_format.json_schema'.",
        ),
    ],
)
def test_tools_resources_and_formats_are_checked(client, kwargs, status, message):
    with pytest.raises(openai.APIStatusError) as info:
        client.beta.assistants.create(model="gpt-4o", **kwargs)
    assert info.value.status_code == status
    assert info.value.body["message"] == message
    assert client.beta.assistants.list().data == []


def test_update_refuses_the_vector_stores_helper(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.update(
            assistant.id, tool_resources={"file_search": {"vector_stores": [{}]}}
        )
    assert (
        info.value.body["message"]
        == "Unknown parameter: 'tool_resources.file_search.vector_stores'."
    )
    assert info.value.code == "unknown_parameter"
