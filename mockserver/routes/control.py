"""The control API under /__mock__: health, reset, the request journal, state dumps, scenarios,
the clock, runs and per-sandbox settings.

Every route but health first asks :mod:`mockserver.access` who the caller is: an API key acts
on its own sandbox (``?sandbox=`` may name it again), the operator token on any or all of them.
Then it reads the body, calls one operation of :mod:`mockserver.control` (where the rules and
the checks of the arguments live, shared with the fixture's handle) and serializes the answer.
Keys leave this module masked.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import control, errors, validation
from ..access import Caller, identify
from ..config import MockConfig
from ..credentials import mask_key
from ..parsing import parse_json
from ..responses import json_response
from ..store import Store
from ..version import __version__


def store_of(request: Request) -> Store:
    return request.app.state.store


def config_of(request: Request) -> MockConfig:
    return request.app.state.config


def caller_of(request: Request) -> Caller:
    return identify(request.headers, config_of(request))


def sandbox_key(request: Request) -> str:
    """The key of the one sandbox the request acts on, if the caller may act on it. Asked
    before the body is read: without a credential, nothing else is looked at."""
    return caller_of(request).sandbox(request.query_params.get("sandbox"))


async def body_json(request: Request) -> dict:
    raw = await request.body()
    if not raw.strip():
        return {}
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise errors.control_body_not_object()
    return body


async def health(request: Request) -> Response:
    """Open to anyone: it names no sandbox and no key."""
    store = store_of(request)
    return json_response(
        {
            "status": "ok",
            "version": __version__,
            "seed": store.config.seed,
            "sandboxes": len(store.sandboxes),
        }
    )


async def reset(request: Request) -> Response:
    caller = caller_of(request)
    body = await body_json(request)
    control.check_body(body, control.RESET_BODY)
    named = body.get("sandbox")
    if named is not None and not isinstance(named, str):
        raise errors.invalid_type("sandbox", "a string", validation.type_name(named))
    # named like everywhere else (body, ?sandbox= or the caller's bearer key); only the operator,
    # naming no sandbox at all, resets every one
    key = caller.target(request.query_params.get("sandbox") if named is None else named)
    reset_keys = control.reset(store_of(request), key)
    return json_response({"reset": [mask_key(k) for k in reset_keys]})


async def requests_(request: Request) -> Response:
    # the whole journal (refused requests included) only for the operator naming no sandbox
    key = caller_of(request).target(request.query_params.get("sandbox"))
    return json_response({"object": "list", "data": control.journal(store_of(request), key)})


async def state(request: Request) -> Response:
    return json_response(control.state(store_of(request), sandbox_key(request)))


async def clock(request: Request) -> Response:
    """``POST /__mock__/clock {"advance": seconds}``: move a sandbox's virtual clock on."""
    key = sandbox_key(request)
    body = await body_json(request)
    control.check_body(body, control.CLOCK_BODY)
    now = control.advance_clock(store_of(request), key, body.get("advance", 0))
    return json_response({"now": now})


async def advance_run(request: Request) -> Response:
    """``POST /__mock__/runs/{thread_id}/{run_id}/advance {"transitions": 1}``."""
    key = sandbox_key(request)
    body = await body_json(request)
    control.check_body(body, control.ADVANCE_RUN_BODY)
    p = request.path_params
    run = control.advance_run(
        store_of(request), key, p["thread_id"], p["run_id"], body.get("transitions", 1)
    )
    return json_response(run)


async def settings(request: Request) -> Response:
    """``POST /__mock__/settings {"progression": "manual"}``: per-sandbox overrides."""
    key = sandbox_key(request)
    body = await body_json(request)
    return json_response({"settings": control.update_settings(store_of(request), key, body)})


async def scenario_install(request: Request) -> Response:
    """``POST /__mock__/scenario`` with ``{"name": ...}``, ``{"path": ...}`` or
    ``{"scenario": {...}}``: add a scenario to a sandbox (one of the same name is replaced).
    A path must lie inside a folder the server was started with (``--scenario-dir``)."""
    key = sandbox_key(request)
    body = await body_json(request)
    return json_response(control.install_scenario(store_of(request), key, body))


async def scenario_list(request: Request) -> Response:
    """``GET /__mock__/scenario``: what a sandbox has installed, and the built-in names."""
    return json_response(control.list_scenarios(store_of(request), sandbox_key(request)))


async def scenario_clear(request: Request) -> Response:
    """``DELETE /__mock__/scenario``: remove every scenario from a sandbox."""
    return json_response(control.clear_scenarios(store_of(request), sandbox_key(request)))


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
