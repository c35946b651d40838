"""HTTP for /vector_stores: stores, their files, file batches and search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import errors
from ..config import MockConfig
from ..parsing import list_params, read_json, sandbox_of
from ..resources import file_batches, vector_store_files, vector_stores
from ..resources.lookup import check_prefix
from ..responses import json_response
from ..schemas import vector_stores as schema


def _config(request: Request) -> MockConfig:
    return request.app.state.config


def _store_id(request: Request) -> str:
    store_id = request.path_params["vector_store_id"]
    check_prefix("vector_store", store_id, "vector_store_id")
    return store_id


def _refresh(request: Request, store_id: str) -> dict:
    """The store as this read sees it (reads move ingestion on)."""
    return vector_stores.refresh(sandbox_of(request), _config(request), store_id)


def _status_filter(request: Request):
    wanted = request.query_params.get("filter")
    if wanted is None:
        return None
    if wanted not in schema.FILE_STATUS:
        raise errors.invalid_value("filter", wanted, schema.FILE_STATUS)
    return wanted


# -- stores -----------------------------------------------------------------------------------


async def create(request: Request) -> Response:
    body = await read_json(request, schema.CREATE, optional=True)
    return json_response(vector_stores.create(sandbox_of(request), body))


async def list_(request: Request) -> Response:
    sandbox, params = sandbox_of(request), list_params(request)
    table = sandbox.table(vector_stores.TABLE)
    for store in list(table):
        _refresh(request, store["id"])
    return json_response(params.page(table))


async def retrieve(request: Request) -> Response:
    return json_response(_refresh(request, _store_id(request)))


async def update(request: Request) -> Response:
    body = await read_json(request, schema.UPDATE, optional=True)
    store_id = _store_id(request)
    return json_response(
        vector_stores.update(sandbox_of(request), _config(request), store_id, body)
    )


async def delete(request: Request) -> Response:
    return json_response(vector_stores.delete(sandbox_of(request), _store_id(request)))


async def search(request: Request) -> Response:
    body = await read_json(request, schema.SEARCH)
    sandbox, store_id = sandbox_of(request), _store_id(request)
    store = _refresh(request, store_id)
    vector_stores.check_usable(sandbox, store)
    queries = [body["query"]] if isinstance(body["query"], str) else list(body["query"])
    ranking = body.get("ranking_options") or {}
    hits = vector_stores.search_stores(
        sandbox,
        _config(request),
        [store_id],
        queries,
        max_num_results=body.get("max_num_results", 10),
        filters=body.get("filters"),
        score_threshold=ranking.get("score_threshold", 0.0),
    )
    data = [
        {
            "file_id": hit.file_id,
            "filename": hit.filename,
            "score": hit.score,
            "attributes": hit.attributes,
            "content": [{"type": "text", "text": hit.text}],
        }
        for hit in hits
    ]
    return json_response(
        {
            "object": "vector_store.search_results.page",
            "search_query": queries,
            "data": data,
            "has_more": False,
            "next_page": None,
        }
    )


# -- files ------------------------------------------------------------------------------------


async def attach_file(request: Request) -> Response:
    body = await read_json(request, schema.FILE_CREATE)
    sandbox, store_id = sandbox_of(request), _store_id(request)
    store = vector_stores.get(sandbox, store_id)
    vector_stores.check_usable(sandbox, store)
    vector_store_files.check_files(sandbox, [body["file_id"]], "file_ids")
    vs_file = vector_store_files.attach(
        sandbox, store_id, body["file_id"], body.get("chunking_strategy"), body.get("attributes")
    )
    vector_stores.touch(sandbox, store)
    return json_response(vs_file)


async def list_files(request: Request) -> Response:
    sandbox, store_id, params = sandbox_of(request), _store_id(request), list_params(request)
    wanted = _status_filter(request)
    _refresh(request, store_id)
    where = (lambda f: f["status"] == wanted) if wanted else None
    return json_response(params.page(vector_store_files.table(sandbox, store_id), where))


async def retrieve_file(request: Request) -> Response:
    sandbox, store_id = sandbox_of(request), _store_id(request)
    _refresh(request, store_id)
    return json_response(vector_store_files.get(sandbox, store_id, request.path_params["file_id"]))


async def update_file(request: Request) -> Response:
    body = await read_json(request, schema.FILE_UPDATE)
    sandbox, store_id = sandbox_of(request), _store_id(request)
    vector_stores.get(sandbox, store_id)
    file_id = request.path_params["file_id"]
    return json_response(
        vector_store_files.update_attributes(sandbox, store_id, file_id, body["attributes"])
    )


async def delete_file(request: Request) -> Response:
    sandbox, store_id = sandbox_of(request), _store_id(request)
    vector_stores.get(sandbox, store_id)
    return json_response(
        vector_store_files.delete(sandbox, store_id, request.path_params["file_id"])
    )


async def file_content(request: Request) -> Response:
    sandbox, store_id = sandbox_of(request), _store_id(request)
    _refresh(request, store_id)
    file_id = request.path_params["file_id"]
    return json_response(vector_store_files.content(sandbox, _config(request), store_id, file_id))


# -- file batches -----------------------------------------------------------------------------


async def create_batch(request: Request) -> Response:
    body = await read_json(request, schema.BATCH_CREATE)
    return json_response(file_batches.create(sandbox_of(request), _store_id(request), body))


async def retrieve_batch(request: Request) -> Response:
    sandbox, store_id = sandbox_of(request), _store_id(request)
    batch_id = request.path_params["batch_id"]
    return json_response(file_batches.refresh(sandbox, _config(request), store_id, batch_id))


async def cancel_batch(request: Request) -> Response:
    sandbox, store_id = sandbox_of(request), _store_id(request)
    batch_id = request.path_params["batch_id"]
    return json_response(file_batches.cancel(sandbox, _config(request), store_id, batch_id))


async def list_batch_files(request: Request) -> Response:
    sandbox, store_id, params = sandbox_of(request), _store_id(request), list_params(request)
    wanted = _status_filter(request)
    batch = file_batches.refresh(sandbox, _config(request), store_id, request.path_params["batch_id"])
    ids = file_batches.member_ids(sandbox, batch)

    def where(f: dict) -> bool:
        return f["id"] in ids and (wanted is None or f["status"] == wanted)

    return json_response(params.page(vector_store_files.table(sandbox, store_id), where))


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
