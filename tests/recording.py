"""Recording raw SDK answers for the byte-for-byte determinism tests, and reading the request
journal back: what those tests compare, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import openai

from tests.conftest import bearer

Answer = tuple[int, str, bytes]


class RawAnswers:
    """Every raw response of a fixed sequence of SDK calls, refusals included, as
    (status, request id, body bytes): the bytes two servers must agree on."""

    def __init__(self) -> None:
        self.seen: list[Answer] = []

    def keep(self, raw: Any) -> Any:
        """Record a ``with_raw_response`` answer and return it parsed."""
        http = raw.http_response
        self.seen.append((http.status_code, http.headers["x-request-id"], http.content))
        return raw.parse()

    def refused(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Make a call that must be refused and record the refusal."""
        try:
            call(*args, **kwargs)
        except openai.APIStatusError as exc:
            self.seen.append((exc.status_code, exc.request_id, exc.response.content))
        else:
            raise AssertionError(f"{call} was not refused")


def seeded_answers(
    drive: Callable[[str], list[Answer]], server_factory: Callable[..., Any]
) -> list[Answer]:
    """``drive`` (a fixed sequence of calls against a base URL) on a fresh server with seed 3:
    checked to be byte-for-byte what a second such server answers, and to give other ids on a
    server with seed 4; returned for the caller's own checks."""
    first = drive(server_factory(seed=3).base_url)
    assert first == drive(server_factory(seed=3).base_url)
    assert first[0][2] != drive(server_factory(seed=4).base_url)[0][2]  # other ids
    return first


def journal_calls(server_url: str, key: str) -> list[tuple[str, str, int]]:
    """The sandbox's request journal (control API) as (method, path, status), oldest first."""
    journal = httpx2.get(f"{server_url}/__mock__/requests", headers=bearer(key)).json()
    return [(r["method"], r["path"], r["status"]) for r in journal["data"]]
