"""One script run by each major version of the openai Python SDK (3.x in this venv, 2.x and
1.x in their own venvs): the tests that must hold for every SDK a user may still have."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockserver.server import LiveServer

#: the SDK majors a session runs under (parametrize with these)
MAJORS = ["3", "2", "1"]


def python_of(major: str, request: pytest.FixtureRequest) -> Path | str:
    """The interpreter that has openai ``major``.x (the 2.x and 1.x venvs are gated fixtures:
    skipped locally with a reason when missing, failing under CI=true)."""
    if major == "3":
        return sys.executable
    return request.getfixturevalue(f"openai{major}_python")


def run_session(
    script: str, python: Path | str, live_server: LiveServer, key: str
) -> dict[str, Any]:
    """``script`` run by ``python`` against the server as sandbox ``key`` (``MOCK_BASE_URL``,
    ``MOCK_KEY``); it prints one JSON object, returned here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(MOCK_BASE_URL=live_server.base_url, MOCK_KEY=key)
    result = subprocess.run(
        [str(python), "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
