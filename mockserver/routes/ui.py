"""The inspector's pages at ``/__mock__/ui/``: static files shipped in the package
(``mockserver/inspector_ui``), no build step, nothing fetched from elsewhere.

The pages hold no data: they read it from ``/__mock__/inspect`` with the credential the viewer
types in, so serving them needs none (as a browser asks for them without one). Each answer
carries a Content-Security-Policy that lets the page load its own files and talk to its own
server only (and show images it made itself from bytes it fetched: ``blob:``).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

#: the folder of index.html, app.js, style.css (package data, see pyproject.toml)
ASSETS = Path(__file__).resolve().parent.parent / "inspector_ui"

HEADERS = (
    (
        b"content-security-policy",
        (
            b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            b"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # the assets change with the package: always revalidated (ETag), never stale after an upgrade
    (b"cache-control", b"no-cache"),
)


class InspectorPages(StaticFiles):
    """The asset folder, ``index.html`` at ``/__mock__/ui/``, with the headers above."""

    def __init__(self) -> None:
        super().__init__(directory=ASSETS, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await super().__call__(scope, receive, with_headers)


async def to_index(request: Request) -> Response:
    """``/__mock__/ui`` -> ``/__mock__/ui/``: the pages' relative links need the slash."""
    return RedirectResponse(request.url.path + "/", status_code=308)


#: before ``/__mock__``'s own routes, which would answer 404 for ``/__mock__/ui``
ROUTES: list[BaseRoute] = [
    Route("/__mock__/ui", to_index, methods=["GET", "HEAD"]),
    Mount("/__mock__/ui", app=InspectorPages()),
]
