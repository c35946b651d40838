"""The run lifecycle through the official Python SDK: the mock against a minimal Starlette app.

The lifecycle is six calls: create assistant, create thread, add a message, create a run,
poll it (``runs.poll``) and list the messages. The baseline is a minimal Starlette app that
answers the same six calls with canned bodies (captured from the mock, so both sides send the
same bytes and pass the same strict validation) and does no work at all. Both are measured in
this process, repetitions interleaved and the best kept (``benchmarks/_harness.py``), two ways:
in-process (``mockserver.transport``, no socket) and over loopback (uvicorn on 127.0.0.1).

The streamed variant replaces "create a run + poll" with one ``runs.stream`` whose reply is
about 200 tokens, compared with the mock's polled lifecycle; the baseline replays the mock's
stream bytes for it too, which shows what the SDK alone costs to parse and accumulate a stream
(every event strictly validated) against the two run objects of a polled lifecycle.

Reported, not asserted. Targets: mock within 1.3x of the baseline; streamed within 1.5x of polled.
The mock runs with ``progression="instant"`` so that its poll is one retrieve, like the
baseline's (``--progression default`` shows the cost of the extra observable state).

    .venv/bin/python -m benchmarks runs        # or: python benchmarks/bench_runs.py
    .venv/bin/python benchmarks/bench_runs.py --lifecycles 50 --repeats 7 --json
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
from openai import OpenAI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._baseline import strict
from benchmarks._harness import Timing, paired_best_of, print_report, ratio, repeated
from mockserver import create_app
from mockserver.engine import text
from mockserver.server import LiveServer
from mockserver.transport import transport

TARGETS = {"mock_vs_baseline": 1.3, "streamed_vs_polled": 1.5}
#: a question whose default answer holds about 200 tokens (one per "x" and per ",")
LONG_QUESTION = "x," * 100

def lifecycle(client: OpenAI, question: str = "What is the capital of France?") -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content=question)
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    run = client.beta.threads.runs.poll(run.id, thread_id=thread.id)
    assert run.status == "completed", run.status
    client.beta.threads.messages.list(thread.id)


def streamed_lifecycle(client: OpenAI) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content=LONG_QUESTION)
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        assert stream.get_final_run().status == "completed"
    client.beta.threads.messages.list(thread.id)


def baseline_app(canned: dict[str, bytes]) -> Starlette:
    """Canned answers, no state, no validation: the floor any server adds to the SDK. A run
    created with ``"stream": true`` gets the mock's own stream bytes, replayed."""
    headers = {"openai-poll-after-ms": "1", "x-request-id": "req_baseline"}

    def answer(name: str) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            if name == "run" and b'"stream":true' in (await request.body()).replace(b" ", b""):
                return Response(canned["stream"], media_type="text/event-stream", headers=headers)
            return Response(canned[name], media_type="application/json", headers=headers)

        return endpoint

    return Starlette(routes=[
        Route("/v1/assistants", answer("assistant"), methods=["POST"]),
        Route("/v1/threads", answer("thread"), methods=["POST"]),
        Route("/v1/threads/{t}/messages", answer("message"), methods=["POST"]),
        Route("/v1/threads/{t}/runs", answer("run"), methods=["POST"]),
        Route("/v1/threads/{t}/runs/{r}", answer("done"), methods=["GET"]),
        Route("/v1/threads/{t}/messages", answer("messages"), methods=["GET"]),
    ])


def capture(app: Any) -> dict[str, bytes]:
    """One lifecycle against the mock, raw bodies kept for the baseline to replay."""
    with strict(httpx2.Client(transport=transport(app)), "http://inprocess/v1") as client:
        return _capture(client)


def _capture(client: OpenAI) -> dict[str, bytes]:
    raw = client.beta
    assistant = raw.assistants.with_raw_response.create(model="gpt-4o", instructions="Be brief.")
    thread = raw.threads.with_raw_response.create()
    thread_id = thread.parse().id
    message = raw.threads.messages.with_raw_response.create(thread_id, role="user", content="What is the capital of France?")
    run = raw.threads.runs.with_raw_response.create(thread_id=thread_id, assistant_id=assistant.parse().id)
    run_id = run.parse().id
    raw.threads.runs.poll(run_id, thread_id=thread_id)
    done = raw.threads.runs.with_raw_response.retrieve(run_id, thread_id=thread_id)
    messages = raw.threads.messages.with_raw_response.list(thread_id)
    canned = {name: r.http_response.content for name, r in {
        "assistant": assistant, "thread": thread, "message": message, "run": run, "done": done, "messages": messages,
    }.items()}
    streamed = raw.threads.create(messages=[{"role": "user", "content": LONG_QUESTION}])
    with raw.threads.runs.with_streaming_response.create(
        thread_id=streamed.id, assistant_id=assistant.parse().id, stream=True
    ) as response:
        canned["stream"] = response.read()
    return canned


