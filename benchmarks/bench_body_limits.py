"""Server memory for oversized JSON bodies: with the body limit, and without one (baseline).

Two servers run as their own processes (``python -m mockserver serve --port 0``): one with the
default 32 MB JSON body limit, one whose limit is raised to 2 GB, which behaves like the mock
before it had a limit. Each receives the same bodies while psutil samples its RSS every few
milliseconds:

* a 50 MB JSON array sent with a ``Content-Length`` (refused at once, or parsed, then a 400),
* the same array sent chunked (refused once 32 MB have arrived),
* a 24 MB JSON array, under the limit: parsed, then refused as not an object (the memory an
  accepted body of that size may cost).

Each case gets fresh servers. Reported (RSS growth over the idle server, and its ratio to the
baseline's), not asserted.

    .venv/bin/python -m benchmarks body_limits [--mb 50]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import psutil

from benchmarks.bench_uploads import Sampler

MB = 1024 * 1024


def json_array(size: int) -> bytes:
    """A JSON array of small integers, ``size`` bytes long (about 5x its size once parsed)."""
    count = (size - 2) // 2
    return b"[" + b"0," * (count - 1) + b"0" + b" " * (size - 2 * count - 1) + b"]"


def in_chunks(body: bytes, size: int = 256 * 1024) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def measure(url: str, pid: int, send: dict) -> tuple[int, float]:
    """(status, RSS growth in MB over the idle server) of one request."""
    idle = psutil.Process(pid).memory_info().rss
    sampler = Sampler(pid)
    sampler.start()
    headers = {
        "Authorization": "Bearer sk-bench",
        "OpenAI-Beta": "assistants=v2",
        "Content-Type": "application/json",
    }
    with httpx2.Client(timeout=600) as http:
        status = http.post(f"{url}/assistants", headers=headers, **send).status_code
    time.sleep(0.2)  # a last sample after the answer
    sampler.stop_event.set()
    sampler.join()
    return status, (sampler.peak - idle) / MB


def start_server(*options: str) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = server.stdout.readline().split("serving", 1)[1].strip()
    with httpx2.Client() as http:  # warm up: imports, first sandbox
        http.post(f"{url}/threads", headers={"Authorization": "Bearer sk-bench"})
    time.sleep(0.5)
    return server, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the oversized body")
    args = parser.parse_args()
    big = json_array(args.mb * MB)
    under = json_array(24 * MB)
    cases = {
        f"{args.mb} MB, Content-Length": lambda: {"content": big},
        f"{args.mb} MB, chunked": lambda: {"content": in_chunks(big)},
        "24 MB (under the limit)": lambda: {"content": under},
    }
    servers = {"limited": (), "baseline": ("--max-json-body-bytes", str(2 << 30))}
    report = {}
    for case, make in cases.items():
        row: dict[str, object] = {}
        growth: dict[str, float] = {}
        for label, options in servers.items():
            server, url = start_server(*options)  # a fresh one per case: RSS rarely shrinks
            try:
                status, growth[label] = measure(url, server.pid, make())
            finally:
                server.terminate()
                server.wait(timeout=30)
                server.stdout.close()
            row[label] = {"status": status, "growth_mb": round(growth[label], 1)}
        row["ratio"] = round(max(growth["limited"], 0.1) / max(growth["baseline"], 0.1), 3)
        report[case] = row
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
