"""What an inspector page costs the API: the run lifecycle with no page open and with a page
following the change stream, and a page following a burst of 200 change events.

1. **Lifecycle** (``bench_runs``'s polled lifecycle, six SDK calls, over loopback): the
   canned baseline app (today's floor), the mock with no inspector page open, and a second
   mock whose sandbox page is open in a browser the whole time (it refetches the sandbox on
   every change notice). Repetitions interleaved, best kept, ratios against the baseline and
   between the two mocks. Target: the mock with no page is within noise of the mock as it was
   (no listener, nothing published: the notifier is idle), and a page costs little.
2. **A 200-event stream**: the same requests (messages added to one thread, one at a time)
   against a fresh mock with and without a thread page following the stream, until a raw
   reader of the stream has counted 200 change events. Every request's latency is kept:
   reported are failed requests (none allowed) and "delayed" ones (slower than twice the
   slowest request of the run with no page), with the median, p99 and worst latency of both.

The page is Debian's Chromium driven by Playwright (``/usr/bin/chromium``; ``make test``
installs it); without it, part 1 follows the stream with a plain SSE reader instead and part
2 is skipped. Reported, not asserted.

    .venv/bin/python -m benchmarks inspector_page
    .venv/bin/python benchmarks/bench_inspector_page.py --lifecycles 30 --repeats 7 --events 200
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx2
import openai

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._baseline import strict
from benchmarks._harness import paired_best_of, print_report, repeated
from benchmarks.bench_runs import baseline_app, capture, compare, lifecycle
from mockserver import create_app
from mockserver.credentials import OPERATOR_HEADER
from mockserver.server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KEY = "sk-bench-inspector"


class StreamCounter:
    """A plain reader of ``/__mock__/inspect/events`` in a thread: counts change events. It
    ends when the server stops (the server ends every stream)."""

    def __init__(self, server: LiveServer, sandbox: str | None = None) -> None:
        self.count = 0
        self.open = threading.Event()
        query = {"sandbox": sandbox} if sandbox else {}
        self._args = (
            f"{server.url}/__mock__/inspect/events",
            query,
            {OPERATOR_HEADER: server.operator_token},
        )
        self._thread = threading.Thread(target=self._read, daemon=True, name="bench-stream")
        self._thread.start()
        self.open.wait(10)

    def _read(self) -> None:
        url, params, headers = self._args
        try:
            with httpx2.stream("GET", url, params=params, headers=headers, timeout=None) as r:
                self.open.set()
                for line in r.iter_lines():
                    if line == "event: change":
                        self.count += 1
        except httpx2.HTTPError:
            pass  # the server went away: the count is final

    def wait_for(self, n: int, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while self.count < n and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.count >= n


def handle_of(server: LiveServer, key: str) -> str:
    answer = httpx2.get(
        f"{server.url}/__mock__/inspect/sandboxes", headers={"Authorization": f"Bearer {key}"}
    )
    answer.raise_for_status()
    return answer.json()["data"][0]["id"]


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (None when it or Playwright is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None
        return
    if not CHROMIUM.exists():
        yield None
        return
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def open_page(chromium: Any, server: LiveServer, fragment: str) -> Any:
    """An inspector page, signed in with the benchmark's key, following the change stream."""
    page = chromium.new_page()
    page.goto(server.inspector_url)
    page.get_by_label("Key or token").fill(KEY)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Sandboxes", level=1).wait_for()
    page.goto(server.inspector_url + fragment)
    page.locator(".live-live").wait_for()
    return page


