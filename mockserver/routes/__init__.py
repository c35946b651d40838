"""The route table: every endpoint of the mock, as data."""

from __future__ import annotations

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from ..surfaces import SURFACES
from . import (
    assistants,
    containers,
    control,
    conversations,
    files,
    inspect,
    responses,
    runs,
    threads,
    ui,
    uploads,
    vector_stores,
)

# runs first: POST /threads/runs must not be taken for an update of a thread called "runs"
API_ROUTES: list[BaseRoute] = [
    *runs.ROUTES, *assistants.ROUTES, *threads.ROUTES,
    *files.ROUTES, *uploads.ROUTES, *vector_stores.ROUTES, *responses.ROUTES,
    *conversations.ROUTES, *containers.ROUTES,
]


class ResourceRouter(Router):
    """A :class:`Router` that tries only the routes of the request's resource.

    Starlette's router tries its routes one by one, a regular expression each; with some fifty
    routes, finding ``GET /assistants/{id}`` cost more than the handler. Every route here
    starts with a literal segment (``/assistants``, ``/threads``...), and a path can only match
    a route that starts with the same segment, so each segment gets a router of its own
    holding those routes in the table's order: the same route wins, the same 405 and the same
    slash redirect follow (the redirect keeps the first segment). A segment no route starts
    with goes through the whole table, as before.
    """

    def __init__(self, routes: list[BaseRoute]) -> None:
        super().__init__(routes=routes)
        groups: dict[str, list[BaseRoute]] = {}
        anywhere: list[BaseRoute] = []  # routes whose first segment is a parameter, or not Route
        for route in routes:
            segment = _first_segment(route.path) if isinstance(route, Route) else "{"
            if "{" in segment:
                anywhere.append(route)
                for group in groups.values():
                    group.append(route)
            else:
                groups.setdefault(segment, list(anywhere)).append(route)
        self._by_segment = {segment: Router(routes=group) for segment, group in groups.items()}

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            router = self._by_segment.get(_first_segment(get_route_path(scope)))
            if router is not None:
                await router.app(scope, receive, send)
                return
        await super().app(scope, receive, send)


def _first_segment(path: str) -> str:
    """``/assistants/{assistant_id}`` -> ``assistants``."""
    return path[1:].partition("/")[0]


def routes() -> list[BaseRoute]:
    # one table behind every door (OpenAI's /v1, Azure's /openai): the doors differ only in
    # what the middleware checks, never in what a handler does
    api = ResourceRouter(API_ROUTES)
    return [
        *(Mount(surface.prefix, app=api) for surface in SURFACES),
        Mount("/__mock__/inspect", routes=inspect.ROUTES),
        *ui.ROUTES,
        Mount("/__mock__", routes=control.ROUTES),
    ]
