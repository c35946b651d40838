"""Credentials: the operator token, how secrets are compared, how a key is shown.

A leaf module (no imports from the package), so that error messages, the journal and the
control API's rule all share it. :func:`mask_key` renders every key the mock ever shows
(journal, state dumps, errors, logs): never whole.
"""

from __future__ import annotations

import hmac
import secrets

#: the request header that carries the operator token (control requests that span sandboxes)
OPERATOR_HEADER = "X-Mock-Operator-Token"
#: the environment variable the CLI reads the operator token from
OPERATOR_TOKEN_ENV = "ASSISTANTS_MOCK_OPERATOR_TOKEN"

#: characters kept at each end of a long key: the prefix names its kind, the tail tells keys apart
HEAD, TAIL = 3, 4


def new_operator_token() -> str:
    """A fresh random token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def same_secret(given: str, expected: str) -> bool:
    """Whether two secrets are equal, in time that does not depend on where they differ."""
    return hmac.compare_digest(given.encode(), expected.encode())


def mask_key(key: str) -> str:
    """``sk-test-0123456789abcdef`` -> ``sk-…cdef``: the first 3 and last 4 characters, and
    never more than half of the key (a short key keeps only its tail: ``sk-one`` -> ``…one``)."""
    shown = len(key) // 2
    if shown >= HEAD + TAIL:
        return f"{key[:HEAD]}…{key[-TAIL:]}"
    tail = min(TAIL, shown)
    return f"…{key[len(key) - tail :]}"
