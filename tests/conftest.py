"""Shared fixtures: one live mock server per test session, one sandbox (API key) per test.

Every client is the official SDK with strict response validation, talking over loopback.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from openai import AsyncOpenAI, OpenAI

from mockserver import create_app
from mockserver.server import LiveServer

# the plugin's own tests run pytest inside pytest (the plugin itself loads by entry point)
pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
NODE_PROJECT = ROOT / "tests" / "node"
#: the Node SDK tests' oldest supported Node (the README's "Node >= 18")
NODE_MAJOR = 18


# -- Hypothesis profiles -------------------------------------------------------------------------
# The state-machine proofs (runs: tests/test_run_state_machine.py, the store: the model in
# tests/test_properties.py) take their number of examples from the profile; other property
# tests name their own. "dev" keeps a local run quick and draws a fresh random sample each time,
# so local runs keep exploring (a failure prints the blob that reproduces it, and
# ``--hypothesis-seed=N`` replays a whole run). "ci" (chosen when CI is set) runs enough
# examples to mean something, derandomized: CI gates a landing, and the same commit must get
# the same verdict. Neither keeps a .hypothesis directory.
# Both start from Hypothesis's "default" profile: with any CI variable set, Hypothesis has
# loaded its own "ci" profile (derandomized) by now, and it must not leak into "dev".
settings.register_profile(
    "dev", parent=settings.get_profile("default"), max_examples=15, database=None, print_blob=True
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("default"),
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],  # as Hypothesis's own CI profile does
)


def in_ci() -> bool:
    """``CI`` set to anything but an empty, ``0`` or ``false`` value, as CI services set it."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


settings.load_profile("ci" if in_ci() else "dev")


# -- optional tools: one gate ------------------------------------------------------------------


def require(available: object, reason: str) -> None:
    """The one gate for the suite's optional tools (node and the Node SDK, the openai 1.x
    virtualenv, psutil): when ``available`` is false, the test skips with ``reason`` locally
    and fails under CI, where every tool is installed and a silent skip would hide a gap."""
    if available:
        return
    if in_ci():
        pytest.fail(
            f"{reason} (CI is set: optional tools are required, not skipped)", pytrace=False
        )
    pytest.skip(reason)


def require_module(name: str, reason: str) -> None:
    """:func:`require` for an importable module (``psutil``)."""
    require(importlib.util.find_spec(name) is not None, reason)


@pytest.fixture(scope="session")
def node_sdk() -> str:
    """``node`` (>= 18) with the Node SDK installed in tests/node: the path of ``node``."""
    node = shutil.which("node")
    require(node, "node is not on PATH: install Node >= 18 for the Node SDK tests")
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()
    major = re.match(r"v(\d+)\.", version)
    require(
        major and int(major.group(1)) >= NODE_MAJOR,
        f"node {version or '(no version)'} is too old: the Node SDK tests need Node >= {NODE_MAJOR}",
    )
    require(
        (NODE_PROJECT / "node_modules" / "openai").is_dir(),
        "the Node SDK is not installed in tests/node/node_modules: "
        "run `make tests/node/node_modules/.installed` (npm ci)",
    )
    return node


@pytest.fixture(scope="session")
def openai1_python() -> Path:
    """The Python of the openai 1.x virtualenv (``ASSISTANTS_MOCK_OPENAI1_PYTHON`` overrides)."""
    python = Path(
        os.environ.get("ASSISTANTS_MOCK_OPENAI1_PYTHON", ROOT / ".venv-openai1" / "bin" / "python")
    )
    require(python.exists(), f"{python} is missing: run `make .venv-openai1/.installed`")
    return python


@pytest.fixture(scope="session")
def openai2_python() -> Path:
    """The Python of the openai 2.x virtualenv (``ASSISTANTS_MOCK_OPENAI2_PYTHON`` overrides)."""
    python = Path(
        os.environ.get("ASSISTANTS_MOCK_OPENAI2_PYTHON", ROOT / ".venv-openai2" / "bin" / "python")
    )
    require(python.exists(), f"{python} is missing: run `make .venv-openai2/.installed`")
    return python


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with LiveServer(create_app(seed=0)) as server:
        yield server


@pytest.fixture
def api_key(request: pytest.FixtureRequest) -> str:
    """A sandbox of its own for every test, stable across runs."""
    return "sk-test-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:24]


def make_client(base_url: str, api_key: str, **kwargs: Any) -> OpenAI:
    kwargs.setdefault("max_retries", 0)
    return OpenAI(base_url=base_url, api_key=api_key, _strict_response_validation=True, **kwargs)


