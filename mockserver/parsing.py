"""Reading requests: the sandbox, JSON bodies and list parameters, checked on the way in."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.types import Scope

from . import errors, headers, validation
from .store import Sandbox
from .tables import Collection
from .types import JSONObject
from .validation import Obj

#: how deep arrays and objects may nest in a request body (the root object is level 1).
#: Everything that walks a body (validation, deep copies, argument generation, saving) recurses
#: once or twice per level on a stack the server's own frames already use, under the
#: interpreter's limit of 1,000 frames; real bodies nest a dozen levels, deep JSON schemas a
#: few dozen.
MAX_JSON_DEPTH = 128


def sandbox_of(request: Request) -> Sandbox:
    return request.scope["state"]["sandbox"]


async def read_json(
    request: Request,
    schema: Obj,
    *,
    optional: bool = False,
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON body, checked against ``schema``; an empty body counts as ``{}`` when optional.
    ``prepare`` runs first, for checks the real API made before the fields' own."""
    raw = await read_body(request)
    if raw[:1] != b"{" and not raw.strip():  # (an object's body is not blank: no copy made)
        body: Any = {}
        if not optional and schema.required:
            raise errors.missing_parameter(schema.required[0])
    else:
        content_type = _content_type(request.scope)
        if content_type != "application/json":  # (what the SDKs send: nothing to take apart)
            media = content_type.split(";")[0].strip().lower()
            if media and not (media == "application/json" or media.endswith("+json")):
                raise errors.wrong_content_type(content_type)
        body = parse_json(raw)
    if not isinstance(body, dict):
        raise errors.body_not_an_object(validation.type_name(body))
    if prepare is not None:
        body = prepare(body)
    return validation.validate(schema, body)


async def read_body(request: Request) -> bytes:
    """What ``await request.body()`` returns, read in a plain loop: Starlette's goes through an
    async generator, which cost every create a few microseconds more than the rest of the
    read. The same messages, the same :class:`ClientDisconnect`."""
    receive = request.receive
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        raw = message.get("body", b"")  # the whole body in one message: what the SDKs send
        request._body = raw
        return raw
    chunks: list[bytes] = []
    while True:
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
        message = await receive()
    raw = b"".join(chunks)
    # where Request.body() keeps what it read: a later body() or stream() gets these bytes
    # instead of waiting on a receive channel that has nothing more to give
    request._body = raw
    return raw


def _content_type(scope: Scope) -> str:
    """The ``Content-Type`` header, or ``""``: ``request.headers.get("content-type", "")``
    without building the headers object."""
    value = headers.first(scope, b"content-type")
    return "" if value is None else value.decode("latin-1")


def _no_constant(name: str) -> Any:
    # json.loads accepts NaN/Infinity by default; they are not JSON and would come back out
    # as invalid JSON that no SDK can parse
    raise ValueError(f"{name} is not a valid JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"number {text} is out of range")
    return value


#: strict about constants and floats; holds no state between calls
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def _decode(text: str) -> Any:
    """``_DECODER.decode(text)``, with its scanner called directly for what the SDKs send (an
    object from the first character to the last); anything else, errors included, is
    decoded the general way, for the same value or the same error."""
    if text[:1] == "{" and text[-1:] == "}":
        try:
            body, end = _DECODER.scan_once(text, 0)
        except StopIteration:
            pass  # (decode raises its "Expecting value")
        else:
            if end == len(text):
                return body
    return _DECODER.decode(text)


def parse_json(raw: bytes) -> Any:
    """Strict JSON: no NaN/Infinity, no overflowing numbers, no lone surrogates, no nesting
    deeper than :data:`MAX_JSON_DEPTH`, so that whatever is accepted can be stored, walked
    and sent back as valid UTF-8 JSON."""
    try:
        # json.loads(raw, parse_constant=..., parse_float=...), without a new decoder each time
        body = _decode(raw.decode(_encoding(raw), "surrogatepass"))
    except RecursionError:  # the C parser recurses once per level, on the server's own stack
        raise errors.json_too_deep(MAX_JSON_DEPTH) from None
    except (UnicodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise errors.malformed_json(str(exc)) from None
    if isinstance(body, (dict, list)) and _nests_deeper(body, raw, MAX_JSON_DEPTH):
        raise errors.json_too_deep(MAX_JSON_DEPTH)
    if b"\\u" in raw:  # only escapes can smuggle in a lone surrogate
        try:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeError as exc:
            raise errors.malformed_json(str(exc)) from None
    return body


def _encoding(raw: bytes) -> str:
    """``json.detect_encoding(raw)``, answered at once for what every SDK sends: an object in
    UTF-8 (a first byte ``{`` starts no byte order mark; a zero second byte would be UTF-16)."""
    if raw[:1] == b"{" and raw[1:2] != b"\x00":
        return "utf-8"
    return json.detect_encoding(raw)


def _nests_deeper(value: Any, raw: bytes, limit: int) -> bool:
    """Whether arrays and objects in ``value`` nest more than ``limit`` levels, found without
    recursing (the point is to spare the stack)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False  # cannot nest deeper than it has brackets: most bodies stop here
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


@dataclass
class ListParams:
    limit: int
    order: str
    after: str | None
    before: str | None

    def page(
        self, collection: Collection, where: Callable[[JSONObject], bool] | None = None
    ) -> dict[str, Any]:
        """The list envelope of one page of ``collection``."""
        data, has_more = collection.page(
            limit=self.limit, order=self.order, after=self.after, before=self.before, where=where
        )
        return list_envelope(data, has_more)


def list_envelope(data: list[JSONObject], has_more: bool) -> dict[str, Any]:
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": has_more,
    }


def list_params(request: Request, *, max_limit: int = 100, default_limit: int = 20) -> ListParams:
    query = request.query_params
    limit = query_int(request, "limit")
    if limit is None:
        limit = default_limit
    elif limit < 1:
        raise errors.number_out_of_range("limit", "integer", False, 1, limit)
    elif limit > max_limit:
        raise errors.number_out_of_range("limit", "integer", True, max_limit, limit)
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ["asc", "desc"])
    return ListParams(limit, order, query.get("after") or None, query.get("before") or None)


def query_int(request: Request, name: str) -> int | None:
    """An integer query parameter (``limit``, ``starting_after``), ``None`` when absent."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise errors.invalid_type(name, "an integer", "a string") from None


def query_list(request: Request, name: str) -> list[str]:
    """A repeated query parameter as the SDKs send it (``include[]=a&include[]=b``)."""
    return request.query_params.getlist(f"{name}[]") + request.query_params.getlist(name)


def include_list(request: Request, allowed: Sequence[str]) -> list[str]:
    """``include[]`` from the query, each value one of ``allowed`` (else the real 400)."""
    include = query_list(request, "include")
    for value in include:
        if value not in allowed:
            raise errors.invalid_value("include[]", value, allowed)
    return include
