"""Byte-exact SSE transcripts of Responses streams, against a fresh server with seed 0.

As for the Assistants transcripts (``tests/test_golden_streams.py``): each flow runs on two
fresh servers, both must produce the same bytes, and those bytes must equal
``tests/golden/responses_<flow>.sse``. Regenerate on purpose with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:xdist tests/test_responses_stream_golden.py
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .transcripts import Session, golden_transcript

MODEL = "gpt-4o"
WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
    "strict": True,
}


def respond(s: Session, **body) -> bytes:
    return s.stream("/responses", {"model": MODEL, **body})


def text(s: Session) -> bytes:
    return respond(s, input="Why is the sky blue?", instructions="Be brief.")


def function_call(s: Session) -> bytes:
    return respond(s, input="What's the weather in Paris?", tools=[WEATHER])


def file_search(s: Session) -> bytes:
    upload = s.http.post(
        "/files",
        data={"purpose": "assistants"},
        files={
            "file": (
                "rockets.md",
                b"# Rockets\n\nRockets burn fuel and push exhaust down to fly up.\n",
            )
        },
    )
    assert upload.status_code == 200, upload.text
    store = s.post("/vector_stores", {"name": "facts", "file_ids": [upload.json()["id"]]})
    while store["status"] != "completed":
        store = s.http.get(f"/vector_stores/{store['id']}").json()
    tools = [{"type": "file_search", "vector_store_ids": [store["id"]]}]
    return respond(s, input="How do rockets fly?", tools=tools)


def code_interpreter(s: Session) -> bytes:
    s.scenario("failing-runs")
    tools = [{"type": "code_interpreter", "container": {"type": "auto"}}]
    return respond(s, input="Draw a chart", tools=tools)


def failed(s: Session) -> bytes:
    s.scenario("failing-runs")
    return respond(s, input="this one should fail")


def incomplete(s: Session) -> bytes:
    return respond(s, input="Tell me everything. " * 40, max_output_tokens=16)


def background(s: Session) -> bytes:
    return respond(s, input="Say hi", background=True)


FLOWS: dict[str, Callable[[Session], bytes]] = {
    "text": text,
    "function_call": function_call,
    "file_search": file_search,
    "code_interpreter": code_interpreter,
    "failed": failed,
    "incomplete": incomplete,
    "background": background,
}


@pytest.mark.parametrize("name", sorted(FLOWS))
def test_responses_stream_is_byte_identical_to_its_golden_transcript(name, server_factory):
    transcript = golden_transcript(FLOWS[name], server_factory, f"responses_{name}.sse")
    assert b"[DONE]" not in transcript
