"""HTTP for /files: streamed multipart upload, list, retrieve, delete, content."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import blobs, errors, validation
from ..multipart import Form, read_form
from ..parsing import list_params, sandbox_of
from ..resources import files
from ..responses import bytes_response, json_response
from ..schemas import files as schema


async def create(request: Request) -> Response:
    sandbox = sandbox_of(request)
    config = request.app.state.config
    form = await read_form(request, blobs.of(sandbox), max_file_bytes=config.max_upload_bytes)
    try:
        purpose, expires_after = _check(form, config.max_upload_bytes)
    except BaseException:
        form.discard()
        raise
    upload = form.files.pop("file")
    form.discard()  # any other file part
    file = files.create_from_writer(
        sandbox, upload.writer, upload.filename or "file", purpose, expires_after
    )
    return json_response(file)


def _check(form: Form, limit: int) -> tuple[str, dict | None]:
    if form.oversized == "file":
        raise errors.file_too_large(limit)
    known = {"purpose", "expires_after[anchor]", "expires_after[seconds]"}
    for name in list(form.fields) + list(form.files):
        if name not in known and name != "file":
            raise errors.unknown_parameter(name)
    if "file" not in form.files:
        raise errors.missing_parameter("file")
    if "purpose" not in form.fields:
        raise errors.missing_parameter("purpose")
    purpose = form.fields["purpose"]
    if purpose not in schema.FILE_PURPOSES:
        raise errors.invalid_value("purpose", purpose, schema.FILE_PURPOSES)
    expires_after = None
    if any(k.startswith("expires_after") for k in form.fields):
        raw = {
            k[len("expires_after[") : -1]: v
            for k, v in form.fields.items()
            if k.startswith("expires_after[")
        }
        if "seconds" in raw:
            try:
                raw["seconds"] = int(raw["seconds"])  # type: ignore[assignment]
            except ValueError:
                raise errors.invalid_type(
                    "expires_after.seconds", "an integer", "a string"
                ) from None
        validation.check(schema.FILE_EXPIRES_AFTER, raw, "expires_after")
        expires_after = raw
    return purpose, expires_after


async def list_(request: Request) -> Response:
    params = list_params(request, max_limit=10_000, default_limit=10_000)
    params.before = None  # /files pages forward only
    purpose = request.query_params.get("purpose")
    return json_response(files.list_(sandbox_of(request), params.page, purpose))


async def retrieve(request: Request) -> Response:
    return json_response(files.get(sandbox_of(request), request.path_params["file_id"]))


async def delete(request: Request) -> Response:
    return json_response(files.delete(sandbox_of(request), request.path_params["file_id"]))


async def content(request: Request) -> Response:
    chunks, size = files.content(sandbox_of(request), request.path_params["file_id"])
    return bytes_response(chunks, size)


ROUTES = [
    Route("/files", create, methods=["POST"]),
    Route("/files", list_, methods=["GET"]),
    Route("/files/{file_id}", retrieve, methods=["GET"]),
    Route("/files/{file_id}", delete, methods=["DELETE"]),
    Route("/files/{file_id}/content", content, methods=["GET"]),
]
