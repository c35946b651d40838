"""The servers run on uvicorn's fast stack where the platform has it: uvloop (CPython, not
Windows) and httptools (CPython), installed with the package; elsewhere asyncio and h11."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from tests.conftest import serve_process

CPYTHON = platform.python_implementation() == "CPython"
#: what the package's dependencies install here (see pyproject.toml and the README)
EXPECTED = (
    "uvloop" if CPYTHON and sys.platform not in ("win32", "cygwin") else "asyncio",
    "HttpToolsProtocol" if CPYTHON else "H11Protocol",
)

#: the CLI's serve path, reporting the loop and the HTTP protocol of the uvicorn server it
#: built once that server has started, then asking it to stop
REPORTING_SERVE = """
import sys, uvicorn
from mockserver import cli

started = uvicorn.Server.startup

async def startup(self, sockets=None):
    await started(self, sockets=sockets)
    loop = self.servers[0].get_loop()
    print("STACK", type(loop).__module__.split(".")[0], self.config.http_protocol_class.__name__,
          flush=True)
    self.should_exit = True

uvicorn.Server.startup = startup
sys.exit(cli.main(sys.argv[1:]))
"""


def test_the_cli_serves_on_the_fast_stack(tmp_path: Path) -> None:
    command = (sys.executable, "-c", REPORTING_SERVE, "serve", "--port", "0")
    with serve_process(*command, log=tmp_path / "server.log") as (process, _url, _port):
        # the lines after the banner, up to the report (the server then stops by itself)
        stack = next(line.split() for line in process.stdout if line.startswith("STACK"))
        assert process.wait(timeout=30) == 0
    assert tuple(stack[1:]) == EXPECTED, stack


def test_the_plugins_live_server_runs_on_the_fast_stack(assistants_mock_server) -> None:
    server = assistants_mock_server._server  # the uvicorn.Server in the background thread
    loop = server.servers[0].get_loop()
    assert (type(loop).__module__.split(".")[0], server.config.http_protocol_class.__name__) == (
        EXPECTED
    )
