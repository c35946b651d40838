"""Request patterns of real agent frameworks and of OpenAI's own notebook, through the SDK.

Each test reproduces, call by call, what a framework sends to the Assistants API (the
frameworks themselves are not installed: these are the patterns their code sends, written
here in our own words). They are the flows that failed or gave wrong values before the mock
was tried with other people's code: explicit nulls, a vector store used at once, a deleted
store still attached, arguments taken from the user's words, code interpreter asked for in
plain English, and the Azure flavour of the client.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai import AzureOpenAI, OpenAI

from mockserver.server import LiveServer

TERMINAL = {"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"}


def poll(client: OpenAI, thread_id: str, run_id: str) -> Any:
    """The frameworks' own polling loop (they retrieve until the status settles)."""
    for _ in range(50):
        run = client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
        if run.status in TERMINAL:
            return run
    raise AssertionError(f"run {run_id} never settled: {run.status}")


def last_reply(client: OpenAI, thread_id: str) -> Any:
    return client.beta.threads.messages.list(thread_id, order="desc", limit=1).data[0]


def text_of(message: Any) -> str:
    return "".join(part.text.value for part in message.content if part.type == "text")


# -- marvin 2.3 ---------------------------------------------------------------------------


def test_marvin_thread_with_null_messages_then_streamed_run(client: OpenAI) -> None:
    """marvin creates every thread with ``{"messages": null}`` and streams its runs."""
    thread = client.beta.threads.create(messages=None)  # the SDK sends the explicit null
    client.beta.threads.messages.create(thread.id, role="user", content="Say hello to Ada.")
    assistant = client.beta.assistants.create(
        model="gpt-4o", instructions="You are a helpful assistant.", tools=[],
    )
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert run.status == "completed"
    assert "Say hello to Ada." in text_of(last_reply(client, thread.id))


# -- AutoGen 0.7 --------------------------------------------------------------------------


def test_autogen_code_interpreter_upload_sends_null_file_search(client: OpenAI) -> None:
    """AutoGen's OpenAIAssistantAgent attaches an uploaded file to the thread for code
    interpreter with ``file_search: null`` beside it, and reads the assistant's
    ``tool_resources.code_interpreter.file_ids`` even when it gave none."""
    assistant = client.beta.assistants.create(
        model="gpt-4o", name="analyst", instructions="Analyse data.",
        tools=[{"type": "code_interpreter"}, {"type": "file_search"}],
    )
    assert assistant.tool_resources.code_interpreter.file_ids == []
    thread = client.beta.threads.create()
    data = client.files.create(file=("data.csv", b"x,y\n1,2\n3,4\n"), purpose="assistants")
    thread = client.beta.threads.update(
        thread.id,
        tool_resources={"code_interpreter": {"file_ids": [data.id]}, "file_search": None},
    )
    assert thread.tool_resources.code_interpreter.file_ids == [data.id]
    client.beta.threads.messages.create(
        thread.id, role="user", content=[{"type": "text", "text": "Plot y against x."}]
    )
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    run = poll(client, thread.id, run.id)
    assert run.status == "completed"
    usage = run.to_dict()["usage"]
    assert usage["prompt_token_details"] == {"cached_tokens": 0}
    assert usage["completion_tokens_details"] == {"reasoning_tokens": 0}


def test_autogen_vector_store_get_or_create_after_delete(client: OpenAI) -> None:
    """After its vector store is deleted, the assistant no longer names it, so a
    get-or-create helper creates a new one instead of retrieving a dead id (a 404)."""
    doc = client.files.create(file=("notes.md", b"# Notes\nThe launch is on Tuesday.\n"), purpose="assistants")
    store = client.vector_stores.create(name="autogen", file_ids=[doc.id])
    assistant = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    client.vector_stores.delete(store.id)
    assistant = client.beta.assistants.retrieve(assistant.id)
    assert assistant.tool_resources.file_search.vector_store_ids == []
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"


# -- LangChain OpenAIAssistantV2Runnable --------------------------------------------------


def test_langchain_create_and_run_with_null_fields_and_tool_round_trip(client: OpenAI) -> None:
    """LangChain starts with create-and-run, passing through whatever its input lacked as
    ``null`` (thread metadata, attachments, tool resources), polls, submits tool outputs,
    then reads the thread's messages in ascending order."""
    assistant = client.beta.assistants.create(
        model="gpt-4o", instructions="You answer questions about the weather.",
        tools=[{"type": "function", "function": {
            "name": "get_weather",
            "description": "Get the current weather in a given city.",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"]},
        }}],
    )
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        thread={
            "messages": [{"role": "user", "content": "What's the weather in Lisbon?", "attachments": None}],
            "metadata": None,
        },
        instructions=None, model=None, tools=None, tool_resources=None,
        truncation_strategy=None, max_prompt_tokens=None, metadata=None,
    )
    run = poll(client, run.thread_id, run.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert json.loads(call.function.arguments) == {"city": "Lisbon"}
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": call.id, "output": "19C, clear"}],
    )
    run = poll(client, run.thread_id, run.id)
    assert run.status == "completed"
    messages = client.beta.threads.messages.list(run.thread_id, order="asc").data
    answers = [m for m in messages if m.run_id == run.id]
    assert "19C, clear" in text_of(answers[-1])


# -- llama-index OpenAIAssistantAgent -----------------------------------------------------

