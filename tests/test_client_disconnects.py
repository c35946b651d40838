"""Clients that leave early: mid-body (the client's doing, not a server error) and mid-stream
(the server stops writing, logs nothing per frame, and the run still ends consistent).

These need a live server and raw sockets: the in-process transport and TestClient hand the app
whole bodies and buffer whole streams, so nothing can leave early there."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from mockserver.server import LiveServer

KEY = "sk-leaver"


def wait_for(condition: Callable[[], Any], what: str) -> Any:
    """Poll until ``condition()`` is truthy; the deadline only turns a hang into a failure."""
    deadline = time.monotonic() + 60
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
    return value


def connect(server: LiveServer) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=60)


def head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: mock", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# -- mid-body ----------------------------------------------------------------------------------

PARTIAL_BODIES = [
    ("/v1/assistants", "application/json", b'{"model": "gpt-4o", "name": "'),
    (
        "/v1/files",
        "multipart/form-data; boundary=b",
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
        + b"x" * 70_000,
    ),
    ("/__mock__/scenario?sandbox=" + KEY, "application/json", b'{"scenario": {"version"'),
]


@pytest.mark.parametrize(
    "path, content_type, partial", PARTIAL_BODIES, ids=["json", "multipart", "control-api"]
)
def test_a_client_that_closes_mid_body_is_not_a_server_error(
    server_factory, caplog, path, content_type, partial
):
    server = server_factory()
    caplog.set_level(logging.INFO, logger="mockserver")
    headers = {
        "Authorization": f"Bearer {KEY}",
        "OpenAI-Beta": "assistants=v2",
        "Content-Type": content_type,
        "Content-Length": str(len(partial) + 100_000),
    }
    with connect(server) as sock:
        sock.sendall(head("POST", path, headers) + partial)
    wait_for(
        lambda: any(r.name == "mockserver" for r in caplog.records),
        "the server to notice the client left",
    )
    assert "the client closed the connection during POST" in caplog.text
    assert server.app.state.server_errors == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    if path.startswith("/v1/"):
        # the journal says what happened: the client closed the request (nginx's 499)
        assert [r["status"] for r in server.app.state.store.requests(KEY)] == [499]
    assert list(server.app.state.blobs.incoming.iterdir()) == []


def test_the_plugin_does_not_fail_a_test_whose_client_left_mid_body(pytester):
    pytester.makepyfile(
        """
        import socket, time

        def test_leave_early(assistants_mock):
            host, port = assistants_mock.base_url.removeprefix("http://").split("/")[0].split(":")
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(
                    b"POST /v1/threads HTTP/1.1\\r\\nHost: mock\\r\\n"
                    b"Authorization: Bearer " + assistants_mock.api_key.encode() + b"\\r\\n"
                    b"OpenAI-Beta: assistants=v2\\r\\nContent-Type: application/json\\r\\n"
                    b"Content-Length: 1000\\r\\n\\r\\n{\\"metadata\\": "
                )
            deadline = time.monotonic() + 60
            while not assistants_mock.requests():
                assert time.monotonic() < deadline
                time.sleep(0.01)
            assert [r["status"] for r in assistants_mock.requests()] == [499]
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
