"""``assistants-mock serve``: the standalone fake server."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

import uvicorn

from . import __version__
from .app import create_app
from .config import PROGRESSIONS, MockConfig
from .server import base_url, bind, uvicorn_config


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
    serve.add_argument("--log-level", default="warning", help="uvicorn log level")
    return p


def config_from(args: argparse.Namespace) -> MockConfig:
    options = dict(
        seed=args.seed, api_key=args.api_key, require_beta=not args.no_beta_check,
        progression=args.progression, poll_after_ms=args.poll_after_ms, data_dir=args.data_dir,
        scenarios=list(args.scenario),
    )
    if args.clock_start is not None:
        options["clock_start"] = args.clock_start
    return MockConfig(**options)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(args: argparse.Namespace) -> int:
    app = create_app(config_from(args))
    # SIGTERM ends the server the way SIGINT does: quietly, with status 0. uvicorn takes both
    # signals over while it runs (finishing in-flight requests), then re-raises the one it got
    # through the handler it found, i.e. this one; a signal before it takes over lands here too.
    signal.signal(signal.SIGTERM, _interrupt)
    sock = bind(args.host, args.port)
    try:
        print(f"assistants-mock {__version__} serving {base_url(sock)}", flush=True)
        server = uvicorn.Server(uvicorn_config(app, log_level=args.log_level))
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
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
