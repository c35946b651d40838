"""HTTP for /assistants: parse, call the backend, serialize."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..parsing import list_params, read_json, sandbox_of
from ..resources import assistants
from ..responses import json_response
from ..schemas import assistants as schema


async def create(request: Request) -> Response:
    body = await read_json(request, schema.CREATE)
    return json_response(assistants.create(sandbox_of(request), body))


async def list_(request: Request) -> Response:
    return json_response(assistants.list_(sandbox_of(request), list_params(request).page))


async def retrieve(request: Request) -> Response:
    return json_response(assistants.get(sandbox_of(request), request.path_params["assistant_id"]))


async def update(request: Request) -> Response:
    body = await read_json(request, schema.UPDATE, optional=True)
    assistant_id = request.path_params["assistant_id"]
    return json_response(assistants.update(sandbox_of(request), assistant_id, body))


async def delete(request: Request) -> Response:
    return json_response(
        assistants.delete(sandbox_of(request), request.path_params["assistant_id"])
    )


ROUTES = [
    Route("/assistants", create, methods=["POST"]),
    Route("/assistants", list_, methods=["GET"]),
    Route("/assistants/{assistant_id}", retrieve, methods=["GET"]),
    Route("/assistants/{assistant_id}", update, methods=["POST"]),
    Route("/assistants/{assistant_id}", delete, methods=["DELETE"]),
]
