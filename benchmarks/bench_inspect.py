"""What following the inspector's live stream costs the API: a streamed run lifecycle over
loopback on three servers, measured in the same run with repetitions interleaved
(``benchmarks/_harness.py``):

* **unfollowed**: nobody follows ``/__mock__/inspect/events`` (no notice is even built);
* **followed**: a reader follows the stream of the lifecycle's sandbox, as an open page does;
* **stalled**: a reader subscribed and then stopped reading (a frozen tab): its queue drops the
  oldest notices, and nothing waits for it.

Each lifecycle streams a run of about 210 SSE events (a scripted answer of about 200 deltas). Reported: the time
per lifecycle of each and the ratios to unfollowed, the notices the follower read, and the API
requests that failed (any status >= 400 in the journals: must be none). Reported, not
asserted. Target: followed and stalled within 1.10x of unfollowed.

    .venv/bin/python -m benchmarks inspect     # or: python benchmarks/bench_inspect.py
"""

from __future__ import annotations

import argparse
import sys
import threading
import warnings
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._baseline import strict
from benchmarks._harness import paired_best_of, print_report, ratio, repeated
from benchmarks.bench_runs import streamed_lifecycle
from mockserver import create_app
from mockserver.events import DONE
from mockserver.server import LiveServer

TARGET = 1.10
KEY = "sk-bench-inspect"
#: every run answers with this text: about 200 deltas of ~24 characters, so ~210 events a stream
LONG_ANSWER = {
    "version": 1,
    "name": "long-answer",
    "runs": [{"steps": [{"message": "the quick brown fox " * 240}]}],
}


class Follower:
    """A reader of one sandbox's change notices in a thread: it reads them all, or (``stall``)
    none after the first bytes."""

    def __init__(self, server: LiveServer, *, stall: bool = False) -> None:
        self.notices = 0
        self._stall = stall
        self._server = server
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _read(self) -> None:
        headers = {"Authorization": f"Bearer {KEY}"}
        url = f"{self._server.url}/__mock__/inspect/events"
        # no read timeout: a stalled reader waits as long as the benchmark lasts
        with httpx2.stream("GET", url, headers=headers, timeout=None) as response:
            self._ready.set()
            if self._stall:
                threading.Event().wait()  # never reads again; the server stopping ends it
            for line in response.iter_lines():
                if line.startswith("event: change"):
                    self.notices += 1

    def join(self) -> None:
        self._thread.join(10)


def failed_requests(server: LiveServer) -> int:
    return sum(1 for entry in server.app.state.store.journal if entry.status >= 400)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=20, help="lifecycles per repetition")
    parser.add_argument("--repeats", type=int, default=7, help="repetitions; the best one counts")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants notice

    names = ("unfollowed", "followed", "stalled")
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(
                LiveServer(create_app(seed=0, progression="instant", scenarios=[LONG_ANSWER]))
            )
            for name in names
        }
        clients = {
            name: stack.enter_context(strict(None, server.base_url, KEY))
            for name, server in servers.items()
        }
        # one streamed run first, to count its events
        with httpx2.Client() as http:
            events = _events_of_one_stream(http, servers["unfollowed"])
        follower = Follower(servers["followed"])
        stalled = Follower(servers["stalled"], stall=True)
        contenders: dict[str, Any] = {
            name: repeated(streamed_lifecycle, clients[name], args.lifecycles) for name in names
        }
        timings = paired_best_of(contenders, ops=args.lifecycles, repeats=args.repeats)
        failures = {name: failed_requests(server) for name, server in servers.items()}
        listening = {name: s.app.state.store.notifier.listening for name, s in servers.items()}
    follower.join()
    stalled.join()
    base = timings["unfollowed"]
    lines = [
        f"{name:<12} {timings[name].us:8.0f} us per lifecycle  {ratio(timings[name], base):5.2f}x"
        + (
            ""
            if name == "unfollowed"
            else f" (target <= {TARGET:.2f}x: "
            f"{'met' if ratio(timings[name], base) <= TARGET else 'NOT met'})"
        )
        + f"  failed requests: {failures[name]}"
        for name in names
    ]
    lines.append(
        f"events per streamed run: {events}; notices read by the follower: {follower.notices}"
    )
    lines.append(f"subscribed during the run: {listening}")
    print_report(
        f"Streamed lifecycle (5 SDK calls, one stream) x {args.lifecycles} over loopback, best of "
        f"{args.repeats}: following /__mock__/inspect/events",
        lines,
    )
    return 0


def _events_of_one_stream(http: httpx2.Client, server: LiveServer) -> int:
    client = strict(http, server.base_url, "sk-bench-count")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    response = client.beta.threads.runs.with_raw_response.create(
        thread_id=thread.id, assistant_id=assistant.id, stream=True
    )
    body = response.http_response.read()
    assert body.endswith(DONE)
    return body.count(b"event: ")


if __name__ == "__main__":
    raise SystemExit(main())
