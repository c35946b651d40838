"""Progression policies: how far runs advance each time a client reads them.

* ``default``: every state is observable once; each read moves one transition.
* ``instant``: the first read after a change sees the stable state.
* ``manual``: nothing moves until the control API says so.

Vector store files move with the virtual clock instead; what each policy means for them (and
so for file batches and stores) is in ``search/ingestion.py``.

The app's policy (``MockConfig.progression``) can be overridden per sandbox
(``Sandbox.settings["progression"]``), e.g. by the pytest marker or ``/__mock__/progression``.
"""

from __future__ import annotations

from . import errors
from .config import PROGRESSIONS, MockConfig
from .store import Sandbox

#: "until stable": more transitions than any object ever has
UNTIL_STABLE = 1_000


def policy(sandbox: Sandbox, config: MockConfig) -> str:
    return sandbox.settings.get("progression", config.progression)


def transitions_per_read(sandbox: Sandbox, config: MockConfig) -> int:
    """How many transitions a read may perform under the sandbox's policy."""
    name = policy(sandbox, config)
    if name == "manual":
        return 0
    if name == "instant":
        return UNTIL_STABLE
    return 1


def check(name: str) -> str:
    if name not in PROGRESSIONS:
        raise errors.invalid_value("progression", name, PROGRESSIONS)
    return name
