"""How every JSON body leaves the server, errors included."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from .errors import APIError

#: what ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` writes, without the new
#: encoder ``json.dumps`` builds on every call that passes options. No check for cycles: what
#: leaves the server is a tree of JSON values, and a cycle (a bug) still ends in a 500, by a
#: RecursionError instead of a ValueError.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def dumps(data: Any) -> bytes:
    return _ENCODER.encode(data).encode()


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        # what Response.init_headers builds for a JSON body without headers of its own (most
        # answers), without its general case
        if headers or self.status_code < 200 or self.status_code in (204, 304):
            super().init_headers(headers)
            return
        self.raw_headers = [
            (b"content-length", str(len(self.body)).encode("latin-1")),
            (b"content-type", b"application/json"),
        ]


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def error_response(error: APIError) -> JSONResponse:
    """The one place an :class:`APIError` becomes an HTTP response."""
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)
