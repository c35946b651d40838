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
    assert settings.max_num_results == 20
    assert settings.ranking_options.ranker == "default_2024_08_21"
    assert settings.ranking_options.score_threshold == 0.0


@pytest.mark.parametrize(
    ("kwargs", "message", "param", "code"),
    [
        (
            {"name": "x" * 257},
            "Invalid 'name': string too long. Expected a string with maximum length 256, "
            "but got a string with length 257 instead.",
            "name",
            "string_above_max_length",
        ),
        (
            {"metadata": {f"k{i}": "v" for i in range(17)}},
            "Invalid 'metadata': too many properties. Expected an object with at most 16 "
            "properties, but got an object with 17 properties instead.",
            "metadata",
            "object_above_max_properties",
        ),
        (
            {"temperature": 2.5},
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got "
            "2.5 instead.",
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
    assert info.value.body["message"] == "Unsupported parameter: 'temperature' is not supported with this model."
    assert info.value.code == "unsupported_parameter" and info.value.param == "model"
    fixed = client.beta.assistants.update(assistant.id, model="o3-mini", temperature=None, top_p=None)
    assert fixed.model == "o3-mini" and fixed.temperature is None and fixed.top_p is None
