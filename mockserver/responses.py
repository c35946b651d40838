"""How every body leaves the server: JSON (errors included), a file's bytes and server-sent event
streams."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

import anyio.lowlevel
from sse_starlette import EventSourceResponse
from starlette.responses import Response, StreamingResponse

from .errors import APIError

logger = logging.getLogger("mockserver")

#: frames go out in writes of about this size; between two writes the event loop takes a turn,
#: so a client that has left is noticed within one write and the rest is never sent
STREAM_WRITE_BYTES = 64 * 1024

#: what ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` writes, without the new
#: encoder ``json.dumps`` builds on every call that passes options. No check for cycles: what
#: leaves the server is a tree of JSON values, and a cycle (a bug) still ends in a 500, by a
#: RecursionError instead of a ValueError.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
#: the C encoder that ``_ENCODER.encode`` makes anew on each call (with its options), made
#: once: it keeps no state between calls without the check for cycles. ``None`` where the
#: interpreter has no C accelerator.
_C_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None, _ENCODER.default, encode_basestring, None, ":", ",", False, False, True
    )
)


def dumps(data: Any) -> bytes:
    if _C_ENCODE is not None:
        return "".join(_C_ENCODE(data, 0)).encode()
    return _ENCODER.encode(data).encode()


class JSONResponse(Response):
    media_type = "application/json"

    def __init__(
        self, content: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        # what Response.__init__ does for JSON content, in one call instead of three
        self.status_code = status_code
        self.background = None
        self.body = body = dumps(content)
        if headers or status_code < 200 or status_code in (204, 304):
            self.init_headers(headers)  # the general case
            return
        # what init_headers builds for a JSON body without headers of its own (most answers)
        self.raw_headers = [
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", b"application/json"),
        ]


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def bytes_response(chunks: Iterator[bytes], size: int) -> StreamingResponse:
    """A stored file's bytes (``/files/{id}/content``, a container file's content), streamed
    in the blob store's chunks."""
    return StreamingResponse(
        chunks, media_type="application/octet-stream", headers={"content-length": str(size)}
    )


def error_response(error: APIError) -> JSONResponse:
    """The one place an :class:`APIError` becomes an HTTP response."""
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def batches(frames: Iterable[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    """Consecutive frames joined into bodies of about ``size`` bytes (a frame is never split),
    each with how many frames it holds: a stream of thousands of small deltas goes out in a
    few writes."""
    batch: list[bytes] = []
    length = 0
    for item in frames:
        batch.append(item)
        length += len(item)
        if length >= size:
            yield b"".join(batch), len(batch)
            batch, length = [], 0
    if batch:
        yield b"".join(batch), len(batch)


def sse_response(frames: Sequence[bytes]) -> Response:
    """A server-sent event stream of ``frames`` (encoded events), written in batches of
    about :data:`STREAM_WRITE_BYTES`; a client that leaves early is logged once, at INFO."""

    async def body() -> AsyncIterator[bytes]:
        events = size = 0  # written so far
        try:
            for chunk, count in batches(frames, STREAM_WRITE_BYTES):
                yield chunk
                events, size = events + count, size + len(chunk)
                # without a turn of the loop, a lost connection goes unnoticed and every write
                # after it fails again (and asyncio logs each failure)
                await anyio.lowlevel.checkpoint()
        finally:
            if events < len(frames):  # cancelled: the client went away
                total = sum(map(len, frames))
                message = "the client left a stream after %d of its %d events (%d of %d bytes)"
                logger.info(message, events, len(frames), size, total)

    return EventSourceResponse(body(), ping=0)