MULTIPLY = {
    "type": "function",
    "function": {
        "name": "multiply",
        "description": "multiply(a: int, b: int) -> int\nMultiply two integers and return the result integer",
        "parameters": {
            "type": "object",
            "properties": {"a": {"title": "A", "type": "integer"}, "b": {"title": "B", "type": "integer"}},
            "required": ["a", "b"],
        },
    },
}


def test_llama_index_function_arguments_come_from_the_message(client: OpenAI) -> None:
    """llama-index's FunctionTool schema; the numbers the user gave fill the arguments."""
    assistant = client.beta.assistants.create(
        model="gpt-4o", name="Math Tutor", instructions="You are a personal math tutor.", tools=[MULTIPLY],
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="Please multiply 121 by 3.")
    run = client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    run = poll(client, thread.id, run.id)
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    args = json.loads(call.function.arguments)
    assert args == {"a": 121, "b": 3}
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": str(args["a"] * args["b"])}],
    )
    assert poll(client, thread.id, run.id).status == "completed"
    assert "363" in text_of(last_reply(client, thread.id))


# -- Semantic Kernel 1.45 OpenAIAssistantAgent --------------------------------------------

MENU = [
    {"type": "function", "function": {
        "name": "MenuPlugin-get_specials",
        "description": "Provides a list of specials from the menu.",
        "parameters": {"type": "object", "properties": {}, "required": []},
    }},
    {"type": "function", "function": {
        "name": "MenuPlugin-get_item_price",
        "description": "Provides the price of the requested menu item.",
        "parameters": {
            "type": "object",
            "properties": {"menu_item": {"type": "string", "description": "The name of the menu item."}},
            "required": ["menu_item"],
        },
    }},
]


def test_semantic_kernel_menu_plugin_price_of_named_item(client: OpenAI) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o", name="Host", instructions="Answer questions about the menu.", tools=MENU,
    )
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="What is the price of the Clam Chowder?")
    run = poll(client, thread.id, client.beta.threads.runs.create(thread.id, assistant_id=assistant.id).id)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [c.function.name for c in calls] == ["MenuPlugin-get_item_price"]
    assert json.loads(calls[0].function.arguments) == {"menu_item": "Clam Chowder"}
    client.beta.threads.runs.submit_tool_outputs(
        run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": calls[0].id, "output": "$9.99"}],
    )
    run = poll(client, thread.id, run.id)
    assert run.status == "completed"
    # SK reads the answer through the run's steps, then the message each step created
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    created = [s.step_details.message_creation.message_id for s in steps if s.type == "message_creation"]
    answer = client.beta.threads.messages.retrieve(created[-1], thread_id=thread.id)
    assert "$9.99" in text_of(answer)


def test_semantic_kernel_file_search_at_once_cites_the_file(client: OpenAI) -> None:
    """SK's sample never reads the store: it uploads, creates the store, attaches it and runs
    at once; the run still searches the indexed file and cites it."""
    doc = client.files.create(
        file=("employees.md", b"# Employees\nThe employee of the month is Susan Brown, in Sales.\n"),
        purpose="assistants",
    )
    store = client.vector_stores.create(name="sk-store", file_ids=[doc.id])
    assistant = client.beta.assistants.create(
        model="gpt-4o", name="FileSearch", instructions="Answer from the files.",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    assert assistant.to_dict()["tools"][0]["file_search"]["max_num_results"] is None
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread.id, role="user", content="Who is the employee of the month?")
    run = poll(client, thread.id, client.beta.threads.runs.create(thread.id, assistant_id=assistant.id).id)
    assert run.status == "completed"
    assert run.to_dict()["tool_resources"] == {}  # as recorded from the real API
    answer = last_reply(client, thread.id)
    citations = [a for part in answer.content if part.type == "text" for a in part.text.annotations]
    assert citations and citations[0].type == "file_citation"
    assert citations[0].file_citation.file_id == doc.id


def test_semantic_kernel_azure_assistant_agent(live_server: LiveServer, api_key: str) -> None:
    """SK's AzureAssistantAgent: the same flow through ``AzureOpenAI``."""
    with AzureOpenAI(
        azure_endpoint=live_server.url, api_version="2024-05-01-preview", api_key=api_key,
        max_retries=0, _strict_response_validation=True,
    ) as client:
        assistant = client.beta.assistants.create(model="gpt-4o", name="Host", tools=MENU)
        thread = client.beta.threads.create()
        client.beta.threads.messages.create(thread.id, role="user", content="What is the price of the Clam Chowder?")
        run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
        assert run.status == "requires_action"
        call = run.required_action.submit_tool_outputs.tool_calls[0]
        assert json.loads(call.function.arguments) == {"menu_item": "Clam Chowder"}


# -- OpenAI's notebook "Assistants API overview (Python)" ----------------------------------


@pytest.mark.parametrize("ask", ["Generate the first 20 fibbonaci numbers with code."])
def test_notebook_code_interpreter_asked_in_plain_words(client: OpenAI, ask: str) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o", name="Math Tutor", instructions="You are a personal math tutor.",
        tools=[{"type": "code_interpreter"}],
    )
    assert assistant.tool_resources.code_interpreter.file_ids == []
    thread = client.beta.threads.create(messages=[{"role": "user", "content": ask}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    calls = [c for s in steps if s.type == "tool_calls" for c in s.step_details.tool_calls]
    assert [c.type for c in calls] == ["code_interpreter"]
    assert "fib" in calls[0].code_interpreter.input.lower()
    logs = "".join(o.logs for o in calls[0].code_interpreter.outputs if o.type == "logs")
    assert "4181" in logs  # the 20th Fibonacci number (from 0)
