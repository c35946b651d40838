"""A request's headers by name, read without a Python loop over them.

Every API request's headers are looked up by name a few times (the doors' credentials and beta
header, the body limit's ``Content-Length``, the JSON reader's ``Content-Type``). The SDKs send
some twenty headers; scanning them in Python for each lookup cost more than the checks that
use them. When every name is lower-case and none repeats (what uvicorn and the SDKs give), one
``dict`` built in C answers every lookup, and it is built once per request (kept in the scope).
Otherwise (a repeated name, an upper-case one, as an ASGI caller may send) there is no map and
each reader scans the list as before, with its own rule for a repeated name.
"""

from __future__ import annotations

from starlette.types import Scope

#: where the map is kept in the scope (``False``: the headers have no map, scan them)
_KEY = "mockserver.headers"


def by_name(scope: Scope) -> dict[bytes, bytes] | None:
    """The request's headers by (lower-case) name when every name is lower-case and none
    repeats, so that first and last value agree; else ``None``."""
    found = scope.get(_KEY)
    if found is None:
        headers = scope["headers"]
        found = dict(headers)
        names = b"\n".join(found)
        if len(found) != len(headers) or names != names.lower():
            found = False
        scope[_KEY] = found
    return found or None


def first(scope: Scope, name: bytes) -> bytes | None:
    """The value of the first header called ``name`` (lower-case), in any case, or ``None``."""
    found = by_name(scope)
    if found is not None:
        return found.get(name)
    size = len(name)
    for raw, value in scope["headers"]:
        if len(raw) == size and raw.lower() == name:  # the length first: cheaper
            return value
    return None
