"""HTTP for /threads and their messages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import engine
from ..parsing import list_params, read_json, sandbox_of
from ..resources import messages, threads
from ..responses import json_response
from ..schemas import threads as schema


async def create(request: Request) -> Response:
    body = await read_json(request, schema.THREAD_CREATE, optional=True)
    return json_response(threads.create(sandbox_of(request), body))


async def retrieve(request: Request) -> Response:
    return json_response(threads.get(sandbox_of(request), request.path_params["thread_id"]))


async def update(request: Request) -> Response:
    body = await read_json(request, schema.THREAD_UPDATE, optional=True)
    return json_response(
        threads.update(sandbox_of(request), request.path_params["thread_id"], body)
    )


async def delete(request: Request) -> Response:
    return json_response(threads.delete(sandbox_of(request), request.path_params["thread_id"]))


async def create_message(request: Request) -> Response:
    body = await read_json(request, schema.MESSAGE_CREATE)
    thread_id = request.path_params["thread_id"]
    return json_response(engine.add_message(sandbox_of(request), thread_id, body))


async def list_messages(request: Request) -> Response:
    params = list_params(request)
    run_id = request.query_params.get("run_id")
    thread_id = request.path_params["thread_id"]
    return json_response(messages.list_(sandbox_of(request), thread_id, params.page, run_id))


async def retrieve_message(request: Request) -> Response:
    p = request.path_params
    return json_response(messages.get(sandbox_of(request), p["thread_id"], p["message_id"]))


async def update_message(request: Request) -> Response:
    body = await read_json(request, schema.MESSAGE_UPDATE, optional=True)
    p = request.path_params
    return json_response(
        messages.update(sandbox_of(request), p["thread_id"], p["message_id"], body)
    )


async def delete_message(request: Request) -> Response:
    p = request.path_params
    return json_response(messages.delete(sandbox_of(request), p["thread_id"], p["message_id"]))


ROUTES = [
    Route("/threads", create, methods=["POST"]),
    Route("/threads/{thread_id}", retrieve, methods=["GET"]),
    Route("/threads/{thread_id}", update, methods=["POST"]),
    Route("/threads/{thread_id}", delete, methods=["DELETE"]),
    Route("/threads/{thread_id}/messages", create_message, methods=["POST"]),
    Route("/threads/{thread_id}/messages", list_messages, methods=["GET"]),
    Route("/threads/{thread_id}/messages/{message_id}", retrieve_message, methods=["GET"]),
    Route("/threads/{thread_id}/messages/{message_id}", update_message, methods=["POST"]),
    Route("/threads/{thread_id}/messages/{message_id}", delete_message, methods=["DELETE"]),
]
