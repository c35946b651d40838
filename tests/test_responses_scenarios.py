"""One scenario file drives runs and responses with the same vocabulary: a scripted answer,
a tool call, a failure or a delay means the same for both; the documented Assistants
problems script runs only."""

from __future__ import annotations

import json

import pytest

WEATHER = {
    "type": "function",
    "name": "get_weather",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def test_a_scripted_tool_call_and_answer_on_both_apis(client, use):
    use("weather-tool")
    # Responses
    first = client.responses.create(model="gpt-4o", input="How is the weather?", tools=[WEATHER])
    (call,) = first.output
    assert json.loads(call.arguments) == {"city": "Paris", "unit": "celsius"}
    second = client.responses.create(
        model="gpt-4o",
        previous_response_id=first.id,
        tools=[WEATHER],
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}],
    )
    assert second.output_text == "The weather in Paris: sunny."
    # Assistants: the same rule, the same outcome
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "function", "function": WEATHER_FUNCTION}]
    )
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "How is the weather?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    (tool_call,) = run.required_action.submit_tool_outputs.tool_calls
    assert tool_call.function.arguments == call.arguments
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[{"tool_call_id": tool_call.id, "output": "sunny"}],
    )
    reply = client.beta.threads.messages.list(thread.id).data[0]
    assert reply.content[0].text.value == second.output_text
    # the default rule: a fixed greeting
    other = client.responses.create(model="gpt-4o", input="Hi")
    assert other.output_text == "Hello from the weather-tool scenario."


WEATHER_FUNCTION = {k: v for k, v in WEATHER.items() if k != "type"}


def test_a_scripted_failure(client, use):
    use("failing-runs")
    response = client.responses.create(model="gpt-4o", input="please fail now")
    assert response.status == "failed"
    assert response.error.code == "rate_limit_exceeded"
    assert response.error.message == "You exceeded your current quota."
    assert response.usage is None


def test_a_scripted_incomplete_ending(client, use):
    use("failing-runs")
    response = client.responses.create(model="gpt-4o", input="a long one")
    assert response.status == "incomplete"
    assert response.incomplete_details.reason == "max_output_tokens"


def test_a_scripted_delay_moves_the_virtual_clock(client, use):
    use("failing-runs")
    response = client.responses.create(
        model="gpt-4o",
        input="draw a chart",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
    )
    call, message = response.output
    assert call.outputs[0].logs == "plotted 3 bars\n"
    assert message.content[0].text == "Here is your chart (plotted 3 bars\n)."
    assert response.completed_at - response.created_at >= 5


def test_a_scripted_delay_holds_for_a_background_response(client, use):
    use("failing-runs")
    chart = {
        "model": "gpt-4o",
        "input": "draw a chart",
        "tools": [{"type": "code_interpreter", "container": {"type": "auto"}}],
        "include": ["code_interpreter_call.outputs"],
    }
    polled = [client.responses.create(**chart, background=True)]
    while polled[-1].status in ("queued", "in_progress"):
        polled.append(client.responses.retrieve(polled[-1].id, include=chart["include"]))
    assert [r.status for r in polled] == ["queued", "in_progress", "completed"]
    done = polled[-1]
    assert [item.type for item in done.output] == ["code_interpreter_call", "message"]
    # the step's 5 virtual seconds, beside what the same response takes without the delay
    plain = [client.responses.create(model="gpt-4o", input="Hi", background=True)]
    while plain[-1].status in ("queued", "in_progress"):
        plain.append(client.responses.retrieve(plain[-1].id))
    took = done.completed_at - done.created_at
    assert took >= 5 + plain[-1].completed_at - plain[-1].created_at


def test_a_response_only_rule(client, use):
    use(
        {
            "version": 1,
            "runs": [
                {"match": {"api": "responses"}, "steps": [{"message": "from a response rule"}]}
            ],
        }
    )
    assert client.responses.create(model="gpt-4o", input="Hi").output_text == (
        "from a response rule"
    )
    assistant = client.beta.assistants.create(model="gpt-4o")
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Hi"}]}
    )
    reply = client.beta.threads.messages.list(run.thread_id).data[0]
    assert reply.content[0].text.value != "from a response rule"


@pytest.mark.parametrize("name", ["active-run", "cancel-race", "incomplete-run"])
def test_documented_assistants_problems_leave_responses_alone(client, use, name):
    use(name)
    response = client.responses.create(model="gpt-4o", input="Hi")
    assert response.status == "completed"
    assert response.output_text.startswith('You asked: "Hi".')


def test_a_scripted_round_trip_through_a_conversation_or_by_hand(client, use):
    use("weather-tool")
    conversation = client.conversations.create()
    first = client.responses.create(
        model="gpt-4o", input="How is the weather?", tools=[WEATHER], conversation=conversation.id
    )
    (call,) = first.output
    answer = [{"type": "function_call_output", "call_id": call.call_id, "output": "windy"}]
    second = client.responses.create(
        model="gpt-4o", tools=[WEATHER], conversation=conversation.id, input=answer
    )
    assert second.output_text == "The weather in Paris: windy."
    # stateless: the whole exchange sent again, nothing stored
    asked = [{"role": "user", "content": "How is the weather?"}]
    first = client.responses.create(model="gpt-4o", input=asked, tools=[WEATHER], store=False)
    (call,) = first.output
    replayed = [
        *asked,
        {
            "type": "function_call",
            "call_id": call.call_id,
            "name": call.name,
            "arguments": call.arguments,
        },
        {"type": "function_call_output", "call_id": call.call_id, "output": "calm"},
    ]
    second = client.responses.create(model="gpt-4o", input=replayed, tools=[WEATHER], store=False)
    assert second.output_text == "The weather in Paris: calm."
