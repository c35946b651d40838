"""A live server on a real socket: in a background thread (tests, the plugin) or in the
foreground (the CLI). Binds 127.0.0.1 by default; port 0 picks a free port."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket; bound before uvicorn starts so the port is known up front."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
    # IPPROTO_TCP, and without it every response waits ~40 ms on Nagle + delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: Any, **kwargs: Any) -> uvicorn.Config:
    return uvicorn.Config(
        app, log_level=kwargs.pop("log_level", "warning"), lifespan="off", access_log=False, **kwargs
    )


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/v1"


def inspector_url(api_base_url: str) -> str:
    """The inspector's pages of the server whose API is at ``api_base_url`` (``…/v1``)."""
    return api_base_url.removesuffix("/v1") + "/__mock__/ui/"


class LiveServer:
    """``with LiveServer(app) as server: OpenAI(base_url=server.base_url, ...)``."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._socket = bind(host, port)
        self.base_url = base_url(self._socket)
        self._server = uvicorn.Server(uvicorn_config(app))
        # signal handlers belong to the main thread; a background server must not install them
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True,
            name="assistants-mock-server",
        )

    @property
    def url(self) -> str:
        """The server root (``base_url`` without ``/v1``)."""
        return self.base_url.removesuffix("/v1")

    @property
    def inspector_url(self) -> str:
        """The inspector's pages (``/__mock__/ui/``): sign in with a sandbox's key or the
        operator token."""
        return inspector_url(self.base_url)

    @property
    def operator_token(self) -> str:
        """The app's operator token: send it as ``X-Mock-Operator-Token`` to act on any
        sandbox, or on all of them, through ``/__mock__``."""
        return self.app.state.config.operator_token

    def _store(self) -> Any:
        return getattr(getattr(self.app, "state", None), "store", None)

    def start(self, timeout: float = 10.0) -> LiveServer:
        store = self._store()
        if store is not None:
            store.notifier.open()
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock server did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        store = self._store()
        if store is not None:
            # the inspector's event streams never end by themselves: uvicorn would wait for
            # them (``assistants-mock serve`` ends them through sse-starlette's signal hook)
            store.notifier.close()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._socket.close()
        if store is not None:
            store.close()  # temporary file bytes, final save of --data-dir state

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
