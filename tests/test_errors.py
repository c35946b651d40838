"""Every error the foundation reports, through the SDK (or raw HTTP where the SDK cannot send
the request): the exception class, the status, the exact message, ``param`` and ``code``.
After each refusal the sandbox is unchanged."""

from __future__ import annotations

import openai
import pytest

from mockserver.server import LiveServer

# -- not found and wrong prefixes -------------------------------------------------------------


@pytest.fixture
def objects(client):
    """An existing thread and message, so the *other* id in a path is the one that is wrong."""
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    message = client.beta.threads.messages.list(thread.id).data[0]
    return thread.id, message.id


NOT_FOUND = [
    ("assistant", "asst_missing", lambda c, t, m: c.beta.assistants.retrieve("asst_missing")),
    (
        "assistant",
        "asst_missing",
        lambda c, t, m: c.beta.assistants.update("asst_missing", name="x"),
    ),
    ("assistant", "asst_missing", lambda c, t, m: c.beta.assistants.delete("asst_missing")),
    ("thread", "thread_missing", lambda c, t, m: c.beta.threads.retrieve("thread_missing")),
    (
        "thread",
        "thread_missing",
        lambda c, t, m: c.beta.threads.update("thread_missing", metadata={}),
    ),
    ("thread", "thread_missing", lambda c, t, m: c.beta.threads.delete("thread_missing")),
    (
        "thread",
        "thread_missing",
        lambda c, t, m: c.beta.threads.messages.create("thread_missing", role="user", content="x"),
    ),
    ("thread", "thread_missing", lambda c, t, m: c.beta.threads.messages.list("thread_missing")),
    (
        "thread",
        "thread_missing",
        lambda c, t, m: c.beta.threads.messages.retrieve(m, thread_id="thread_missing"),
    ),
    (
        "message",
        "msg_missing",
        lambda c, t, m: c.beta.threads.messages.retrieve("msg_missing", thread_id=t),
    ),
    (
        "message",
        "msg_missing",
        lambda c, t, m: c.beta.threads.messages.update("msg_missing", thread_id=t, metadata={}),
    ),
    (
        "message",
        "msg_missing",
        lambda c, t, m: c.beta.threads.messages.delete("msg_missing", thread_id=t),
    ),
]