@pytest.fixture
def client(live_server: LiveServer, api_key: str) -> Iterator[OpenAI]:
    with make_client(live_server.base_url, api_key) as c:
        yield c


@pytest.fixture
def async_client(live_server: LiveServer, api_key: str) -> AsyncOpenAI:
    return AsyncOpenAI(
        base_url=live_server.base_url,
        api_key=api_key,
        max_retries=0,
        _strict_response_validation=True,
    )


@pytest.fixture
def server_factory() -> Iterator[Callable[..., LiveServer]]:
    """Start extra servers with their own options (``seed=``, ``api_key=``...); all are
    stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(**options: Any) -> LiveServer:
        server = LiveServer(create_app(**options)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http(live_server: LiveServer, api_key: str) -> Iterator[Any]:
    """Raw HTTP (``httpx2``) for what the SDK cannot send: no key, bad JSON, no beta header.
    Authenticated as the test's own sandbox, rooted at the server (paths start with /v1)."""
    import httpx2

    headers = {"Authorization": f"Bearer {api_key}", "OpenAI-Beta": "assistants=v2"}
    with httpx2.Client(base_url=live_server.url, headers=headers) as c:
        yield c


def bearer(key: str) -> dict[str, str]:
    """The header that names a sandbox, on /v1 and on the control API alike."""
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def use(live_server: LiveServer, api_key: str) -> Callable[..., None]:
    """Install scenarios (built-in names or documents) into the test's own sandbox."""
    import httpx2

    def install(*specs: str | dict[str, Any]) -> None:
        for spec in specs:
            body = {"scenario": spec} if isinstance(spec, dict) else {"name": spec}
            response = httpx2.post(
                f"{live_server.url}/__mock__/scenario", headers=bearer(api_key), json=body
            )
            assert response.status_code == 200, response.text

    return install


@pytest.fixture
def sandbox_state(live_server: LiveServer, api_key: str) -> Callable[[], dict[str, Any]]:
    """The test sandbox's objects as ``GET /__mock__/state`` reports them (non-empty tables)."""
    import httpx2

    def read() -> dict[str, Any]:
        response = httpx2.get(f"{live_server.url}/__mock__/state", headers=bearer(api_key))
        response.raise_for_status()
        # empty tables are an artefact of reads (a list creates its table), not state
        return {name: rows for name, rows in response.json()["tables"].items() if rows}

    return read


# -- shared request bodies ---------------------------------------------------------------------

#: the file_search tool, as an assistant's ``tools`` or an attachment's ``tools``
FILE_SEARCH = [{"type": "file_search"}]
#: a function tool with one required argument (the ``weather-tool`` scenario calls it)
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def file_search_assistant(client: OpenAI, *store_ids: str) -> Any:
    """A ``gpt-4o`` assistant with file_search over the given vector stores."""
    return client.beta.assistants.create(
        model="gpt-4o",
        tools=FILE_SEARCH,
        tool_resources={"file_search": {"vector_store_ids": list(store_ids)}},
    )


def ask(client: OpenAI, text: str, tools: list | None = None, **run: Any) -> tuple[Any, Any]:
    """A ``gpt-4o`` assistant with ``tools`` asked ``text`` in a new thread, its run polled
    until it stops (``run``: the run's own options): (thread, run)."""
    assistant = client.beta.assistants.create(model="gpt-4o", tools=tools or [])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    result = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, **run
    )
    return thread, result


#: the command that ``assistants-mock`` and ``python -m mockserver`` both run
SERVE = (sys.executable, "-m", "mockserver", "serve")
BANNER = re.compile(r"assistants-mock \S+ serving (http://127\.0\.0\.1:(\d+)/v1)")


@contextmanager
def serve_process(*command: str, log: Path) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """A server in a child process (``command``, e.g. ``*SERVE, "--port", "0"``): yields
    (process, base URL, port) once its banner is out. Its stderr goes to ``log``, since a
    full pipe could stall a chatty server; whatever happens, the process is gone afterwards."""
    with open(log, "a") as err:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        line = process.stdout.readline()  # blocks until the banner (or EOF if it died)
        match = BANNER.search(line)
        assert match, f"no banner: {line!r}; stderr: {log.read_text()}"
        yield process, match.group(1), int(match.group(2))
    finally:
        stop_process(process)
        process.stdout.close()


def stop_process(process: subprocess.Popen[Any], timeout: float = 10) -> None:
    """SIGTERM first, so the server removes its temporary folders as a user's Ctrl-C would;
    SIGKILL only if it has not gone by ``timeout``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait(timeout=timeout)
