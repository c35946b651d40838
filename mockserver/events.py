"""Server-sent events: pure framing (``event:`` + ``data:`` lines) of both stream vocabularies.

A stream is a list of frames computed by the engine as it performs transitions; each frame
is encoded when it is emitted, so it records the object exactly as it was at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import error_body
from .responses import dumps

DONE = b"event: done\ndata: [DONE]\n\n"

RUN_TERMINAL_EVENTS = frozenset(
    f"thread.run.{s}" for s in ("requires_action", "completed", "incomplete", "failed", "cancelled", "expired")
)


def frame(event: str, data: Any) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + dumps(data) + b"\n\n"


def error_frame(
    message: str, type: str = "server_error", param: str | None = None, code: str | None = "server_error"
) -> bytes:
    """The wrapped form both SDKs raise on (the bare form breaks them)."""
    return frame("error", error_body(message, type, param, code))


@dataclass
class EventLog:
    """Collects frames while the engine works; a no-op sink would cost nothing more."""

    frames: list[bytes] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def emit(self, event: str, data: Any) -> None:
        self.names.append(event)
        self.frames.append(frame(event, data))
