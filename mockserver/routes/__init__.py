"""The route table: every endpoint of the mock, as data.

``API_ROUTES`` is one plain list of Starlette routes, relative to a door (``/assistants``, not
``/v1/assistants``); a new resource adds its routes with one line, ``*module.ROUTES,``, in the
place of the list where they must be tried. Each door (OpenAI's ``/v1``, Azure's ``/openai``)
serves the whole table through a :class:`Door`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from inspect import iscoroutinefunction
from typing import Any

from starlette._utils import get_route_path
from starlette.convertors import StringConvertor
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
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
    *runs.ROUTES,
    *assistants.ROUTES,
    *threads.ROUTES,
    *files.ROUTES,
    *uploads.ROUTES,
    *vector_stores.ROUTES,
    *responses.ROUTES,
    *conversations.ROUTES,
    *containers.ROUTES,
]


class Door(BaseRoute):
    """The route table under one door's prefix: what ``Mount(prefix, routes=table)`` does,
    with the same route winning, the same 405, the same slash redirect and the same 404, at
    a fraction of its cost per request.

    A ``Mount`` matches its prefix with a regular expression and hands over to a router that
    tries every route in turn, working out the path again for each; with some fifty routes,
    finding ``GET /assistants/{id}`` cost more than the handler. Here the prefix is a string
    test; every route of the table starts with a literal segment (``/assistants``,
    ``/threads``...) and a path can only match a route that starts with the same segment, so
    each segment has its routes, in the table's order (routes whose first segment is a
    parameter, none today, belong to every segment; a segment no route starts with has the
    whole table). The first of them whose pattern and method match takes the request; when
    none does, that segment's Starlette router answers (the 405, the redirect, the 404).
    """

    def __init__(self, prefix: str, routes: list[BaseRoute]) -> None:
        self.path = prefix
        self._under = prefix + "/"
        self._all = _Group(routes)
        self.router = self._all.router
        groups: dict[str, list[BaseRoute]] = {}
        anywhere: list[BaseRoute] = []
        for route in routes:
            segment = _first_segment(route.path) if isinstance(route, Route) else "{"
            if "{" in segment:
                anywhere.append(route)
                for group in groups.values():
                    group.append(route)
            else:
                groups.setdefault(segment, list(anywhere)).append(route)
        self._by_segment = {segment: _Group(group) for segment, group in groups.items()}

    @property
    def routes(self) -> list[BaseRoute]:
        return self.router.routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        # Mount's pattern is "^{prefix}/(?P<path>.*)$": the prefix alone does not match (the
        # router's slash redirect sends "/v1" to "/v1/")
        if scope["type"] in ("http", "websocket") and get_route_path(scope).startswith(self._under):
            return Match.FULL, self._child_scope(scope)
        return Match.NONE, {}

    def take(self, scope: Scope) -> str | None:
        """For the app's fast lane: if this door takes the HTTP request, the path under its
        prefix, ``scope`` updated as the router would after :meth:`matches`; else ``None``."""
        path: str = scope["path"]
        if not path.startswith(self._under) or scope.get("root_path"):
            return None  # (under a root path: the router's way, get_route_path's rules)
        # _child_scope's, for a root path of ""
        scope["app_root_path"] = scope.get("app_root_path", "")
        scope["root_path"] = self.path
        scope["endpoint"] = self.router
        return path[len(self.path) :]

    def _child_scope(self, scope: Scope) -> Scope:
        root_path = scope.get("root_path", "")
        return {
            "app_root_path": scope.get("app_root_path", root_path),
            "root_path": root_path + self.path,
            "endpoint": self.router,
        }

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(scope, receive, send, get_route_path(scope))
        if response is not None:
            await response(scope, receive, send)

    async def respond(
        self, scope: Scope, receive: Receive, send: Send, path: str
    ) -> Response | None:
        """The response of the route that takes the request, for the caller to send; or
        ``None`` when the route (or, with no route, the router) has answered through ``send``
        itself. ``scope`` is the one :meth:`matches` made, ``path`` the path under the
        prefix."""
        group = self._by_segment.get(_first_segment(path), self._all)
        if scope["type"] != "http":  # a websocket: the router closes it, as it did
            await group.router.app(scope, receive, send)
            return None
        method = scope["method"]
        # the route that takes the request whole, tried in the table's order as the router
        # tries them (Route.matches without its per-route path and scope work), among the
        # routes that take this method
        for route, endpoint, pattern, plain in group.by_method.get(method, group.entries):
            if pattern is None:
                match, child_scope = route.matches(scope)
                if match is not Match.FULL:
                    continue
            else:
                found = pattern.match(path)
                if found is None or (route.methods and method not in route.methods):
                    continue
                if plain and "path_params" not in scope:
                    params = found.groupdict()  # what the str convertors would give
                else:
                    params = dict(scope.get("path_params", {}))
                    for key, value in found.groupdict().items():
                        params[key] = route.param_convertors[key].convert(value)
                child_scope = {"endpoint": route.endpoint, "path_params": params}
            scope["route"] = route
            scope.update(child_scope)
            if endpoint is None:
                await route.handle(scope, receive, send)
                return None
            # what Route.handle's request_response does, without its exception wrapper:
            # whoever sends the response answers an endpoint's exception with the same
            # handlers (which read nothing but the scope)
            return await endpoint(Request(scope, receive, send))
        # none does: Starlette's router answers as it would (the 405 of the first route with
        # the path, the slash redirect, the 404)
        await group.router.app(scope, receive, send)
        return None

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        # as an unnamed Mount's: the route's path under the prefix
        url = self.router.url_path_for(name, **path_params)
        return URLPath(path=self.path + str(url), protocol=url.protocol)


#: a route as a door tries it: the route, its endpoint when the door may call it directly,
#: its path pattern (``None``: not a ``Route``, it matches itself), whether its parameters are
#: all plain strings (their values are the pattern's groups as they are)
_Entry = tuple[
    BaseRoute, "Callable[[Request], Awaitable[Response]] | None", "re.Pattern[str] | None", bool
]


class _Group:
    """The routes a path's first segment can reach: the router that answers when none takes
    the request, and each route with its endpoint when the door may call it directly (an
    ``async def`` endpoint that ``Route`` wrapped in ``request_response`` and nothing else),
    else ``None`` (the route handles the request itself); by method, those that take it, in
    the same order (a method none takes: all of them, for the router's 405)."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.router = Router(routes=routes)
        self.entries: list[_Entry] = [_entry(route) for route in routes]
        methods = {m for route in routes if isinstance(route, Route) for m in route.methods or ()}
        self.by_method = {
            method: [
                entry
                for entry in self.entries
                if not isinstance(entry[0], Route)
                or not entry[0].methods
                or method in entry[0].methods
            ]
            for method in methods
        }


def _entry(route: BaseRoute) -> _Entry:
    if not isinstance(route, Route):
        return route, None, None, False
    plain = all(type(c) is StringConvertor for c in route.param_convertors.values())
    return route, _direct_endpoint(route), route.path_regex, plain


def _direct_endpoint(route: BaseRoute) -> Callable[[Request], Awaitable[Response]] | None:
    if not isinstance(route, Route):
        return None
    endpoint = route.endpoint
    # Route.app is request_response(endpoint) for a function, unless route middleware or a
    # body limit wraps it: only then is calling the endpoint the same as Route.handle
    plain = getattr(route.app, "__qualname__", "") == "request_response.<locals>.app"
    if plain and iscoroutinefunction(endpoint):
        return endpoint
    return None


def _first_segment(path: str) -> str:
    """``/assistants/{assistant_id}`` -> ``assistants``."""
    return path[1:].partition("/")[0]


def routes() -> list[BaseRoute]:
    # one table behind every door (OpenAI's /v1, Azure's /openai): the doors differ only in
    # what the middleware checks, never in what a handler does
    return [
        *(Door(surface.prefix, API_ROUTES) for surface in SURFACES),
        Mount("/__mock__/inspect", routes=inspect.ROUTES),
        *ui.ROUTES,
        Mount("/__mock__", routes=control.ROUTES),
    ]
