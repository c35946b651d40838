"""The request path over a real socket: requests per second of the mock against a minimal app.

Both apps are served the way the CLI serves the mock (uvicorn on uvloop and httptools,
127.0.0.1, a free port), each in a process of its own, and loaded by the same load generator
in the same run, alternately (mock, minimal, minimal, mock...), the best run of each kept:

* GET retrieve: ``GET /v1/assistants/{id}`` of one assistant created before the runs;
* POST create: ``POST /v1/assistants`` with the body the SDK sends for
  ``assistants.create(model="gpt-4o", name="bench", metadata={"i": "0"})``.

Every request carries the headers the ``openai`` SDK sends (captured from it at start-up:
``Authorization: Bearer``, ``OpenAI-Beta: assistants=v2``, ``Content-Type``, the
``X-Stainless-*`` family...). The minimal app does the same work by hand: it keys state by the
``Authorization`` header, parses the JSON body, builds the assistant, stores it in a dict and
answers it; no validation, no middleware, no journal.

The load generator is ``wrk`` (16 connections, one thread, a few seconds per run; Debian:
``apt-get install wrk``); without it the benchmark says so and uses a small asyncio load
generator of its own, which is slower than wrk, so its ratios read closer to 1 than they are.
Reported, not asserted; the target is a ratio of at least 0.8x for both requests.

With ``--profile``, it first says where each request's time goes inside the app, without
a socket: both apps called in process with the same two requests (ASGI, the SDK's headers), the
CPU microseconds per request of each (best of several batches), then the mock's top entries
under ``cProfile`` in microseconds per request (cProfile's own cost per call inflates them; read
them as shares).

    .venv/bin/python -m benchmarks request_path     # or: python benchmarks/bench_request_path.py
    .venv/bin/python benchmarks/bench_request_path.py --seconds 5 --rounds 3 --json
    .venv/bin/python benchmarks/bench_request_path.py --profile --rounds 0   # the profile only
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from openai import OpenAI

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._baseline import CREATED_AT, minimal_app
from mockserver import create_app
from mockserver.server import bind, uvicorn_config

TARGET = 0.8
CONNECTIONS = 16
API_KEY = "sk-bench-request-path"
APPS = ("mock", "minimal")


def serve(name: str) -> None:
    """Child process: serve one app on a free port, print the port, run until terminated."""
    app = create_app(seed=0) if name == "mock" else minimal_app()
    # the parent ends the child with SIGTERM, which uvicorn re-raises once it has shut down:
    # as the CLI does, it becomes a KeyboardInterrupt here, so that the mock's store is closed
    # (its temporary folder of file bytes removed) instead of the process dying on the signal
    signal.signal(signal.SIGTERM, _interrupt)
    sock = bind("127.0.0.1", 0)
    print(sock.getsockname()[1], flush=True)
    try:
        uvicorn.Server(uvicorn_config(app, loop="uvloop", http="httptools")).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        if name == "mock":
            app.state.store.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class Served:
    """One app in a child process (so that neither the load generator nor the other app
    shares its interpreter)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", name],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while True:  # bound before uvicorn starts: wait until it answers
            try:
                urllib.request.urlopen(self.url + "/v1", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"the {name} app did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def sdk_requests() -> dict[str, tuple[str, dict[str, str], bytes]]:
    """The two requests exactly as the ``openai`` SDK builds them: path, headers, body."""
    seen: dict[str, tuple[str, dict[str, str], bytes]] = {}

    def answer(request: httpx2.Request) -> httpx2.Response:
        label = "POST create" if request.method == "POST" else "GET retrieve"
        headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
        seen[label] = (request.url.path, headers, request.content)
        body = {
            "id": "asst_x", "object": "assistant", "created_at": CREATED_AT, "name": None,
            "description": None, "model": "gpt-4o", "instructions": None, "tools": [],
            "tool_resources": {}, "metadata": {}, "top_p": 1.0, "temperature": 1.0,
            "response_format": "auto",
        }  # fmt: skip
        return httpx2.Response(200, json=body)

    with OpenAI(
        base_url="http://bench/v1",
        api_key=API_KEY,
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(answer)),
    ) as client:
        client.beta.assistants.create(model="gpt-4o", name="bench", metadata={"i": "0"})
        client.beta.assistants.retrieve("asst_x")
    return seen


def create_one(url: str, request: tuple[str, dict[str, str], bytes]) -> str:
    """Create the assistant the GET runs retrieve; its id."""
    path, headers, body = request
    req = urllib.request.Request(url + path, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=10) as response:
        return json.loads(response.read())["id"]


