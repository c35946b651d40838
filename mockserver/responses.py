"""How every JSON body leaves the server, errors included."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from .errors import APIError


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=dict(headers or {}))


def error_response(error: APIError) -> JSONResponse:
    """The one place an :class:`APIError` becomes an HTTP response."""
    return JSONResponse(error.body(), status_code=error.status, headers=dict(error.headers))
