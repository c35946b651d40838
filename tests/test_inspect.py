"""The inspector's JSON under /__mock__/inspect: what it shows of sandboxes, threads and runs
(timeline, steps, tool calls, stream events, why the run did what it did), the journal, and who
may see what. Runs are made through the strict SDK; the inspector is read over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import openai
import pytest

from mockserver import create_app
from mockserver.server import LiveServer
from tests.conftest import ask, bearer, make_client

OPERATOR = "X-Mock-Operator-Token"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather forecast of a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
CLOCK = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}
LIBRARY = {
    "type": "function",
    "function": {
        "name": "lookup",
        "description": "Find a book in the library catalogue.",
        "parameters": {"type": "object", "properties": {"title": {"type": "string"}}},
    },
}


def inspect(server: LiveServer, path: str, key: str | None = None, **kwargs: Any):
    headers = kwargs.pop("headers", {})
    if key is not None:
        headers = {**headers, **bearer(key)}
    return httpx2.get(f"{server.url}/__mock__/inspect{path}", headers=headers, **kwargs)


def operator(server: LiveServer) -> dict[str, str]:
    return {OPERATOR: server.operator_token}


def handle(server: LiveServer, key: str) -> str:
    """The sandbox handle of ``key``, as its own listing shows it."""
    (row,) = inspect(server, "/sandboxes", key).json()["data"]
    return row["id"]


def run_view(server: LiveServer, key: str, run_id: str) -> dict[str, Any]:
    response = inspect(server, f"/sandboxes/{handle(server, key)}/runs/{run_id}", key)
    assert response.status_code == 200, response.text
    return response.json()


def explanation(server: LiveServer, key: str, run_id: str) -> dict[str, Any]:
    path = f"/sandboxes/{handle(server, key)}/runs/{run_id}/explanation"
    response = inspect(server, path, key)
    assert response.status_code == 200, response.text
    assert response.json() == run_view(server, key, run_id)["explanation"]
    return response.json()


# -- sandboxes ----------------------------------------------------------------------------------


def test_a_key_lists_its_own_sandbox_with_counts_and_never_its_key(live_server, client, api_key):
    ask(client, "Hello")
    client.files.create(file=("notes.txt", b"hello"), purpose="assistants")
    client.vector_stores.create(name="docs")
    other = make_client(live_server.base_url, "sk-someone-else-0123456789abcdef")
    other.beta.assistants.create(model="gpt-4o")

    response = inspect(live_server, "/sandboxes", api_key)
    assert response.status_code == 200
    assert api_key not in response.text
    listing = response.json()
    assert listing["object"] == "list"
    (row,) = listing["data"]
    # (the key's tail is hex, as the handle is: twelve digits, so a chance match never fails it)
    assert row["id"].startswith("sbx_") and api_key[-12:] not in row["id"]
    assert row["key"] == f"sk-…{api_key[-4:]}"
    assert row["counts"] == {
        "assistants": 1,
        "threads": 1,
        "files": 1,
        "vector_stores": 1,
        "requests": 7,  # assistant, thread, run and two polls, file, store
    }


def test_the_operator_lists_every_sandbox(server_factory):
    server = server_factory()
    keys = ["sk-first-key-0123456789abcdef", "sk-second-key-0123456789abcdef"]
    for key in keys:
        make_client(server.base_url, key).beta.assistants.create(model="gpt-4o")
    listing = inspect(server, "/sandboxes", headers=operator(server)).json()["data"]
    assert sorted(row["key"] for row in listing) == sorted(f"sk-…{k[-4:]}" for k in keys)
    assert {row["id"] for row in listing} == {handle(server, k) for k in keys}
    assert all(row["counts"]["assistants"] == 1 for row in listing)


def test_a_sandbox_shows_its_objects_and_each_thread_its_counts(live_server, client, api_key):
    thread, run = ask(client, "Hello")
    empty = client.beta.threads.create()
    view = inspect(live_server, f"/sandboxes/{handle(live_server, api_key)}", api_key).json()
    assert view["id"] == handle(live_server, api_key)
    assert view["key"] == f"sk-…{api_key[-4:]}"
    assert view["now"] == run.completed_at  # the virtual clock
    assert [a["object"] for a in view["assistants"]] == ["assistant"]
    by_id = {t["id"]: t for t in view["threads"]}
    assert by_id[thread.id]["message_count"] == 2
    assert by_id[thread.id]["run_count"] == 1
    assert by_id[thread.id]["last_run_status"] == "completed"
    assert by_id[empty.id]["run_count"] == 0 and by_id[empty.id]["last_run_status"] is None
    assert view["files"] == [] and view["vector_stores"] == []


def test_a_thread_shows_its_messages_and_runs_in_order(live_server, client, api_key):
    thread, first = ask(client, "Hello")
    client.beta.threads.messages.create(thread.id, role="user", content="Again")
    second = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=first.assistant_id
    )
    sbx = handle(live_server, api_key)
    view = inspect(live_server, f"/sandboxes/{sbx}/threads/{thread.id}", api_key).json()
    assert view["thread"]["id"] == thread.id
    assert [m["role"] for m in view["messages"]] == ["user", "assistant", "user", "assistant"]
    assert [r["id"] for r in view["runs"]] == [first.id, second.id]
    missing = inspect(live_server, f"/sandboxes/{sbx}/threads/thread_nope", api_key)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "No thread found with id 'thread_nope'."


# -- runs ---------------------------------------------------------------------------------------


def test_a_run_shows_its_timeline_tool_calls_usage_and_why(live_server, client, api_key):
    thread, run = ask(client, "What's the weather in Paris?", [WEATHER])
    assert run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    done = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "22°C"}],
    )
    view = run_view(live_server, api_key, run.id)
    assert view["run"]["id"] == run.id and view["run"]["status"] == "completed"
    assert [t["status"] for t in view["timeline"]] == [
        "queued", "in_progress", "requires_action", "queued", "in_progress", "completed",
    ]  # fmt: skip
    times = [t["at"] for t in view["timeline"]]
    assert times == sorted(times) and times[0] == run.created_at and times[-1] == done.completed_at
    assert [s["type"] for s in view["steps"]] == ["tool_calls", "message_creation"]
    (tool_call,) = view["tool_calls"]
    assert tool_call["step_id"] == view["steps"][0]["id"]
    assert tool_call["type"] == "function"
    assert tool_call["function"] == {
        "name": "get_weather",
        "arguments": call.function.arguments,
        "output": "22°C",
    }
    assert view["usage"] == done.usage.model_dump()
    assert view["events"] == []  # polled, never streamed
    why = view["explanation"]
    assert why["source"] == "default"
    assert why["scenario"] is None and why["rule"] is None and why["near_miss"] is None
    assert why["reasons"][0] == "called get_weather: the message contains 'weather'"
    assert any("quoting the output of get_weather" in r for r in why["reasons"])


def test_a_run_shows_every_event_of_its_streams_exactly_as_sent(live_server, client, api_key):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Oslo?"}])
    sent = []
    headers = {**bearer(api_key), "OpenAI-Beta": "assistants=v2"}
    url = f"{live_server.base_url}/threads/{thread.id}/runs"
    with httpx2.stream(
        "POST", url, headers=headers, json={"assistant_id": assistant.id, "stream": True}
    ) as response:
        sent.append(response.read().decode())
    run_id = next(
        json.loads(line[6:])["id"] for line in sent[0].splitlines() if line.startswith("data: {")
    )
    run = client.beta.threads.runs.retrieve(run_id, thread_id=thread.id)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    with httpx2.stream(
        "POST",
        f"{url}/{run_id}/submit_tool_outputs",
        headers=headers,
        json={"tool_outputs": [{"tool_call_id": call.id, "output": "cold"}], "stream": True},
    ) as response:
        sent.append(response.read().decode())

    expected = []
    for number, body in enumerate(sent):
        for frame in body.split("\n\n"):
            if not frame.strip():
                continue
            event, data = (line.partition(": ")[2] for line in frame.split("\n"))
            expected.append(
                {
                    "stream": number,
                    "event": event,
                    "data": data if data == "[DONE]" else json.loads(data),
                }
            )
    events = run_view(live_server, api_key, run_id)["events"]
    assert events == expected
    assert events[0]["event"] == "thread.run.created"
    assert [e["event"] for e in events].count("done") == 2


def test_a_run_of_a_dropped_stream_shows_what_was_sent_before_the_cut(live_server, client, api_key):
    # the scenario cuts the first stream after 6 events
    httpx2.post(
        f"{live_server.url}/__mock__/scenario",
        headers=bearer(api_key),
        json={"name": "incomplete-run"},
    ).raise_for_status()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Tell me a story"}])
    with httpx2.stream(
        "POST",
        f"{live_server.base_url}/threads/{thread.id}/runs",
        headers={**bearer(api_key), "OpenAI-Beta": "assistants=v2"},
        json={"assistant_id": assistant.id, "stream": True},
    ) as response:
        body = response.read().decode()
    run = client.beta.threads.runs.list(thread.id).data[0]
    events = run_view(live_server, api_key, run.id)["events"]
    assert len(events) == body.count("event: ") == 6
    assert "done" not in [e["event"] for e in events]
    why = explanation(live_server, api_key, run.id)
    assert why["source"] == "scenario" and why["scenario"] == "incomplete-run"
    assert why["rule"] is not None and why["rule"]["end"]["status"] == "incomplete"


def test_code_interpreter_calls_show_input_logs_and_images(live_server, client, api_key):
    _thread, run = ask(
        client, "Plot the first 10 fibonacci numbers", [{"type": "code_interpreter"}]
    )
    view = run_view(live_server, api_key, run.id)
    (call,) = view["tool_calls"]
    assert call["type"] == "code_interpreter"
    assert "fibonacci" in call["code_interpreter"]["input"]
    kinds = [o["type"] for o in call["code_interpreter"]["outputs"]]
    assert kinds == ["logs", "image"]
    assert call["code_interpreter"]["outputs"][0]["logs"].startswith("[0, 1, 1")
    image = call["code_interpreter"]["outputs"][1]["image"]["file_id"]
    assert image.startswith("file-")
    reasons = view["explanation"]["reasons"]
    assert "ran code_interpreter: the message asks for code ('plot')" in reasons
    assert "drew a bar chart: the message asks for one ('plot')" in reasons


def test_a_charts_bytes_are_served_as_an_image(live_server, client, api_key):
    _thread, run = ask(
        client, "Plot the first 10 fibonacci numbers", [{"type": "code_interpreter"}]
    )
    (call,) = run_view(live_server, api_key, run.id)["tool_calls"]
    image = call["code_interpreter"]["outputs"][1]["image"]["file_id"]
    journal = inspect(live_server, f"/sandboxes/{handle(live_server, api_key)}/requests", api_key)
    path = f"/sandboxes/{handle(live_server, api_key)}/files/{image}/content"
    response = inspect(live_server, path, api_key)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.content == client.files.content(image).read()
    # the inspector's read is not a request of the API: the journal grew by the SDK's only
    after = inspect(live_server, f"/sandboxes/{handle(live_server, api_key)}/requests", api_key)
    assert len(after.json()["data"]) == len(journal.json()["data"]) + 1


def test_an_uploaded_files_content_type_follows_its_name(live_server, client, api_key):
    sbx = handle(live_server, api_key)
    for name, expected in (
        ("notes.txt", "text/plain"),
        ("blob.unknown-kind", "application/octet-stream"),
    ):
        uploaded = client.files.create(file=(name, b"hello"), purpose="assistants")
        response = inspect(live_server, f"/sandboxes/{sbx}/files/{uploaded.id}/content", api_key)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == expected
        # whatever it holds runs nowhere if opened on its own
        assert "sandbox" in response.headers["content-security-policy"]
        assert response.content == b"hello"


def test_a_sandbox_lists_its_responses_and_conversations(live_server, client, api_key):
    conversation = client.conversations.create()
    first = client.responses.create(model="gpt-4o", input="Hi", conversation=conversation.id)
    alone = client.responses.create(model="gpt-4o", input="Tell me a story")
    client.responses.create(model="gpt-4o", input="Not kept", store=False)
    view = inspect(live_server, f"/sandboxes/{handle(live_server, api_key)}", api_key).json()
    assert [r["id"] for r in view["responses"]] == [first.id, alone.id]
    assert view["responses"][0]["conversation"] == {"id": conversation.id}
    (listed,) = view["conversations"]
    assert listed["id"] == conversation.id
    assert listed["item_count"] == 2  # the user's message and the reply


def test_a_response_shows_its_items_and_why(live_server, client, api_key):
    weather = {
        "type": "function",
        "name": "get_weather",
        "description": "The weather forecast of a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    }
    made = client.responses.create(
        model="gpt-4o", input="What's the weather in Paris?", tools=[weather]
    )
    path = f"/sandboxes/{handle(live_server, api_key)}/responses/{made.id}"
    view = inspect(live_server, path, api_key).json()
    assert view["response"]["id"] == made.id and view["response"]["status"] == "completed"
    (call,) = view["response"]["output"]
    assert call["type"] == "function_call" and call["name"] == "get_weather"
    assert json.loads(call["arguments"]) == {"city": "Paris"}
    (given,) = view["input_items"]
    assert given["content"][0]["text"] == "What's the weather in Paris?"
    why = view["explanation"]
    assert why["source"] == "default"
    assert "called get_weather: the message contains 'weather'" in why["reasons"]
    assert [t["status"] for t in view["timeline"]] == ["in_progress", "completed"]


def test_a_background_response_shows_every_status_it_took(live_server, client, api_key):
    made = client.responses.create(model="gpt-4o", input="Hi", background=True)
    while client.responses.retrieve(made.id).status not in ("completed", "failed"):
        pass  # the default policy: one status a read
    path = f"/sandboxes/{handle(live_server, api_key)}/responses/{made.id}"
    timeline = inspect(live_server, path, api_key).json()["timeline"]
    assert [t["status"] for t in timeline] == ["queued", "in_progress", "completed"]
    times = [t["at"] for t in timeline]
    assert times == sorted(times) and times[0] == made.created_at


def test_a_conversation_shows_its_items_and_responses(live_server, client, api_key):
    conversation = client.conversations.create()
    made = client.responses.create(model="gpt-4o", input="Hi", conversation=conversation.id)
    path = f"/sandboxes/{handle(live_server, api_key)}/conversations/{conversation.id}"
    view = inspect(live_server, path, api_key).json()
    assert view["conversation"]["id"] == conversation.id
    listed = client.conversations.items.list(conversation.id, order="asc").data
    assert [i["id"] for i in view["items"]] == [i.id for i in listed]
    assert [r["id"] for r in view["responses"]] == [made.id]
    missing = inspect(
        live_server, f"/sandboxes/{handle(live_server, api_key)}/responses/resp_x", api_key
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "No response found with id 'resp_x'."


def test_file_search_calls_show_scores_and_the_cited_chunks(live_server, client, api_key):
    uploaded = client.files.create(
        file=("guide.txt", b"The quokka lives on Rottnest Island and smiles at tourists."),
        purpose="assistants",
    )
    store = client.vector_stores.create(name="docs", file_ids=[uploaded.id])
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "Where does the quokka live?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    view = run_view(live_server, api_key, run.id)
    (call,) = view["tool_calls"]
    assert call["type"] == "file_search"
    (result,) = call["file_search"]["results"]
    assert result["file_id"] == uploaded.id and result["score"] > 0
    assert "Rottnest Island" in result["content"][0]["text"]  # shown without include[]
    reasons = view["explanation"]["reasons"]
    assert any(r.startswith(f"searched {store.id}: 1 result, the best guide.txt") for r in reasons)
    assert "replied quoting the best 1 chunk, each cited" in reasons


def test_an_unknown_run_is_a_404(live_server, client, api_key):
    client.beta.assistants.create(model="gpt-4o")
    response = inspect(
        live_server, f"/sandboxes/{handle(live_server, api_key)}/runs/run_x", api_key
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No run found with id 'run_x'."


# -- explanations of the default assistant ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tools", "run", "reasons"),
    [
        (
            "Which library has this book?",
            [WEATHER, LIBRARY],
            {},
            [
                (
                    "called lookup: the message shares 'book', 'library' with its description or "
                    "parameters (2 words, the most of any function)"
                )
            ],
        ),
        (
            "Hello there",
            [WEATHER],
            {},
            ["no function called: no word of its name or description in the message"],
        ),
        (
            "Hello there",
            [WEATHER],
            {"tool_choice": "required"},
            [
                "no function called: no word of its name or description in the message",
                "called get_weather: tool_choice is 'required', and it is the first function",
            ],
        ),
        (
            "Hello there",
            [WEATHER],
            {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
            ["called get_weather: tool_choice names it"],
        ),
        (
            "What's the weather?",
            [WEATHER],
            {"tool_choice": "none"},
            ["no tool called: tool_choice is 'none'"],
        ),
        (
            "The weather and the time, please",
            [WEATHER, CLOCK],
            {"parallel_tool_calls": False},
            [
                "called get_weather: the message contains 'weather'",
                "did not call get_time as well: parallel_tool_calls is false",
            ],
        ),
        (
            "Hello there",
            [{"type": "code_interpreter"}],
            {},
            ["no code_interpreter: the message asks for no calculation, chart or code"],
        ),
        (
            "Hi",
            [],
            {"response_format": {"type": "json_object"}},
            [
                "no tool called: the run has no tools",
                "replied with the default answer: the last user message, quoted",
                'the reply is {"answer": <the answer>}: response_format is json_object',
            ],
        ),
    ],
    ids=[
        "description",
        "none-matched",
        "required",
        "named",
        "choice-none",
        "not-parallel",
        "no-code",
        "json",
    ],
)
def test_the_default_assistant_says_which_rule_fired(
    live_server, client, api_key, text, tools, run, reasons
):
    _, result = ask(client, text, tools, **run)
    why = explanation(live_server, api_key, result.id)
    assert why["source"] == "default" and why["near_miss"] is None
    assert why["reasons"][: len(reasons)] == reasons


# -- explanations of scenarios ------------------------------------------------------------------

SCENARIO = {
    "version": 1,
    "name": "shop",
    "runs": [
        {
            "match": {"message_contains": "refund", "model": "gpt-4o"},
            "steps": [{"message": "Refund approved."}],
        },
        {
            "match": {"message_contains": "price", "assistant_name": "Seller", "model": "gpt-4o"},
            "steps": [{"message": "It costs 3 euros."}],
        },
    ],
}


def install(server: LiveServer, key: str, scenario: dict) -> None:
    response = httpx2.post(
        f"{server.url}/__mock__/scenario", headers=bearer(key), json={"scenario": scenario}
    )
    assert response.status_code == 200, response.text


def test_a_scenario_run_names_its_rule_and_the_conditions_it_met(live_server, client, api_key):
    install(live_server, api_key, SCENARIO)
    _, run = ask(client, "I want a refund")
    why = explanation(live_server, api_key, run.id)
    assert why["source"] == "scenario"
    assert (why["scenario"], why["rule_index"]) == ("shop", 0)
    assert why["rule"]["match"] == {"message_contains": "refund", "model": "gpt-4o"}
    assert why["reasons"][0] == (
        "rule 0 of scenario 'shop' matched: the model is 'gpt-4o'; the message contains 'refund'"
    )
    assert why["reasons"][-1] == "the rule ends the run: completed"
    assert why["near_miss"] is None


def test_a_run_no_rule_matched_names_the_closest_rule_and_why_it_missed(
    live_server, client, api_key
):
    install(live_server, api_key, SCENARIO)
    assistant = client.beta.assistants.create(model="gpt-4o", name="Buyer")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What's the price?"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    why = explanation(live_server, api_key, run.id)
    assert why["source"] == "default" and why["rule"] is None
    near = why["near_miss"]
    assert (near["scenario"], near["rule_index"]) == ("shop", 1)  # two of three conditions met
    assert near["rule"]["match"]["assistant_name"] == "Seller"
    assert near["why"] == (
        "the assistant is named 'Buyer', not 'Seller' "
        "(met: the model is 'gpt-4o'; the message contains 'price')"
    )


def test_a_fallback_rule_says_so_and_still_names_the_near_miss(live_server, client, api_key):
    scenario = {**SCENARIO, "runs": [*SCENARIO["runs"], {"steps": [{"message": "Anything else."}]}]}
    install(live_server, api_key, scenario)
    _, run = ask(client, "Hello")
    why = explanation(live_server, api_key, run.id)
    assert (why["source"], why["scenario"], why["rule_index"]) == ("scenario", "shop", 2)
    assert why["reasons"][0] == (
        "rule 2 of scenario 'shop' has no match: it scripts every run no other rule matches"
    )
    assert why["near_miss"]["rule_index"] == 0
    assert why["near_miss"]["why"] == (
        "the last user message 'Hello' does not contain 'refund' (met: the model is 'gpt-4o')"
    )


def test_explanations_and_timelines_survive_a_restart(tmp_path):
    key = "sk-persisted-0123456789abcdef"
    with LiveServer(create_app(data_dir=tmp_path)) as server:
        _, run = ask(make_client(server.base_url, key), "What's the weather?", [WEATHER])
        before = run_view(server, key, run.id)
    with LiveServer(create_app(data_dir=tmp_path)) as server:
        after = run_view(server, key, run.id)
    assert after["timeline"] == before["timeline"] and len(before["timeline"]) == 3
    assert after["explanation"] == before["explanation"]
    assert after["explanation"]["reasons"] == ["called get_weather: the message contains 'weather'"]


# -- the journal --------------------------------------------------------------------------------


def test_the_journal_shows_durations_virtual_time_and_why_a_request_was_refused(
    live_server, client, api_key
):
    thread, run = ask(client, "Hello")
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.runs.retrieve("run_missing", thread_id=thread.id)
    with pytest.raises(openai.BadRequestError):
        client.beta.assistants.create(model="gpt-4o", temperature=5)
    sbx = handle(live_server, api_key)
    journal = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key).json()
    assert journal["object"] == "list"
    entries = journal["data"]
    assert [e["method"] for e in entries[:2]] == ["POST", "POST"]
    for entry in entries:
        assert entry["id"].startswith("req_")
        assert entry["duration_ms"] >= 0
        assert entry["sandbox"] == f"sk-…{api_key[-4:]}"
        assert isinstance(entry["virtual_at"], int)
    assert [e["error"] for e in entries if e["status"] < 400] == [None] * (len(entries) - 2)
    create_run = next(e for e in entries if e["path"].endswith("/runs"))
    assert create_run["virtual_at"] == run.created_at

    refused = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"status": "4xx"})
    assert [(e["status"], e["error"]) for e in refused.json()["data"]] == [
        (404, "No run found with id 'run_missing'."),
        (
            400,
            "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 5 instead.",
        ),
    ]
    only_404 = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"status": "404"})
    assert [e["status"] for e in only_404.json()["data"]] == [404]
    by_path = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"path": "/runs/"})
    assert {e["path"] for e in by_path.json()["data"]} == {
        f"/v1/threads/{thread.id}/runs/{run.id}",
        f"/v1/threads/{thread.id}/runs/run_missing",
    }
    bad = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"status": "oops"})
    assert bad.status_code == 400
    assert bad.json()["error"]["param"] == "status"
    # the control API's journal shows the new fields too
    control = httpx2.get(f"{live_server.url}/__mock__/requests", headers=bearer(api_key)).json()
    assert control["data"][-1]["error"] == refused.json()["data"][-1]["error"]


def test_a_run_moves_the_virtual_clock_and_the_journal_says_by_how_much(
    live_server, client, api_key
):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    run = stream.get_final_run()
    sbx = handle(live_server, api_key)
    (entry,) = inspect(
        live_server, f"/sandboxes/{sbx}/requests", api_key, params={"path": "/runs"}
    ).json()["data"]
    assert entry["virtual_at"] == run.created_at
    assert entry["virtual_seconds"] == run.completed_at - run.created_at > 0


def test_cancelled_and_expired_runs_say_so(live_server, client, api_key):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "cancelled"
    view = run_view(live_server, api_key, run.id)
    assert [t["status"] for t in view["timeline"]] == ["queued", "cancelling", "cancelled"]
    assert view["explanation"]["reasons"] == ["cancelled by the client"]

    late = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    httpx2.post(
        f"{live_server.url}/__mock__/clock", headers=bearer(api_key), json={"advance": 600}
    ).raise_for_status()
    assert client.beta.threads.runs.retrieve(late.id, thread_id=thread.id).status == "expired"
    view = run_view(live_server, api_key, late.id)
    assert [t["status"] for t in view["timeline"]] == ["queued", "expired"]
    assert view["timeline"][-1]["at"] == late.expires_at
    assert view["explanation"]["reasons"] == [
        f"expired: the virtual clock reached expires_at ({late.expires_at})"
    ]


@pytest.mark.parametrize("status", ["²xx", "٤٠٤", "4" * 5000, "4xx" + "x" * 5000, " "])
def test_an_odd_status_filter_is_refused_with_a_400_never_a_500(
    live_server, client, api_key, status
):
    client.beta.assistants.create(model="gpt-4o")
    sbx = handle(live_server, api_key)
    answer = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"status": status})
    if status.strip():
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["param"] == "status"
        # the message quotes the value, shortened: a huge one is not echoed whole
        assert len(answer.json()["error"]["message"]) < 300
    else:  # blank: no filter
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("path", ["", "/v1/ассистенты", "/" * 20000])
def test_any_path_filter_is_read_as_a_substring(live_server, client, api_key, path):
    client.beta.assistants.create(model="gpt-4o")
    sbx = handle(live_server, api_key)
    answer = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key, params={"path": path})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["data"]) == (1 if path == "" else 0)


def test_the_journal_keeps_a_huge_refusal_message_shortened(live_server, client, api_key):
    """A refusal that echoes a huge value (a 200 kB tool type) is kept shortened: the journal
    holds thousands of entries and must not hold their bodies."""
    refused = httpx2.post(
        f"{live_server.url}/v1/assistants",
        headers={**bearer(api_key), "OpenAI-Beta": "assistants=v2"},
        json={"model": "gpt-4o", "tools": [{"type": "x" * 200_000}]},
    )
    assert refused.status_code == 400
    assert len(refused.text) > 200_000  # the API's answer itself is whole
    sbx = handle(live_server, api_key)
    (entry,) = inspect(live_server, f"/sandboxes/{sbx}/requests", api_key).json()["data"]
    assert entry["error"].startswith(refused.json()["error"]["message"][:100])
    assert entry["error"].endswith("…")
    assert len(entry["error"]) <= 1000
