"""Per-test cost of the pytest plugin: a test that runs a full lifecycle with the
``assistants_mock`` fixture, against the same test on a bare in-process app, in one run.

Both kinds of test run in one pytest session (in this process), interleaved so that load from
elsewhere on the machine hits both alike. A test's time is its whole protocol: setup, call and
teardown. The lifecycle is six calls: create assistant, thread, message, run, retrieve the run,
list messages. The bare test builds an ``OpenAI`` client on ``mockserver.transport`` over one
module-level app, with a new API key (a new sandbox) per test; the fixture test adds what the
plugin does per test (sandbox setup and drop, env vars, the fail-closed guard, server-error
check). Target: within 1.5x of the bare test. Reported, not asserted.

    .venv/bin/python benchmarks/bench_plugin.py [--tests 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

LIFECYCLE = """
def lifecycle(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="Hello")
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    client.beta.threads.messages.list(thread.id)
"""

FIXTURE_TESTS = (
    LIFECYCLE
    + """
import pytest

@pytest.mark.parametrize("n", range({n}))
def test_fixture(assistants_mock, n):
    lifecycle(assistants_mock.client())
"""
)

BARE_TESTS = (
    LIFECYCLE
    + """
import httpx2, pytest
from openai import OpenAI
from mockserver import create_app
from mockserver.transport import transport

APP = create_app()

@pytest.mark.parametrize("n", range({n}))
def test_bare(n):
    http_client = httpx2.Client(transport=transport(APP))
    with OpenAI(base_url="http://mock/v1", api_key=f"sk-bare-{{n}}", max_retries=0,
                _strict_response_validation=True, http_client=http_client) as client:
        lifecycle(client)
"""
)


class Recorder:
    """Times each test's whole protocol and interleaves the two kinds of test."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {"fixture": [], "bare": []}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        fixture = [i for i in items if "test_fixture" in i.name]
        bare = [i for i in items if "test_bare" in i.name]
        items[:] = [item for pair in zip(bare, fixture) for item in pair]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        start = time.perf_counter()
        result = yield
        kind = "fixture" if "test_fixture" in item.name else "bare"
        self.times[kind].append(time.perf_counter() - start)
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=200, help="tests of each kind (default 200)")
    parser.add_argument(
        "--warmup", type=int, default=10, help="first tests of each kind not counted"
    )
    args = parser.parse_args()

    recorder = Recorder()
    with tempfile.TemporaryDirectory(prefix="bench-plugin-") as folder:
        root = Path(folder)
        (root / "test_fixture_kind.py").write_text(FIXTURE_TESTS.format(n=args.tests))
        (root / "test_bare_kind.py").write_text(BARE_TESTS.format(n=args.tests))
        code = pytest.main(
            [
                str(root),
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:xdist",
                "-p",
                "no:randomly",
                "-W",
                "ignore::DeprecationWarning",
                "--rootdir",
                str(root),
                "--no-header",
            ],
            plugins=[recorder],
        )
    if code != 0:
        print(f"the benchmark's tests failed (exit code {code})")
        return 1
    fixture = statistics.median(recorder.times["fixture"][args.warmup :])
    bare = statistics.median(recorder.times["bare"][args.warmup :])
    print()
    print(f"tests of each kind: {args.tests} (first {args.warmup} not counted), medians per test:")
    print(f"  bare in-process app:      {bare * 1e3:7.2f} ms")
    print(f"  assistants_mock fixture:  {fixture * 1e3:7.2f} ms")
    print(f"  ratio fixture / bare:     {fixture / bare:7.2f}x  (target <= 1.5x)")
    print(
        f"  plugin overhead per test: {(fixture - bare) * 1e3:7.2f} ms  "
        "(prior art: about +60 ms per such test)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
