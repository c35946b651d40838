"""A seeded random walk over the whole API (``tests/request_walk.py``): bodies made from the
project's own request schemas, valid and mutated, in sequences that reuse the ids of objects
created earlier. Every answer is a 2xx, or a 4xx in the error envelope; never a 500, never a
hang, never an exception kept in ``app.state.server_errors``.

Size: ``WALK_SEEDS`` seeds of ``WALK_CALLS`` calls each; by default 2 x 300, and 10 x 2,000
under ``CI=true`` (the size at which the walk first found the 500s it is here for). A failure
names the seed and the call; ``WALK_SEEDS=7 WALK_FIRST_SEED=6`` replays seed 6 alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mockserver.routes import API_ROUTES
from tests.request_walk import Call, Walk, covered_routes, sse_events

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SEEDS = int(os.environ.get("WALK_SEEDS") or (10 if CI else 2))
FIRST_SEED = int(os.environ.get("WALK_FIRST_SEED") or 0)
CALLS = int(os.environ.get("WALK_CALLS") or (2_000 if CI else 300))
#: not a speed requirement: a request that has not been answered by then is a hang
HANG = 120.0
ROOT = Path(__file__).resolve().parent.parent


def test_the_walk_covers_every_api_route():
    routes = {
        (method, "/v1" + route.path)
        for route in API_ROUTES
        for method in route.methods or ()
        if method != "HEAD"
    }
    assert covered_routes() == routes


@contextmanager
def walk_server(progression: str, log: Path) -> Iterator[tuple[str, Any]]:
    """(base URL, a function returning the server's errors so far); killed afterwards."""
    with open(log, "w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.walk_server", "--progression", progression],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=ROOT,
        )
    try:
        line = process.stdout.readline()
        assert line.startswith("URL "), f"the walk's server did not start: {log.read_text()}"

        def server_errors() -> list[dict[str, str]]:
            if process.poll() is not None:
                return [{"method": "-", "path": "-", "traceback": "the server process died"}]
            process.stdin.write("errors\n")
            process.stdin.flush()
            return json.loads(process.stdout.readline())

        yield line.split()[1], server_errors
    finally:
        # end of input stops the server cleanly (its temporary files go); a hung one is killed
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        process.stdout.close()


def problem_with(call: Call, status: int, headers: Any, body: bytes) -> str | None:
    """What is wrong with this answer, if anything."""
    if status >= 500 or not (200 <= status < 300 or 400 <= status < 500):
        return f"HTTP {status}: {body[:300]!r}"
    content_type = headers.get("content-type", "")
    if status >= 400:
        if not content_type.startswith("application/json"):
            return f"HTTP {status} without a JSON body: {content_type} {body[:200]!r}"
        error = json.loads(body)
        if set(error) != {"error"} or set(error["error"]) != {"message", "type", "param", "code"}:
            return f"HTTP {status} outside the error envelope: {body[:300]!r}"
        if not isinstance(error["error"]["message"], str) or not error["error"]["message"]:
            return f"HTTP {status} without a message: {body[:300]!r}"
        return None
    if call.path.endswith("/content"):
        return None
    try:
        if content_type.startswith("text/event-stream"):
            list(sse_events(body))
        else:
            json.loads(body)
    except ValueError as exc:
        return f"HTTP {status} with a body that does not parse ({exc}): {body[:300]!r}"
    return None


def send(http: httpx2.Client, call: Call) -> httpx2.Response:
    headers = {}
    if call.content_type is not None:
        headers["Content-Type"] = call.content_type
    return http.request(
        call.method,
        call.path,
        params=call.params,
        content=call.content,
        files=call.files,
        headers=headers,
    )


@pytest.mark.parametrize("seed", range(FIRST_SEED, FIRST_SEED + SEEDS))
def test_a_random_walk_meets_no_server_error(seed, tmp_path):
    progression = ("default", "instant")[seed % 2]
    walk = Walk(seed)
    failures: dict[str, str] = {}  # one line per kind of failure, first occurrence
    seen_errors = 0
    headers = {"Authorization": f"Bearer sk-walk-{seed}", "OpenAI-Beta": "assistants=v2"}
    with (
        walk_server(progression, tmp_path / "server.log") as (url, server_errors),
        httpx2.Client(base_url=url, headers=headers, timeout=HANG) as http,
    ):
        for i in range(CALLS):
            call = walk.next_call()
            where = f"seed {seed} ({progression}), call {i}: {call.describe()}"
            try:
                response = send(http, call)
            except httpx2.TimeoutException:
                failures["hang"] = f"{where}\n    no answer within {HANG:.0f} s"
                break
            except httpx2.TransportError as exc:
                failures["transport"] = f"{where}\n    {exc!r}"
                break
            problem = problem_with(call, response.status_code, response.headers, response.content)
            errors = server_errors() if problem or i == CALLS - 1 else []
            for error in errors[seen_errors:]:
                last = error["traceback"].strip().splitlines()[-1]
                key = f"{call.endpoint.method} {call.endpoint.path}: {last}"
                failures.setdefault(key, f"{where}\n    {error['traceback']}")
            seen_errors = max(seen_errors, len(errors))
            if problem and not errors:
                key = f"{call.endpoint.method} {call.endpoint.path}: {problem[:60]}"
                failures.setdefault(key, f"{where}\n    {problem}")
            walk.learn(
                call,
                response.status_code,
                response.content,
                response.headers.get("content-type", ""),
            )
    assert not failures, f"{len(failures)} kind(s) of failure:\n\n" + "\n\n".join(
        f"[{key}]\n{detail}" for key, detail in failures.items()
    )
