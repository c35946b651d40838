"""Progression policies: how far runs advance each time a client reads them.

* ``default``: every state is observable once; each read moves one transition.
* ``instant``: the first read after a change sees the stable state.
* ``manual``: nothing moves until the control API says so.

Vector store files move with the virtual clock instead; what each policy means for them (and
so for file batches and stores) is in ``search/ingestion.py``.

A sandbox's policy is :attr:`Sandbox.policy <mockserver.backend.Backend.policy>`: the app's
(``MockConfig.progression``) unless the sandbox overrides it (``settings["progression"]``,
e.g. by the pytest marker or ``/__mock__/settings``).

:data:`PROGRESSIONS` and :func:`check_progression` are the one list of policies and the one
check of a policy's name: the app's configuration, the CLI, the pytest plugin, the control core
and the scenario format all use them. At run time this module imports nothing of the package
but the error catalogue, for a refusal, so ``config.py`` and the plugin import it freely.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Sandbox

#: the policies, in the order they are listed to users
PROGRESSIONS = ("default", "instant", "manual")

#: "until stable": more transitions than any object ever has
UNTIL_STABLE = 1_000


def transitions_per_read(sandbox: Sandbox) -> int:
    """How many transitions a read may perform under the sandbox's policy."""
    name = sandbox.policy
    if name == "manual":
        return 0
    if name == "instant":
        return UNTIL_STABLE
    return 1


def check_progression(name: object) -> str:
    """``name`` if it is a policy's, else the error that lists the valid ones (a ValueError to
    a Python caller, a 400 over HTTP: see :class:`mockserver.errors.InvalidArgument`)."""
    if not isinstance(name, str) or name not in PROGRESSIONS:
        # imported here, for a refusal only: the pytest plugin imports this module at every
        # pytest start, and the catalogue's dataclasses cost more than the rest of it
        from . import errors

        raise errors.unknown_progression(name, PROGRESSIONS)
    return name
