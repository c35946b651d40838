"""The route table: every endpoint of the mock, as data."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from . import assistants, control, files, runs, threads, uploads, vector_stores

# runs first: POST /threads/runs must not be taken for an update of a thread called "runs"
API_ROUTES: list[BaseRoute] = [
    *runs.ROUTES, *assistants.ROUTES, *threads.ROUTES,
    *files.ROUTES, *uploads.ROUTES, *vector_stores.ROUTES,
]


def routes() -> list[BaseRoute]:
    return [Mount("/v1", routes=API_ROUTES), Mount("/__mock__", routes=control.ROUTES)]
