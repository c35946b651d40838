"""In-process transports: official SDK clients talk to the ASGI app directly, no sockets.

``openai`` 3.x builds on ``httpx2``; 1.x and 2.x build on ``httpx``. Both libraries share one
transport API, so one implementation serves both: :func:`transports_for` builds the pair of
classes for a library module, and the pairs for the libraries that are importable are exported
(``SyncTransport`` / ``AsyncTransport`` for ``httpx2``, ``HttpxSyncTransport`` /
``HttpxAsyncTransport`` for ``httpx``). :func:`transport` / :func:`async_transport` pick the
right one for a client::

    from openai import OpenAI
    from mockserver import create_app
    from mockserver.transport import transport

    app = create_app()
    client = OpenAI(base_url="http://mock/v1", api_key="sk-test",
                    http_client=httpx2.Client(transport=transport(app)))

The async transport runs the app on the caller's event loop. The sync one keeps one event loop
per calling thread (``run_until_complete`` costs ~25 µs; ``asyncio.run`` per request ~230 µs,
a portal thread ~180 µs); a thread that already runs a loop (a sync client inside an async
test) hands the request to a helper thread with a loop of its own. :meth:`close` releases them.

Responses, SSE streams included, are collected whole before they are returned: the run engine
produces a stream's events at once, so nothing observable is lost, and a sync client never
waits on another thread for the next chunk. Request bodies are read whole too (uploads are
held in memory in-process; use the live server to measure upload memory).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, MutableMapping
from types import ModuleType
from typing import Any
from urllib.parse import unquote

ASGIApp = Callable[..., Any]
Reply = tuple[int, list[tuple[bytes, bytes]], list[bytes]]


async def call_app(
    app: ASGIApp,
    method: str,
    scheme: str,
    host: str,
    port: int | None,
    raw_path: bytes,
    query: bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
) -> Reply:
    """One HTTP exchange with an ASGI app: status, headers and the body chunks it sent."""
    path = raw_path.decode("latin-1")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "headers": [(k.lower(), v) for k, v in headers],
        "scheme": scheme,
        "path": unquote(path),
        "raw_path": raw_path,
        "query_string": query,
        "server": (host, port or (443 if scheme == "https" else 80)),
        "client": ("127.0.0.1", 123),
        "root_path": "",
    }
    status: list[int] = []
    response_headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []
    request_sent = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        # the client "disconnects" once the response is complete (sse-starlette listens)
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
            response_headers.extend(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            if chunk and method != "HEAD":
                chunks.append(chunk)
            if not message.get("more_body", False):
                done.set()

    try:
        await app(scope, receive, send)
    finally:
        done.set()
    if not status:
        raise RuntimeError(f"the app sent no response to {method} {path}")
    return status[0], response_headers, chunks


class LoopPerThread:
    """Runs coroutines to completion for sync callers: one persistent event loop per calling
    thread, or, for a thread whose own loop is running, one helper thread with a loop."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._loops: list[asyncio.AbstractEventLoop] = []
        self._helper: tuple[asyncio.AbstractEventLoop, threading.Thread] | None = None
        self._lock = threading.Lock()
        self._closed = False

    def run(self, make: Callable[[], Any]) -> Any:
        if self._closed:
            raise RuntimeError("the in-process transport is closed")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            loop = getattr(self._local, "loop", None)
            if loop is None:
                loop = asyncio.new_event_loop()
                self._local.loop = loop
                with self._lock:
                    self._loops.append(loop)
            return loop.run_until_complete(make())
        return asyncio.run_coroutine_threadsafe(make(), self._helper_loop()).result()

    def _helper_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._helper is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, daemon=True, name="assistants-mock-transport"
                )
                thread.start()
                self._helper = (loop, thread)
            return self._helper[0]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            loops, self._loops = self._loops, []
            helper, self._helper = self._helper, None
        if helper is not None:
            loop, thread = helper
            asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()
        for loop in loops:
            if loop.is_running():  # in use by its thread right now: that thread closes nothing
                continue
            loop.run_until_complete(_cancel_pending())
            loop.close()


