"""Limits on what a request may hold: nesting depth and body size, answered with a clear
error in the API's envelope, never a 500, and checked before the body is read whole."""

from __future__ import annotations

import json
import socket
import subprocess
from typing import Any

import httpx2
import openai
import pytest

from mockserver import create_app
from mockserver.parsing import MAX_JSON_DEPTH
from tests.conftest import SERVE, make_client, serve_process

DEEP_SUFFIX = f"Arrays and objects may nest at most {MAX_JSON_DEPTH} levels deep.)"


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def assistant_body(total_depth: int) -> dict[str, Any]:
    """An assistant create body nesting exactly ``total_depth`` levels: a function whose
    parameter schema carries a deep extension keyword (arguments only need ``city``)."""
    deep: list[Any] = []
    for _ in range(total_depth - 6):
        deep = [deep]
    parameters = {"type": "object", "properties": {"city": {"type": "string"}}, "x-deep": deep}
    function = {"name": "get_weather", "parameters": parameters}
    body = {"model": "gpt-4o", "tools": [{"type": "function", "function": function}]}
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
            call = run.required_action.submit_tool_outputs.tool_calls[0]
            assert json.loads(call.function.arguments) == {"city": "Paris"}
            stored = client.beta.assistants.retrieve(assistant.id).tools[0].function.parameters
            assert depth(stored) == MAX_JSON_DEPTH - 4
    assert assistants_mock.state()["tables"]["assistants/"]


# -- body size ----------------------------------------------------------------------------------

KB = 1024
MB = 1024 * 1024


def raw_post(url: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, Any]:
    """Send a request's head and ``body`` (possibly less than it declares, possibly chunks of
    a chunked body that never ends), then read the answer: a server that waited for the rest
    of the body would never answer (the socket's timeout then fails the test)."""
    host, port = url.removeprefix("http://").split(":")
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()
    )
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        reply = sock.makefile("rb")
        status = int(reply.readline().split()[1])
        length = 0
        while (line := reply.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, json.loads(reply.read(length))


def chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


API_HEADERS = {"Authorization": "Bearer sk-size", "OpenAI-Beta": "assistants=v2"}


def json_413(limit: int, size: int) -> dict[str, Any]:
    return {
        "error": {
            "message": f"Maximum content size limit ({limit}) exceeded ({size} bytes read)",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }


def test_a_json_body_over_the_limit_is_a_413_through_the_sdk(server_factory):
    server = server_factory(max_json_body_bytes=4 * KB)
    with make_client(server.base_url, "sk-size") as client:
        with pytest.raises(openai.APIStatusError) as info:
            client.beta.threads.create(messages=[{"role": "user", "content": "x" * 5000}])
        assert info.value.status_code == 413
        size = len(info.value.request.content)
        assert info.value.response.json() == json_413(4 * KB, size)
        # nothing was created, and a body at the limit is fine
        state = httpx2.get(f"{server.url}/__mock__/state", headers=API_HEADERS).json()
        assert not any(state["tables"].values())
        thread = client.beta.threads.create(
            messages=[{"role": "user", "content": "x" * (4 * KB - 200)}]
        )
        assert thread.object == "thread"
    assert server.app.state.server_errors == []


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_sent(server_factory):
    """The 413 comes back while not one byte of the 1 GB body has been sent."""
    server = server_factory(max_json_body_bytes=4 * KB)
    headers = {**API_HEADERS, "Content-Type": "application/json", "Content-Length": str(1 << 30)}
    status, body = raw_post(server.url, "/v1/assistants", headers)
    assert (status, body) == (413, json_413(4 * KB, 1 << 30))
    # the control API reads JSON bodies the same way
    status, body = raw_post(server.url, "/__mock__/clock?sandbox=sk-size", headers)
    assert (status, body) == (413, json_413(4 * KB, 1 << 30))


def test_a_chunked_body_is_counted_as_it_arrives(server_factory):
    """No Content-Length: the server counts while reading and answers as soon as the body
    passes the limit, though the body has not ended (no last chunk is ever sent)."""
    server = server_factory(max_json_body_bytes=4 * KB)
    headers = {
        **API_HEADERS,
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    }
    first = b'{"model": "gpt-4o", "name": "' + b"x" * 3000
    status, body = raw_post(
        server.url, "/v1/assistants", headers, chunked(first) + chunked(b"y" * 3000)
    )
    assert (status, body) == (413, json_413(4 * KB, len(first) + 3000))
    assert server.app.state.server_errors == []


FILE_TOO_LARGE = "File is too large. The maximum size of a file is {}."


@pytest.mark.parametrize(
    "path, limit",
    [("/v1/files", "1000 bytes"), ("/v1/uploads/{upload}/parts", "64 MB")],
)
def test_an_upload_body_over_its_limit_is_refused_before_it_is_read(server_factory, path, limit):
    """Multipart bodies have their own limit: the file's, plus 1 MB for the form around it."""
    server = server_factory(max_upload_bytes=1000)
    with make_client(server.base_url, "sk-size") as client:
        upload = client.uploads.create(
            bytes=10, filename="a.txt", mime_type="text/plain", purpose="assistants"
        )
    headers = {
        **API_HEADERS,
        "Content-Type": "multipart/form-data; boundary=b",
        "Content-Length": str(1 << 34),
    }
    status, body = raw_post(server.url, path.format(upload=upload.id), headers)
    assert status == 400
    assert body["error"]["message"] == FILE_TOO_LARGE.format(limit)
    assert body["error"]["param"] == "file"
    # chunked: counted as it arrives
    headers = {**headers, "Transfer-Encoding": "chunked"}
    del headers["Content-Length"]
    start = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
    if "parts" in path:
        start = start.replace(b'name="file"', b'name="data"')
        chunks = [chunked(start)] + [chunked(b"x" * MB)] * 66
    else:
        chunks = [chunked(start)] + [chunked(b"x" * 64 * KB)] * 17
    status, body = raw_post(server.url, path.format(upload=upload.id), headers, b"".join(chunks))
    assert status == 400
    assert body["error"]["message"] == FILE_TOO_LARGE.format(limit)
    assert list(server.app.state.blobs.incoming.iterdir()) == []
    assert server.app.state.server_errors == []


def test_form_fields_are_bounded_too(http):
    """Fields are held in memory: a form may not hold more than 1 MB besides its file."""
    fields = {f"field{i}": (None, "v" * 60_000) for i in range(20)}
    response = http.post("/v1/files", files={**fields, "purpose": (None, "assistants")})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "The form fields and part headers of this request exceed 1 MB."
    )


def test_the_limits_are_options_of_the_cli_and_must_be_positive(tmp_path):
    with (
        serve_process(
            *SERVE, "--port", "0", "--max-json-body-bytes", "100", log=tmp_path / "server.log"
        ) as (_process, base_url, _port),
        make_client(base_url, "sk-cli") as client,
    ):
        with pytest.raises(openai.APIStatusError) as info:
            client.beta.assistants.create(model="gpt-4o", name="x" * 100)
        assert info.value.status_code == 413
        assert client.beta.assistants.create(model="gpt-4o").object == "assistant"
    result = subprocess.run(
        [*SERVE, "--port", "0", "--max-upload-bytes", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "assistants-mock: error: max_upload_bytes must be a positive number of bytes\n"
    )
    with pytest.raises(ValueError, match="max_json_body_bytes must be a positive"):
        create_app(max_json_body_bytes=0)
