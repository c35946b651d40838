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
    pages = [
        item.content[0].text
        for item in client.responses.input_items.list(response.id, order="asc", limit=1)
    ]
    assert pages == ["first", "second"]
    # the instructions are not an item
    assert response.instructions == "Be brief."


def test_input_items_page_by_cursor_within_bounds(client, http):
    response = client.responses.create(
        model="gpt-4o", input=[{"role": "user", "content": word} for word in "abcde"]
    )
    newest = client.responses.input_items.list(response.id, limit=2)
    assert [i.content[0].text for i in newest.data] == ["e", "d"] and newest.has_more
    assert (newest.first_id, newest.last_id) == (newest.data[0].id, newest.data[1].id)
    rest = client.responses.input_items.list(response.id, limit=2, after=newest.last_id)
    assert [i.content[0].text for i in rest.data] == ["c", "b"] and rest.has_more
    last = client.responses.input_items.list(response.id, limit=2, after=rest.last_id)
    assert [i.content[0].text for i in last.data] == ["a"] and not last.has_more
    oldest = client.responses.input_items.list(response.id, order="asc", limit=100)
    assert [i.content[0].text for i in oldest.data] == list("abcde") and not oldest.has_more
    # there is no ``before`` on this list (reference §1): ignored, as on a conversation's items
    path = f"/v1/responses/{response.id}/input_items"
    ignored = http.get(path, params={"before": "msg_x", "limit": 2}).json()
    assert [i["content"][0]["text"] for i in ignored["data"]] == ["e", "d"]
    refusals = {
        "limit=0": (
            {"limit": 0},
            (
                "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 "
                "instead."
            ),
            "limit",
            "integer_below_min_value",
        ),
        "limit=101": (
            {"limit": 101},
            (
                "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got "
                "101 instead."
            ),
            "limit",
            "integer_above_max_value",
        ),
        "limit=x": (
            {"limit": "x"},
            "Invalid type for 'limit': expected an integer, but got a string instead.",
            "limit",
            "invalid_type",
        ),
        "order": (
            {"order": "up"},
            "Invalid value: 'up'. Supported values are: 'asc' and 'desc'.",
            "order",
            "invalid_value",
        ),
        "after": (
            {"after": "msg_x"},
            "Invalid 'after': 'msg_x'. Expected the id of an object in this list.",
            "after",
            "invalid_value",
        ),
        "include": (
            {"include[]": "bogus"},
            (
                "Invalid value: 'bogus'. Supported values are: 'file_search_call.results', "
                "'web_search_call.results', 'web_search_call.action.sources', "
                "'message.input_image.image_url', 'computer_call_output.output.image_url', "
                "'code_interpreter_call.outputs', 'reasoning.encrypted_content', and "
                "'message.output_text.logprobs'."
            ),
            "include[]",
            "invalid_value",
        ),
    }
    for name, (params, message, param, code) in refusals.items():
        answer = http.get(path, params=params)
        error = answer.json()["error"]
        assert (answer.status_code, error["message"], error["param"], error["code"]) == (
            400,
            message,
            param,
            code,
        ), name
    # retrieve checks its include[] the same way
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.retrieve(response.id, include=["bogus"])  # type: ignore[list-item]
    assert refused.value.body["message"] == refusals["include"][1]
    assert refused.value.body["param"] == "include[]"


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
    assert (
        refused.value.body["message"] == f"No tool output found for function call {call.call_id}."
    )
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


def test_parse_with_a_pydantic_model(client):
    from pydantic import BaseModel

    class Step(BaseModel):
        explanation: str
        output: str

    class Solution(BaseModel):
        steps: list[Step]
        final_answer: str

    response = client.responses.parse(
        model="gpt-4o", input="Solve 8x + 7 = -23", text_format=Solution
    )
    assert isinstance(response.output_parsed, Solution)
    assert response.text.format.type == "json_schema" and response.text.format.name == "Solution"
    assert response.text.format.strict is True


def test_a_strict_function_tool_parses_its_arguments(client):
    from pydantic import BaseModel

    class GetWeather(BaseModel):
        city: str

    response = client.responses.parse(
        model="gpt-4o",
        input="What is the weather in Lisbon?",
        tools=[openai.pydantic_function_tool(GetWeather)],
    )
    (call,) = response.output
    assert isinstance(call.parsed_arguments, GetWeather)
    assert call.parsed_arguments.city == "Lisbon"


def _store_with(client, text: bytes):
    import io

    uploaded = client.files.create(file=("notes.txt", io.BytesIO(text)), purpose="assistants")
    store = client.vector_stores.create(name="notes", file_ids=[uploaded.id])
    while client.vector_stores.retrieve(store.id).status != "completed":
        pass
    return uploaded, store


