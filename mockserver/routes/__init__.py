"""The route table: every endpoint of the mock, as data."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from ..surfaces import SURFACES
from . import assistants, control, files, runs, threads, uploads, vector_stores

# runs first: POST /threads/runs must not be taken for an update of a thread called "runs"
API_ROUTES: list[BaseRoute] = [
    *runs.ROUTES, *assistants.ROUTES, *threads.ROUTES,
    *files.ROUTES, *uploads.ROUTES, *vector_stores.ROUTES,
]


def routes() -> list[BaseRoute]:
    # one table behind every door (OpenAI's /v1, Azure's /openai): the doors differ only in
    # what the middleware checks, never in what a handler does
    return [
        *(Mount(surface.prefix, routes=API_ROUTES) for surface in SURFACES),
        Mount("/__mock__", routes=control.ROUTES),
    ]
