"""The inspector's JSON under ``/__mock__/inspect``: read-only views of sandboxes, threads,
runs (timeline, steps, tool calls, stream events, explanation), responses and conversations
(Responses API), a file's bytes (the code interpreter's charts), the journal, and a live
stream of change notices.

The control API's security model (``mockserver.access``): an API key sees its own sandbox
only, the operator token every sandbox; with ``--api-key`` only that key is accepted. A
sandbox is named by its handle (``sbx_…``, see ``inspect/naming.py``), never by its key, and
keys leave masked. GET only; reading never creates a sandbox nor moves anything on.
"""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator

from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .. import errors
from ..access import Caller
from ..inspect import views
from ..responses import dumps, json_response
from ..store import Store
from .control import caller_of, store_of

#: seconds between keep-alive comments on the event stream (proxies close idle connections)
KEEP_ALIVE_SECONDS = 15


def _key(request: Request, caller: Caller, handle: str) -> str:
    """The key of the sandbox ``handle`` names, if the caller may see it: its own (even before
    it holds anything), or, for the operator, any that exists."""
    store = store_of(request)
    if caller.key is not None and store.names.of(caller.key) == handle:
        return caller.key
    if not caller.operator:
        assert caller.key is not None  # identify() admits no one without a key or the token
        raise errors.inspected_sandbox_not_yours(handle, store.names.of(caller.key))
    key = views.sandbox_key(store, handle)
    if key is None:
        raise errors.not_found("sandbox", handle)
    return key


def _target(request: Request) -> tuple[Store, str]:
    caller = caller_of(request)
    return store_of(request), _key(request, caller, request.path_params["sbx"])


async def sandboxes(request: Request) -> Response:
    caller = caller_of(request)
    # the operator sees every sandbox; a key holder its own
    key = None if caller.operator else caller.key
    return json_response(views.sandboxes(store_of(request), key))


async def sandbox(request: Request) -> Response:
    store, key = _target(request)
    return json_response(views.sandbox(store, key))


async def thread(request: Request) -> Response:
    store, key = _target(request)
    return json_response(views.thread(store, key, request.path_params["thread_id"]))


async def run(request: Request) -> Response:
    store, key = _target(request)
    return json_response(views.run(store, key, request.path_params["run_id"]))


async def response(request: Request) -> Response:
    store, key = _target(request)
    return json_response(views.response(store, key, request.path_params["response_id"]))


async def conversation(request: Request) -> Response:
    store, key = _target(request)
    conversation_id = request.path_params["conversation_id"]
    return json_response(views.conversation(store, key, conversation_id))


async def file_content(request: Request) -> Response:
    """A file's bytes with the content type its name says (``chart.png``: ``image/png``), for
    the run page's images. The page fetches them with the credential and shows a ``blob:``
    URL; the headers keep anything else a file may hold (HTML, SVG) from running if opened."""
    store, key = _target(request)
    obj, chunks, size = views.file_content(store, key, request.path_params["file_id"])
    media_type = mimetypes.guess_type(obj.get("filename") or "")[0] or "application/octet-stream"
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={
            "content-length": str(size),
            "content-security-policy": "default-src 'none'; sandbox",
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )


async def explanation(request: Request) -> Response:
    store, key = _target(request)
    return json_response(views.run_explanation(store, key, request.path_params["run_id"]))


async def requests_(request: Request) -> Response:
    store, key = _target(request)
    query = request.query_params
    return json_response(views.journal(store, key, query.get("status"), query.get("path")))


async def events(request: Request) -> Response:
    """``text/event-stream`` of change notices (``event: change``); ``?sandbox=sbx_…``
    narrows the operator's stream to one sandbox. Only the caller's sandbox for a key."""
    caller = caller_of(request)
    store = store_of(request)
    named = request.query_params.get("sandbox")
    if named is not None:
        key: str | None = _key(request, caller, named)
    else:
        key = None if caller.operator else caller.key
    subscription = store.notifier.subscribe(key)

    async def stream() -> AsyncIterator[dict[str, str]]:
        try:
            while True:
                notices = await subscription.next()
                if notices is None:  # the server is stopping
                    return
                for notice in notices:
                    yield {"event": "change", "data": dumps(notice).decode()}
        finally:
            store.notifier.unsubscribe(subscription)

    return EventSourceResponse(stream(), ping=KEEP_ALIVE_SECONDS)


ROUTES = [
    Route("/sandboxes", sandboxes, methods=["GET"]),
    Route("/sandboxes/{sbx}", sandbox, methods=["GET"]),
    Route("/sandboxes/{sbx}/threads/{thread_id}", thread, methods=["GET"]),
    Route("/sandboxes/{sbx}/runs/{run_id}", run, methods=["GET"]),
    Route("/sandboxes/{sbx}/runs/{run_id}/explanation", explanation, methods=["GET"]),
    Route("/sandboxes/{sbx}/responses/{response_id}", response, methods=["GET"]),
    Route("/sandboxes/{sbx}/conversations/{conversation_id}", conversation, methods=["GET"]),
    Route("/sandboxes/{sbx}/files/{file_id}/content", file_content, methods=["GET"]),
    Route("/sandboxes/{sbx}/requests", requests_, methods=["GET"]),
    Route("/events", events, methods=["GET"]),
]
