"""The default assistant takes values from the user's message (issue 9 B), chooses functions by
their descriptions and parameter names, and writes code when asked for code; through the strict
Python SDK."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_client


def function(
    name: str, properties: dict, required: list[str] | None = None, description: str | None = None
) -> dict:
    spec: dict = {
        "name": name,
        "parameters": {
            "type": "object",
            "properties": properties,
            "required": list(properties) if required is None else required,
        },
    }
    if description is not None:
        spec["description"] = description
    return {"type": "function", "function": spec}


# shaped as Semantic Kernel sends its Menu plugin
MENU = [
    function(
        "MenuPlugin-get_specials", {}, description="Provides a list of specials from the menu."
    ),
    function(
        "MenuPlugin-get_item_price",
        {"menu_item": {"type": "string", "description": "The name of the menu item."}},
        description="Provides the price of the requested menu item.",
    ),
]
# shaped as llama-index's FunctionTool.from_defaults(fn=multiply)
MULTIPLY = function(
    "multiply",
    {"a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "integer"}},
    description="multiply(a: int, b: int) -> int\nMultiply two integers and returns the result integer",
)


def calls(client, text: str, tools: list[dict], **options) -> list[tuple[str, dict]]:
    run = client.beta.threads.create_and_run_poll(
        assistant_id=client.beta.assistants.create(model="gpt-4o", tools=tools).id,
        thread={"messages": [{"role": "user", "content": text}]},
        **options,
    )
    if run.status != "requires_action":
        return []
    return [
        (c.function.name, json.loads(c.function.arguments))
        for c in run.required_action.submit_tool_outputs.tool_calls
    ]


def test_semantic_kernel_menu_item_comes_from_the_message(client):
    assert calls(client, "What is the price of the Clam Chowder?", MENU) == [
        ("MenuPlugin-get_item_price", {"menu_item": "Clam Chowder"})
    ]


def test_llama_index_multiply_takes_the_numbers_in_order(client):
    assert calls(client, "Please multiply 121 by 3.", [MULTIPLY]) == [
        ("multiply", {"a": 121, "b": 3})
    ]


def test_numbers_respect_bounds_and_types(client):
    tool = function(
        "set_volume",
        {
            "level": {"type": "integer", "minimum": 0, "exclusiveMaximum": 10},
            "fade": {"type": "number", "exclusiveMinimum": 0},
        },
    )
    # 10 is not below level's exclusive maximum, 7.5 is no integer: level takes 7; the fade
    # takes the number its name stands next to
    assert calls(client, "Set the volume: 10, 7.5 or 7, with a 0.5 fade", [tool]) == [
        ("set_volume", {"level": 7, "fade": 0.5})
    ]


def test_words_next_to_a_value_give_it_to_its_parameter(client):
    tool = function(
        "book_hotel",
        {
            "rooms": {"type": "integer"},
            "nights": {"type": "integer"},
            "origin": {"type": "string"},
            "destination": {"type": "string"},
        },
        description="Book a hotel room for a trip.",
    )
    [(_, arguments)] = calls(
        client, "Book 3 nights and 2 rooms, flying to Tokyo from Paris", [tool]
    )
    assert arguments == {"rooms": 2, "nights": 3, "origin": "Paris", "destination": "Tokyo"}


def test_quoted_text_emails_urls_dates_and_enum_values(client):
    tool = function(
        "send_invite",
        {
            "title": {"type": "string", "description": "The event title"},
            "email": {"type": "string", "format": "email"},
            "link": {"type": "string", "format": "uri"},
            "day": {"type": "string", "format": "date"},
            "priority": {"type": "string", "enum": ["low", "normal", "urgent"]},
        },
    )
    text = 'Send an URGENT invite "Quarterly review" to bob@example.org for 2026-03-05, see https://example.com/agenda.'
    assert calls(client, text, [tool]) == [
        (
            "send_invite",
            {
                "title": "Quarterly review",
                "email": "bob@example.org",
                "link": "https://example.com/agenda",
                "day": "2026-03-05",
                "priority": "urgent",
            },
        )
    ]


def test_relative_and_written_dates_use_the_virtual_clock(client):
    tool = function(
        "plan",
        {
            "start_date": {"type": "string", "format": "date"},
            "end_date": {"type": "string", "format": "date"},
        },
    )
    [(_, arguments)] = calls(client, "Plan it from tomorrow until March 5", [tool])
    assert arguments == {"start_date": "2026-01-02", "end_date": "2026-03-05"}  # clock: 2026-01-01


def test_an_array_of_numbers_takes_all_of_them(client):
    tool = function("add_numbers", {"numbers": {"type": "array", "items": {"type": "number"}}})
    assert calls(client, "Add the numbers 3, 5.5 and 7", [tool]) == [
        ("add_numbers", {"numbers": [3, 5.5, 7]})
    ]


def test_optional_parameters_take_their_default_unless_the_message_names_a_value(client):
    tool = function(
        "get_weather",
        {
            "city": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius"},
            "days": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        },
        required=["city"],
    )
    assert calls(client, "What's the weather in Paris?", [tool]) == [
        ("get_weather", {"city": "Paris", "unit": "celsius", "days": None})
    ]
    assert calls(client, "Weather in Oslo in fahrenheit", [tool]) == [
        ("get_weather", {"city": "Oslo", "unit": "fahrenheit", "days": None})
    ]


def test_what_the_message_lacks_is_generated_the_same_for_the_same_seed(server_factory, api_key):
    tool = function(
        "create_contact",
        {"name": {"type": "string"}, "phone": {"type": "string"}, "city": {"type": "string"}},
    )
    results = []
    for seed in (3, 3, 4):
        with make_client(server_factory(seed=seed).base_url, api_key) as client:
            results.append(calls(client, "create a contact please", [tool]))
    assert results[0] == results[1] != results[2]
    [(_, arguments)] = results[0]
    assert all(isinstance(v, str) and v for v in arguments.values())


def test_a_function_is_chosen_by_its_description_and_parameter_names(client):
    tools = [
        function(
            "lookup",
            {"isbn": {"type": "string"}},
            description="Find a book in the library catalogue.",
        ),
        function(
            "convert",
            {"amount": {"type": "number"}, "currency": {"type": "string"}},
            description="Exchange money between currencies.",
        ),
    ]
    assert [n for n, _ in calls(client, "Which library has this book?", tools)] == ["lookup"]
    assert [n for n, _ in calls(client, "How much is 20 in another currency?", tools)] == [
        "convert"
    ]
    assert calls(client, "tell me a story", tools) == []


@pytest.mark.parametrize(
    "text",
    [
        "Generate the first 20 fibbonaci numbers with code.",  # OpenAI's notebook, misspelling included
        "Write a program that prints the first 20 Fibonacci numbers",
        "fibonacci numbers, 20 of them, in Python please",
    ],
)
def test_code_interpreter_runs_when_the_message_asks_for_code(client, text):
    assistant = client.beta.assistants.create(
        model="gpt-4-1106-preview",
        name="Math Tutor",
        tools=[{"type": "code_interpreter"}],
        instructions="You are a personal math tutor. Answer questions briefly, in a sentence or less.",
    )
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": text}]}
    )
    assert run.status == "completed"
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data
    assert [s.step_details.type for s in steps] == ["tool_calls", "message_creation"]
    call = steps[0].step_details.tool_calls[0]
    assert call.type == "code_interpreter"
    assert "fibonacci(20)" in call.code_interpreter.input
    first20 = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]
    assert call.code_interpreter.outputs[0].logs == f"{first20}\n"
    reply = client.beta.threads.messages.list(run.thread_id).data[0].content[0].text.value
    assert reply.endswith("2584, 4181.")


@pytest.mark.parametrize(
    ("text", "logs"),
    [("Calculate the sum of 1,000 and 2,500 with code.", "3500\n"),
     ("Sort 3,1,2 in Python.", "[1, 2, 3]\n")],
)
def test_code_reads_thousands_separators_and_comma_lists(client, text, logs):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": text}]}
    )
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, order="asc").data
    call = steps[0].step_details.tool_calls[0]
    assert call.code_interpreter.outputs[0].logs == logs


def test_asking_about_code_without_asking_for_it_is_a_plain_reply(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[{"type": "code_interpreter"}])
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "What is a code of conduct?"}]},
    )
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id).data
    assert [s.step_details.type for s in steps] == ["message_creation"]
