"""Peak server memory while ~1 GB is uploaded through the official SDK, 5 files at a time.

The server runs as its own process (``python -m mockserver serve --port 0``) so its RSS is
measured alone, sampled every few milliseconds by psutil while the Python SDK's
``vector_stores.file_batches.upload_and_poll(..., max_concurrency=5)`` uploads the files and
attaches them. Reported, not asserted; the target is growth under 64 MB over the idle server.

    .venv/bin/python benchmarks/bench_uploads.py [--total-mb 1024] [--files 8]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from openai import OpenAI

MB = 1024 * 1024


def make_files(directory: Path, total_mb: int, count: int) -> list[Path]:
    """Text files (so ingestion has something to judge) written in 1 MB blocks."""
    size = total_mb * MB // count
    block = (b"the quick brown fox jumps over the lazy dog %08d\n" * 20_000)[:MB]
    paths = []
    for i in range(count):
        path = directory / f"part{i:02d}.txt"
        with open(path, "wb") as f:
            written = 0
            while written < size:
                chunk = block[: min(MB, size - written)]
                f.write(chunk)
                written += len(chunk)
        paths.append(path)
    return paths


class Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total-mb", type=int, default=1024)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        paths = make_files(Path(tmp), args.total_mb, args.files)
        server = subprocess.Popen(
            [sys.executable, "-m", "mockserver", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            url = server.stdout.readline().split("serving", 1)[1].strip()
            client = OpenAI(base_url=url, api_key="sk-bench", max_retries=0, timeout=600)
            store = client.vector_stores.create(name="bench")
            client.files.create(file=("warm.txt", b"warm up"), purpose="assistants")
            time.sleep(0.5)
            idle = psutil.Process(server.pid).memory_info().rss
            sampler = Sampler(server.pid)
            sampler.start()
            started = time.perf_counter()
            with contextlib.ExitStack() as stack:
                handles = [stack.enter_context(open(p, "rb")) for p in paths]
                batch = client.vector_stores.file_batches.upload_and_poll(
                    store.id, files=handles, max_concurrency=args.concurrency
                )
            elapsed = time.perf_counter() - started
            sampler.stop_event.set()
            sampler.join()
            uploaded = sum(p.stat().st_size for p in paths)
            report = {
                "uploaded_mb": round(uploaded / MB, 1),
                "files": len(paths),
                "concurrency": args.concurrency,
                "seconds": round(elapsed, 2),
                "throughput_mb_s": round(uploaded / MB / elapsed, 1),
                "idle_rss_mb": round(idle / MB, 1),
                "peak_rss_mb": round(sampler.peak / MB, 1),
                "growth_mb": round((sampler.peak - idle) / MB, 1),
                "target_growth_mb": 64,
                "batch_status": batch.status,
                "file_counts": batch.file_counts.model_dump(),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
            server.stdout.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
