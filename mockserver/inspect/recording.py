"""What the inspector keeps of a run beyond what the engine needs: its SSE streams as sent.

Kept in the run's bookkeeping (``RunRecord["streams"]``, plain JSON), so a stream survives
``--data-dir`` restarts and shows in state dumps. A frame is kept as the text that went out;
it is decoded only when someone looks (:func:`events`).
"""

from __future__ import annotations

import json
from typing import Any

from ..backend import Backend
from ..types import RunRecord


def stream_sent(sandbox: Backend, run_id: str, frames: list[bytes]) -> None:
    """Remember the frames of one SSE response of run ``run_id``, exactly as sent."""
    record = sandbox.run_records().get(run_id)
    if record is not None:
        record.setdefault("streams", []).append([frame.decode() for frame in frames])


def events(record: RunRecord) -> list[dict[str, Any]]:
    """Every event of the run's streams, in order: ``{"stream": n, "event": name, "data":
    the JSON it carried (``"[DONE]"`` for the end)}``."""
    shown: list[dict[str, Any]] = []
    for number, frames in enumerate(record.get("streams", [])):
        for frame in frames:
            event, data = _parse(frame)
            shown.append({"stream": number, "event": event, "data": data})
    return shown


def _parse(frame: str) -> tuple[str, Any]:
    """``event: NAME\\ndata: JSON\\n\\n`` -> (NAME, the decoded JSON, or the raw text)."""
    event, data = "", ""
    for line in frame.split("\n"):
        if line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            data = line[len("data: ") :]
    try:
        return event, json.loads(data)
    except ValueError:
        return event, data
