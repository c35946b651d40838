"""The Responses API's refusals: status, message, param and code as the reference records them
(§1.1, §1.2, §3.2), through the SDK (strict) and raw HTTP for what the SDK cannot send."""

from __future__ import annotations

import openai
import pytest


def refusal(http, body: dict) -> tuple[int, dict]:
    response = http.post("/v1/responses", json=body)
    return response.status_code, response.json()["error"]


@pytest.mark.parametrize(
    ("body", "status", "message", "param", "code"),
    [
        (
            {"input": "Hi"},
            400,
            "Missing required parameter: 'model'.",
            "model",
            "missing_required_parameter",
        ),
        (
            {"model": "", "input": "Hi"},
            400,
            "The requested model '' does not exist.",
            "model",
            "model_not_found",
        ),
        (
            {"model": "gpt-4o"},
            400,
            "Missing required parameter: 'input'.",
            "input",
            "missing_required_parameter",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "seed": 1},
            400,
            "Unknown parameter: 'seed'.",
            "seed",
            "unknown_parameter",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "sto": 1},
            400,
            "Unknown parameter: 'sto'. Did you mean 'store'?",
            "sto",
            "unknown_parameter",
        ),
        (
            {"model": "gpt-4o", "input": ""},
            400,
            (
                "One of \"input\" or \"previous_response_id\" or 'prompt' or 'conversation' must be "
                "provided."
            ),
            None,
            "missing_required_parameter",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "max_output_tokens": 15},
            400,
            (
                "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, "
                "but got 15 instead."
            ),
            "max_output_tokens",
            "integer_below_min_value",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "tool_choice": "bogus"},
            400,
            "Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'.",
            "tool_choice",
            "invalid_value",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "tool_choice": {"type": "file_search"}},
            400,
            "Tool choice 'file_search' not found in 'tools' parameter.",
            "tool_choice",
            None,
        ),
        (
            {
                "model": "gpt-4o",
                "input": "Hi",
                "tools": [{"type": "function", "name": "get_weather"}],
                "tool_choice": {"type": "function", "name": "get_time"},
            },
            400,
            "Tool choice 'get_time' not found in 'tools' parameter.",
            "tool_choice",
            None,
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "background": True, "store": False},
            400,
            (
                "Background mode requires the response to be stored: 'store' cannot be false "
                "when 'background' is true."
            ),
            "store",
            None,
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "tools": [{"type": "function", "function": {}}]},
            400,
            "Missing required parameter: 'tools[0].name'.",
            "tools[0].name",
            "missing_required_parameter",
        ),
        (
            {"model": "gpt-4o", "input": [{"role": "bogus", "content": "x"}]},
            400,
            (
                "Invalid value: 'bogus'. Supported values are: 'assistant', 'system', 'developer', "
                "and 'user'."
            ),
            "input[0].role",
            "invalid_value",
        ),
        (
            {"model": "gpt-4o", "input": [{"role": "user"}]},
            400,
            "Missing required parameter: 'input[0].content'.",
            "input[0].content",
            "missing_required_parameter",
        ),
        (
            {
                "model": "gpt-4o",
                "input": [{"role": "assistant", "content": [{"type": "input_text", "text": "x"}]}],
            },
            400,
            "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.",
            "input[0].content[0].type",
            "invalid_value",
        ),
        (
            {"model": "gpt-4o", "input": [{"role": "user", "content": "x", "phase": "commentary"}]},
            400,
            "Unknown parameter: 'input[0].phase'.",
            "input[0].phase",
            "unknown_parameter",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "text": {"format": {"type": "bogus"}}},
            400,
            (
                "Invalid value: 'bogus'. Supported values are: 'json_object', 'text', and "
                "'json_schema'."
            ),
            "text.format.type",
            "invalid_value",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "metadata": {str(i): "v" for i in range(17)}},
            400,
            (
                "Invalid 'metadata': too many properties. Expected an object with at most 16 "
                "properties, but got an object with 17 properties instead."
            ),
            "metadata",
            "object_above_max_properties",
        ),
        (
            {"model": "o3", "input": "Hi", "temperature": 0.5},
            400,
            "Unsupported parameter: 'temperature' is not supported with this model.",
            "temperature",
            None,
        ),
        (
            {"model": "gpt-5", "input": "Hi", "top_p": 0.5},
            400,
            "Unsupported parameter: 'top_p' is not supported with this model.",
            "top_p",
            None,
        ),
        (
            {"model": "gpt-5", "input": "Hi", "presence_penalty": 0.5},
            400,
            "Unsupported parameter: 'presence_penalty' is not supported with this model.",
            "presence_penalty",
            None,
        ),
        (
            {"model": "o4-mini", "input": "Hi", "frequency_penalty": -1},
            400,
            "Unsupported parameter: 'frequency_penalty' is not supported with this model.",
            "frequency_penalty",
            None,
        ),
        (
            {"model": "gpt-5", "input": "Hi", "include": ["message.output_text.logprobs"]},
            400,
            "logprobs are not supported with reasoning models.",
            "include",
            "unsupported_parameter",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "include": ["bogus"]},
            400,
            (
                "Invalid value: 'bogus'. Supported values are: 'file_search_call.results', "
                "'web_search_call.results', 'web_search_call.action.sources', "
                "'message.input_image.image_url', 'computer_call_output.output.image_url', "
                "'code_interpreter_call.outputs', 'reasoning.encrypted_content', and "
                "'message.output_text.logprobs'."
            ),
            "include[0]",
            "invalid_value",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "max_output_tokens": 0},
            400,
            (
                "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, "
                "but got 0 instead."
            ),
            "max_output_tokens",
            "integer_below_min_value",
        ),
        (
            {"model": "gpt-5", "input": "Hi", "top_logprobs": 2},
            400,
            "logprobs are not supported with reasoning models.",
            "top_logprobs",
            "unsupported_parameter",
        ),
        (
            {
                "model": "gpt-4o",
                "input": "Hi",
                "previous_response_id": "resp_x",
                "conversation": "conv_x",
            },
            400,
            (
                "Mutually exclusive parameters: ''. Ensure you are only providing one of: "
                "'pre..._id' or 'conversation'."
            ),
            None,
            "mutually_exclusive_parameters",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "previous_response_id": "resp_x"},
            400,
            "Previous response with id 'resp_x' not found.",
            "previous_response_id",
            "previous_response_not_found",
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "previous_response_id": "@results.ress"},
            400,
            (
                "Invalid 'previous_response_id': '@results.ress'. Expected an ID that contains "
                "letters, numbers, underscores, or dashes, but this value contained additional "
                "characters."
            ),
            "previous_response_id",
            "invalid_value",
        ),
        (
            {
                "model": "gpt-4o",
                "input": [{"type": "function_call_output", "call_id": "call_x", "output": "18C"}],
            },
            400,
            "No tool call found for function call output with call_id call_x.",
            "input",
            None,
        ),
        (
            {"model": "gpt-4o", "input": "Hi", "prompt": {"id": "pmpt_x"}},
            404,
            "Prompt with id 'pmpt_x' not found.",
            None,
            None,
        ),
        (
            {"model": "gpt-4o", "input": [{"type": "item_reference", "id": "msg_x"}]},
            404,
            "Item with id 'msg_x' not found. Items are not persisted when `store` is set to false.",
            None,
            None,
        ),
    ],
)
def test_refusals(http, body, status, message, param, code):
    got_status, error = refusal(http, body)
    assert (got_status, error["message"], error["param"], error["code"]) == (
        status,
        message,
        param,
        code,
    )
    assert error["type"] == "invalid_request_error"


