"""Byte-exact SSE transcripts of the main flows, against a fresh server with seed 0.

Each flow runs on two fresh servers: both must produce the same bytes (same seed, same
requests, same stream), and those bytes must equal ``tests/golden/<flow>.sse``.

When the engine's output changes on purpose, regenerate the files and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:xdist tests/test_golden_streams.py
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .transcripts import Session, golden_transcript

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
    transcript = golden_transcript(FLOWS[name], server_factory, f"{name}.sse")
    assert transcript.endswith(b"\n\nevent: done\ndata: [DONE]\n\n")
