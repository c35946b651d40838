"""The virtual clock: the only source of time in the mock.

Nothing in the server reads the wall clock. Each sandbox owns a clock that starts at a
configured instant and moves only when the engine moves it (a run taking a step) or when a
user advances it through the control API, so timestamps, expiries and ordering are the same
on every run.
"""

from __future__ import annotations

from dataclasses import dataclass

#: 2026-01-01T00:00:00Z, a date on which the real Assistants API was still live.
DEFAULT_START = 1_767_225_600


@dataclass
class VirtualClock:
    """Whole seconds since the epoch, as the API reports them."""

    now: int = DEFAULT_START

    def advance(self, seconds: int) -> int:
        if seconds < 0:
            raise ValueError("the virtual clock never goes backwards")
        self.now += seconds
        return self.now