def part_lifecycle(chromium: Any, lifecycles: int, repeats: int) -> list[str]:
    quiet = create_app(seed=0, progression="instant")
    watched = create_app(seed=0, progression="instant")
    baseline = baseline_app(capture(create_app(seed=0, progression="instant")))
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(LiveServer(app))
            for name, app in (("quiet", quiet), ("watched", watched), ("base", baseline))
        }
        clients = {
            name: stack.enter_context(strict(None, s.base_url, KEY)) for name, s in servers.items()
        }
        clients["watched"].beta.threads.create()  # the sandbox exists: its page can open
        if chromium is not None:
            watched_sandbox = handle_of(servers["watched"], KEY)
            open_page(chromium, servers["watched"], f"#/sandboxes/{watched_sandbox}")
            follower = "the sandbox's page in Chromium"
        else:
            StreamCounter(servers["watched"])
            follower = "an SSE reader (no Chromium: no page)"
        t = paired_best_of(
            {
                "baseline": repeated(lifecycle, clients["base"], lifecycles),
                "no page": repeated(lifecycle, clients["quiet"], lifecycles),
                "page": repeated(lifecycle, clients["watched"], lifecycles),
            },
            ops=lifecycles,
            repeats=repeats,
        )
    return [
        f"(the stream followed by {follower})",
        compare("no page open vs baseline", "mock", t["no page"], "baseline", t["baseline"]),
        compare("page following vs baseline", "mock", t["page"], "baseline", t["baseline"]),
        compare("page following vs no page", "page", t["page"], "no page", t["no page"]),
    ]


def burst(
    server: LiveServer, events: int, page_fragment: Callable[[str, str], str] | None, chromium: Any
) -> tuple[list[float], int, int]:
    """Add messages to one thread, one request at a time, until ``events`` change events went
    out; returns every request's latency (s), the failed requests and the events counted."""
    latencies: list[float] = []
    failed = 0
    with strict(None, server.base_url, KEY) as client:
        thread = client.beta.threads.create()
        sandbox = handle_of(server, KEY)
        counter = StreamCounter(server, sandbox)
        page = None
        if page_fragment is not None:
            page = open_page(chromium, server, page_fragment(sandbox, thread.id))
        before = counter.count
        n = 0
        while counter.count - before < events and n < events * 4:
            n += 1
            start = time.perf_counter()
            try:
                client.beta.threads.messages.create(thread.id, role="user", content=f"note {n}")
            except (openai.APIError, httpx2.HTTPError):
                failed += 1
            latencies.append(time.perf_counter() - start)
        counter.wait_for(before + events)
        counted = counter.count - before
        if page is not None:
            page.close()
    return latencies, failed, counted


def part_burst(chromium: Any, events: int) -> list[str]:
    if chromium is None:
        return ["skipped: no Chromium or Playwright (a page is what this part measures)"]
    results = {}
    for label, fragment in (
        ("no page", None),
        ("page", lambda sbx, thread: f"#/sandboxes/{sbx}/threads/{thread}"),
    ):
        with LiveServer(create_app(seed=0)) as server:
            results[label] = burst(server, events, fragment, chromium)
    quiet, _, _ = results["no page"]
    slowest_quiet = max(quiet)
    lines = []
    for label, (latencies, failed, counted) in results.items():
        ordered = sorted(latencies)
        delayed = sum(lat > 2 * slowest_quiet for lat in latencies)
        lines.append(
            f"{label:<8} {len(latencies):4d} requests, {counted} events: failed {failed}, "
            f"delayed {delayed}; median {statistics.median(ordered) * 1e3:6.2f} ms, "
            f"p99 {ordered[int(len(ordered) * 0.99) - 1] * 1e3:6.2f} ms, "
            f"worst {ordered[-1] * 1e3:6.2f} ms"
        )
    page_lat = results["page"][0]
    lines.append(
        f"median with a page / without: {statistics.median(page_lat) / statistics.median(quiet):.2f}x "
        f"(target: no failed and no delayed request: "
        f"{'met' if results['page'][1] == 0 and not any(x > 2 * slowest_quiet for x in page_lat) else 'NOT met'})"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=30, help="lifecycles per repetition")
    parser.add_argument("--repeats", type=int, default=7, help="repetitions; the best one counts")
    parser.add_argument("--events", type=int, default=200, help="change events of the burst")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants notice
    with browser() as chromium:
        print_report(
            f"Run lifecycle (6 SDK calls, loopback) x {args.lifecycles}, best of {args.repeats}",
            part_lifecycle(chromium, args.lifecycles, args.repeats),
        )
        print_report(
            f"A page following a {args.events}-event stream", part_burst(chromium, args.events)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
