"""How many bytes a request body may have, enforced while it is read, never after.

The middleware wraps every request's ``receive`` with :func:`limited_receive`: a body whose
``Content-Length`` is over the limit is refused before a byte of it is read, and a chunked one
as soon as the bytes read pass it, so a refused body costs no more memory than the limit.
Bodies are JSON by default; a reader that streams its body somewhere else (multipart uploads,
written to disk) sets a limit of its own with :func:`allow` before it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import Message, Receive, Scope

from . import headers
from .errors import APIError

_KEY = "body_limit"


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    #: the error for a body of this many bytes (declared, or read so far)
    error: Callable[[int], APIError]


def allow(scope: Scope, limit: BodyLimit) -> None:
    """Set the limit of this request's body; call it before reading the body."""
    scope.setdefault("state", {})[_KEY] = limit


def limited_receive(scope: Scope, receive: Receive, default: BodyLimit) -> Receive:
    """``receive``, raising the limit's error once the body is known to be over it."""
    state = scope.setdefault("state", {})
    state.setdefault(_KEY, default)
    received = 0
    first = True

    async def receive_within_limit() -> Message:
        nonlocal received, first
        limit: BodyLimit = state[_KEY]
        if first:
            # looked up at the first read, not before: most GETs never read a body
            declared = _length(headers.first(scope, b"content-length"))
            if declared is not None and declared > limit.max_bytes:
                raise limit.error(declared)
        first = False
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit.max_bytes:
                raise limit.error(received)
        return message

    return receive_within_limit


def _length(value: bytes | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None  # the server refuses such a request before it gets here