def compare(name: str, a_label: str, a: Timing, b_label: str, b: Timing, target: float | None = None) -> str:
    """``name: a 812.3 us, b 701.0 us, 1.16x (target <= 1.30x: met)``, per lifecycle."""
    r = ratio(a, b)
    verdict = "" if target is None else f" (target <= {target:.2f}x: {'met' if r <= target else 'NOT met'})"
    return f"{name:<38} {a_label:>8} {a.us:8.0f} us  {b_label:>8} {b.us:8.0f} us  {r:5.2f}x{verdict}"


def contenders(mock_client: OpenAI, baseline_client: OpenAI, lifecycles: int) -> dict[str, Callable[[int], None]]:
    """Every lifecycle makes its own assistant and thread, so one sandbox per client is enough."""
    return {
        "mock": repeated(lifecycle, mock_client, lifecycles),
        "baseline": repeated(lifecycle, baseline_client, lifecycles),
        "mock streamed": repeated(streamed_lifecycle, mock_client, lifecycles),
        "baseline streamed": repeated(streamed_lifecycle, baseline_client, lifecycles),
    }


def measure(mock: Any, baseline: Any, lifecycles: int, repeats: int) -> dict[str, dict[str, Timing]]:
    results: dict[str, dict[str, Timing]] = {}
    with ExitStack() as stack:
        clients = [stack.enter_context(strict(httpx2.Client(transport=transport(app)), "http://inprocess/v1"))
                   for app in (mock, baseline)]
        results["in-process sync"] = paired_best_of(contenders(*clients, lifecycles), ops=lifecycles, repeats=repeats)
    with ExitStack() as stack:
        servers = [stack.enter_context(LiveServer(app)) for app in (mock, baseline)]
        clients = [stack.enter_context(strict(None, server.base_url)) for server in servers]
        results["loopback sync"] = paired_best_of(contenders(*clients, lifecycles), ops=lifecycles, repeats=repeats)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=30, help="lifecycles per repetition")
    parser.add_argument("--repeats", type=int, default=7, help="repetitions; the best one counts")
    parser.add_argument("--progression", default="instant", choices=["instant", "default"])
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants notice

    mock = create_app(seed=0, progression=args.progression)
    baseline = baseline_app(capture(mock))
    results = measure(mock, baseline, args.lifecycles, args.repeats)
    lines = []
    for mode, t in results.items():
        lines += [
            compare(f"{mode}, polled", "mock", t["mock"], "baseline", t["baseline"], TARGETS["mock_vs_baseline"]),
            compare(f"{mode}, streamed", "mock", t["mock streamed"], "baseline", t["baseline streamed"]),
            compare(f"{mode}, mock", "streamed", t["mock streamed"], "polled", t["mock"],
                    TARGETS["streamed_vs_polled"]),
            compare(f"{mode}, baseline (SDK floor)", "streamed", t["baseline streamed"], "polled", t["baseline"]),
        ]
    tokens = text.count_tokens(text.default_reply(LONG_QUESTION))
    print_report(
        f"Run lifecycle (6 SDK calls) x {args.lifecycles}, best of {args.repeats}, "
        f"progression {args.progression}; streamed reply {tokens} tokens", lines,
    )
    if args.json:
        print(json.dumps({
            mode: {
                **{name: timing.as_dict() for name, timing in t.items()},
                "mock_vs_baseline": round(ratio(t["mock"], t["baseline"]), 3),
                "streamed_vs_polled": round(ratio(t["mock streamed"], t["mock"]), 3),
                "streamed_mock_vs_baseline": round(ratio(t["mock streamed"], t["baseline streamed"]), 3),
                "baseline_streamed_vs_polled": round(ratio(t["baseline streamed"], t["baseline"]), 3),
                "targets": TARGETS,
            }
            for mode, t in results.items()
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
