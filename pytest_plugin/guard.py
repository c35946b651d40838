"""Fail closed: while the fixture is active, nothing reaches the real OpenAI API.

Two layers, both undone at the fixture's teardown:

* the network transports of ``httpx2`` (openai 3.x) and ``httpx`` (openai 1.x/2.x) refuse a
  request to ``openai.com`` or a subdomain before connecting: every SDK client on its default
  transport is caught, whatever its ``base_url`` came from;
* ``socket.getaddrinfo`` refuses to resolve those hosts: a backstop for other HTTP libraries
  (``requests``, ``urllib``, ``aiohttp``) in this process.

:class:`RealOpenAIBlocked` derives from ``BaseException`` on purpose: the SDKs retry (and sleep)
on any ``Exception`` from a transport, and code under test often swallows ``Exception``; this
one goes straight to the test with its message.

Not covered: subprocesses that ignore ``OPENAI_BASE_URL`` (the fixture sets it), and hosts
other than ``openai.com`` (e.g. a proxy or an Azure endpoint).
"""

from __future__ import annotations

import socket
from typing import Any

import pytest

BLOCKED_DOMAIN = "openai.com"


class RealOpenAIBlocked(BaseException):
    """A request to the real OpenAI API while the ``assistants_mock`` fixture is active."""


def is_blocked(host: str | bytes | None) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = (host or "").lower().rstrip(".")
    return host == BLOCKED_DOMAIN or host.endswith("." + BLOCKED_DOMAIN)


def refusal(what: str, base_url: str) -> RealOpenAIBlocked:
    return RealOpenAIBlocked(
        f"assistants-mock blocked {what}: the real OpenAI API is off limits while the "
        f"assistants_mock fixture is active. Use assistants_mock.client(), or build the client "
        f"without base_url so it reads OPENAI_BASE_URL (now {base_url})."
    )


def install(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """Patch the transports and the resolver for the fixture's duration."""
    for name in ("httpx2", "httpx"):
        try:
            lib = __import__(name)
        except ImportError:
            continue
        _patch_transports(monkeypatch, lib, base_url)

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if is_blocked(host):
            raise refusal(f"a connection to {host}", base_url)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _patch_transports(monkeypatch: pytest.MonkeyPatch, lib: Any, base_url: str) -> None:
    sync_send = lib.HTTPTransport.handle_request
    async_send = lib.AsyncHTTPTransport.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        if is_blocked(request.url.host):
            raise refusal(f"{request.method} {request.url}", base_url)
        return sync_send(self, request)

    async def handle_async_request(self: Any, request: Any) -> Any:
        if is_blocked(request.url.host):
            raise refusal(f"{request.method} {request.url}", base_url)
        return await async_send(self, request)

    monkeypatch.setattr(lib.HTTPTransport, "handle_request", handle_request)
    monkeypatch.setattr(lib.AsyncHTTPTransport, "handle_async_request", handle_async_request)
