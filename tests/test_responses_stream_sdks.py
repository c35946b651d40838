"""The same Responses streams through openai-python 3.x (this virtualenv), 2.x and 1.x
(``.venv-openai2``, ``.venv-openai1``), each with strict response validation: the stream helper,
``create(stream=True)``, a failed stream and a resumed background stream parse in every
version, and all versions see the same thing."""

from __future__ import annotations

import httpx2
import pytest

from mockserver.server import LiveServer
from tests.conftest import bearer
from tests.sdk_sessions import MAJORS, run_major

from .response_events import FUNCTION_CALL, LIFECYCLE, MESSAGE

SESSION = """
import json, os
import openai
from openai import OpenAI

client = OpenAI(
    base_url=os.environ["MOCK_BASE_URL"], api_key=os.environ["MOCK_KEY"],
    max_retries=0, _strict_response_validation=True,
)
WEATHER = {"type": "function", "name": "get_weather", "strict": True, "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
    "additionalProperties": False}}

def kinds(events):
    out = []
    for event in events:
        if not (event.type.endswith(".delta") and out and out[-1] == event.type + "*"):
            out.append(event.type + "*" if event.type.endswith(".delta") else event.type)
    return out

with client.responses.stream(model="gpt-4o", input="Why is the sky blue?") as stream:
    text_events = list(stream)
    final = stream.get_final_response()
with client.responses.create(
    model="gpt-4o", input="What's the weather in Paris?", tools=[WEATHER], stream=True
) as stream:
    call_events = list(stream)
call = call_events[-1].response.output[0]
try:
    with client.responses.stream(model="gpt-4o", input="this one should fail") as stream:
        for _ in stream:
            pass
    failure = None
except openai.APIError as error:
    failure = error.message
background = client.responses.create(model="gpt-4o", input="Say hi", background=True)
with client.responses.stream(response_id=background.id, starting_after=4) as stream:
    resumed = [event.sequence_number for event in stream]
    resumed_final = stream.get_final_response()
print(json.dumps({
    "major": openai.__version__.split(".")[0],
    "text": kinds(text_events),
    "numbers": [e.sequence_number for e in text_events] == list(range(len(text_events))),
    "final": [final.status, final.output_text == client.responses.retrieve(final.id).output_text],
    "call": kinds(call_events),
    "arguments": [call.name, call.arguments, "".join(
        e.delta for e in call_events if e.type == "response.function_call_arguments.delta")],
    "failure": failure,
    "resumed": [resumed[0], resumed_final.status],
}))
"""

EXPECTED = {
    "text": [*LIFECYCLE, *MESSAGE, "response.completed"],
    "numbers": True,
    "final": ["completed", True],
    "call": [*LIFECYCLE, *FUNCTION_CALL, "response.completed"],
    "arguments": ["get_weather", '{"city": "Paris"}', '{"city": "Paris"}'],
    "failure": "You exceeded your current quota.",
    "resumed": [5, "completed"],
}


@pytest.mark.parametrize("major", MAJORS)
def test_the_same_streams_through_each_python_sdk(
    major: str, request: pytest.FixtureRequest, live_server: LiveServer, api_key: str
) -> None:
    installed = httpx2.post(
        f"{live_server.url}/__mock__/scenario",
        headers=bearer(api_key),
        json={"name": "failing-runs"},
    )
    assert installed.status_code == 200, installed.text
    assert run_major(major, SESSION, request, live_server, api_key) == EXPECTED
