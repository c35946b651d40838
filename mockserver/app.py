"""``create_app``: wiring only. Rules live in ``resources`` and ``engine``."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ExceptionHandler, Receive, Scope, Send

from . import scenarios, surfaces
from .config import MockConfig
from .errors import APIError
from .middleware import MockMiddleware, ServerError, api_error_response, http_exception_response
from .persistence import wire_storage
from .routes import Door, routes
from .store import Store

#: what the exception middleware answers with (and the fast lane, past a door)
EXCEPTION_HANDLERS: dict[Any, ExceptionHandler] = {
    APIError: api_error_response,
    HTTPException: http_exception_response,
}


class MockApp(Starlette):
    """The mock's Starlette app, with one fast lane: a request under a door (``/v1/...``,
    ``/openai/...``) goes from here to the gate (``MockMiddleware``) and on to the door, past
    the layers that have nothing to do for it (Starlette's server error middleware, whose 500
    the gate answers itself; the exception middleware, whose handlers the gate applies; the
    router, whose first routes are the doors). Every other request (the control API, the
    inspector, a path outside the doors) takes the whole stack. The layers cost an API
    request about as much as its handler's own work."""

    def __init__(self, *, gate: MockMiddleware, routes: list[BaseRoute]) -> None:
        super().__init__(
            routes=routes,
            middleware=[Middleware(gate.around)],
            exception_handlers=EXCEPTION_HANDLERS,
        )
        self.gate = gate
        doors = {route.path: route for route in routes if isinstance(route, Door)}
        #: each surface with its door
        self._lanes = tuple((surface, doors[surface.prefix]) for surface in surfaces.SURFACES)
        # what ExceptionMiddleware puts in the scope, for routes that handle their own
        # request (Starlette's request_response reads it)
        self._handlers = (dict(EXCEPTION_HANDLERS), {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for surface, door in self._lanes:
                path = door.take(scope)
                if path is not None:
                    # what Starlette.__call__, ExceptionMiddleware and Router.app would set
                    scope["app"] = self
                    scope["starlette.exception_handlers"] = self._handlers
                    scope["router"] = self.router
                    scope["route"] = door
                    await self.gate.serve(scope, receive, send, surface, (door, path))
                    return
        await super().__call__(scope, receive, send)


def create_app(config: MockConfig | None = None, **options: Any) -> MockApp:
    """A new, independent mock. ``options`` are :class:`MockConfig` fields, e.g. ``seed=1``."""
    if config is None:
        unknown = sorted(set(options) - set(MockConfig.field_names()))
        if unknown:
            raise TypeError(
                f"unknown option(s) {', '.join(unknown)}; valid: {', '.join(MockConfig.field_names())}"
            )
        config = MockConfig(**options)
    elif options:
        raise TypeError("pass either a MockConfig or keyword options, not both")
    store = Store(config)
    # checked now, so a bad --scenario fails at start-up, not at a sandbox's first request
    loaded = [scenarios.load_scenario(spec) for spec in config.scenarios]
    if loaded:
        store.on_new_sandbox.append(lambda sandbox: scenarios.install(sandbox, loaded))
    server_errors: list[ServerError] = []
    app = MockApp(gate=MockMiddleware(store, server_errors), routes=routes())
    app.state.store = store
    app.state.config = config
    app.state.server_errors = server_errors
    # file bytes (temporary, or --data-dir with saved state); released by store.close()
    app.state.blobs, app.state.persistence = wire_storage(store, config)
    return app