def test_file_search_cites_with_exact_indices(client):
    uploaded, store = _store_with(
        client, b"The launch code is purple banana. Our office is in Lisbon, near the river."
    )
    tools = [{"type": "file_search", "vector_store_ids": [store.id]}]
    response = client.responses.create(
        model="gpt-4o",
        input="Where is the office?",
        tools=tools,
        include=["file_search_call.results"],
    )
    search, message = response.output
    assert search.type == "file_search_call" and search.queries == ["Where is the office?"]
    (result,) = search.results
    assert (result.file_id, result.filename) == (uploaded.id, "notes.txt")
    assert "Lisbon" in result.text
    (citation,) = message.content[0].annotations
    assert citation.type == "file_citation" and citation.file_id == uploaded.id
    text = message.content[0].text
    assert "【" not in text  # no Assistants-style markers
    assert text[: citation.index].endswith('near the river."')
    assert response.tools[0].max_num_results == 20
    # without the include, the results are null; retrieve follows its own include[]
    plain = client.responses.create(model="gpt-4o", input="Where is the office?", tools=tools)
    assert plain.output[0].results is None
    again = client.responses.retrieve(plain.id, include=["file_search_call.results"])
    assert again.output[0].results[0].file_id == uploaded.id


def test_code_interpreter_runs_in_a_container(client):
    response = client.responses.create(
        model="gpt-4o",
        input="Compute the sum of 1, 2 and 3 with code",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )
    call, message = response.output
    assert call.type == "code_interpreter_call" and call.container_id.startswith("cntr_")
    assert "sum(values)" in call.code
    assert call.outputs[0].type == "logs" and call.outputs[0].logs == "6\n"
    assert message.content[0].text == "The sum of [1, 2, 3] is 6."
    bare = client.responses.create(
        model="gpt-4o",
        input="Compute the sum of 1, 2 and 3 with code",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
    )
    assert bare.output[0].outputs is None


def test_max_output_tokens_ends_incomplete(client):
    response = client.responses.create(
        model="gpt-4o", input="Tell me everything " * 10, max_output_tokens=16
    )
    assert response.status == "incomplete"
    assert response.incomplete_details.reason == "max_output_tokens"
    assert response.output[0].status == "incomplete"
    assert response.usage.output_tokens == 16


def test_the_settings_are_echoed(client):
    response = client.responses.create(
        model="gpt-4o",
        input="Hi",
        metadata={"k": "v"},
        temperature=0.5,
        top_p=0.9,
        tools=[WEATHER],
        tool_choice="none",
        parallel_tool_calls=False,
    )
    assert response.metadata == {"k": "v"}
    assert (response.temperature, response.top_p) == (0.5, 0.9)
    assert response.tool_choice == "none" and response.parallel_tool_calls is False
    assert response.tools[0].strict is True  # echoed true when omitted
    assert response.output[0].type == "message"  # "none": no call


def test_forced_function_choice(client):
    response = client.responses.create(
        model="gpt-4o",
        input="Hi",
        tools=[WEATHER],
        tool_choice={"type": "function", "name": "get_weather"},
    )
    assert response.output[0].type == "function_call"
    assert response.tool_choice.name == "get_weather"


TIME = {
    "type": "function",
    "name": "get_time",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
}


def called(response) -> list[str]:
    return [item.name for item in response.output if item.type == "function_call"]


def test_parallel_tool_calls_false_makes_one_call_per_turn(client):
    asked = "What's the weather and the time in Paris?"
    both = client.responses.create(model="gpt-4o", input=asked, tools=[WEATHER, TIME])
    assert called(both) == ["get_weather", "get_time"]
    one = client.responses.create(
        model="gpt-4o", input=asked, tools=[WEATHER, TIME], parallel_tool_calls=False
    )
    assert called(one) == ["get_weather"] and one.parallel_tool_calls is False
    forced = client.responses.create(
        model="gpt-4o",
        input="Hello",
        tools=[WEATHER, TIME],
        tool_choice="required",
        parallel_tool_calls=False,
    )
    assert called(forced) == ["get_weather"]


def test_tool_choice_required_and_allowed_tools(client):
    # required: a call even when the message asks for none
    required = client.responses.create(
        model="gpt-4o", input="Hello", tools=[WEATHER], tool_choice="required"
    )
    assert called(required) == ["get_weather"] and required.tool_choice == "required"
    # allowed_tools: only the listed tools exist for the model; its mode says whether one
    # must be called; the echo keeps the choice and every tool
    allowed = {"type": "allowed_tools", "tools": [{"type": "function", "name": "get_time"}]}
    must = client.responses.create(
        model="gpt-4o",
        input="What's the weather in Paris?",
        tools=[WEATHER, TIME],
        tool_choice={**allowed, "mode": "required"},
    )
    assert called(must) == ["get_time"]
    assert must.tool_choice.type == "allowed_tools" and must.tool_choice.mode == "required"
    assert [tool.name for tool in must.tools] == ["get_weather", "get_time"]
    may = client.responses.create(
        model="gpt-4o",
        input="What's the weather in Paris?",
        tools=[WEATHER, TIME],
        tool_choice={**allowed, "mode": "auto"},
    )
    assert called(may) == [] and may.output[0].type == "message"


