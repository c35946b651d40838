"""The random walk's server, in a process of its own so that a runaway request (a hang, a
memory blow-up) can be killed without taking the test run with it.

``python -m tests.walk_server --progression default --memory-mb 2048`` starts ``create_app``
behind a :class:`~mockserver.server.LiveServer`, prints ``URL <base url>``, then answers each
``errors`` line on stdin with one JSON line: the app's ``app.state.server_errors`` (method,
path, sandbox, traceback). End of input stops the server.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import traceback

from mockserver import create_app
from mockserver.server import LiveServer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--progression", default="default")
    parser.add_argument("--memory-mb", type=int, default=2048)
    args = parser.parse_args()
    # a request that allocates without end fails with MemoryError (a 500) instead of the host
    limit = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(progression=args.progression)
    with LiveServer(app) as server:
        print("URL", server.url, flush=True)
        for line in sys.stdin:
            if line.strip() == "errors":
                errors = [
                    {
                        "method": e.method,
                        "path": e.path,
                        "sandbox": e.sandbox,
                        "traceback": "".join(traceback.format_exception(e.exception)),
                    }
                    for e in app.state.server_errors
                ]
                print(json.dumps(errors), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
