"""HTTP for /vector_stores: stores, their files, file batches and search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import errors
from ..parsing import list_params, read_json, sandbox_of
from ..resources import file_batches, vector_stores
from ..resources.lookup import check_prefix
from ..responses import json_response
from ..schemas import vector_stores as schema
from ..search import ingestion
from ..store import Sandbox


def _store_id(request: Request) -> str:
    store_id = request.path_params["vector_store_id"]
    check_prefix("vector_store", store_id, "vector_store_id")
    return store_id


async def _looking(
    request: Request, store_ids: list[str] | None, *, searching: bool = False, reading: bool = True
) -> Sandbox:
    """The sandbox, once the indexes a look at these stores needs are built in worker threads
    (``ingestion.prepare``): the event loop answers other requests meanwhile."""
    sandbox = sandbox_of(request)
    await ingestion.prepare(sandbox, store_ids, reading=reading, searching=searching)
    return sandbox


def _status_filter(request: Request) -> str | None:
    wanted = request.query_params.get("filter")
    if wanted is not None and wanted not in schema.FILE_STATUS:
        raise errors.invalid_value("filter", wanted, schema.FILE_STATUS)
    return wanted


# -- stores -----------------------------------------------------------------------------------


async def create(request: Request) -> Response:
    body = await read_json(request, schema.CREATE, optional=True)
    return json_response(vector_stores.create(sandbox_of(request), body))


async def list_(request: Request) -> Response:
    page = list_params(request).page
    return json_response(vector_stores.list_(await _looking(request, None), page))


async def retrieve(request: Request) -> Response:
    # a read: the store's due files finish
    store_id = _store_id(request)
    return json_response(vector_stores.refresh(await _looking(request, [store_id]), store_id))


async def update(request: Request) -> Response:
    body = await read_json(request, schema.UPDATE, optional=True)
    store_id = _store_id(request)
    return json_response(vector_stores.update(await _looking(request, [store_id]), store_id, body))


async def delete(request: Request) -> Response:
    return json_response(vector_stores.delete(sandbox_of(request), _store_id(request)))


async def search(request: Request) -> Response:
    body = await read_json(request, schema.SEARCH)
    store_id = _store_id(request)
    sandbox = await _looking(request, [store_id], searching=True)
    return json_response(vector_stores.search(sandbox, store_id, body))


# -- files ------------------------------------------------------------------------------------


async def attach_file(request: Request) -> Response:
    body = await read_json(request, schema.FILE_CREATE)
    return json_response(vector_stores.attach_file(sandbox_of(request), _store_id(request), body))


async def list_files(request: Request) -> Response:
    store_id, params, wanted = _store_id(request), list_params(request), _status_filter(request)
    sandbox = await _looking(request, [store_id])
    return json_response(vector_stores.list_files(sandbox, store_id, params.page, wanted))


async def retrieve_file(request: Request) -> Response:
    store_id, file_id = _store_id(request), request.path_params["file_id"]
    sandbox = await _looking(request, [store_id])
    return json_response(vector_stores.retrieve_file(sandbox, store_id, file_id))


async def update_file(request: Request) -> Response:
    body = await read_json(request, schema.FILE_UPDATE)
    store_id, file_id = _store_id(request), request.path_params["file_id"]
    return json_response(vector_stores.update_file(sandbox_of(request), store_id, file_id, body))


async def delete_file(request: Request) -> Response:
    store_id, file_id = _store_id(request), request.path_params["file_id"]
    return json_response(vector_stores.delete_file(sandbox_of(request), store_id, file_id))


async def file_content(request: Request) -> Response:
    store_id, file_id = _store_id(request), request.path_params["file_id"]
    sandbox = await _looking(request, [store_id], searching=True)
    return json_response(vector_stores.file_content(sandbox, store_id, file_id))


# -- file batches -----------------------------------------------------------------------------


async def create_batch(request: Request) -> Response:
    body = await read_json(request, schema.BATCH_CREATE)
    return json_response(file_batches.create(sandbox_of(request), _store_id(request), body))


async def retrieve_batch(request: Request) -> Response:
    store_id, batch_id = _store_id(request), request.path_params["batch_id"]
    sandbox = await _looking(request, [store_id])
    return json_response(file_batches.refresh(sandbox, store_id, batch_id))


async def cancel_batch(request: Request) -> Response:
    store_id, batch_id = _store_id(request), request.path_params["batch_id"]
    sandbox = await _looking(request, [store_id], reading=False)  # a cancel is not a read
    return json_response(file_batches.cancel(sandbox, store_id, batch_id))


async def list_batch_files(request: Request) -> Response:
    store_id, params, wanted = _store_id(request), list_params(request), _status_filter(request)
    batch_id = request.path_params["batch_id"]
    sandbox = await _looking(request, [store_id])
    listed = file_batches.list_files(sandbox, store_id, batch_id, params.page, wanted)
    return json_response(listed)


ROUTES = [
    Route("/vector_stores", create, methods=["POST"]),
    Route("/vector_stores", list_, methods=["GET"]),
    Route("/vector_stores/{vector_store_id}", retrieve, methods=["GET"]),
    Route("/vector_stores/{vector_store_id}", update, methods=["POST"]),
    Route("/vector_stores/{vector_store_id}", delete, methods=["DELETE"]),
    Route("/vector_stores/{vector_store_id}/search", search, methods=["POST"]),
    Route("/vector_stores/{vector_store_id}/files", attach_file, methods=["POST"]),
    Route("/vector_stores/{vector_store_id}/files", list_files, methods=["GET"]),
    Route("/vector_stores/{vector_store_id}/files/{file_id}", retrieve_file, methods=["GET"]),
    Route("/vector_stores/{vector_store_id}/files/{file_id}", update_file, methods=["POST"]),
    Route("/vector_stores/{vector_store_id}/files/{file_id}", delete_file, methods=["DELETE"]),
    Route(
        "/vector_stores/{vector_store_id}/files/{file_id}/content", file_content, methods=["GET"]
    ),
    Route("/vector_stores/{vector_store_id}/file_batches", create_batch, methods=["POST"]),
    Route(
        "/vector_stores/{vector_store_id}/file_batches/{batch_id}", retrieve_batch, methods=["GET"]
    ),
    Route(
        "/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel",
        cancel_batch,
        methods=["POST"],
    ),
    Route(
        "/vector_stores/{vector_store_id}/file_batches/{batch_id}/files",
        list_batch_files,
        methods=["GET"],
    ),
]
