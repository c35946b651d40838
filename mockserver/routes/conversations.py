"""HTTP for /conversations and their items (no ``OpenAI-Beta`` header: the SDKs send none)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..parsing import include_list, list_envelope, list_params, read_json, sandbox_of
from ..resources import conversations
from ..responses import json_response
from ..schemas import conversations as schema
from ..schemas.responses import INCLUDE_VALUES


def _include(request: Request) -> list[str]:
    """``include[]`` checked against the values a response's ``include`` takes."""
    return include_list(request, INCLUDE_VALUES)


async def create(request: Request) -> Response:
    body = await read_json(request, schema.CONVERSATION_CREATE, optional=True)
    return json_response(conversations.create(sandbox_of(request), body))


async def retrieve(request: Request) -> Response:
    conversation_id = request.path_params["conversation_id"]
    return json_response(conversations.get(sandbox_of(request), conversation_id))


async def update(request: Request) -> Response:
    body = await read_json(request, schema.CONVERSATION_UPDATE)
    conversation_id = request.path_params["conversation_id"]
    return json_response(conversations.update(sandbox_of(request), conversation_id, body))


async def delete(request: Request) -> Response:
    conversation_id = request.path_params["conversation_id"]
    return json_response(conversations.delete(sandbox_of(request), conversation_id))


async def create_items(request: Request) -> Response:
    include = _include(request)
    body = await read_json(request, schema.ITEMS_CREATE)
    conversation_id = request.path_params["conversation_id"]
    added = conversations.add_items(sandbox_of(request), conversation_id, body["items"], include)
    return json_response(list_envelope(added, False))


async def list_items(request: Request) -> Response:
    include = _include(request)
    params = list_params(request)
    params.before = None  # the items list pages forward only (no ``before`` in the API)
    conversation_id = request.path_params["conversation_id"]
    sandbox = sandbox_of(request)
    return json_response(conversations.list_items(sandbox, conversation_id, params.page, include))


async def retrieve_item(request: Request) -> Response:
    include = _include(request)
    p = request.path_params
    sandbox = sandbox_of(request)
    return json_response(
        conversations.retrieve_item(sandbox, p["conversation_id"], p["item_id"], include)
    )


async def delete_item(request: Request) -> Response:
    p = request.path_params
    return json_response(
        conversations.delete_item(sandbox_of(request), p["conversation_id"], p["item_id"])
    )


ROUTES = [
    Route("/conversations", create, methods=["POST"]),
    Route("/conversations/{conversation_id}", retrieve, methods=["GET"]),
    Route("/conversations/{conversation_id}", update, methods=["POST"]),
    Route("/conversations/{conversation_id}", delete, methods=["DELETE"]),
    Route("/conversations/{conversation_id}/items", create_items, methods=["POST"]),
    Route("/conversations/{conversation_id}/items", list_items, methods=["GET"]),
    Route("/conversations/{conversation_id}/items/{item_id}", retrieve_item, methods=["GET"]),
    Route("/conversations/{conversation_id}/items/{item_id}", delete_item, methods=["DELETE"]),
]