@pytest.mark.parametrize(("kind", "object_id", "call"), NOT_FOUND)
def test_unknown_ids_are_404_with_the_real_message(
    client, objects, sandbox_state, kind, object_id, call
):
    before = sandbox_state()
    with pytest.raises(openai.NotFoundError) as info:
        call(client, *objects)
    assert info.value.status_code == 404
    assert info.value.body == {
        "message": f"No {kind} found with id '{object_id}'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert sandbox_state() == before


WRONG_PREFIX = [
    (
        "assistant_id",
        "thread_abc",
        "asst",
        lambda c, t, m: c.beta.assistants.retrieve("thread_abc"),
    ),
    ("assistant_id", "thread_abc", "asst", lambda c, t, m: c.beta.assistants.delete("thread_abc")),
    ("thread_id", "asst_abc", "thread", lambda c, t, m: c.beta.threads.retrieve("asst_abc")),
    (
        "thread_id",
        "asst_abc",
        "thread",
        lambda c, t, m: c.beta.threads.messages.create("asst_abc", role="user", content="x"),
    ),
    (
        "message_id",
        "thread_abc",
        "msg",
        lambda c, t, m: c.beta.threads.messages.retrieve("thread_abc", thread_id=t),
    ),
    (
        "message_id",
        "thread_abc",
        "msg",
        lambda c, t, m: c.beta.threads.messages.delete("thread_abc", thread_id=t),
    ),
]


@pytest.mark.parametrize(("param", "value", "prefix", "call"), WRONG_PREFIX)
def test_wrong_id_prefix_is_the_real_400(
    client, objects, sandbox_state, param, value, prefix, call
):
    before = sandbox_state()
    with pytest.raises(openai.BadRequestError) as info:
        call(client, *objects)
    assert (
        info.value.body["message"]
        == f"Invalid '{param}': '{value}'. Expected an ID that begins with '{prefix}'."
    )
    assert info.value.param == param and info.value.code == "invalid_value"
    assert sandbox_state() == before


# -- request validation with the real templates -------------------------------------------------


def _too_long(param: str, maximum: int, length: int) -> str:
    return (
        f"Invalid '{param}': string too long. Expected a string with maximum length {maximum}, "
        f"but got a string with length {length} instead."
    )


CREATE_ASSISTANT = [
    ({"name": "n" * 257}, _too_long("name", 256, 257), "name", "string_above_max_length"),
    (
        {"description": "d" * 513},
        _too_long("description", 512, 513),
        "description",
        "string_above_max_length",
    ),
    (
        {"instructions": "i" * 256_001},
        _too_long("instructions", 256000, 256001),
        "instructions",
        "string_above_max_length",
    ),
    (
        {"tools": [{"type": "code_interpreter"}] * 129},
        (
            "Invalid 'tools': array too long. Expected an array with maximum length 128, but got an "
            "array with length 129 instead."
        ),
        "tools",
        "array_above_max_length",
    ),
    (
        {"metadata": {f"k{i}": "v" for i in range(17)}},
        (
            "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, "
            "but got an object with 17 properties instead."
        ),
        "metadata",
        "object_above_max_properties",
    ),
    (
        {"metadata": {"k" * 65: "v"}},
        (
            f"Invalid property name in 'metadata': '{'k' * 65}' is too long. Expected a string with "
            "maximum length 64, but got a string with length 65 instead."
        ),
        f"metadata.{'k' * 65}",
        "property_name_above_max_length",
    ),
    (
        {"metadata": {"k": "v" * 513}},
        _too_long("metadata.k", 512, 513),
        "metadata.k",
        "string_above_max_length",
    ),
    (
        {"metadata": {"k": 1}},
        "Invalid type for 'metadata.k': expected a string, but got an integer instead.",
        "metadata.k",
        "invalid_type",
    ),
    (
        {"temperature": -0.5},
        "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -0.5 instead.",
        "temperature",
        "decimal_below_min_value",
    ),
    (
        {"top_p": 1.5},
        "Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.",
        "top_p",
        "decimal_above_max_value",
    ),
    (
        {"reasoning_effort": "extreme"},
        (
            "Invalid value: 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', "
            "'high', 'xhigh', and 'max'."
        ),
        "reasoning_effort",
        "invalid_value",
    ),
    (
        {"tools": [{"type": "browser"}]},
        (
            "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'function', and "
            "'file_search'."
        ),
        "tools[0].type",
        "invalid_value",
    ),
    (
        {"tools": [{"type": "function"}]},
        "Missing required parameter: 'tools[0].function'.",
        "tools[0].function",
        "missing_required_parameter",
    ),
    (
        {"tools": [{"type": "file_search", "file_search": {"max_num_results": 51}}]},
        (
            "Invalid 'tools[0].file_search.max_num_results': integer above maximum value. Expected a "
            "value <= 50, but got 51 instead."
        ),
        "tools[0].file_search.max_num_results",
        "integer_above_max_value",
    ),
    (
        {"extra_body": {"colour": "blue"}},
        "Unknown parameter: 'colour'.",
        "colour",
        "unknown_parameter",
    ),
    (
        {"model": openai.omit},
        "Missing required parameter: 'model'.",
        "model",
        "missing_required_parameter",
    ),
]


@pytest.mark.parametrize(("kwargs", "message", "param", "code"), CREATE_ASSISTANT)
def test_invalid_assistant_is_refused_and_not_created(
    client, sandbox_state, kwargs, message, param, code
):
    kwargs = {"model": "gpt-4o", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(**kwargs)
    assert info.value.status_code == 400
    assert info.value.body == {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }
    assert sandbox_state() == {}


def test_limits_themselves_are_accepted(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        name="n" * 256,
        description="d" * 512,
        metadata={("k" * 62 + f"{i:02}"): "v" * 512 for i in range(16)},
        temperature=2,
        top_p=0,
        tools=[{"type": "code_interpreter"}] * 128,
    )
    assert len(assistant.metadata) == 16 and len(assistant.tools) == 128
    assert assistant.temperature == 2 and assistant.top_p == 0


def test_invalid_update_leaves_the_assistant_as_it_was(client):
    assistant = client.beta.assistants.create(model="gpt-4o", name="keep")
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.update(assistant.id, name="changed", metadata={"k": "v" * 600})
    assert info.value.body["message"] == _too_long("metadata.k", 512, 600)
    assert client.beta.assistants.retrieve(assistant.id) == assistant


MESSAGE_CREATE = [
    (
        {"role": "system"},
        "Invalid value: 'system'. Supported values are: 'user' and 'assistant'.",
        "role",
        "invalid_value",
    ),
    (
        {"content": []},
        (
            "Invalid 'content': empty array. Expected an array with minimum length 1, but got an "
            "empty array instead."
        ),
        "content",
        "empty_array",
    ),
    (
        {"content": [{"type": "video", "video": {}}]},
        "Invalid value: 'video'. Supported values are: 'image_file', 'image_url', and 'text'.",
        "content[0].type",
        "invalid_value",
    ),
    (
        {"content": [{"type": "image_url", "image_url": {"url": "u", "detail": "max"}}]},
        "Invalid value: 'max'. Supported values are: 'auto', 'low', and 'high'.",
        "content[0].image_url.detail",
        "invalid_value",
    ),
    (
        {"content": [{"type": "image_file", "image_file": {"file_id": "img_1"}}]},
        "Invalid 'content[0].image_file.file_id': 'img_1'. Expected an ID that begins with 'file'.",
        "content[0].image_file.file_id",
        "invalid_value",
    ),
    (
        {"role": openai.omit},
        "Missing required parameter: 'role'.",
        "role",
        "missing_required_parameter",
    ),
    (
        {"content": openai.omit},
        "Missing required parameter: 'content'.",
        "content",
        "missing_required_parameter",
    ),
    (
        {"extra_body": {"file_ids": []}},
        "Unknown parameter: 'file_ids'.",
        "file_ids",
        "unknown_parameter",
    ),
]


@pytest.mark.parametrize(("kwargs", "message", "param", "code"), MESSAGE_CREATE)
def test_invalid_message_is_refused_and_not_added(client, kwargs, message, param, code):
    thread = client.beta.threads.create()
    kwargs = {"role": "user", "content": "hello", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(thread.id, **kwargs)
    assert info.value.body == {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }
    assert client.beta.threads.messages.list(thread.id).data == []


LIST_PARAMS = [
    (
        {"limit": 0},
        "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead.",
        "limit",
        "integer_below_min_value",
    ),
    (
        {"limit": 101},
        "Invalid 'limit': integer above maximum value. Expected a value <= 100, but got 101 instead.",
        "limit",
        "integer_above_max_value",
    ),
    (
        {"order": "newest"},
        "Invalid value: 'newest'. Supported values are: 'asc' and 'desc'.",
        "order",
        "invalid_value",
    ),
    (
        {"extra_query": {"limit": "ten"}},
        "Invalid type for 'limit': expected an integer, but got a string instead.",
        "limit",
        "invalid_type",
    ),
]


@pytest.mark.parametrize(("kwargs", "message", "param", "code"), LIST_PARAMS)
def test_invalid_list_parameters(client, kwargs, message, param, code):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.list(**kwargs)
    assert info.value.body == {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }


# -- bodies the SDK never sends -----------------------------------------------------------------

MALFORMED_PREFIX = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
    "sent was not valid JSON."
)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"model": "gpt-4o",',
        b"model=gpt-4o",
        b'{"model": "gpt-4o", "temperature": NaN}',
        b'{"model": "gpt-4o", "temperature": 1e999}',
        b'{"model": "gpt-4o", "name": "\\ud800"}',  # a lone surrogate cannot be stored as UTF-8
        b"\xff\xfe{",
    ],
)
def test_malformed_json_is_a_clear_400(http, sandbox_state, raw):
    response = http.post(
        "/v1/assistants", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["message"].startswith(MALFORMED_PREFIX) and error["message"].endswith(")")
    assert error["type"] == "invalid_request_error"
    assert sandbox_state() == {}


def test_wrong_content_type_is_a_clear_400(http, sandbox_state):
    response = http.post(
        "/v1/assistants", content=b'{"model": "gpt-4o"}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "message": "Invalid Content-Type header (text/plain), expected 'application/json' for "
            "this endpoint.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }
    assert sandbox_state() == {}


def test_a_body_that_is_not_an_object_is_refused(http):
    response = http.post("/v1/threads", json=[{"role": "user"}])
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Invalid body: expected a JSON object, but got an array instead."
    )


def test_thread_create_accepts_an_empty_body(http):
    response = http.post("/v1/threads")
    assert response.status_code == 200 and response.json()["object"] == "thread"


def test_unknown_url_and_method_are_enveloped(http):
    response = http.get("/v1/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Invalid URL (GET /v1/nothing/here)"
    response = http.put("/v1/assistants")
    assert response.status_code == 405
    assert response.json()["error"]["message"] == "Invalid method for URL (PUT /v1/assistants)"


# -- unexpected exceptions ----------------------------------------------------------------------


def test_an_unexpected_exception_is_an_enveloped_500_never_a_traceback(monkeypatch, server_factory):
    from mockserver.resources import assistants

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(assistants, "create", explode)
    server: LiveServer = server_factory()
    with openai.OpenAI(
        base_url=server.base_url, api_key="sk-500", max_retries=0, _strict_response_validation=True
    ) as client:
        with pytest.raises(openai.InternalServerError) as info:
            client.beta.assistants.create(model="gpt-4o")
        assert info.value.status_code == 500
        assert info.value.body == {
            "message": "The server had an error while processing your request. Sorry about that!",
            "type": "server_error",
            "param": None,
            "code": None,
        }
        assert "secret" not in info.value.response.text
        assert info.value.response.headers["content-type"] == "application/json"
        assert info.value.request_id and info.value.request_id.startswith("req_")
        # the server keeps serving, and the failure is kept for whoever wants to re-raise it
        assert client.beta.threads.create().object == "thread"
    kept = server.app.state.server_errors
    assert len(kept) == 1 and isinstance(kept[0].exception, RuntimeError)
    assert kept[0].path == "/v1/assistants" and kept[0].sandbox == "sk-500"


def test_an_error_raised_after_the_response_started_is_kept_as_a_server_error(
    monkeypatch, server_factory
):
    """Once the status line is out, nothing can answer any more, whatever the exception: an
    API error raised mid-stream is a fault of the mock like any other, logged and kept (not
    let out of the app, where only the server's log would show it)."""
    from mockserver import errors
    from mockserver.resources import files

    real_content = files.content

    def content_that_fails_midway(sandbox, file_id):
        chunks, size = real_content(sandbox, file_id)

        def failing():
            yield next(iter(chunks))
            raise errors.not_found("file", file_id)

        return failing(), size

    server: LiveServer = server_factory()
    with openai.OpenAI(
        base_url=server.base_url, api_key="sk-mid", max_retries=0, _strict_response_validation=True
    ) as client:
        uploaded = client.files.create(file=("a.txt", b"x" * 200_000), purpose="assistants")
        monkeypatch.setattr(files, "content", content_that_fails_midway)
        with pytest.raises(openai.APIConnectionError):
            client.files.content(uploaded.id).read()
        # the server keeps serving
        assert client.files.retrieve(uploaded.id).id == uploaded.id
    kept = server.app.state.server_errors
    assert len(kept) == 1 and isinstance(kept[0].exception, errors.APIError)
    assert kept[0].path == f"/v1/files/{uploaded.id}/content" and kept[0].sandbox == "sk-mid"