def wrk_script(method: str, headers: dict[str, str], body: bytes) -> str:
    lines = [f"wrk.method = {json.dumps(method)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    return "\n".join(lines) + "\n"


def run_wrk(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int) -> float:
    """Requests per second of one wrk run; any non-2xx answer or socket error is a failure."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(method, headers, body))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", script.name, url],
            capture_output=True, text=True, check=True, timeout=seconds + 30,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw failed requests against {url}:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{out}")
    return float(match.group(1))


def run_python(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int) -> float:
    """The fallback load generator: ``CONNECTIONS`` keep-alive connections on one asyncio loop,
    each sending the request again as soon as the answer is read."""
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    path = "/" + url.removeprefix("http://").partition("/")[2]
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        head.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body

    async def connection(deadline: float) -> int:
        reader, writer = await asyncio.open_connection(host, int(port))
        done = 0
        try:
            while time.perf_counter() < deadline:
                writer.write(raw)
                status_and_headers = await reader.readuntil(b"\r\n\r\n")
                if not status_and_headers.startswith(b"HTTP/1.1 2"):
                    raise RuntimeError(f"failed request: {status_and_headers[:40]!r}")
                length = re.search(rb"(?i)content-length:\s*(\d+)", status_and_headers)
                assert length is not None, "the apps answer with a Content-Length"
                await reader.readexactly(int(length.group(1)))
                done += 1
        finally:
            writer.close()
        return done

    async def load() -> float:
        start = time.perf_counter()
        counts = await asyncio.gather(*(connection(start + seconds) for _ in range(CONNECTIONS)))
        return sum(counts) / (time.perf_counter() - start)

    return asyncio.run(load())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Runs = dict[str, dict[str, list[float]]]


def measure(seconds: int, rounds: int, use_wrk: bool) -> tuple[Runs, Runs]:
    """Per request, every run's requests per second of each app, and its server's CPU
    microseconds per request."""
    requests = sdk_requests()
    runner = run_wrk if use_wrk else run_python
    served = {}
    try:
        for name in APPS:
            served[name] = Served(name)
        targets: dict[str, dict[str, tuple[str, str, dict[str, str], bytes]]] = {}
        for name, app in served.items():
            assistant_id = create_one(app.url, requests["POST create"])
            get_path, get_headers, _ = requests["GET retrieve"]
            post_path, post_headers, post_body = requests["POST create"]
            targets[name] = {
                "GET retrieve": (
                    app.url + get_path.replace("asst_x", assistant_id),
                    "GET",
                    get_headers,
                    b"",
                ),
                "POST create": (app.url + post_path, "POST", post_headers, post_body),
            }
        results: dict[str, dict[str, list[float]]] = {
            label: {name: [] for name in APPS} for label in ("GET retrieve", "POST create")
        }
        cpu: dict[str, dict[str, list[float]]] = {
            label: {name: [] for name in APPS} for label in results
        }
        for label in ("GET retrieve", "POST create"):
            for name in APPS:  # warm-up, untimed
                runner(*targets[name][label], 1)
            for round_ in range(rounds):
                # alternate who goes first, so a drift in the machine's load hits both alike
                for name in APPS if round_ % 2 == 0 else APPS[::-1]:
                    before = cpu_seconds(served[name].process.pid)
                    rate = runner(*targets[name][label], seconds)
                    used = cpu_seconds(served[name].process.pid) - before
                    results[label][name].append(rate)
                    # the server's CPU per request: what waiting for a busy CPU cannot inflate
                    cpu[label][name].append(used / (rate * seconds) * 1e6)
        return results, cpu
    finally:
        for app in served.values():
            app.stop()


Request = tuple[str, str, dict[str, str], bytes]


def asgi_caller(app: Any, request: Request) -> Callable[[], Awaitable[bytes]]:
    """A function making one request through ``app`` in process, as uvicorn hands it over
    (the scope built once, copied for each call), answering the body."""
    method, path, headers, body = request
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"host", b"127.0.0.1"))
    if body:
        raw.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": raw, "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
    }  # fmt: skip
    message = {"type": "http.request", "body": body, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def call() -> bytes:
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(dict(scope), receive, send)
        return b"".join(chunks)

    return call


def cpu_us_per_request(
    run: Callable[[], Awaitable[Any]], batch: int = 300, batches: int = 15
) -> float:
    """Best CPU microseconds per request over a few batches (CPU time: what waiting for a busy
    machine does not inflate; the best batch: the least disturbed by other processes)."""

    async def measure() -> float:
        for _ in range(50):
            await run()
        best = float("inf")
        for _ in range(batches):
            start = time.process_time()
            for _ in range(batch):
                await run()
            best = min(best, (time.process_time() - start) / batch * 1e6)
        return best

    return asyncio.run(measure())


def profile(requests: dict[str, tuple[str, dict[str, str], bytes]], top: int = 12) -> None:
    """Where the time of each request goes inside the app (no socket, no uvicorn)."""
    apps = {"mock": create_app(seed=0), "minimal": minimal_app()}
    targets: dict[str, dict[str, Request]] = {}
    post_path, post_headers, post_body = requests["POST create"]
    get_path, get_headers, _ = requests["GET retrieve"]
    for name, app in apps.items():
        created = asyncio.run(asgi_caller(app, ("POST", post_path, post_headers, post_body))())
        assistant_id = json.loads(created)["id"]
        targets[name] = {
            "GET retrieve": ("GET", get_path.replace("asst_x", assistant_id), get_headers, b""),
            "POST create": ("POST", post_path, post_headers, post_body),
        }
    print("In process (ASGI call, no socket), CPU us per request, best batch:")
    spent: dict[str, dict[str, float]] = {}
    for label in ("GET retrieve", "POST create"):
        spent[label] = {
            name: cpu_us_per_request(asgi_caller(app, targets[name][label]))
            for name, app in apps.items()
        }
        mock, minimal = spent[label]["mock"], spent[label]["minimal"]
        print(
            f"  {label:<14} mock {mock:6.1f} us   minimal {minimal:6.1f} us   "
            f"mock - minimal {mock - minimal:+6.1f} us"
        )
    count = 3000
    for label in ("GET retrieve", "POST create"):
        call = asgi_caller(apps["mock"], targets["mock"][label])

        async def many(call: Callable[[], Awaitable[bytes]] = call) -> None:
            for _ in range(count):
                await call()

        # CPU time, so that the other processes of a busy machine do not land in random entries
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(asyncio.run, many())
        rows = pstats.Stats(profiler).stats.items()  # type: ignore[attr-defined]
        total = sum(own for _, (_, _, own, _, _) in rows)
        # cProfile's own cost per call inflates every entry: each is shown as its share of the
        # profiled time, times the CPU time a request takes unprofiled
        scale = spent[label]["mock"] / total
        print(
            f"\nmock, {label}: top {top} of cProfile over {count} requests, by own time, in us "
            f"per request (share of the profile x {spent[label]['mock']:.1f} us)"
        )
        print(f"  {'own':>6} {'with callees':>12}  function")
        for (filename, line, function), (_, _, own, cumulative, _) in sorted(
            rows, key=lambda row: row[1][2], reverse=True
        )[:top]:
            where = f"{Path(filename).name}:{line}({function})" if line else function
            print(f"  {own * scale:6.2f} {cumulative * scale:12.2f}  {where}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one load run")
    parser.add_argument("--rounds", type=int, default=5, help="runs per app; the best counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator")
    parser.add_argument(
        "--profile", action="store_true", help="first, where the time goes inside the app"
    )
    parser.add_argument("--serve", choices=APPS, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    warnings.filterwarnings("ignore", category=DeprecationWarning)  # the SDK's Assistants notice
    if args.profile:
        profile(sdk_requests())
        if args.rounds == 0:
            return 0

    use_wrk = not args.python_load and shutil.which("wrk") is not None
    if not use_wrk and not args.python_load:
        print(
            "wrk not found (Debian: apt-get install wrk): using the Python load generator, "
            "which is slower than wrk, so the ratios read closer to 1 than they are"
        )
    generator = f"wrk -t1 -c{CONNECTIONS}" if use_wrk else f"asyncio, {CONNECTIONS} connections"
    results, cpu = measure(args.seconds, args.rounds, use_wrk)
    title = (
        f"uvicorn (uvloop, httptools) on 127.0.0.1, {generator}, "
        f"{args.rounds} x {args.seconds:g} s per app, best run"
    )
    lines = []
    report: dict[str, Any] = {}
    for label, runs in results.items():
        mock, minimal = max(runs["mock"]), max(runs["minimal"])
        r = mock / minimal
        verdict = "met" if r >= TARGET else "NOT met"
        mock_cpu, minimal_cpu = min(cpu[label]["mock"]), min(cpu[label]["minimal"])
        lines.append(
            f"{label:<14} mock {mock:9.0f} req/s   minimal {minimal:9.0f} req/s   "
            f"ratio {r:5.2f}x (target >= {TARGET:.2f}x: {verdict})"
        )
        lines.append(
            f"{'':<14} server CPU per request: mock {mock_cpu:6.1f} us   minimal "
            f"{minimal_cpu:6.1f} us   ratio {minimal_cpu / mock_cpu:5.2f}x"
        )
        # the middle run of each, a check on the best: on a shared machine one lucky run of
        # either app moves the best-run ratio more than any change to the mock
        middle = statistics.median(runs["mock"]) / statistics.median(runs["minimal"])
        middle_cpu = statistics.median(cpu[label]["minimal"]) / statistics.median(
            cpu[label]["mock"]
        )
        lines.append(
            f"{'':<14} median runs: ratio {middle:5.2f}x   server CPU per request ratio "
            f"{middle_cpu:5.2f}x"
        )
        report[label] = {
            "mock_req_per_s": runs["mock"],
            "minimal_req_per_s": runs["minimal"],
            "ratio": round(r, 3),
            "median_ratio": round(middle, 3),
            "mock_cpu_us_per_request": cpu[label]["mock"],
            "minimal_cpu_us_per_request": cpu[label]["minimal"],
            "target": TARGET,
        }
    print(title)
    print("-" * len(title))
    for line in lines:
        print(line)
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
