"""HTTP for the Responses API: create, retrieve, delete, cancel, input items. No
``OpenAI-Beta`` header is needed on these paths (``surfaces.BETA_PATHS``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import errors, responses_api
from ..parsing import list_params, query_list, read_json, sandbox_of
from ..responses import json_response
from ..schemas import responses as schema


def _include(request: Request) -> list[str]:
    include = query_list(request, "include")
    for value in include:
        if value not in schema.INCLUDE_VALUES:
            raise errors.invalid_value("include[]", value, schema.INCLUDE_VALUES)
    return include


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "false").lower() == "true"


async def create(request: Request) -> Response:
    body = await read_json(request, schema.RESPONSE_CREATE, prepare=schema.prepare_create)
    if body.get("stream"):
        raise errors.responses_stream_not_ready()
    sandbox = sandbox_of(request)
    return json_response(responses_api.create(sandbox, body, body.get("include") or []))


async def retrieve(request: Request) -> Response:
    include = _include(request)
    if _flag(request, "stream"):
        raise errors.responses_stream_not_ready()
    response_id = request.path_params["response_id"]
    return json_response(responses_api.retrieve(sandbox_of(request), response_id, include))


async def delete(request: Request) -> Response:
    response_id = request.path_params["response_id"]
    return json_response(responses_api.delete(sandbox_of(request), response_id))


async def cancel(request: Request) -> Response:
    response_id = request.path_params["response_id"]
    return json_response(responses_api.cancel(sandbox_of(request), response_id))


async def input_items(request: Request) -> Response:
    include = _include(request)
    params = list_params(request)
    response_id = request.path_params["response_id"]
    listed = responses_api.input_items(sandbox_of(request), response_id, include, params.page)
    return json_response(listed)


ROUTES = [
    Route("/responses", create, methods=["POST"]),
    Route("/responses/{response_id}", retrieve, methods=["GET"]),
    Route("/responses/{response_id}", delete, methods=["DELETE"]),
    Route("/responses/{response_id}/cancel", cancel, methods=["POST"]),
    Route("/responses/{response_id}/input_items", input_items, methods=["GET"]),
]
