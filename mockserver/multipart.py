"""Streaming ``multipart/form-data``: file parts go straight to the blob store's disk.

Starlette's ``request.form()`` spools parts into anonymous temporary files that can only be
copied, not moved; this reader feeds the request stream to python-multipart's push parser and
writes each file part into a :class:`~mockserver.blobs.BlobWriter` as it arrives, so a 512 MB
upload costs one pass over the socket, one write and a rename, with memory bounded by the
chunk size. Fields are parsed by name, so ``purpose``-first (Python) and ``file``-first (Node)
bodies are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from . import errors
from .blobs import BlobStore, BlobWriter
from .body_limit import BodyLimit, allow

#: plain (non-file) fields are small; anything larger is not a form field we know
MAX_FIELD_BYTES = 64 * 1024
#: what a form may hold besides its file's bytes (fields, part headers, boundaries), all of
#: it in memory; the body's limit is the file's plus this
FORM_OVERHEAD_BYTES = 1024 * 1024


@dataclass
class FormFile:
    filename: str
    content_type: str
    writer: BlobWriter

    @property
    def size(self) -> int:
        return self.writer.size


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FormFile] = field(default_factory=dict)
    #: the first file part that went over the size limit, if any
    oversized: str | None = None

    def discard(self) -> None:
        for f in self.files.values():
            f.writer.discard()


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    content_type: str = "application/octet-stream"
    value: bytearray = field(default_factory=bytearray)
    writer: BlobWriter | None = None
    skipping: bool = False


async def read_form(request: Request, blobs: BlobStore, *, max_file_bytes: int) -> Form:
    """Parse the body; file parts over ``max_file_bytes`` are dropped and noted in
    ``Form.oversized`` (the body is still read to the end, so the client gets the error
    instead of a broken pipe)."""
    content_type = request.headers.get("content-type", "")
    media, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media != b"multipart/form-data" or not boundary:
        raise errors.wrong_content_type(content_type, "multipart/form-data")
    # a body over this holds a file over the limit, or more than a form needs: refused before
    # it is read (by its Content-Length) or as soon as it passes the limit
    allow(
        request.scope,
        BodyLimit(
            max_file_bytes + FORM_OVERHEAD_BYTES, lambda _: errors.file_too_large(max_file_bytes)
        ),
    )
    held = 0  # bytes of part headers and plain fields in memory

    def hold(n: int) -> None:
        nonlocal held
        held += n
        if held > FORM_OVERHEAD_BYTES:
            raise errors.form_fields_too_large(FORM_OVERHEAD_BYTES)

    form = Form()
    part = _Part()
    header_field = bytearray()
    header_value = bytearray()

    def on_part_begin() -> None:
        nonlocal part
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        hold(end - start)
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        hold(end - start)
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        # latin-1 keeps every byte as one character: parse_options_header encodes the values
        # back to latin-1, and the parameters it returns (a UTF-8 filename, as the SDKs send
        # it) are decoded from those bytes below
        part.headers[header_field.decode("latin-1").lower()] = header_value.decode("latin-1")
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        _, disposition = parse_options_header(part.headers.get("content-disposition", ""))
        part.name = disposition.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in disposition:
            part.filename = disposition[b"filename"].decode("utf-8", "replace")
            part.content_type = part.headers.get("content-type", "application/octet-stream")
            part.writer = blobs.writer()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if part.skipping:
            return
        if part.writer is not None:
            if part.writer.size + (end - start) > max_file_bytes:
                part.skipping = True
                part.writer.discard()
                part.writer = None
                form.oversized = form.oversized or part.name
                return
            part.writer.write(data[start:end])
        else:
            hold(end - start)
            part.value.extend(data[start:end])
            if len(part.value) > MAX_FIELD_BYTES:
                part.skipping = True

    def on_part_end() -> None:
        if part.writer is not None:
            previous = form.files.pop(part.name, None)
            if previous is not None:
                previous.writer.discard()
            form.files[part.name] = FormFile(part.filename or "", part.content_type, part.writer)
            part.writer = None  # the form owns it now
        elif part.filename is None and not part.skipping:
            form.fields[part.name] = part.value.decode("utf-8", "replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except BaseException as exc:
        form.discard()
        if isinstance(exc, MultipartParseError):
            raise errors.malformed_multipart(str(exc)) from None
        raise
    finally:
        if part.writer is not None:  # a file part the body never finished (truncated, or failed)
            part.writer.discard()
    return form
