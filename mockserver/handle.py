"""A Python control API over one sandbox of an app: what the pytest fixture returns.

A :class:`MockHandle` names one sandbox (an API key) of one app. It builds official SDK clients
that reach the app in-process (no socket), and reads and steers the sandbox directly: its state,
its request journal, its clock, its runs, its progression policy and its scenarios::

    app = create_app()
    mock = MockHandle(app, "sk-test")
    client = mock.client()
    ...
    mock.advance_clock(3600)
    assert [r["path"] for r in mock.requests()] == [...]
    mock.close()
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from . import engine, progression, scenarios
from .config import PROGRESSIONS
from .middleware import ServerError
from .store import JSONObject, Sandbox
from .transport import LoopPerThread, async_transport, http_library, transport

#: what in-process clients use as their base URL when the handle knows no live server
IN_PROCESS_URL = "http://assistants-mock.invalid/v1"

#: the ``api_version`` of :meth:`MockHandle.azure_client` unless given: the first Azure API
#: version that served Assistants v2 (Azure's Assistants quickstart uses it)
AZURE_API_VERSION = "2024-05-01-preview"

#: a built-in scenario's name, a path to a YAML/JSON file, a dict or a ``mockserver.scenarios.Scenario``
ScenarioSpec = Any


class MockHandle:
    """One sandbox of ``app``: clients, state, journal, clock, runs, progression, scenarios.

    ``seed``, ``progression`` and ``scenarios`` configure the sandbox now and again after every
    :meth:`reset`. ``base_url`` is where code that builds its own client finds the app (a live
    server); in-process clients ignore it.
    """

    def __init__(
        self,
        app: Any,
        api_key: str,
        *,
        base_url: str | None = None,
        seed: int | None = None,
        progression: str | None = None,
        scenarios: Sequence[ScenarioSpec] = (),
    ) -> None:
        self.app = app
        self.api_key = api_key
        self.base_url = base_url or IN_PROCESS_URL
        self.seed = seed
        self._progression = progression if progression is None else _check_progression(progression)
        self._scenarios = [_load(spec) for spec in scenarios]
        self._runner = LoopPerThread()
        self._clients: list[Any] = []
        self._errors_seen = len(app.state.server_errors)
        self._setup()

    # -- the sandbox ---------------------------------------------------------------------

    @property
    def sandbox(self) -> Sandbox:
        """The sandbox itself (created, seeded and configured on first use)."""
        store = self.app.state.store
        if self.api_key not in store.sandboxes:
            self._setup()
        return store.sandboxes[self.api_key]

    def _setup(self) -> None:
        sandbox = self.app.state.store.sandbox(self.api_key, seed=self.seed)
        if self._scenarios:
            scenarios.install(sandbox, self._scenarios)
        if self._progression is not None:
            sandbox.settings["progression"] = self._progression

    def reset(self) -> None:
        """Forget every object and journal entry of this sandbox; seed, progression and the
        handle's scenarios apply again to the fresh one."""
        self.app.state.store.reset(self.api_key)
        self._setup()

    def drop(self) -> None:
        """Remove the sandbox from the app (the fixture's teardown)."""
        self.app.state.store.reset(self.api_key)

    def state(self) -> dict[str, Any]:
        """A deep copy of the sandbox's dump: clock, id counters, settings, tables, internals
        (its key masked, as everywhere a key is shown)."""
        return copy.deepcopy(self.sandbox.public_dump())

    @property
    def operator_token(self) -> str:
        """The app's operator token, for control requests over HTTP that span sandboxes
        (``X-Mock-Operator-Token``); the handle itself needs none."""
        return self.app.state.config.operator_token

    def requests(self) -> list[dict[str, Any]]:
        """The request journal of this sandbox, oldest first (method, path, query, status...)."""
        return self.app.state.store.requests(self.api_key)

    # -- time and runs -------------------------------------------------------------------

    @property
    def now(self) -> int:
        """The sandbox's virtual time (epoch seconds)."""
        return self.sandbox.now()

    def advance_clock(self, seconds: int) -> int:
        """Move the virtual clock on; runs past their ``expires_at`` expire. Returns the time."""
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError("seconds must be a non-negative integer")
        return engine.advance_clock(self.sandbox, self.app.state.config, seconds)

    def advance_run(self, thread_id: str, run_id: str, transitions: int = 1) -> JSONObject:
        """Move one run on by ``transitions`` (works under every policy, ``manual`` included);
        returns a copy of the run as the API would show it."""
        if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
            raise ValueError("transitions must be a positive integer")
        run = engine.advance_run(
            self.sandbox, self.app.state.config, thread_id, run_id, transitions
        )
        return copy.deepcopy(run)

    @property
    def progression(self) -> str:
        """The sandbox's progression policy: ``default``, ``instant`` or ``manual``."""
        return progression.policy(self.sandbox, self.app.state.config)

    @progression.setter
    def progression(self, name: str) -> None:
        self._progression = _check_progression(name)
        self.sandbox.settings["progression"] = self._progression

    # -- scenarios -----------------------------------------------------------------------

    def scenario(self, *specs: ScenarioSpec) -> list[Any]:
        """Load scenarios (built-in names, paths or dicts) into the sandbox; they stay after
        :meth:`reset`. Returns the loaded :class:`mockserver.scenarios.Scenario` objects."""
        loaded = [_load(spec) for spec in specs]
        scenarios.install(self.sandbox, loaded)
        self._scenarios.extend(loaded)
        return loaded

    # -- errors --------------------------------------------------------------------------

    @property
    def server_errors(self) -> list[ServerError]:
        """Unexpected exceptions the app raised for this sandbox since the handle was made."""
        return [
            error
            for error in self.app.state.server_errors[self._errors_seen :]
            if error.sandbox == self.api_key
        ]

    # -- clients -------------------------------------------------------------------------

    @property
    def azure_endpoint(self) -> str:
        """What ``AzureOpenAI(azure_endpoint=...)`` takes: :attr:`base_url` without ``/v1``
        (the client adds ``/openai``)."""
        return self.base_url.removesuffix("/v1")

    def client(self, **kwargs: Any) -> Any:
        """An ``openai.OpenAI`` client on the in-process transport. Strict response validation
        and ``max_retries=0`` unless given; any other ``OpenAI(...)`` argument passes through."""
        import openai

        return self._sync_client(openai.OpenAI, {"base_url": self.base_url}, kwargs)

    def async_client(self, **kwargs: Any) -> Any:
        """An ``openai.AsyncOpenAI`` client on the in-process transport (the app runs on the
        caller's event loop); same defaults as :meth:`client`."""
        import openai

        return self._async_client(openai.AsyncOpenAI, {"base_url": self.base_url}, kwargs)

    def azure_client(self, **kwargs: Any) -> Any:
        """An ``openai.AzureOpenAI`` client on the in-process transport: :attr:`azure_endpoint`,
        ``api_version`` :data:`AZURE_API_VERSION` and the sandbox's key (sent as ``api-key``)
        unless given; pass ``azure_ad_token=`` instead to send it as a bearer token. Same
        defaults as :meth:`client`; any other ``AzureOpenAI(...)`` argument passes through."""
        import openai

        return self._sync_client(openai.AzureOpenAI, self._azure_defaults(kwargs), kwargs)

    def async_azure_client(self, **kwargs: Any) -> Any:
        """An ``openai.AsyncAzureOpenAI`` client on the in-process transport; same defaults as
        :meth:`azure_client`."""
        import openai

        return self._async_client(openai.AsyncAzureOpenAI, self._azure_defaults(kwargs), kwargs)

    def _azure_defaults(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        defaults: dict[str, Any] = {"api_version": AZURE_API_VERSION}
        if "base_url" not in kwargs:  # the SDK refuses both
            defaults["azure_endpoint"] = self.azure_endpoint
        if "azure_ad_token" in kwargs or "azure_ad_token_provider" in kwargs:
            defaults["api_key"] = None  # the SDK takes one credential only
        return defaults

    def _sync_client(self, cls: Any, defaults: dict[str, Any], kwargs: dict[str, Any]) -> Any:
        options = self._client_options(defaults, kwargs)
        if "http_client" not in options:
            options["http_client"] = http_library().Client(
                transport=transport(self.app, runner=self._runner)
            )
        client = cls(**options)
        self._clients.append(client)
        return client

    def _async_client(self, cls: Any, defaults: dict[str, Any], kwargs: dict[str, Any]) -> Any:
        options = self._client_options(defaults, kwargs)
        if "http_client" not in options:
            options["http_client"] = http_library().AsyncClient(transport=async_transport(self.app))
        return cls(**options)

    def _client_options(self, defaults: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        options = {
            "api_key": self.api_key,
            "max_retries": 0,
            "_strict_response_validation": True,
            **defaults,
        }
        options.update(kwargs)
        return options

    def close(self) -> None:
        """Close the sync clients made here and the event loops behind them."""
        for client in self._clients:
            client.close()
        self._clients.clear()
        self._runner.close()


def _check_progression(name: str) -> str:
    if name not in PROGRESSIONS:
        raise ValueError(f"unknown progression {name!r}; valid values: {', '.join(PROGRESSIONS)}")
    return name


def _load(spec: ScenarioSpec) -> Any:
    """A checked scenario (``mockserver.scenarios.ScenarioError`` names what is wrong with a bad one)."""
    return scenarios.load_scenario(spec)
