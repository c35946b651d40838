"""Progression policies: how far runs advance each time a client reads them.

* ``default``: every state is observable once; each read moves one transition.
* ``instant``: the first read after a change sees the stable state.
* ``manual``: nothing moves until the control API says so.

Vector store files move with the virtual clock instead; what each policy means for them (and
so for file batches and stores) is in ``search/ingestion.py``.

A sandbox's policy is :attr:`Sandbox.policy <mockserver.backend.Backend.policy>`: the app's
(``MockConfig.progression``) unless the sandbox overrides it (``settings["progression"]``,
e.g. by the pytest marker or ``/__mock__/settings``).
"""

from __future__ import annotations

from typing import Any

from . import errors
from .config import PROGRESSIONS
from .store import Sandbox

#: "until stable": more transitions than any object ever has
UNTIL_STABLE = 1_000


def policy(sandbox: Sandbox, _config: Any = None) -> str:
    """The sandbox's policy. (``_config`` is not read: ``handle.py`` still passes the app's
    config, from before sandboxes knew their policy.)"""
    return sandbox.policy


def transitions_per_read(sandbox: Sandbox) -> int:
    """How many transitions a read may perform under the sandbox's policy."""
    name = sandbox.policy
    if name == "manual":
        return 0
    if name == "instant":
        return UNTIL_STABLE
    return 1


def check(name: str) -> str:
    if name not in PROGRESSIONS:
        raise errors.invalid_value("progression", name, PROGRESSIONS)
    return name
