"""Limits on what a request may hold: nesting depth and body size, answered with a clear
error in the API's envelope, never a 500, and checked before the body is read whole."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver.parsing import MAX_JSON_DEPTH

DEEP_SUFFIX = f"Arrays and objects may nest at most {MAX_JSON_DEPTH} levels deep.)"


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def function_tool(levels: int, city: dict[str, Any]) -> dict[str, Any]:
    """A function whose parameters are objects in objects, ``levels`` deep."""
    schema: dict[str, Any] = {"type": "object", "properties": {"city": city}}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"inner": schema}, "required": ["inner"]}
    return {"type": "function", "function": {"name": "get_weather", "parameters": schema}}


def assistant_body(total_depth: int) -> dict[str, Any]:
    """An assistant create body nesting exactly ``total_depth`` levels (each schema level is two
    JSON levels; an ``enum`` at the bottom makes up an odd one)."""
    levels = (total_depth - 7) // 2
    body = {"model": "gpt-4o", "tools": [function_tool(levels, {"type": "string"})]}
    if depth(body) < total_depth:
        body = {"model": "gpt-4o", "tools": [function_tool(levels, {"enum": ["Paris"]})]}
    assert depth(body) == total_depth
    return body


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def assert_too_deep(response: Any) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["message"].startswith("We could not parse the JSON body of your request.")
    assert error["message"].endswith(DEEP_SUFFIX)
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", None, None)


#: every kind of JSON body: a path, and the body up to where the deep value goes
JSON_ROUTES = [
    ("/v1/assistants", '{"model": "gpt-4o", "metadata": '),
    ("/v1/threads", '{"metadata": '),
    ("/v1/threads/runs", '{"assistant_id": "asst_x", "metadata": '),
    ("/v1/vector_stores", '{"metadata": '),
    ("/v1/uploads", '{"filename": '),
    ("/__mock__/clock?sandbox=sk-deep", '{"advance": '),
    ("/__mock__/scenario?sandbox=sk-deep", '{"scenario": '),
]


@pytest.mark.parametrize("path, start", JSON_ROUTES, ids=[r[0] for r in JSON_ROUTES])
def test_json_nested_too_deep_is_a_clear_400_on_every_json_route(server_factory, path, start):
    """Inside a body that is itself one level: one level over the limit, then deep enough to
    exhaust the interpreter's recursion limit (a 500 before)."""
    import httpx2

    server = server_factory()
    headers = {
        "Authorization": "Bearer sk-deep",
        "OpenAI-Beta": "assistants=v2",
        "Content-Type": "application/json",
    }
    with httpx2.Client(base_url=server.url, headers=headers) as http:
        for levels in (MAX_JSON_DEPTH, 2_000, 200_000):
            assert_too_deep(http.post(path, content=start + nested(levels) + "}"))
        # the server is fine, and nothing was kept as a server error
        assert http.post("/v1/threads", json={}).status_code == 200
    assert server.app.state.server_errors == []


def test_a_deep_function_schema_is_refused_at_creation(client, http):
    """It used to pass the parser and crash later, in a deep copy (a 500)."""
    body = assistant_body(MAX_JSON_DEPTH + 1)
    assert_too_deep(http.post("/v1/assistants", content=json.dumps(body)))
    assert client.beta.assistants.list().data == []


@pytest.mark.assistants_mock(progression="instant")
def test_a_function_schema_at_the_depth_limit_works_end_to_end(assistants_mock, live_server):
    """At the limit, everything that walks the schema (validation, copies, argument generation,
    saving, the state dump) works, in-process (the deepest stack: under pytest) and over HTTP."""
    body = assistant_body(MAX_JSON_DEPTH)
    from tests.conftest import make_client

    with make_client(live_server.base_url, "sk-deep-ok") as remote:
        for client in (assistants_mock.client(), remote):
            assistant = client.beta.assistants.create(**body)
            thread = client.beta.threads.create(
                messages=[{"role": "user", "content": "The weather in Paris?"}]
            )
            run = client.beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id
            )
            assert run.status == "requires_action"
            arguments = json.loads(
                run.required_action.submit_tool_outputs.tool_calls[0].function.arguments
            )
            assert depth(arguments) == (MAX_JSON_DEPTH - 7) // 2 + 1
            assert client.beta.assistants.retrieve(assistant.id).tools[0].function.parameters
    assert assistants_mock.state()["tables"]["assistants/"]
