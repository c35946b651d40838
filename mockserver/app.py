"""``create_app``: wiring only. Rules live in ``resources`` and ``engine``."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from . import errors, scenarios, surfaces
from .config import MockConfig
from .errors import APIError
from .middleware import MockMiddleware, ServerError
from .persistence import wire_storage
from .responses import error_response
from .routes import routes
from .store import Store


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, APIError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(errors.method_not_allowed(request.method, request.url.path))
    if exc.status_code == 404:
        surface = surfaces.surface_of(request.url.path) or surfaces.OPENAI
        return error_response(surface.unknown_url(request.method, request.url.path))
    return error_response(errors.http_error(exc.status_code, str(exc.detail)))


def create_app(config: MockConfig | None = None, **options: Any) -> Starlette:
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
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(MockMiddleware, store=store, server_errors=server_errors)],
        exception_handlers={APIError: _api_error, HTTPException: _http_error},
    )
    app.state.store = store
    app.state.config = config
    app.state.server_errors = server_errors
    # file bytes (temporary, or --data-dir with saved state); released by store.close()
    app.state.blobs, app.state.persistence = wire_storage(store, config)
    return app
