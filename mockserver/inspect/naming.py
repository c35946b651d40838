"""Opaque names of sandboxes: ``sbx_`` and 24 hex digits of an HMAC of the key.

The inspector's URLs and change notices name a sandbox by this handle, never by its key: a
handle tells nothing about the key (the secret is random per app, so handles differ between
two servers and across restarts), and the key cannot be derived from it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

PREFIX = "sbx_"
#: hex digits kept: 96 bits, more than enough to tell a server's sandboxes apart
DIGITS = 24
#: handles remembered: the journal view names each of its 10,000 entries' sandbox, and a live
#: stream each notice's; an HMAC each time was most of the journal view's cost
REMEMBERED = 4096


class SandboxNames:
    """The handles of one app's sandboxes."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret if secret is not None else secrets.token_bytes(32)
        self.of = functools.lru_cache(maxsize=REMEMBERED)(self._of)

    def _of(self, key: str) -> str:
        """The handle of ``key`` (through :attr:`of`, which remembers the latest)."""
        digest = hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()
        return PREFIX + digest[:DIGITS]
