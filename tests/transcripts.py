"""What the golden-transcript tests share: a raw-HTTP session against one server, and the
check that a flow's stream is byte-identical on two fresh servers and to its file under
``tests/golden/`` (rewritten instead when ``UPDATE_GOLDEN=1``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx2

GOLDEN = Path(__file__).parent / "golden"
KEY = "sk-golden"


class Session:
    """Raw HTTP against one server as one sandbox; streams are read to the end of the body."""

    def __init__(self, base_url: str) -> None:
        headers = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
        self.http = httpx2.Client(base_url=base_url, headers=headers)
        self.root = base_url.removesuffix("/v1")

    def scenario(self, name: str) -> None:
        """Install a built-in scenario in this sandbox (control API)."""
        self.http.post(f"{self.root}/__mock__/scenario", json={"name": name}).raise_for_status()

    def post(self, path: str, body: dict) -> dict:
        response = self.http.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def stream(self, path: str, body: dict) -> bytes:
        with self.http.stream("POST", path, json={**body, "stream": True}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            return response.read()

    def assistant(self, **extra) -> str:
        body = {"model": "gpt-4o", "instructions": "Be brief.", **extra}
        return self.post("/assistants", body)["id"]

    def thread(self, text: str) -> str:
        return self.post("/threads", {"messages": [{"role": "user", "content": text}]})["id"]


def golden_transcript(flow: Callable[[Session], bytes], server_factory, filename: str) -> bytes:
    """Run ``flow`` on two fresh servers with seed 0, check both streams are the same bytes
    and equal ``tests/golden/<filename>``; return them for the caller's own checks."""
    transcripts = []
    for _ in range(2):
        session = Session(server_factory(seed=0).base_url)
        try:
            transcripts.append(flow(session))
        finally:
            session.http.close()
    assert transcripts[0] == transcripts[1], "same seed, same requests, different bytes"
    path = GOLDEN / filename
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(transcripts[0])
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert transcripts[0] == path.read_bytes()
    return transcripts[0]
