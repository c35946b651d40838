"""``assistants-mock serve``: the standalone fake server."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from . import __version__
from .app import create_app
from .config import MockConfig
from .credentials import OPERATOR_HEADER, OPERATOR_TOKEN_ENV
from .progression import PROGRESSIONS
from .server import base_url, bind, inspector_url, uvicorn_config


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="assistants-mock", description="An offline, deterministic OpenAI Assistants API v2."
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve http://HOST:PORT/v1 until SIGINT/SIGTERM")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (default 8000)")
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and content (default 0)")
    serve.add_argument("--api-key", default=None, help="accept only this bearer key (others: 401)")
    serve.add_argument(
        "--no-beta-check", action="store_true",
        help="do not require 'OpenAI-Beta: assistants=v2' on /assistants and /threads",
    )
    serve.add_argument(
        "--progression", choices=PROGRESSIONS, default="default",
        help="how runs and ingestion advance (default: each state observable once)",
    )
    serve.add_argument("--poll-after-ms", type=int, default=1, help="openai-poll-after-ms value")
    serve.add_argument("--clock-start", type=int, default=None, help="virtual clock start (epoch s)")
    serve.add_argument("--data-dir", type=Path, default=None, help="persist state and files here")
    serve.add_argument(
        "--scenario", action="append", default=[], metavar="NAME_OR_PATH",
        help="load a scenario into every sandbox (repeatable)",
    )
    serve.add_argument(
        "--scenario-dir", action="append", default=[], type=Path, metavar="DIR",
        help="a folder POST /__mock__/scenario may read scenario files from (repeatable; "
        "default: none, files cannot be loaded over HTTP)",
    )
    serve.add_argument(
        "--operator-token", default=None, metavar="TOKEN",
        help=f"the control API's operator token, sent as {OPERATOR_HEADER} to act across "
        f"sandboxes (default: ${OPERATOR_TOKEN_ENV}, else a random one; a flag is visible to "
        "other users of the machine, the variable is not)",
    )
    serve.add_argument(
        "--operator-token-file", type=Path, default=None, metavar="PATH",
        help="write the operator token to this file, readable by you only (default for a random "
        "token: a file in a private temporary folder, removed at exit)",
    )
    serve.add_argument(
        "--max-json-body-bytes", type=int, default=None, metavar="N",
        help="largest JSON request body; a larger one is a 413 (default 32 MB)",
    )
    serve.add_argument(
        "--max-upload-bytes", type=int, default=None, metavar="N",
        help="largest file upload (default 512 MB, the real API's)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=sorted(uvicorn.config.LOG_LEVELS),
        help="uvicorn log level",  # choices: a bad level is a usage error, not a traceback
    )
    return p


def config_from(args: argparse.Namespace, operator_token: str | None = None) -> MockConfig:
    options: dict[str, Any] = {
        "seed": args.seed, "api_key": args.api_key, "require_beta": not args.no_beta_check,
        "progression": args.progression, "poll_after_ms": args.poll_after_ms,
        "data_dir": args.data_dir, "scenarios": list(args.scenario),
        "scenario_dirs": list(args.scenario_dir),
    }
    if args.clock_start is not None:
        options["clock_start"] = args.clock_start
    if operator_token is not None:
        options["operator_token"] = operator_token
    for limit in ("max_json_body_bytes", "max_upload_bytes"):
        if getattr(args, limit) is not None:
            options[limit] = getattr(args, limit)
    return MockConfig(**options)


def given_operator_token(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The operator token the operator gave and what gave it (the flag, then the environment);
    ``(None, None)``: the app makes a random one."""
    if args.operator_token is not None:
        return args.operator_token, "--operator-token"
    if os.environ.get(OPERATOR_TOKEN_ENV):
        return os.environ[OPERATOR_TOKEN_ENV], f"${OPERATOR_TOKEN_ENV}"
    return None, None


def write_secret(path: Path, secret: str) -> None:
    """``secret`` alone in ``path``, readable and writable by the owner only."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(fd, 0o600)  # a file that existed keeps its old mode through O_CREAT
        f.write(secret)


@contextmanager
def published(token: str, given_by: str | None, path: Path | None) -> Iterator[str]:
    """Where the operator finds the token, for the line under the banner; the token itself is
    never printed (terminal output ends up in shared CI logs). A token made here goes to
    ``path`` or, by default, to a private temporary folder removed at exit."""
    folder = None
    if path is None and given_by is None:
        folder = Path(tempfile.mkdtemp(prefix="assistants-mock-"))  # mode 0700
        path = folder / "operator-token"
    try:
        if path is not None:
            write_secret(path, token)
        yield f"in {path}" if path is not None else f"as given by {given_by}"
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    token, given_by = given_operator_token(args)
    app = create_app(config_from(args, token))
    token = app.state.config.operator_token
    try:
        # SIGTERM ends the server the way SIGINT does: quietly, with status 0. uvicorn takes
        # both signals over while it runs (finishing in-flight requests), then re-raises the
        # one it got through the handler it found, i.e. this one; a signal before it takes
        # over lands here too.
        signal.signal(signal.SIGTERM, _interrupt)
        with published(token, given_by, args.operator_token_file) as where:
            sock = bind(args.host, args.port)
            try:
                print(f"assistants-mock {__version__} serving {base_url(sock)}", flush=True)
                print(f"operator token ({OPERATOR_HEADER}): {where}", flush=True)
                print(f"inspector: {inspector_url(base_url(sock))}", flush=True)
                server = uvicorn.Server(uvicorn_config(app, log_level=args.log_level))
                server.run(sockets=[sock])
            except KeyboardInterrupt:
                pass
            finally:
                sock.close()
    finally:
        app.state.store.close()  # on_close hooks: temporary files, persistence
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        if args.command == "serve":
            return serve(args)
    except (ValueError, OSError) as exc:
        print(f"assistants-mock: error: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