def test_calls_and_outputs_must_pair(client):
    """A ``function_call_output`` answers a ``function_call`` of the chain, the conversation
    or the same input, and a replayed call needs its output; else a refusal, before anything
    is stored."""
    tool = {"type": "function", "name": "get_weather", "parameters": {"type": "object"}}
    first = client.responses.create(model="gpt-4o", input="Weather in Paris?", tools=[tool])
    (call,) = first.output
    answers = [
        {"type": "function_call_output", "call_id": call.call_id, "output": "18C"},
        {"type": "function_call_output", "call_id": "call_other", "output": "20C"},
    ]
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(
            model="gpt-4o", previous_response_id=first.id, input=answers, tools=[tool]
        )
    assert refused.value.body == {
        "message": "No tool call found for function call output with call_id call_other.",
        "type": "invalid_request_error",
        "param": "input",
        "code": None,
    }
    # a call replayed without its output is as unanswered as one the chain left open
    unanswered = [
        {"role": "user", "content": "Weather in Paris?"},
        {"type": "function_call", "call_id": "call_mine", "name": "get_weather", "arguments": "{}"},
    ]
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(model="gpt-4o", input=unanswered, tools=[tool])
    assert refused.value.body["message"] == "No tool output found for function call call_mine."
    # the call replayed in the same input is a call of the context (the stateless form)
    replayed = [
        {"role": "user", "content": "Weather in Paris?"},
        {"type": "function_call", "call_id": "call_mine", "name": "get_weather", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_mine", "output": "18C"},
    ]
    answered = client.responses.create(model="gpt-4o", input=replayed, tools=[tool])
    assert "get_weather returned: 18C." in answered.output_text


def test_messages_has_moved_to_input(http):
    status, error = refusal(http, {"model": "gpt-4o", "messages": []})
    assert status == 400 and error["code"] == "unsupported_parameter" and error["param"] is None
    assert error["message"].startswith(
        "Unsupported parameter: 'messages'. In the Responses API, this parameter has moved to "
        "'input'."
    )


def test_the_model_is_checked_before_unknown_keys(http):
    _status, error = refusal(http, {"seed": 1, "input": "Hi"})
    assert error["param"] == "model"


def test_no_beta_header_is_needed(http):
    response = http.post(
        "/v1/responses", json={"model": "gpt-4o", "input": "Hi"}, headers={"OpenAI-Beta": ""}
    )
    assert response.status_code == 200


def test_unknown_response_through_the_sdk(client):
    with pytest.raises(openai.NotFoundError) as missing:
        client.responses.retrieve("resp_abc")
    assert missing.value.body == {
        "message": "Response with id 'resp_abc' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_a_reasoning_model_echoes_its_defaults(client):
    response = client.responses.create(model="gpt-5", input="Hi")
    assert response.reasoning.effort == "medium"
    assert (response.temperature, response.top_p) == (1.0, 1.0)


def test_a_refused_request_mints_no_id(live_server, http, api_key):
    """Bad input never changes state, ids included: a create refused after some of its input
    items got ids (a reference to nothing, an output answering no call) leaves the next ids as
    if it had never been sent, for responses and conversations alike."""
    from tests.conftest import make_client

    bad_inputs = (
        [
            {"role": "user", "content": "Hi"},
            {"type": "function_call_output", "call_id": "call_x", "output": "1"},
        ],
        [{"role": "user", "content": "Hi"}, {"type": "item_reference", "id": "msg_nothing"}],
    )

    def session(refuse: bool) -> list[str]:
        # a fresh sandbox of the same key each time: the same seed, so the same ids in order
        assert http.post("/__mock__/reset").status_code == 200
        with make_client(live_server.base_url, api_key) as c:
            if refuse:
                for bad in bad_inputs:
                    with pytest.raises(openai.APIStatusError):
                        c.responses.create(model="gpt-4o", input=bad)
                with pytest.raises(openai.NotFoundError):
                    c.conversations.create(items=bad_inputs[1])
            response = c.responses.create(model="gpt-4o", input="Hello")
            conversation = c.conversations.create(items=[{"role": "user", "content": "Hi"}])
            (item,) = c.conversations.items.list(conversation.id).data
            (given,) = c.responses.input_items.list(response.id).data
            return [response.id, response.output[0].id, given.id, conversation.id, item.id]

    assert session(refuse=True) == session(refuse=False)


def test_a_replayed_reasoning_item_must_have_been_stored(client, http):
    """A reasoning item replayed by an id the API never stored is the observed 404 (reference
    §2.4), in a response's input and a conversation's items alike; one carrying its
    encrypted content (the stateless form) is taken; and an id of another kind of item is no
    match (the reasoning item does not turn into the message it named)."""
    message = (
        "Item with id 'rs_never' not found. Items are not persisted when `store` is set to false."
    )
    never = {"type": "reasoning", "id": "rs_never", "summary": []}
    assert refusal(http, {"model": "gpt-4o", "input": [never]}) == (
        404,
        {"message": message, "type": "invalid_request_error", "param": None, "code": None},
    )
    response = http.post("/v1/conversations", json={"items": [never]})
    assert (response.status_code, response.json()["error"]["message"]) == (404, message)
    stateless = {**never, "encrypted_content": "gAAAA"}
    taken = client.responses.create(
        model="gpt-4o", input=[stateless, {"role": "user", "content": "Hi"}]
    )
    assert [i.type for i in client.responses.input_items.list(taken.id).data] == [
        "message",
        "reasoning",
    ]
    first = client.responses.create(model="gpt-4o", input="Hi")
    named = first.output[0].id
    status, error = refusal(
        http, {"model": "gpt-4o", "input": [{"type": "reasoning", "id": named, "summary": []}]}
    )
    assert (status, error["message"]) == (404, message.replace("rs_never", named))


def test_a_function_call_outputs_parts_are_checked_as_a_messages(client, http):
    """The parts of a ``function_call_output``'s array output are a message's input parts: a
    file they name must exist (the same 404 as in a message), and they are stored in the
    same form (an image part gets its ``detail``)."""
    call = {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"}
    tools = [{"type": "function", "name": "f"}]

    def answered(output: list) -> dict:
        answer = {"type": "function_call_output", "call_id": "call_1", "output": output}
        return {"model": "gpt-4o", "input": [call, answer], "tools": tools}

    in_message = {
        "model": "gpt-4o",
        "input": [{"role": "user", "content": [{"type": "input_file", "file_id": "file-nope"}]}],
    }
    expected = refusal(http, in_message)
    assert expected[0] == 404
    assert refusal(http, answered([{"type": "input_file", "file_id": "file-nope"}])) == expected
    image = {"type": "input_image", "image_url": "https://example.com/a.png"}
    response = http.post("/v1/responses", json=answered([image])).json()
    items = client.responses.input_items.list(response["id"], order="asc").data
    assert items[1].output[0].detail == "auto"
