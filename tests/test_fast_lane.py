"""The app's fast lane (``app.MockApp``: an API request goes from the app straight to the gate
and the door, past Starlette's outer layers and router) answers exactly as the whole Starlette
stack does.

Two apps with the same settings get the same seeded random walk (``tests/request_walk.py``:
valid and mutated bodies, unknown paths, wrong methods, bad credentials, uploads, streams), one
through its fast lane (the app as served), the other through ``Starlette.__call__`` (its
middleware, exception handlers and router, as before the fast lane); every answer must agree
byte for byte: status, headers, body. So must the journals and the server errors kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import httpx2
import pytest
from starlette.applications import Starlette

from mockserver import create_app
from mockserver.transport import transport
from tests.request_walk import Walk

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CALLS = 1_500 if CI else 400


def full_stack(app: Starlette):
    """The app as an ASGI callable that never takes the fast lane."""

    async def call(scope, receive, send):
        await Starlette.__call__(app, scope, receive, send)

    return call


@contextmanager
def client(asgi, headers: dict[str, str]) -> Iterator[httpx2.Client]:
    with httpx2.Client(
        base_url="http://mock", headers=headers, transport=transport(asgi), timeout=60
    ) as http:
        yield http


def send(http: httpx2.Client, call) -> httpx2.Response:
    headers = {} if call.content_type is None else {"Content-Type": call.content_type}
    return http.request(
        call.method, call.path, params=call.params, content=call.content, files=call.files,
        headers=headers,
    )  # fmt: skip


def journal(app) -> list[dict]:
    entries = [entry.as_dict() for entry in app.state.store.journal]
    for entry in entries:
        entry.pop("duration_ms")  # the one wall-clock figure
    return entries


@pytest.mark.parametrize("seed", [0, 1])
def test_the_fast_lane_answers_as_the_whole_stack(seed):
    fast, full = (
        create_app(seed=seed, progression="instant"),
        create_app(seed=seed, progression="instant"),
    )
    assert isinstance(fast, Starlette)
    walk = Walk(seed)
    headers = {"Authorization": f"Bearer sk-lane-{seed}", "OpenAI-Beta": "assistants=v2"}
    taken = 0
    with client(fast, headers) as a, client(full_stack(full), headers) as b:
        for i in range(CALLS):
            call = walk.next_call()
            one, other = send(a, call), send(b, call)
            where = f"seed {seed}, call {i}: {call.describe()}"
            assert one.status_code == other.status_code, where
            assert one.headers.multi_items() == other.headers.multi_items(), where
            assert one.content == other.content, where
            walk.learn(call, one.status_code, one.content, one.headers.get("content-type", ""))
            taken += call.path.startswith("/v1/")
    assert taken > CALLS // 2  # the walk went through the doors
    assert journal(fast) == journal(full)
    assert [repr(e.exception) for e in fast.state.server_errors] == [
        repr(e.exception) for e in full.state.server_errors
    ]


@pytest.mark.parametrize(
    "method, path, headers",
    [
        ("GET", "/v1/assistants", {}),  # no key: the 401
        ("GET", "/v1/nowhere", {"Authorization": "Bearer sk-x"}),  # the door's 404
        ("DELETE", "/v1/assistants", {"Authorization": "Bearer sk-x"}),  # the 405
        ("GET", "/v1", {"Authorization": "Bearer sk-x"}),  # the prefix alone: the redirect
        ("GET", "/openai/assistants", {"api-key": "k"}),  # Azure without api-version
        ("GET", "/openai/assistants?api-version=2024-05-01-preview", {"api-key": "k"}),
        ("POST", "/v1/assistants", {"Authorization": "Bearer sk-x", "OpenAI-Beta": "v1"}),
        ("GET", "/__mock__/nothing", {}),  # outside the doors
    ],
)
def test_edges_answer_alike(method, path, headers):
    fast, full = create_app(seed=3), create_app(seed=3)
    with client(fast, {}) as a, client(full_stack(full), {}) as b:
        one = a.request(method, path, headers=headers, follow_redirects=False)
        other = b.request(method, path, headers=headers, follow_redirects=False)
    assert (one.status_code, one.headers.multi_items(), one.content) == (
        other.status_code,
        other.headers.multi_items(),
        other.content,
    )


def test_an_endpoint_exception_is_the_same_500_and_kept(monkeypatch):
    from mockserver.routes import assistants

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(assistants.assistants, "list_", broken)
    fast, full = create_app(seed=4), create_app(seed=4)
    headers = {"Authorization": "Bearer sk-x", "OpenAI-Beta": "assistants=v2"}
    with client(fast, headers) as a, client(full_stack(full), headers) as b:
        one, other = a.get("/v1/assistants"), b.get("/v1/assistants")
    assert one.status_code == other.status_code == 500
    assert (one.headers.multi_items(), one.content) == (other.headers.multi_items(), other.content)
    assert [repr(e.exception) for e in fast.state.server_errors] == [repr(RuntimeError("boom"))]
    assert len(full.state.server_errors) == 1


async def _raw_call(asgi, headers: list[tuple[bytes, bytes]], path: str = "/v1/assistants"):
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "server": ("mock", 80), "client": ("127.0.0.1", 1),
    }  # fmt: skip
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await asgi(scope, receive, send)
    return sent


@pytest.mark.parametrize(
    "headers, status, sandbox",
    [
        # a repeated name: the last one counts (no header map; the doors' own scan)
        (
            [(b"authorization", b"Bearer sk-first"), (b"authorization", b"Bearer sk-last")],
            400,  # (and no beta header)
            "sk-last",
        ),
        # upper-case names, which an ASGI caller may send
        ([(b"Authorization", b"Bearer sk-up"), (b"OpenAI-Beta", b"assistants=v2")], 200, "sk-up"),
        ([(b"AUTHORIZATION", b"Bearer sk-up"), (b"openai-beta", b"assistants=v1")], 400, "sk-up"),
        ([(b"x-other", b"1"), (b"api-key", b"k")], 401, None),  # OpenAI's door reads no api-key
    ],
)
def test_raw_headers_are_read_alike(headers, status, sandbox):
    import asyncio

    fast, full = create_app(seed=5), create_app(seed=5)
    one = asyncio.run(_raw_call(fast, list(headers)))
    other = asyncio.run(_raw_call(full_stack(full), list(headers)))
    assert one == other
    assert one[0]["status"] == status
    assert journal(fast) == journal(full)
    assert fast.state.store.journal[-1].sandbox == sandbox
