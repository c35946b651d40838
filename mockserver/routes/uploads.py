"""HTTP for /uploads: create, add a part (streamed multipart ``data``), complete, cancel."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import blobs, errors
from ..multipart import read_form
from ..parsing import read_json, sandbox_of
from ..resources import uploads
from ..responses import json_response
from ..schemas import files as schema


async def create(request: Request) -> Response:
    body = await read_json(request, schema.UPLOAD_CREATE)
    return json_response(uploads.create(sandbox_of(request), body))


async def add_part(request: Request) -> Response:
    sandbox = sandbox_of(request)
    upload_id = request.path_params["upload_id"]
    uploads.check_pending(sandbox, upload_id)  # before reading up to 64 MB
    form = await read_form(request, blobs.of(sandbox), max_file_bytes=schema.MAX_PART_BYTES)
    try:
        if form.oversized == "data":
            raise errors.file_too_large(schema.MAX_PART_BYTES)
        if "data" not in form.files:
            raise errors.missing_parameter("data")
        part = form.files.pop("data")
    finally:
        form.discard()
    return json_response(uploads.add_part(sandbox, upload_id, part.writer))


async def complete(request: Request) -> Response:
    body = await read_json(request, schema.UPLOAD_COMPLETE)
    return json_response(
        uploads.complete(sandbox_of(request), request.path_params["upload_id"], body)
    )


async def cancel(request: Request) -> Response:
    return json_response(uploads.cancel(sandbox_of(request), request.path_params["upload_id"]))


ROUTES = [
    Route("/uploads", create, methods=["POST"]),
    Route("/uploads/{upload_id}/parts", add_part, methods=["POST"]),
    Route("/uploads/{upload_id}/complete", complete, methods=["POST"]),
    Route("/uploads/{upload_id}/cancel", cancel, methods=["POST"]),
]
