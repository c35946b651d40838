"""The edge every API request passes: sandbox by API key, the door's header and query checks
(``surfaces``: OpenAI's ``/v1``, Azure's ``/openai``), request id, journal.

A pure ASGI middleware so that it also wraps streaming responses: headers are added to the
``http.response.start`` message, whatever kind of response follows. Any exception that escapes
an endpoint is logged, kept for the test that caused it, and answered with a 500 in the
error envelope, never a traceback.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import errors, faults, surfaces
from . import headers as request_headers
from .body_limit import BodyLimit, limited_receive
from .credentials import mask_key
from .errors import APIError
from .responses import JSONResponse, error_response
from .store import JournalEntry, Store

log = logging.getLogger("mockserver")

CONTROL_PREFIX = "/__mock__"
#: the journal's status for a request whose client left before sending all of it (nginx's)
CLIENT_CLOSED_REQUEST = 499


@dataclass
class ServerError:
    """An unexpected exception, kept with the request that caused it."""

    method: str
    path: str
    sandbox: str | None
    exception: BaseException

    def describe(self) -> str:
        sandbox = None if self.sandbox is None else mask_key(self.sandbox)
        return f"{self.method} {self.path} (sandbox {sandbox!r}): {self.exception!r}"


class MockMiddleware:
    #: the rest of the Starlette stack (set by :meth:`around`)
    app: ASGIApp

    def __init__(self, store: Store, server_errors: list[ServerError]) -> None:
        self.store = store
        self.server_errors = server_errors
        self.json_body = _json_body_limit(store.config.max_json_body_bytes)
        #: the headers every response gets, built once: they depend on the app, not the request
        self.response_headers = (
            (b"openai-version", b"2020-10-01"),
            (b"openai-processing-ms", b"0"),
            # read by the SDKs' poll helpers; small, so create_and_poll never sleeps long
            (b"openai-poll-after-ms", str(store.config.poll_after_ms).encode()),
        )

    def around(self, app: ASGIApp) -> MockMiddleware:
        """As a Starlette middleware factory: this gate, in front of ``app``."""
        self.app = app
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.serve(scope, receive, send, surfaces.surface_of(scope["path"]))

    async def serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        surface: surfaces.Surface | None,
        door: tuple[Door, str] | None = None,
    ) -> None:
        """One HTTP request, under ``surface`` (``None``: not the API). ``door``: the door that
        takes it straight and the path under the door's prefix, the app's fast lane (see
        ``app.MockApp``), the response sent from here; ``None``: the rest of the Starlette
        stack takes it (``self.app``: exception handlers, router)."""
        path: str = scope["path"]
        method: str = scope["method"]
        store = self.store
        response_headers = self.response_headers
        sandbox_key: str | None = None
        request_id: str | None = None
        status = 500
        started = False
        began = time.perf_counter()
        virtual_at: int | None = None
        #: the body of a refused request, kept for the journal's error message
        refusal: list[bytes] = []
        receive = limited_receive(scope, receive, self.json_body)

        def starting(
            code: int, headers: Iterable[tuple[bytes, bytes]]
        ) -> list[tuple[bytes, bytes]]:
            """The response starts with ``code``: its headers and the API's."""
            nonlocal started, status
            # saved before the client hears back (--data-dir): what this request changed,
            # reads included (they move runs and ingestion on), control requests too. Its
            # own sandbox by name: another response may have committed (and unmarked) it
            # while this request awaited its body, an upload or a worker thread
            store.commit(sandbox_key)
            started = True
            status = code
            sent = [*headers, *response_headers]
            if request_id:
                sent.append((b"x-request-id", request_id.encode()))
            return sent

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.body":
                if status >= 400 and len(refusal) < _REFUSAL_PARTS:
                    refusal.append(message.get("body", b""))
            elif message["type"] == "http.response.start":
                headers = starting(message["status"], message.get("headers", ()))
                message = {**message, "headers": headers}
            await send(message)

        async def answer(response: Response) -> None:
            if type(response) is not JSONResponse or response.background is not None:
                await response(scope, receive, send_wrapper)
                return
            # the common answer, a JSON body: what its __call__ and send_wrapper would send,
            # sent from here
            code = response.status_code
            headers = starting(code, response.raw_headers)
            await send({"type": "http.response.start", "status": code, "headers": headers})
            if code >= 400:
                refusal.append(response.body)
            await send({"type": "http.response.body", "body": response.body})

        try:
            if surface is not None:
                headers = _headers(scope)
                try:
                    sandbox_key = surface.sandbox_key(headers, store.config)
                except APIError:
                    # refused before any sandbox is known: the app's own counter names it
                    request_id = store.anonymous_ids.new("req_")
                    raise
                sandbox = store.sandbox(sandbox_key)
                virtual_at = sandbox.now()
                request_id = sandbox.ids.new("req_")
                scope.setdefault("state", {})["sandbox"] = sandbox
                surface.check(path, headers, scope.get("query_string", b""), store.config)
                faults.check(sandbox, method, path)  # a scenario's injected errors
            if door is None:
                await self.app(scope, receive, send_wrapper)
            else:
                response = await door[0].respond(scope, receive, send_wrapper, door[1])
                if response is not None:
                    await answer(response)
        except ClientDisconnect:
            # the client went away (mid-body, typically): its doing, not a server error, and
            # there is no one left to answer
            log.info("the client closed the connection during %s %s", method, path)
            if not started:
                status = CLIENT_CLOSED_REQUEST
        except Exception as exc:
            # an API error is an answer until the response starts; after, like any other
            # exception, a fault of the mock's that no answer can repair (a stream cut short)
            if not started and isinstance(exc, APIError):
                await answer(error_response(exc))
                return
            if not started and isinstance(exc, HTTPException):
                # only past a door (elsewhere the ExceptionMiddleware inside answers it): the
                # router's 404 and 405, a form Starlette could not parse
                await answer(await http_exception_response(Request(scope, receive), exc))
                return
            log.exception("unexpected error handling %s %s", method, path)
            self.server_errors.append(ServerError(method, path, sandbox_key, exc))
            if not started:
                await answer(error_response(errors.internal_error()))
        finally:
            if surface is not None:
                self._journal(
                    # by position: keywords cost the entry's creation four times as much
                    JournalEntry(
                        method,
                        path,
                        scope.get("query_string", b"").decode("latin-1"),  # query
                        status,
                        sandbox_key,
                        request_id,
                        round((time.perf_counter() - began) * 1000, 3),  # duration_ms
                        virtual_at,
                        0,  # virtual_seconds, set by _journal
                        _refusal_message(b"".join(refusal)) if refusal else None,  # error
                    )
                )

    def _journal(self, entry: JournalEntry) -> None:
        store = self.store
        if entry.sandbox is not None and entry.virtual_at is not None:
            sandbox = store.sandboxes.get(entry.sandbox)
            if sandbox is not None:  # (a reset during the request forgot it)
                entry.virtual_seconds = sandbox.now() - entry.virtual_at
        store.journal.append(entry)
        if store.notifier.listening:
            notice = {
                "kind": "request",
                "id": entry.request_id,
                "thread_id": None,
                "status": entry.status,
                "method": entry.method,
                "path": entry.path,
            }
            store.notifier.publish(entry.sandbox, notice)


