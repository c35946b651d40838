"""HTTP for the Responses API: create, retrieve, delete, cancel, input items. No
``OpenAI-Beta`` header is needed on these paths (``surfaces.BETA_PATHS``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import faults, responses_api
from ..parsing import include_list, list_params, query_int, read_json, sandbox_of
from ..responses import json_response, sse_response
from ..responses_api import stream
from ..schemas import responses as schema


def _include(request: Request) -> list[str]:
    return include_list(request, schema.INCLUDE_VALUES)


def _flag(request: Request, name: str, default: bool) -> bool:
    value = request.query_params.get(name)
    return default if value is None else value.lower() == "true"


def _stream(request: Request, events: list[stream.Event], obfuscation: bool) -> Response:
    """SSE; a scenario's ``drop_stream`` rule may cut it short."""
    cut = faults.stream_cut(sandbox_of(request), request.method, request.url.path)
    return sse_response(stream.frames(events, obfuscation=obfuscation, cut=cut))


async def create(request: Request) -> Response:
    body = await read_json(request, schema.RESPONSE_CREATE, prepare=schema.prepare_create)
    sandbox = sandbox_of(request)
    include = body.get("include") or []
    if body.get("stream"):
        obfuscation = (body.get("stream_options") or {}).get("include_obfuscation", True)
        return _stream(request, responses_api.create_stream(sandbox, body, include), obfuscation)
    return json_response(responses_api.create(sandbox, body, include))


async def retrieve(request: Request) -> Response:
    include = _include(request)
    response_id = request.path_params["response_id"]
    sandbox = sandbox_of(request)
    if _flag(request, "stream", False):
        starting_after = query_int(request, "starting_after")
        events = responses_api.stream_events(sandbox, response_id, starting_after)
        return _stream(request, events, _flag(request, "include_obfuscation", True))
    return json_response(responses_api.retrieve(sandbox, response_id, include))


async def delete(request: Request) -> Response:
    response_id = request.path_params["response_id"]
    return json_response(responses_api.delete(sandbox_of(request), response_id))


async def cancel(request: Request) -> Response:
    response_id = request.path_params["response_id"]
    return json_response(responses_api.cancel(sandbox_of(request), response_id))


async def input_items(request: Request) -> Response:
    include = _include(request)
    params = list_params(request)
    params.before = None  # the input items page forward only (no ``before`` in the API)
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
