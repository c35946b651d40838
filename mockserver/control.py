"""The control operations on a mock's sandboxes, and the checks of their arguments.

One core behind two faces: the HTTP control API under ``/__mock__`` (``routes/control.py``:
credentials and body in, one operation, JSON out) and the Python handle the pytest fixture
returns (``handle.py``). Plain Python: no HTTP and no credentials (the faces decide which
sandbox a caller may act on and pass its key).

A bad argument raises the catalogue's errors (``errors.py``). Those of the clock, the runs and
the progression are :class:`~mockserver.errors.InvalidArgument`: the HTTP face renders it as
the API's 400, a Python caller catches the ``ValueError`` it also is. Every check runs before
anything is created or changed.

What each operation returns is the caller's own copy: a face may keep or change it freely.
A change is saved (``--data-dir``) before the operation returns, through either face: the HTTP
face would save it before its response anyway, but the handle has no response.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import engine, errors, progression, responses_api, scenarios
from .store import Sandbox, Store
from .types import JSONObject

#: the per-sandbox settings a caller may change, each with the check of its value
SETTINGS: dict[str, Callable[[Any], Any]] = {"progression": progression.check_progression}

#: how a remote caller names the one scenario to install (``install_scenario``)
SCENARIO_SOURCES = ("name", "path", "scenario")

#: the keys the bodies of the other control requests may hold (the HTTP face's; the
#: handle's methods take them as arguments)
RESET_BODY = ("sandbox",)
CLOCK_BODY = ("advance",)
ADVANCE_RUN_BODY = ("transitions",)


def check_body(body: Mapping[str, Any], keys: Sequence[str]) -> None:
    """A control request's body holds only ``keys``: the first other one is refused with the
    API's own 400 (``Unknown parameter: 'x'.``), before anything is looked at or changed, as
    a misspelt key that was ignored would leave the caller thinking it took effect."""
    unknown = next((name for name in body if name not in keys), None)
    if unknown is not None:
        raise errors.unknown_parameter(unknown)


# -- sandboxes and the journal ------------------------------------------------------------------


def reset(store: Store, key: str | None) -> list[str]:
    """Forget a sandbox (``None``: every sandbox and the whole journal); the keys reset."""
    return store.reset(key)


def journal(store: Store, key: str | None) -> list[JSONObject]:
    """The request journal of a sandbox (``None``: all of it), oldest first, keys masked."""
    return store.requests(key)


def state(store: Store, key: str) -> JSONObject:
    """A dump of a sandbox (its key masked). Reading never creates a sandbox: for an unknown
    key, what a fresh one would hold."""
    sandbox = store.sandboxes.get(key)
    if sandbox is None:
        return Store(store.config).sandbox(key).public_dump()
    return copy.deepcopy(sandbox.public_dump())


# -- time, runs and the progression policy ------------------------------------------------------
# The only calls from this module into the engine and the policy: a change of their
# signatures is fixed here once.


#: 9999-12-31T23:59:59Z: the clock goes no further (see errors.clock_advance_too_far)
LATEST_TIME = 253_402_300_799


def advance_clock(store: Store, key: str, seconds: Any) -> int:
    """Move a sandbox's virtual clock ``seconds`` on; runs past their ``expires_at`` expire.
    Returns the new time."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise errors.invalid_clock_advance()
    sandbox = store.sandbox(key)
    if sandbox.now() + seconds > LATEST_TIME:
        raise errors.clock_advance_too_far(LATEST_TIME)
    now = engine.advance_clock(sandbox, seconds)
    store.commit(key)
    return now


def advance_run(
    store: Store, key: str, thread_id: str, run_id: str, transitions: Any = 1
) -> JSONObject:
    """Move one run ``transitions`` on, under every policy (``manual`` included); the run as
    the API shows it."""
    if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
        raise errors.invalid_transitions()
    run = engine.advance_run(store.sandbox(key), thread_id, run_id, transitions)
    store.commit(key)
    return copy.deepcopy(run)


def advance_response(store: Store, key: str, response_id: str, transitions: Any = 1) -> JSONObject:
    """Move one background response ``transitions`` on, under every policy (``manual``
    included); the response as the API shows it."""
    if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
        raise errors.invalid_transitions()
    response = responses_api.advance_response(store.sandbox(key), response_id, transitions)
    store.commit(key)
    return copy.deepcopy(response)


def policy(store: Store, key: str) -> str:
    """The sandbox's progression policy: its own setting, else the app's."""
    return store.sandbox(key).policy


def update_settings(store: Store, key: str, changes: Mapping[str, Any]) -> JSONObject:
    """Change per-sandbox settings (see :data:`SETTINGS`); all are checked before any is
    set. Returns the sandbox's settings."""
    check_body(changes, list(SETTINGS))
    checked = {name: SETTINGS[name](value) for name, value in changes.items()}
    sandbox = store.sandbox(key)
    sandbox.settings.update(checked)
    store.commit(key)
    return copy.deepcopy(sandbox.settings)


# -- scenarios ----------------------------------------------------------------------------------


def install_scenarios(store: Store, key: str, loaded: Sequence[scenarios.Scenario]) -> JSONObject:
    """Add checked scenarios to a sandbox (one of the same name is replaced); the listing."""
    sandbox = store.sandbox(key)
    scenarios.install(sandbox, list(loaded))
    store.commit(key)
    return _listing(sandbox)


def install_scenario(store: Store, key: str, request: Mapping[str, Any]) -> JSONObject:
    """Install the one scenario a remote caller names: ``{"name": ...}`` (a built-in one),
    ``{"path": ...}`` (a file inside a folder the app allows, ``MockConfig.scenario_dirs``) or
    ``{"scenario": {...}}`` (a document). Unlike the operator's own loading (any path), a
    caller here may not read the disk, and a file's errors quote nothing of it."""
    source, spec = _scenario_source(request)
    folders = store.config.scenario_dirs
    try:
        if source == "path":
            scenario = scenarios.load_scenario_within(spec, folders)
        else:
            scenario = scenarios.load_scenario(spec)
    except scenarios.ScenarioPathRefused:
        raise errors.scenario_path_not_allowed(folders_allowed=bool(folders)) from None
    except scenarios.ScenarioError as exc:
        raise errors.invalid_scenario(str(exc), param=source) from None
    return install_scenarios(store, key, [scenario])


def list_scenarios(store: Store, key: str) -> JSONObject:
    """What a sandbox has installed, and the built-in names."""
    return _listing(store.sandbox(key))


def clear_scenarios(store: Store, key: str) -> JSONObject:
    """Remove every scenario from a sandbox (and the settings they switched on)."""
    sandbox = store.sandbox(key)
    scenarios.clear(sandbox)
    store.commit(key)
    return _listing(sandbox)


def _scenario_source(request: Mapping[str, Any]) -> tuple[str, Any]:
    """Which of :data:`SCENARIO_SOURCES` the request gives, and its value, checked."""
    check_body(request, SCENARIO_SOURCES)
    given = [name for name in SCENARIO_SOURCES if name in request]
    if len(given) != 1:
        raise errors.scenario_source_count()
    source = given[0]
    spec = request[source]
    if source == "scenario":
        if not isinstance(spec, dict):
            raise errors.scenario_not_a_document()
    elif not isinstance(spec, str):
        raise errors.scenario_source_not_string(source)
    elif source == "name" and scenarios.names_a_file(spec):
        raise errors.scenario_name_is_a_path()
    return source, spec


def _listing(sandbox: Sandbox) -> JSONObject:
    return {
        "installed": [s["name"] for s in scenarios.installed(sandbox)],
        "builtin": scenarios.builtin_names(),
    }
