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

from collections.abc import Sequence
from typing import Any

from . import control, scenarios
from .middleware import ServerError
from .progression import check_progression
from .store import Sandbox, Store
from .transport import LoopPerThread, async_transport, http_library, transport
from .types import JSONObject

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
        self._progression = None if progression is None else check_progression(progression)
        self._scenarios = [_load(spec) for spec in scenarios]
        self._runner = LoopPerThread()
        self._clients: list[Any] = []
        self._errors_seen = len(app.state.server_errors)
        self._setup()

    # -- the sandbox ---------------------------------------------------------------------

    @property
    def sandbox(self) -> Sandbox:
        """The sandbox itself (created, seeded and configured on first use)."""
        return self._store().sandboxes[self.api_key]

    def _store(self) -> Store:
        """The app's store, holding this handle's sandbox (set up again if something, say a
        reset over HTTP, removed it)."""
        store = self.app.state.store
        if self.api_key not in store.sandboxes:
            self._setup()
        return store

    def _setup(self) -> None:
        store = self.app.state.store
        store.sandbox(self.api_key, seed=self.seed)
        if self._scenarios:
            control.install_scenarios(store, self.api_key, self._scenarios)
        if self._progression is not None:
            control.update_settings(store, self.api_key, {"progression": self._progression})

    def reset(self) -> None:
        """Forget every object and journal entry of this sandbox; seed, progression and the
        handle's scenarios apply again to the fresh one."""
        control.reset(self.app.state.store, self.api_key)
        self._setup()

    def drop(self) -> None:
        """Remove the sandbox from the app (the fixture's teardown)."""
        control.reset(self.app.state.store, self.api_key)

    def state(self) -> dict[str, Any]:
        """A copy of the sandbox's dump: clock, id counters, settings, tables, internals (its
        key masked, as everywhere a key is shown)."""
        return control.state(self._store(), self.api_key)

    @property
    def sandbox_id(self) -> str:
        """The sandbox's handle in the inspector (``sbx_…``): its pages and
        ``/__mock__/inspect`` name it so, never by its key."""
        return self.app.state.store.names.of(self.api_key)

    @property
    def operator_token(self) -> str:
        """The app's operator token, for control requests over HTTP that span sandboxes
        (``X-Mock-Operator-Token``); the handle itself needs none."""
        return self.app.state.config.operator_token

    def requests(self) -> list[dict[str, Any]]:
        """The request journal of this sandbox, oldest first (method, path, query, status...)."""
        return control.journal(self.app.state.store, self.api_key)

    # -- time and runs -------------------------------------------------------------------
    # The checks and the rules are the control API's (``mockserver.control``); a bad argument
    # raises ValueError (``mockserver.errors.InvalidArgument``), where HTTP answers a 400.

    @property
    def now(self) -> int:
        """The sandbox's virtual time (epoch seconds)."""
        return self.sandbox.now()

    def advance_clock(self, seconds: int) -> int:
        """Move the virtual clock on; runs past their ``expires_at`` expire. Returns the time."""
        return control.advance_clock(self._store(), self.api_key, seconds)

    def advance_run(self, thread_id: str, run_id: str, transitions: int = 1) -> JSONObject:
        """Move one run on by ``transitions`` (works under every policy, ``manual`` included);
        returns a copy of the run as the API would show it."""
        return control.advance_run(self._store(), self.api_key, thread_id, run_id, transitions)

    @property
    def progression(self) -> str:
        """The sandbox's progression policy: ``default``, ``instant`` or ``manual``."""
        return control.policy(self._store(), self.api_key)

    @progression.setter
    def progression(self, name: str) -> None:
        control.update_settings(self._store(), self.api_key, {"progression": name})
        self._progression = name  # applies again after reset()

    # -- scenarios -----------------------------------------------------------------------

    def scenario(self, *specs: ScenarioSpec) -> list[Any]:
        """Load scenarios (built-in names, paths or dicts) into the sandbox; they stay after
        :meth:`reset`. Returns the loaded :class:`mockserver.scenarios.Scenario` objects."""
        loaded = [_load(spec) for spec in specs]
        control.install_scenarios(self._store(), self.api_key, loaded)
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


def _load(spec: ScenarioSpec) -> Any:
    """A checked scenario (``mockserver.scenarios.ScenarioError`` names what is wrong with a bad one)."""
    return scenarios.load_scenario(spec)
