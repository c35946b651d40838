"""Clients that leave early: mid-body (the client's doing, not a server error) and mid-stream
(the server stops writing, logs nothing per frame, and the run still ends consistent).

These need a live server and raw sockets: the in-process transport and TestClient hand the app
whole bodies and buffer whole streams, so nothing can leave early there."""

from __future__ import annotations

import json
import logging
import re
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


# -- mid-stream --------------------------------------------------------------------------------

#: a reply of this many words streams as ~40,000 delta events, ~10 MB: more than the socket
#: buffers between the two ends can hold, so a server that kept writing would be seen to
WORDS = 200_000
CLIENT_RCVBUF = 64 * 1024


def tcp_buffer_max() -> int:
    """The most a Linux socket's send buffer grows to (elsewhere: a generous 4 MB)."""
    try:
        with open("/proc/sys/net/ipv4/tcp_wmem") as f:
            return int(f.read().split()[2])
    except OSError:
        return 4 * 1024 * 1024


@pytest.mark.parametrize("loop", ["auto", "asyncio"])
def test_a_dropped_stream_stops_the_writes_and_the_run_still_ends_whole(
    server_factory, caplog, monkeypatch, loop
):
    """Under uvloop (where it is installed) and under asyncio's own loop: on the latter, every
    write after a lost connection used to log a warning."""
    from mockserver import server as server_module
    from mockserver.responses import STREAM_WRITE_BYTES
    from tests.conftest import make_client

    plain = server_module.uvicorn_config
    monkeypatch.setattr(server_module, "uvicorn_config", lambda app: plain(app, loop=loop))
    long_reply = " ".join(["word"] * WORDS)
    scenario = {"version": 1, "runs": [{"steps": [{"message": long_reply}]}]}
    server = server_factory(scenarios=[scenario])
    caplog.set_level(logging.INFO)
    with make_client(server.base_url, KEY) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
        thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        body = json.dumps({"assistant_id": assistant.id, "stream": True}).encode()
        headers = {
            "Authorization": f"Bearer {KEY}",
            "OpenAI-Beta": "assistants=v2",
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
        }
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, CLIENT_RCVBUF)
        sock.settimeout(60)
        host, port = server.url.removeprefix("http://").split(":")
        sock.connect((host, int(port)))
        with sock:
            sock.sendall(head("POST", f"/v1/threads/{thread.id}/runs", headers) + body)
            read = b""
            while read.count(b"\n\n") < 10:
                read += sock.recv(4096)
        assert read.startswith(b"HTTP/1.1 200") and b"event: thread.run.created" in read

        wait_for(
            lambda: any(r["path"].endswith("/runs") for r in server.app.state.store.requests(KEY)),
            "the server to finish the request",
        )
        # nothing was logged per frame (asyncio's "socket.send() raised exception." was)
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        message = [r.getMessage() for r in caplog.records if "left a stream" in r.getMessage()]
        assert message, "the server did not stop writing when the client left"
        found = re.search(r"after (\d+) of its (\d+) events \((\d+) of (\d+) bytes\)", message[0])
        events, total_events, written, total = map(int, found.groups())
        assert total_events > WORDS // 6 and total > 8 * 1024 * 1024
        # what was written is what the client read, plus what the buffers in between hold,
        # plus the writes in flight when the server noticed: bounded, far from the whole stream
        in_between = 2 * CLIENT_RCVBUF + tcp_buffer_max() + 3 * STREAM_WRITE_BYTES
        assert events < total_events
        assert written <= len(read) + in_between < total
        assert server.app.state.server_errors == []

        # the run finished server-side, whatever part of the stream was read
        run = client.beta.threads.runs.list(thread.id).data[0]
        assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "completed"
        answer = client.beta.threads.messages.list(thread.id).data[0]
        assert answer.status == "completed" and answer.content[0].text.value == long_reply
