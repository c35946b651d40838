"""HTTP for /containers and their files (no ``OpenAI-Beta`` header: the SDKs send none)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import blobs, errors
from ..multipart import read_form
from ..parsing import list_params, read_json, sandbox_of
from ..resources import containers
from ..responses import bytes_response, json_response
from ..schemas import containers as schema


async def create(request: Request) -> Response:
    body = await read_json(request, schema.CONTAINER_CREATE)
    return json_response(containers.create(sandbox_of(request), body))


async def list_(request: Request) -> Response:
    params = list_params(request)
    params.before = None  # pages forward only (no ``before`` in the API)
    name = request.query_params.get("name")
    return json_response(containers.list_(sandbox_of(request), params.page, name))


async def retrieve(request: Request) -> Response:
    return json_response(containers.get(sandbox_of(request), request.path_params["container_id"]))


async def delete(request: Request) -> Response:
    return json_response(
        containers.delete(sandbox_of(request), request.path_params["container_id"])
    )


async def create_file(request: Request) -> Response:
    """A multipart upload (``file``) or JSON naming an uploaded file (``file_id``)."""
    sandbox = sandbox_of(request)
    container_id = request.path_params["container_id"]
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "multipart/form-data":
        body = await read_json(request, schema.CONTAINER_FILE_CREATE)
        return json_response(containers.copy_file(sandbox, container_id, body["file_id"]))
    limit = request.app.state.config.max_upload_bytes
    form = await read_form(request, blobs.of(sandbox), max_file_bytes=limit)
    try:
        if form.oversized == "file":
            raise errors.file_too_large(limit)
        for name in [*form.fields, *form.files]:
            if name != "file":
                raise errors.unknown_parameter(name)
        if "file" not in form.files:
            raise errors.missing_parameter("file")
        upload = form.files["file"]
        file = containers.upload_file(
            sandbox, container_id, upload.writer, upload.filename or "file"
        )
    finally:
        form.discard()  # every part left in incoming/ (a committed one has moved: no-op)
    return json_response(file)


async def list_files(request: Request) -> Response:
    params = list_params(request)
    params.before = None
    container_id = request.path_params["container_id"]
    return json_response(containers.list_files(sandbox_of(request), container_id, params.page))


async def retrieve_file(request: Request) -> Response:
    p = request.path_params
    return json_response(containers.get_file(sandbox_of(request), p["container_id"], p["file_id"]))


async def delete_file(request: Request) -> Response:
    p = request.path_params
    return json_response(
        containers.delete_file(sandbox_of(request), p["container_id"], p["file_id"])
    )


async def file_content(request: Request) -> Response:
    p = request.path_params
    chunks, size = containers.file_content(sandbox_of(request), p["container_id"], p["file_id"])
    return bytes_response(chunks, size)


ROUTES = [
    Route("/containers", create, methods=["POST"]),
    Route("/containers", list_, methods=["GET"]),
    Route("/containers/{container_id}", retrieve, methods=["GET"]),
    Route("/containers/{container_id}", delete, methods=["DELETE"]),
    Route("/containers/{container_id}/files", create_file, methods=["POST"]),
    Route("/containers/{container_id}/files", list_files, methods=["GET"]),
    Route("/containers/{container_id}/files/{file_id}", retrieve_file, methods=["GET"]),
    Route("/containers/{container_id}/files/{file_id}", delete_file, methods=["DELETE"]),
    Route("/containers/{container_id}/files/{file_id}/content", file_content, methods=["GET"]),
]
