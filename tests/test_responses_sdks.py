"""The same Responses session through openai-python 3.x (this virtualenv), 2.x and 1.x
(``.venv-openai2``, ``.venv-openai1``: ``make test`` builds them), each with strict response
validation: every version parses every answer (streams included), and all see the same thing."""

from __future__ import annotations

import pytest

from mockserver.server import LiveServer
from tests.sdk_sessions import MAJORS, run_major

SESSION = """
import enum, json, os, time
from typing import List, Literal, Optional, Union
import openai
from openai import OpenAI
from pydantic import BaseModel

client = OpenAI(
    base_url=os.environ["MOCK_BASE_URL"], api_key=os.environ["MOCK_KEY"],
    max_retries=0, _strict_response_validation=True,
)
tool = {"type": "function", "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                       "required": ["city"], "additionalProperties": False}}
text = client.responses.create(model="gpt-4o", input="Hello there", instructions="Be brief.")
first = client.responses.create(model="gpt-4o", input="Weather in Paris?", tools=[tool])
call = first.output[0]
second = client.responses.create(
    model="gpt-4o", previous_response_id=first.id, tools=[tool],
    input=[{"type": "function_call_output", "call_id": call.call_id, "output": "18C"}],
)

class Answer(BaseModel):
    city: str
    degrees: int

parsed = client.responses.parse(model="gpt-4o", input="Weather in Oslo?", text_format=Answer)

class Unit(str, enum.Enum):
    celsius = "celsius"
    fahrenheit = "fahrenheit"

class Place(BaseModel):
    city: str
    country: Optional[str]

class Reading(BaseModel):
    unit: Unit
    value: float
    kind: Literal["min", "max"]

class Forecast(BaseModel):
    place: Place
    readings: List[Reading]
    note: Optional[str]
    nearby: Optional[Place] = None
    alert: Union[Place, Reading, None] = None

class GetForecast(BaseModel):
    place: Place
    unit: Unit
    days: Optional[int]

forecast = client.responses.parse(model="gpt-4o", input="Forecast for Oslo", text_format=Forecast)
tool_call = client.responses.parse(
    model="gpt-4o", input="Forecast for Lisbon", tool_choice="required",
    tools=[openai.pydantic_function_tool(GetForecast)],
).output[0]
with client.responses.stream(
    model="gpt-4o", input="Weather in Rome?", tools=[tool]
) as stream:
    call_types = [event.type for event in stream]
    streamed_call = stream.get_final_response().output[0]
with client.responses.stream(
    model="gpt-4o", input="Forecast for Rome", text_format=Forecast
) as stream:
    streamed_forecast = stream.get_final_response().output_parsed
waiting = client.responses.create(model="gpt-4o", input="Later", background=True)
polled = [waiting.status]
while polled[-1] in ("queued", "in_progress"):
    polled.append(client.responses.retrieve(waiting.id).status)
queued = client.responses.create(model="gpt-4o", input="Stop", background=True)
cancelled = client.responses.cancel(queued.id)
pages = [i.content[0].text for i in client.responses.input_items.list(
    text.id, limit=1, order="asc")]
with client.responses.stream(model="gpt-4o", input="Stream it") as stream:
    types = [event.type for event in stream]
    streamed = stream.get_final_response()
gone = client.responses.create(model="gpt-4o", input="Forget me", store=False)
try:
    client.responses.retrieve(gone.id)
    missing = None
except openai.NotFoundError as error:
    missing = error.response.json()["error"]["message"].replace(gone.id, "<id>")
print(json.dumps({
    "major": openai.__version__.split(".")[0],
    "text": text.output_text,
    "call": [call.type, call.name, json.loads(call.arguments)],
    "second": second.output_text,
    "parsed": type(parsed.output_parsed).__name__,
    "forecast": [
        type(forecast.output_parsed).__name__,
        type(forecast.output_parsed.place).__name__,
        all(isinstance(r.unit, Unit) for r in forecast.output_parsed.readings),
    ],
    "tool_call": [
        type(tool_call.parsed_arguments).__name__,
        isinstance(tool_call.parsed_arguments.unit, Unit),
    ],
    "streamed_call": [
        call_types[-3:], streamed_call.name, json.loads(streamed_call.arguments)["city"],
    ],
    "streamed_forecast": type(streamed_forecast).__name__,
    "polled": polled,
    "cancelled": cancelled.status,
    "pages": pages,
    "stream": [types[0], types[-1], streamed.output_text == client.responses.retrieve(
        streamed.id).output_text],
    "missing": missing,
}))
"""

EXPECTED = {
    "text": 'You asked: "Hello there". This is a simulated answer from the assistants mock.',
    "call": ["function_call", "get_weather", {"city": "Paris"}],
    "second": 'You asked: "Weather in Paris?". get_weather returned: 18C. '
    "This is a simulated answer from the assistants mock.",
    "parsed": "Answer",
    "forecast": ["Forecast", "Place", True],
    "tool_call": ["GetForecast", True],
    "streamed_call": [
        [
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        ],
        "get_weather",
        "Rome",
    ],
    "streamed_forecast": "Forecast",
    "polled": ["queued", "in_progress", "completed"],
    "cancelled": "cancelled",
    "pages": ["Hello there"],
    "stream": ["response.created", "response.completed", True],
    "missing": "Response with id '<id>' not found.",
}


@pytest.mark.parametrize("major", MAJORS)
def test_one_session_through_each_python_sdk(
    major: str, request: pytest.FixtureRequest, live_server: LiveServer, api_key: str
) -> None:
    assert run_major(major, SESSION, request, live_server, api_key) == EXPECTED
