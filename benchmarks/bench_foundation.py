"""The foundation's cost per SDK call: create assistant, retrieve it, list assistants.

The same calls run against the mock and against a minimal Starlette app (three routes, a dict
per API key, no validation, no middleware) that answers with the same shapes, measured the
same way in the same run (repetitions interleaved, best one kept), three ways:

* in-process, async: ``AsyncOpenAI`` over ``httpx2.ASGITransport`` (no socket);
* in-process, sync: ``OpenAI`` over ``mockserver.transport`` (no socket);
* loopback, sync: ``OpenAI`` against each app served by ``LiveServer`` (uvicorn, 127.0.0.1).

Also timed: the SDK alone (``httpx2.MockTransport`` answering canned bytes), so the apps' own
share of a call can be read off.

Each repetition uses a fresh API key (a fresh sandbox), so lists never grow across
repetitions. Every client is strict (``_strict_response_validation=True``), so both apps pay
the same SDK parsing cost. Reported, not asserted; the target is a ratio within 1.3x.

    .venv/bin/python -m benchmarks foundation        # or: python benchmarks/bench_foundation.py
    .venv/bin/python benchmarks/bench_foundation.py --calls 300 --repeats 7 --json
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2
from openai import AsyncOpenAI, OpenAI

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._baseline import CREATED_AT, minimal_app
from benchmarks._harness import (
    Timing,
    apaired_best_of,
    paired_best_of,
    print_report,
    ratio,
    ratio_line,
)
from mockserver import create_app
from mockserver.server import LiveServer
from mockserver.transport import transport

TARGET = 1.3


def canned_transport() -> httpx2.MockTransport:
    """No app at all: fixed response bytes for the three calls. What the SDK alone costs."""
    assistant = {
        "id": "asst_" + "0" * 24,
        "object": "assistant",
        "created_at": CREATED_AT,
        "name": "bench",
        "description": None,
        "model": "gpt-4o",
        "instructions": None,
        "tools": [],
        "tool_resources": {},
        "metadata": {"i": "0"},
        "top_p": 1.0,
        "temperature": 1.0,
        "reasoning_effort": None,
        "response_format": "auto",
    }
    one = json.dumps(assistant).encode()
    page = json.dumps(
        {
            "object": "list",
            "data": [assistant] * 20,
            "first_id": assistant["id"],
            "last_id": assistant["id"],
            "has_more": True,
        }
    ).encode()

    def handler(request: httpx2.Request) -> httpx2.Response:
        body = page if request.method == "GET" and request.url.path == "/v1/assistants" else one
        return httpx2.Response(200, content=body, headers={"content-type": "application/json"})

    return httpx2.MockTransport(handler)


def key(mode: str, rep: int) -> str:
    """A sandbox of its own for every mode and repetition: nothing carries over."""
    return f"sk-bench-{mode.replace(' ', '-')}-{rep + 100}"


def sync_calls(clients: Callable[[int], OpenAI], calls: int) -> Callable[[int], None]:
    def run(rep: int) -> None:
        client = clients(rep)
        for i in range(calls):
            made = client.beta.assistants.create(
                model="gpt-4o", name=f"bench {i}", metadata={"i": str(i)}
            )
            client.beta.assistants.retrieve(made.id)
            client.beta.assistants.list()

    return run


def async_calls(clients: Callable[[int], AsyncOpenAI], calls: int) -> Callable[[int], Any]:
    async def run(rep: int) -> None:
        client = clients(rep)
        for i in range(calls):
            made = await client.beta.assistants.create(
                model="gpt-4o", name=f"bench {i}", metadata={"i": str(i)}
            )
            await client.beta.assistants.retrieve(made.id)
            await client.beta.assistants.list()

    return run


def strict(cls: type, base_url: str, http_client: Any = None) -> Any:
    options: dict[str, Any] = {"http_client": http_client} if http_client is not None else {}
    return cls(
        base_url=base_url,
        api_key="sk-bench",
        max_retries=0,
        _strict_response_validation=True,
        **options,
    )


def per_key(client: Any, mode: str, repeats: int) -> Callable[[int], Any]:
    """A client per repetition (a fresh sandbox), all built before the timing starts."""
    clients = {rep: client.with_options(api_key=key(mode, rep)) for rep in range(-1, repeats)}
    return clients.__getitem__


def measure(apps: dict[str, Any], calls: int, repeats: int) -> dict[str, dict[str, Timing]]:
    """Per mode, the timings of every app; the apps' repetitions are interleaved."""
    ops = 3 * calls
    results: dict[str, dict[str, Timing]] = {}

    async_runs = {
        name: async_calls(
            per_key(
                strict(
                    AsyncOpenAI,
                    "http://inprocess/v1",
                    httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app)),
                ),
                "async",
                repeats,
            ),
            calls,
        )
        for name, app in apps.items()
    }
    results["in-process async"] = apaired_best_of(async_runs, ops=ops, repeats=repeats)

    with ExitStack() as stack:
        sync_runs = {
            name: sync_calls(
                per_key(
                    stack.enter_context(
                        strict(
                            OpenAI, "http://inprocess/v1", httpx2.Client(transport=transport(app))
                        )
                    ),
                    "sync",
                    repeats,
                ),
                calls,
            )
            for name, app in apps.items()
        }
        canned = stack.enter_context(
            strict(OpenAI, "http://canned/v1", httpx2.Client(transport=canned_transport()))
        )
        sync_runs["sdk alone"] = sync_calls(per_key(canned, "canned", repeats), calls)
        results["in-process sync"] = paired_best_of(sync_runs, ops=ops, repeats=repeats)

    with ExitStack() as stack:
        loopback_runs = {}
        for name, app in apps.items():
            server = stack.enter_context(LiveServer(app))
            client = stack.enter_context(strict(OpenAI, server.base_url))
            loopback_runs[name] = sync_calls(per_key(client, "loopback", repeats), calls)
        results["loopback sync"] = paired_best_of(loopback_runs, ops=ops, repeats=repeats)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--calls", type=int, default=100, help="create+retrieve+list rounds per repetition"
    )
    parser.add_argument("--repeats", type=int, default=7, help="repetitions; the best one counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants notice

    results = measure(
        {"mock": create_app(seed=0), "minimal": minimal_app()}, args.calls, args.repeats
    )
    mock = {mode: timings["mock"] for mode, timings in results.items()}
    base = {mode: timings["minimal"] for mode, timings in results.items()}
    lines = [ratio_line(mode, mock[mode], base[mode], TARGET) for mode in mock]
    floor = results["in-process sync"]["sdk alone"]
    lines.append(
        f"{'SDK alone (canned bytes, no app)':<34} {floor.us:9.1f} us/op; the apps' own share in-process: "
        f"mock {mock['in-process sync'].us - floor.us:.1f} us/op, minimal {base['in-process sync'].us - floor.us:.1f} us/op"
    )
    print_report(
        f"SDK calls (create assistant, retrieve, list) x {args.calls}, best of {args.repeats}",
        lines,
    )
    if args.json:
        report: dict[str, Any] = {
            mode: {
                "mock": mock[mode].as_dict(),
                "baseline": base[mode].as_dict(),
                "ratio": round(ratio(mock[mode], base[mode]), 3),
                "target": TARGET,
            }
            for mode in mock
        }
        report["sdk alone"] = floor.as_dict()
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