def test_tool_choice_forces_a_built_in_tool(client):
    _, store = _store_with(client, b"Rockets burn fuel to fly.")
    tools = [
        {"type": "file_search", "vector_store_ids": [store.id]},
        {"type": "code_interpreter", "container": {"type": "auto"}},
    ]
    for kind in ("file_search", "code_interpreter"):
        forced = client.responses.create(
            model="gpt-4o", input="Hello", tools=tools, tool_choice={"type": kind}
        )
        assert [item.type for item in forced.output] == [f"{kind}_call", "message"], kind
        assert forced.tool_choice.type == kind


def test_an_item_reference_replays_a_stored_item(client):
    first = client.responses.create(model="gpt-4o", input="Remember the word kiwi")
    (user,) = client.responses.input_items.list(first.id).data
    second = client.responses.create(
        model="gpt-4o", input=[{"type": "item_reference", "id": user.id}]
    )
    assert second.output_text.startswith('You asked: "Remember the word kiwi".')


def test_a_conversation_gives_context_and_gets_each_turn(client):
    conversation = client.conversations.create(
        items=[{"type": "message", "role": "user", "content": "My name is Ada."}]
    )
    first = client.responses.create(
        model="gpt-4o", input="What is my name?", conversation=conversation.id
    )
    assert first.conversation.id == conversation.id
    items = client.conversations.items.list(conversation.id, order="asc").data
    assert [(i.type, getattr(i, "role", None)) for i in items] == [
        ("message", "user"),
        ("message", "user"),
        ("message", "assistant"),
    ]
    assert items[2].id == first.output[0].id
    second = client.responses.create(
        model="gpt-4o", input="And again?", conversation={"id": conversation.id}
    )
    # the whole conversation is read: more input than the first turn
    assert second.usage.input_tokens > first.usage.input_tokens
    assert len(client.conversations.items.list(conversation.id).data) == 5
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.create(model="gpt-4o", input="Hi", conversation="conv_x")
    assert missing.value.body["message"] == "Conversation with id 'conv_x' not found."


def test_a_conversation_carries_a_function_call_round_trip(client):
    conversation = client.conversations.create()
    first = client.responses.create(
        model="gpt-4o", input="Weather in Oslo?", tools=[WEATHER], conversation=conversation.id
    )
    (call,) = first.output
    second = client.responses.create(
        model="gpt-4o",
        tools=[WEATHER],
        conversation=conversation.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "-3C"}],
    )
    assert "get_weather returned: -3C." in second.output_text
    kinds = [i.type for i in client.conversations.items.list(conversation.id, order="asc")]
    assert kinds == ["message", "function_call", "function_call_output", "message"]


def test_a_chart_is_a_file_of_the_container(client):
    response = client.responses.create(
        model="gpt-4o",
        input="Compute the sum of 1, 2 and 3 with code and plot a chart",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )
    call = response.output[0]
    image = call.outputs[1]
    assert image.type == "image"
    (made,) = client.containers.files.list(call.container_id).data
    assert image.url == f"/v1/containers/{call.container_id}/files/{made.id}/content"
    png = client.containers.files.content.retrieve(made.id, container_id=call.container_id)
    assert png.read().startswith(b"\x89PNG")
    # the chart is the container's, not a stray file of the Files API
    assert client.files.list().data == []


def test_a_stateless_round_trip_replays_the_call(client):
    asked = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = client.responses.create(model="gpt-4o", input=asked, tools=[WEATHER], store=False)
    (call,) = first.output
    replayed = [
        *asked,
        call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": "18C"},
    ]
    second = client.responses.create(model="gpt-4o", input=replayed, tools=[WEATHER], store=False)
    assert second.output[0].type == "message"
    assert "get_weather returned: 18C." in second.output_text


def test_file_search_filters_on_attributes(client):
    import io

    texts = {"lisbon": b"Our office is in Lisbon.", "porto": b"Our office is in Porto."}
    store = client.vector_stores.create(name="offices")
    for city, text in texts.items():
        uploaded = client.files.create(file=(f"{city}.txt", io.BytesIO(text)), purpose="assistants")
        client.vector_stores.files.create(
            vector_store_id=store.id, file_id=uploaded.id, attributes={"city": city}
        )
    while client.vector_stores.retrieve(store.id).status != "completed":
        pass
    tool = {
        "type": "file_search",
        "vector_store_ids": [store.id],
        "filters": {"type": "eq", "key": "city", "value": "porto"},
    }
    response = client.responses.create(
        model="gpt-4o",
        input="Where is the office?",
        tools=[tool],
        include=["file_search_call.results"],
    )
    (result,) = response.output[0].results
    assert (result.filename, result.attributes) == ("porto.txt", {"city": "porto"})
