"""Injected HTTP failures: the ``http`` rules of a sandbox's installed scenarios.

Every rule counts the calls that match its method and path, per sandbox, retries included
(each SDK retry is a call of its own, so the journal shows every attempt). Whether a call
fails is decided by the rule's ``calls``:

* ``{"nth": 3}``: the third matching call only;
* ``{"every": 2}``: calls 2, 4, 6...; ``{"every": 1}`` (the default) is every call;
* ``{"first": 2}``: calls 1 and 2, then never again (a 429 storm that ends);
* ``{"probability": 0.3, "seed": 7}``: each call with that probability, decided by a
  generator seeded with the rule's seed and the call's number (the same calls fail every time).

A ``status`` rule answers with an :class:`~mockserver.errors.APIError` (the one renderer);
a ``drop_stream`` rule cuts a streamed run or response after N events (see ``routes/runs.py``
and ``responses_api/stream.py``).
Paths are globs: ``*`` is one path segment, ``**`` any number; a pattern without ``/v1`` is
taken relative to it; a rule also matches Azure clients' ``/openai/...`` calls to the same
endpoint. Nothing sleeps: a ``retry-after`` is only a header the client honours.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from . import errors
from .errors import APIError
from .store import Sandbox
from .surfaces import canonical_path


def _pattern(glob: str) -> re.Pattern[str]:
    if not glob.startswith("/v1/") and glob != "/v1":
        glob = "/v1" + glob
    out = ""
    for part in re.split(r"(\*\*|\*)", glob.rstrip("/") or "/"):
        out += {"**": ".*", "*": "[^/]*"}.get(part, re.escape(part))
    return re.compile(out + "/?")  # re keeps its own cache of compiled patterns


def _rules(sandbox: Sandbox):
    for document in sandbox.settings.get("scenarios", []):
        for index, rule in enumerate(document.get("http", [])):
            yield f"{document['name']}#{index}", rule


def _fires(sandbox: Sandbox, key: str, rule: dict[str, Any], method: str, path: str) -> bool:
    # rules name /v1 paths; an Azure client's /openai/... call is the same endpoint
    path = canonical_path(path)
    if rule["method"] not in ("*", method) or not _pattern(rule["path"]).fullmatch(path):
        return False
    counters = sandbox.fault_counters()
    counters[key] = n = counters.get(key, 0) + 1
    calls = rule["calls"]
    if "nth" in calls:
        return n == calls["nth"]
    if "every" in calls:
        return n % calls["every"] == 0
    if "first" in calls:
        return n <= calls["first"]
    return random.Random(f"{calls['seed']}:{key}:{n}").random() < calls["probability"]


def check(sandbox: Sandbox, method: str, path: str) -> None:
    """Raise the scripted error if a ``status`` rule fires for this call."""
    if not sandbox.settings.get("scenarios"):  # every API request asks; most sandboxes have none
        return
    for key, rule in _rules(sandbox):
        if "status" in rule and _fires(sandbox, key, rule, method, path):
            raise error_of(rule)


def error_of(rule: dict[str, Any]) -> APIError:
    base = errors.injected(rule["status"])
    scripted = rule["error"]
    headers = dict(base.headers)
    if rule["status"] == 429:
        headers.update(
            {
                "x-ratelimit-limit-requests": "60",
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": "1s",
                "x-ratelimit-limit-tokens": "150000",
                "x-ratelimit-remaining-tokens": "149990",
                "x-ratelimit-reset-tokens": "6ms",
            }
        )
    headers.update(rule["headers"])
    if "retry-after" not in headers and "retry-after-ms" not in headers:
        # the SDKs' own backoff would sleep 0.5-8 s of wall time per retry; 1 ms keeps tests fast
        headers["retry-after-ms"] = "1"
    return APIError(
        rule["status"],
        scripted.get("message", base.message),
        type=scripted.get("type", base.type),
        param=scripted.get("param", base.param),
        code=scripted.get("code", base.code),
        headers=headers,
    )


@dataclass(frozen=True)
class StreamCut:
    """A streamed response stops after ``after`` events; with ``error``, an ``event: error``
    frame (the wrapped form) is sent before the body ends."""

    after: int
    error: dict[str, Any] | None = None


def stream_cut(sandbox: Sandbox, method: str, path: str) -> StreamCut | None:
    """The cut of this streamed call, if a ``drop_stream`` rule fires for it (only streamed
    calls are counted)."""
    for key, rule in _rules(sandbox):
        if "drop_stream_after" in rule and _fires(sandbox, key, rule, method, path):
            return StreamCut(rule["drop_stream_after"], rule.get("drop_stream_error"))
    return None
