"""Byte-exact SSE transcripts of the main flows, against a fresh server with seed 0.

Each flow runs on two fresh servers: both must produce the same bytes (same seed, same
requests, same stream), and those bytes must equal ``tests/golden/<flow>.sse``.

When the engine's output changes on purpose, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:xdist tests/test_golden_streams.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

GOLDEN = Path(__file__).parent / "golden"
KEY = "sk-golden"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}


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
        return self.post("/assistants", {"model": "gpt-4o", "instructions": "Be brief.", **extra})["id"]

    def thread(self, text: str) -> str:
        return self.post("/threads", {"messages": [{"role": "user", "content": text}]})["id"]


def text_answer(s: Session) -> bytes:
    assistant, thread = s.assistant(), s.thread("Why is the sky blue?")
    return s.stream(f"/threads/{thread}/runs", {"assistant_id": assistant})


def function_call(s: Session) -> bytes:
    assistant, thread = s.assistant(tools=[WEATHER]), s.thread("What's the weather in Paris?")
    return s.stream(f"/threads/{thread}/runs", {"assistant_id": assistant})


def tool_outputs(s: Session) -> bytes:
    assistant, thread = s.assistant(tools=[WEATHER]), s.thread("What's the weather in Paris?")
    run = s.post(f"/threads/{thread}/runs", {"assistant_id": assistant, "tool_choice": "required"})
    while run["status"] != "requires_action":
        run = s.http.get(f"/threads/{thread}/runs/{run['id']}").json()
    [call] = run["required_action"]["submit_tool_outputs"]["tool_calls"]
    return s.stream(
        f"/threads/{thread}/runs/{run['id']}/submit_tool_outputs",
        {"tool_outputs": [{"tool_call_id": call["id"], "output": "22C and clear"}]},
    )


def create_and_run(s: Session) -> bytes:
    assistant = s.assistant()
    return s.stream("/threads/runs", {
        "assistant_id": assistant, "thread": {"messages": [{"role": "user", "content": "Say hi"}]},
    })


def incomplete(s: Session) -> bytes:
    assistant = s.assistant()
    thread = s.thread("many words " * 150)
    return s.stream(f"/threads/{thread}/runs", {"assistant_id": assistant, "max_prompt_tokens": 256})


def failed(s: Session) -> bytes:
    s.scenario("failing-runs")
    assistant, thread = s.assistant(), s.thread("this run should fail")
    return s.stream(f"/threads/{thread}/runs", {"assistant_id": assistant})


FLOWS: dict[str, Callable[[Session], bytes]] = {
    "text_answer": text_answer,
    "function_call": function_call,
    "tool_outputs": tool_outputs,
    "create_and_run": create_and_run,
    "incomplete": incomplete,
    "failed": failed,
}


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_stream_is_byte_identical_to_its_golden_transcript(name, server_factory):
    transcripts = []
    for _ in range(2):
        session = Session(server_factory(seed=0).base_url)
        try:
            transcripts.append(FLOWS[name](session))
        finally:
            session.http.close()
    assert transcripts[0] == transcripts[1], "same seed, same requests, different bytes"
    path = GOLDEN / f"{name}.sse"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(transcripts[0])
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert transcripts[0] == path.read_bytes()
    assert transcripts[0].endswith(b"\n\nevent: done\ndata: [DONE]\n\n")
