"""The control API under /__mock__: health, reset, the request journal, state dumps.

A sandbox is named by ``?sandbox=KEY`` or by the caller's own ``Authorization: Bearer KEY``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import engine, errors, progression, scenarios
from ..parsing import parse_json
from ..responses import json_response
from ..store import Sandbox, Store
from ..version import __version__


def store_of(request: Request) -> Store:
    return request.app.state.store


def sandbox_key(request: Request, required: bool = True) -> str | None:
    key = request.query_params.get("sandbox")
    if key is None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            key = value.strip()
    if key is None and required:
        raise errors.APIError(
            400,
            "Name a sandbox with ?sandbox=API_KEY or an 'Authorization: Bearer API_KEY' header.",
            param="sandbox",
        )
    return key


def existing_sandbox(request: Request) -> Sandbox:
    key = sandbox_key(request)
    assert key is not None
    return store_of(request).sandbox(key)


async def body_json(request: Request) -> dict:
    raw = await request.body()
    if not raw.strip():
        return {}
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise errors.APIError(400, "The control API expects a JSON object.")
    return body


async def health(request: Request) -> Response:
    store = store_of(request)
    return json_response(
        {"status": "ok", "version": __version__, "seed": store.config.seed, "sandboxes": len(store.sandboxes)}
    )


async def reset(request: Request) -> Response:
    body = await body_json(request)
    # named like everywhere else (body, ?sandbox= or the caller's bearer key); only a request
    # that names no sandbox at all resets every one
    key = body.get("sandbox") or sandbox_key(request, required=False)
    reset_keys = store_of(request).reset(key)
    return json_response({"reset": reset_keys})


async def requests_(request: Request) -> Response:
    key = sandbox_key(request, required=False)
    return json_response({"object": "list", "data": store_of(request).requests(key)})


async def state(request: Request) -> Response:
    key = sandbox_key(request)
    assert key is not None
    store = store_of(request)
    if key not in store.sandboxes:
        # reading must not create: dump what a fresh sandbox would hold, without keeping it
        return json_response(Store(store.config).sandbox(key).dump())
    return json_response(store.sandboxes[key].dump())


async def clock(request: Request) -> Response:
    """``POST /__mock__/clock {"advance": seconds}``: move a sandbox's virtual clock on."""
    body = await body_json(request)
    seconds = body.get("advance", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise errors.APIError(400, "'advance' must be a non-negative integer number of seconds.", param="advance")
    sandbox = existing_sandbox(request)
    now = engine.advance_clock(sandbox, request.app.state.config, seconds)
    return json_response({"now": now})


async def advance_run(request: Request) -> Response:
    """``POST /__mock__/runs/{thread_id}/{run_id}/advance {"transitions": 1}``."""
    body = await body_json(request)
    transitions = body.get("transitions", 1)
    if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
        raise errors.APIError(400, "'transitions' must be a positive integer.", param="transitions")
    p = request.path_params
    run = engine.advance_run(
        existing_sandbox(request), request.app.state.config, p["thread_id"], p["run_id"], transitions
    )
    return json_response(run)


async def settings(request: Request) -> Response:
    """``POST /__mock__/settings {"progression": "manual"}``: per-sandbox overrides."""
    body = await body_json(request)
    sandbox = existing_sandbox(request)
    for key, value in body.items():
        if key != "progression":
            raise errors.unknown_parameter(key)
        sandbox.settings["progression"] = progression.check(value)
    return json_response({"settings": sandbox.settings})


async def scenario_install(request: Request) -> Response:
    """``POST /__mock__/scenario`` with ``{"name": ...}``, ``{"path": ...}`` or
    ``{"scenario": {...}}``: add a scenario to a sandbox (one of the same name is replaced)."""
    body = await body_json(request)
    given = [k for k in ("name", "path", "scenario") if k in body]
    unknown = sorted(set(body) - {"name", "path", "scenario"})
    if unknown:
        raise errors.unknown_parameter(unknown[0])
    if len(given) != 1:
        raise errors.APIError(
            400, "Give exactly one of 'name' (a built-in scenario), 'path' or 'scenario' (a document).",
            param="name",
        )
    spec = body[given[0]]
    if given[0] == "scenario" and not isinstance(spec, dict):
        raise errors.APIError(400, "'scenario' must be a JSON object (a scenario document).", param="scenario")
    if given[0] != "scenario" and not isinstance(spec, str):
        raise errors.APIError(400, f"'{given[0]}' must be a string.", param=given[0])
    if given[0] == "name" and ("/" in spec or spec.endswith((".yaml", ".yml", ".json"))):
        raise errors.APIError(400, "'name' is a built-in scenario's name; give a file as 'path'.", param="name")
    try:
        scenario = scenarios.load_scenario(spec)
    except scenarios.ScenarioError as exc:
        raise errors.APIError(400, str(exc), param=given[0], code="invalid_scenario") from None
    sandbox = existing_sandbox(request)
    scenarios.install(sandbox, [scenario])
    return json_response(_scenario_list(sandbox))


async def scenario_list(request: Request) -> Response:
    """``GET /__mock__/scenario``: what a sandbox has installed, and the built-in names."""
    return json_response(_scenario_list(existing_sandbox(request)))


async def scenario_clear(request: Request) -> Response:
    """``DELETE /__mock__/scenario``: remove every scenario from a sandbox."""
    sandbox = existing_sandbox(request)
    scenarios.clear(sandbox)
    return json_response(_scenario_list(sandbox))


def _scenario_list(sandbox: Sandbox) -> dict:
    return {"installed": [s["name"] for s in scenarios.installed(sandbox)],
            "builtin": scenarios.builtin_names()}


ROUTES = [
    Route("/scenario", scenario_install, methods=["POST"]),
    Route("/scenario", scenario_list, methods=["GET"]),
    Route("/scenario", scenario_clear, methods=["DELETE"]),
    Route("/clock", clock, methods=["POST"]),
    Route("/runs/{thread_id}/{run_id}/advance", advance_run, methods=["POST"]),
    Route("/settings", settings, methods=["POST"]),
    Route("/health", health, methods=["GET"]),
    Route("/reset", reset, methods=["POST"]),
    Route("/requests", requests_, methods=["GET"]),
    Route("/state", state, methods=["GET"]),
]