async def _cancel_pending() -> None:
    """Cancel what the app left behind on a loop (sse-starlette's shutdown watcher)."""
    me = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not me]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def transports_for(lib: ModuleType) -> tuple[type, type]:
    """The (sync, async) in-process transport classes for ``httpx`` or ``httpx2``."""

    def exchange(request: Any, body: bytes) -> tuple[Any, ...]:
        url = request.url
        return (
            request.method,
            url.scheme,
            url.host,
            url.port,
            url.raw_path.split(b"?")[0],
            url.query,
            list(request.headers.raw),
            body,
        )

    def response(reply: Reply, request: Any) -> Any:
        status, headers, chunks = reply
        return lib.Response(
            status, headers=headers, stream=lib.ByteStream(b"".join(chunks)), request=request
        )

    class SyncInProcessTransport(lib.BaseTransport):  # type: ignore[name-defined,misc]
        """Sync in-process transport: the app runs on an event loop owned by this transport."""

        def __init__(self, app: ASGIApp, runner: LoopPerThread | None = None) -> None:
            self.app = app
            self._runner = runner or LoopPerThread()
            self._owns_runner = runner is None

        def handle_request(self, request: Any) -> Any:
            args = exchange(request, request.read())
            return response(self._runner.run(lambda: call_app(self.app, *args)), request)

        def close(self) -> None:
            if self._owns_runner:
                self._runner.close()

    class AsyncInProcessTransport(lib.AsyncBaseTransport):  # type: ignore[name-defined,misc]
        """Async in-process transport: the app runs on the caller's event loop."""

        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def handle_async_request(self, request: Any) -> Any:
            args = exchange(request, await request.aread())
            return response(await call_app(self.app, *args), request)

    SyncInProcessTransport.__qualname__ = f"SyncInProcessTransport[{lib.__name__}]"
    AsyncInProcessTransport.__qualname__ = f"AsyncInProcessTransport[{lib.__name__}]"
    return SyncInProcessTransport, AsyncInProcessTransport


def _optional(name: str) -> ModuleType | None:
    try:
        return __import__(name)
    except ImportError:  # depends on which openai the user installed
        return None


#: the library of openai 3.x, and that of openai 1.x / 2.x; either may be missing
httpx2 = _optional("httpx2")
httpx = _optional("httpx")
SyncTransport, AsyncTransport = transports_for(httpx2) if httpx2 else (None, None)
HttpxSyncTransport, HttpxAsyncTransport = transports_for(httpx) if httpx else (None, None)


def http_library() -> ModuleType:
    """The HTTP library the installed ``openai`` SDK builds on (``httpx2`` or ``httpx``)."""
    import openai._base_client as base

    lib = httpx2 if hasattr(base, "httpx2") else httpx
    if lib is None:
        raise RuntimeError("the HTTP library of the installed openai SDK is not importable")
    return lib


def _classes(lib: ModuleType | None) -> tuple[type, type]:
    lib = lib or http_library()
    if lib is httpx2 and SyncTransport is not None:
        return SyncTransport, AsyncTransport  # type: ignore[return-value]
    if lib is httpx and HttpxSyncTransport is not None:
        return HttpxSyncTransport, HttpxAsyncTransport  # type: ignore[return-value]
    return transports_for(lib)


def transport(
    app: ASGIApp, lib: ModuleType | None = None, runner: LoopPerThread | None = None
) -> Any:
    """A sync in-process transport for ``lib`` (default: the installed SDK's library)."""
    return _classes(lib)[0](app, runner)


def async_transport(app: ASGIApp, lib: ModuleType | None = None) -> Any:
    """An async in-process transport for ``lib`` (default: the installed SDK's library)."""
    return _classes(lib)[1](app)
