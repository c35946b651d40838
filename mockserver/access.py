"""Who may do what under ``/__mock__``: the rule, without HTTP.

A control request presents up to two credentials:

* an **API key** (``Authorization: Bearer KEY`` as on ``/v1``, or ``api-key: KEY`` as on ``/openai``; with ``--api-key`` it must be
  that key): it acts on its own sandbox, the one the key names, and on no other;
* the **operator token** (``X-Mock-Operator-Token``; the CLI makes or takes it at start-up, the
  plugin's live server knows it): it acts on any sandbox (``?sandbox=KEY``) and on all of them
  (reset everything, the whole journal).

With neither, nothing but ``/__mock__/health`` answers. ``?sandbox=KEY`` naming the caller's own
key is the same as naming none; naming another key without the operator token is refused
whether or not that sandbox exists, so the answer tells nothing about other sandboxes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import errors
from .config import MockConfig
from .credentials import OPERATOR_HEADER, same_secret


def bearer_key(authorization: str) -> str | None:
    """The key of an ``Authorization: Bearer KEY`` header value, or None."""
    scheme, _, key = authorization.partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


@dataclass(frozen=True)
class Caller:
    """Who sent a control request: the API key it gave (if any) and whether it is the operator."""

    key: str | None
    operator: bool

    def target(self, named: str | None) -> str | None:
        """The sandbox a request acts on: ``named`` if the caller may act on it, else its own
        (None: an operator who named none, i.e. every sandbox where that makes sense).
        An empty name (``?sandbox=`` of an unset variable) names no key there can be: refused,
        never taken for "none" (for the operator, that would be every sandbox)."""
        if named == "":
            raise errors.sandbox_not_named()
        if named is None or named == self.key:
            return self.key
        if not self.operator:
            assert self.key is not None  # identify() admits no one without a key or the token
            raise errors.not_your_sandbox(named, self.key)
        return named

    def sandbox(self, named: str | None) -> str:
        """The one sandbox a request acts on; an operator who names none is asked to."""
        key = self.target(named)
        if key is None:
            raise errors.sandbox_not_named()
        return key


def identify(headers: Mapping[str, str], config: MockConfig) -> Caller:
    """The caller of a control request, or the 401 that refuses it. A credential that is given
    must be right, even beside a right one: a wrong key or token is never ignored."""
    token = headers.get(OPERATOR_HEADER.lower())
    operator = token is not None
    if operator and not same_secret(token, config.operator_token):
        raise errors.incorrect_operator_token()
    # the Azure SDKs send their key as ``api-key``; the control API takes it like a bearer key
    key = bearer_key(headers.get("authorization", "")) or headers.get("api-key", "").strip() or None
    if key is not None and config.api_key is not None and not same_secret(key, config.api_key):
        raise errors.incorrect_api_key(key)
    if key is None and not operator:
        raise errors.control_credentials_missing()
    return Caller(key=key, operator=operator)