#: body messages of a refused response kept for its message (error bodies are one or two)
_REFUSAL_PARTS = 4
#: characters of a refusal's message the journal keeps: a message may echo a huge value (a
#: 200 kB tool type), and the journal holds thousands of entries
_REFUSAL_CHARS = 1000


def _refusal_message(body: bytes) -> str | None:
    """The message of an error body, in any of the envelopes the mock answers with (the API's
    ``{"error": {"message": ...}}``, Azure's gateway's, its flat ``{"message": ...}``),
    shortened to :data:`_REFUSAL_CHARS`."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    message = error.get("message") if isinstance(error, dict) else data.get("message")
    if not isinstance(message, str):
        return None
    if len(message) > _REFUSAL_CHARS:
        return message[: _REFUSAL_CHARS - 1] + "…"
    return message


async def http_exception_response(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (its router's 404 and 405, a form it could not parse) in the
    API's error envelope, with the texts the real API answered with."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(errors.method_not_allowed(request.method, request.url.path))
    if exc.status_code == 404:
        surface = surfaces.surface_of(request.url.path) or surfaces.OPENAI
        return error_response(surface.unknown_url(request.method, request.url.path))
    return error_response(errors.http_error(exc.status_code, str(exc.detail)))


async def api_error_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIError)
    return error_response(exc)


class Door(Protocol):
    """What the fast lane needs of a door (``routes.Door``)."""

    async def respond(
        self, scope: Scope, receive: Receive, send: Send, path: str
    ) -> Response | None: ...


def _json_body_limit(max_bytes: int) -> BodyLimit:
    return BodyLimit(max_bytes, lambda size: errors.content_too_large(max_bytes, size))


def _headers(scope: Scope) -> surfaces.Headers:
    """The request headers by raw lower-case name, as the doors read them (the last of a
    repeated one). The map of them all when the request has one; else only the headers the
    doors read (``surfaces.READ_HEADERS``), found in one scan: the SDKs send some twenty
    headers, and decoding them all cost every request more than the doors' checks."""
    mapped = request_headers.by_name(scope)
    if mapped is not None:  # no name repeats: first and last agree
        return mapped
    wanted = surfaces.READ_HEADERS
    lengths = _READ_LENGTHS
    found = {}
    for name, value in scope["headers"]:
        if len(name) in lengths:  # a name of another length is skipped unread
            # ASGI only says names "should" be lower-case: a caller of the app may send any case
            if name in wanted:
                found[name] = value
            else:
                lower = name.lower()
                if lower in wanted:
                    found[lower] = value
    return found


_READ_LENGTHS = frozenset(len(name) for name in surfaces.READ_HEADERS)
