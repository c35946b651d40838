"""The control API under /__mock__: health, reset, the request journal, state dumps, scenarios,
the clock, runs and per-sandbox settings.

Every route but health first asks :mod:`mockserver.access` who the caller is: an API key acts
on its own sandbox (``?sandbox=`` may name it again), the operator token on any or all of them.
Keys leave this module masked.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import engine, errors, progression, scenarios, validation
from ..access import Caller, identify
from ..config import MockConfig
from ..credentials import mask_key
from ..parsing import parse_json
from ..responses import json_response
from ..store import Sandbox, Store
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
        {"status": "ok", "version": __version__, "seed": store.config.seed, "sandboxes": len(store.sandboxes)}
    )


async def reset(request: Request) -> Response:
    caller = caller_of(request)
    body = await body_json(request)
    named = body.get("sandbox")
    if named is not None and not isinstance(named, str):
        raise errors.invalid_type("sandbox", "a string", validation.type_name(named))
    # named like everywhere else (body, ?sandbox= or the caller's bearer key); only the operator,
    # naming no sandbox at all, resets every one
    key = caller.target(named or request.query_params.get("sandbox"))
    reset_keys = store_of(request).reset(key)
    return json_response({"reset": [mask_key(k) for k in reset_keys]})


async def requests_(request: Request) -> Response:
    # the whole journal (refused requests included) only for the operator naming no sandbox
    key = caller_of(request).target(request.query_params.get("sandbox"))
    return json_response({"object": "list", "data": store_of(request).requests(key)})


async def state(request: Request) -> Response:
    key = sandbox_key(request)
    store = store_of(request)
    if key not in store.sandboxes:
        # reading must not create: dump what a fresh sandbox would hold, without keeping it
        return json_response(Store(store.config).sandbox(key).public_dump())
    return json_response(store.sandboxes[key].public_dump())


async def clock(request: Request) -> Response:
    """``POST /__mock__/clock {"advance": seconds}``: move a sandbox's virtual clock on."""
    key = sandbox_key(request)
    body = await body_json(request)
    seconds = body.get("advance", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise errors.invalid_clock_advance()
    now = engine.advance_clock(store_of(request).sandbox(key), config_of(request), seconds)
    return json_response({"now": now})


async def advance_run(request: Request) -> Response:
    """``POST /__mock__/runs/{thread_id}/{run_id}/advance {"transitions": 1}``."""
    key = sandbox_key(request)
    body = await body_json(request)
    transitions = body.get("transitions", 1)
    if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
        raise errors.invalid_transitions()
    p = request.path_params
    run = engine.advance_run(
        store_of(request).sandbox(key), config_of(request), p["thread_id"], p["run_id"], transitions
    )
    return json_response(run)


async def settings(request: Request) -> Response:
    """``POST /__mock__/settings {"progression": "manual"}``: per-sandbox overrides."""
    key = sandbox_key(request)
    body = await body_json(request)
    for name in body:
        if name != "progression":
            raise errors.unknown_parameter(name)
    checked = {name: progression.check(value) for name, value in body.items()}
    sandbox = store_of(request).sandbox(key)
    sandbox.settings.update(checked)
    return json_response({"settings": sandbox.settings})


async def scenario_install(request: Request) -> Response:
    """``POST /__mock__/scenario`` with ``{"name": ...}``, ``{"path": ...}`` or
    ``{"scenario": {...}}``: add a scenario to a sandbox (one of the same name is replaced).
    A path must lie inside a folder the server was started with (``--scenario-dir``)."""
    key = sandbox_key(request)
    body = await body_json(request)
    given = [k for k in ("name", "path", "scenario") if k in body]
    unknown = sorted(set(body) - {"name", "path", "scenario"})
    if unknown:
        raise errors.unknown_parameter(unknown[0])
    if len(given) != 1:
        raise errors.scenario_source_count()
    source = given[0]
    spec = body[source]
    if source == "scenario" and not isinstance(spec, dict):
        raise errors.scenario_not_a_document()
    if source != "scenario" and not isinstance(spec, str):
        raise errors.scenario_source_not_string(source)
    if source == "name" and ("/" in spec or "\\" in spec or spec.endswith(scenarios.SUFFIXES)):
        raise errors.scenario_name_is_a_path()
    folders = config_of(request).scenario_dirs
    try:
        if source == "path":
            scenario = scenarios.load_scenario_within(spec, folders)
        else:
            scenario = scenarios.load_scenario(spec)
    except scenarios.ScenarioPathRefused:
        raise errors.scenario_path_not_allowed(folders_allowed=bool(folders)) from None
    except scenarios.ScenarioError as exc:
        raise errors.invalid_scenario(str(exc), param=source) from None
    sandbox = store_of(request).sandbox(key)
    scenarios.install(sandbox, [scenario])
    return json_response(_scenario_list(sandbox))


async def scenario_list(request: Request) -> Response:
    """``GET /__mock__/scenario``: what a sandbox has installed, and the built-in names."""
    return json_response(_scenario_list(store_of(request).sandbox(sandbox_key(request))))


async def scenario_clear(request: Request) -> Response:
    """``DELETE /__mock__/scenario``: remove every scenario from a sandbox."""
    sandbox = store_of(request).sandbox(sandbox_key(request))
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
