"""What ``--data-dir`` costs per request, at 200 and at 2,000 objects in the sandbox.

Two in-process apps hold the same sandbox (threads of messages, assistants: ``--objects``
objects in all), one with a data directory and one without; the same requests run against
both through the strict Python SDK (in-process transport, no socket), one request to each in
turn. Reported per kind of request: the median microseconds with and without the data
directory, their ratio, and the difference (what saving costs). Requests that write
change existing objects, so the sandbox keeps its size across repetitions. Persistence
should cost what a request changed, not what the sandbox holds: the same at both sizes.

    .venv/bin/python -m benchmarks persistence
    .venv/bin/python benchmarks/bench_persistence.py --objects 200 2000 --requests 100

The script uses only ``create_app`` and the SDK, so it also measures older versions: copy it
into a checkout of another commit and run it there (``PYTHONPATH=that/checkout``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from openai import OpenAI

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and ``mockserver`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import print_report
from mockserver import create_app
from mockserver.transport import transport

#: one thread create carries 31 messages: 32 objects a request
PER_THREAD = 32


class Sandbox:
    """One app (with or without a data directory) and a sandbox of ``objects`` objects."""

    def __init__(self, objects: int, data_dir: Path | None) -> None:
        self.app = create_app(seed=0, data_dir=data_dir)
        self.http = httpx2.Client(transport=transport(self.app))
        self.client = OpenAI(
            base_url="http://inprocess/v1",
            api_key="sk-bench-persistence",
            max_retries=0,
            http_client=self.http,
            _strict_response_validation=True,
        )
        threads = max(1, objects * 9 // 10 // PER_THREAD)  # about 90% messages
        self.assistants = [
            self.client.beta.assistants.create(model="gpt-4o", name=f"a{i}").id
            for i in range(max(1, objects - threads * PER_THREAD))
        ]
        self.threads = []
        for _ in range(threads):
            thread = self.client.beta.threads.create(
                messages=[{"role": "user", "content": "a message of ordinary length"}]
                * (PER_THREAD - 1)
            )
            self.threads.append(thread.id)
        self.messages = [m.id for m in self.client.beta.threads.messages.list(self.threads[0])]

    def objects(self) -> int:
        dump = self.app.state.store.sandboxes["sk-bench-persistence"].dump()
        return sum(len(rows) for rows in dump["tables"].values())

    def close(self) -> None:
        self.client.close()
        self.app.state.store.close()


def workloads(box: Sandbox) -> dict[str, Callable[[int], Any]]:
    """Each a function that sends request number ``i`` of one kind."""
    client, thread, message = box.client, box.threads[0], box.messages[0]
    assistant = box.assistants[0]
    return {
        "GET one message": lambda i: client.beta.threads.messages.retrieve(
            message, thread_id=thread
        ),
        "GET a page of 20": lambda i: client.beta.threads.messages.list(thread, limit=20),
        "POST update an assistant": lambda i: client.beta.assistants.update(
            assistant, metadata={"n": str(i)}
        ),
    }


def interleaved(
    runs: dict[str, Callable[[int], Any]], requests: int, repeats: int
) -> dict[str, float]:
    """Median seconds per request of each candidate, their requests interleaved one by one
    (in alternating order), so that load from elsewhere on a shared machine hits each alike."""
    samples: dict[str, list[float]] = {label: [] for label in runs}
    labels = list(runs)
    for i in range(requests * (repeats + 1)):
        for label in labels if i % 2 else reversed(labels):
            start = time.perf_counter()
            runs[label](i)
            if i >= requests:  # the first round warms up
                samples[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    lines = []
    for objects in args.objects:
        with tempfile.TemporaryDirectory(prefix="bench-persistence-") as tmp:
            saved, memory = Sandbox(objects, Path(tmp)), Sandbox(objects, None)
            try:
                memory_runs = workloads(memory)
                for kind, saved_run in workloads(saved).items():
                    median = interleaved(
                        {"data-dir": saved_run, "memory": memory_runs[kind]},
                        args.requests,
                        args.repeats,
                    )
                    with_dir, without = median["data-dir"] * 1e6, median["memory"] * 1e6
                    lines.append(
                        f"{saved.objects():5d} objects  {kind:26s} data-dir {with_dir:8.1f} us"
                        f"   memory {without:8.1f} us   ratio {with_dir / without:5.2f}x"
                        f"   saving {with_dir - without:8.1f} us/request"
                    )
            finally:
                saved.close()
                memory.close()
    title = "--data-dir against the same requests without it (in-process, strict SDK, medians)"
    print_report(title, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
