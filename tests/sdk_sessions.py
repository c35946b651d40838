"""Scripts run by other SDKs against the live server, each printing one JSON object of what
its SDK saw: one Python script run by each major version of the openai Python SDK (3.x in this
venv, 2.x and 1.x in their own venvs), for what must hold for every SDK a user may still have,
and the Node SDK's scripts under tests/node."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockserver.server import LiveServer
from tests.conftest import NODE_PROJECT

#: the SDK majors a session runs under (parametrize with these)
MAJORS = ["3", "2", "1"]


def python_of(major: str, request: pytest.FixtureRequest) -> Path | str:
    """The interpreter that has openai ``major``.x (the 2.x and 1.x venvs are gated fixtures:
    skipped locally with a reason when missing, failing under CI=true)."""
    if major == "3":
        return sys.executable
    return request.getfixturevalue(f"openai{major}_python")


def run_json(
    command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Any:
    """Run ``command``, which must succeed and print one JSON object (on its last line of
    output), and return that object; a failure shows both streams (the Node scripts print
    their error as JSON on stdout)."""
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_session(
    script: str, python: Path | str, live_server: LiveServer, key: str
) -> dict[str, Any]:
    """``script`` run by ``python`` against the server as sandbox ``key`` (``MOCK_BASE_URL``,
    ``MOCK_KEY``); it prints one JSON object, returned here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(MOCK_BASE_URL=live_server.base_url, MOCK_KEY=key)
    return run_json([str(python), "-c", script], env=env)


def run_major(
    major: str, script: str, request: pytest.FixtureRequest, live_server: LiveServer, key: str
) -> dict[str, Any]:
    """:func:`run_session` under openai ``major``.x: checks the script reports that major,
    and returns what else it printed."""
    seen = run_session(script, python_of(major, request), live_server, key)
    assert seen.pop("major") == major
    return seen


def run_node(node: str, script: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """The Node script ``tests/node/<script>`` run by ``node`` (the ``node_sdk`` fixture) with
    ``args`` and ``env`` added to this process's environment; what it printed as JSON."""
    return run_json(
        [node, str(NODE_PROJECT / script), *args],
        env={**os.environ, **env} if env else None,
        cwd=NODE_PROJECT,
    )
