"""Explicit nulls and the shapes real clients read (issue 9, part A).

- An explicit ``null`` for an optional request field means "not given", at every depth of every
  create and modify body (marvin's ``{"messages": null}``, AutoGen's
  ``tool_resources.file_search: null``); only the fields the README lists clear instead.
- What the recorded real objects showed: an assistant's ``tool_resources`` has an entry for each
  server tool it has; a run's ``tool_resources`` is ``{}``; a run's ``usage`` carries
  ``prompt_token_details`` and ``completion_tokens_details``; a file_search tool's
  ``max_num_results`` is ``null`` unless set (the default still limits results).
- The order of the values in ``Supported values are: ...`` messages.

Everything goes through the official SDK with strict response validation; the property test at
the end sends raw JSON so that it can put a null anywhere.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import openai
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def upload(
    client: openai.OpenAI, name: str = "notes.txt", text: str = "Rockets fly to the moon."
) -> str:
    return client.files.create(file=(name, text.encode()), purpose="assistants").id


# -- A1: null means "not given" -----------------------------------------------------------------


def test_marvin_creates_a_thread_with_messages_null(client):
    thread = client.beta.threads.create(extra_body={"messages": None})
    assert thread.object == "thread" and thread.tool_resources.to_dict() == {}
    assert client.beta.threads.messages.list(thread.id).data == []


def test_autogen_updates_code_interpreter_files_with_file_search_null(client):
    first, second = upload(client, "a.txt"), upload(client, "b.txt")
    store = client.vector_stores.create(name="kb")
    thread = client.beta.threads.create(
        tool_resources={
            "code_interpreter": {"file_ids": [first]},
            "file_search": {"vector_store_ids": [store.id]},
        }
    )
    updated = client.beta.threads.update(
        thread.id,
        extra_body={
            "tool_resources": {"code_interpreter": {"file_ids": [second]}, "file_search": None}
        },
    )
    # file_search: null left the thread's store alone; code_interpreter's files were replaced
    assert updated.tool_resources.code_interpreter.file_ids == [second]
    assert updated.tool_resources.file_search.vector_store_ids == [store.id]
    assert client.beta.threads.retrieve(thread.id) == updated


def test_an_empty_resource_object_on_update_changes_nothing(client):
    file_id = upload(client)
    store = client.vector_stores.create(name="kb")
    thread = client.beta.threads.create(
        tool_resources={
            "code_interpreter": {"file_ids": [file_id]},
            "file_search": {"vector_store_ids": [store.id]},
        }
    )
    updated = client.beta.threads.update(
        thread.id,
        extra_body={"tool_resources": {"code_interpreter": {"file_ids": None}, "file_search": {}}},
    )
    assert updated.tool_resources == thread.tool_resources


def test_nested_nulls_in_create_and_run_mean_not_given(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o", instructions="Be brief.", tools=[WEATHER]
    )
    run = client.beta.threads.create_and_run(
        assistant_id=assistant.id,
        extra_body={
            "thread": {"messages": None, "tool_resources": None, "metadata": None},
            "tool_resources": None,
            "tools": None,
            "instructions": None,
            "model": None,
            "metadata": None,
            "max_prompt_tokens": None,
            "max_completion_tokens": None,
            "truncation_strategy": None,
            "tool_choice": None,
            "response_format": None,
            "stream": None,
        },
    )
    assert run.status == "queued"
    assert (run.model, run.instructions, run.metadata) == ("gpt-4o", "Be brief.", {})
    assert [tool.to_dict() for tool in run.tools] == [tool.to_dict() for tool in assistant.tools]
    assert (run.max_prompt_tokens, run.max_completion_tokens) == (None, None)
    assert run.truncation_strategy.type == "auto" and run.tool_choice == "auto"
    assert run.response_format == "auto" and run.temperature == 1.0
    thread = client.beta.threads.retrieve(run.thread_id)
    assert thread.metadata == {} and client.beta.threads.messages.list(thread.id).data == []


def test_nulls_inside_tools_and_messages_mean_not_given(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        extra_body={
            "tools": [
                {
                    "type": "file_search",
                    "file_search": {"max_num_results": None, "ranking_options": None},
                },
                {
                    "type": "function",
                    "function": {
                        "name": "f",
                        "description": None,
                        "parameters": None,
                        "strict": None,
                    },
                },
            ],
            "tool_resources": {"code_interpreter": None, "file_search": None},
        },
    )
    file_search, function = assistant.tools
    assert file_search.file_search.max_num_results is None
    assert file_search.file_search.ranking_options.ranker == "default_2024_08_21"
    assert function.function.strict is False and function.function.description is None
    thread = client.beta.threads.create()
    message = client.beta.threads.messages.create(
        thread.id, role="user", content="hi", extra_body={"attachments": None, "metadata": None}
    )
    assert message.attachments == [] and message.metadata == {}


def test_null_on_create_gives_the_default(client):
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        extra_body={"temperature": None, "top_p": None, "tools": None, "metadata": None},
    )
    assert (assistant.temperature, assistant.top_p) == (1.0, 1.0)
    assert assistant.tools == [] and assistant.metadata == {}
    store = client.vector_stores.create(
        extra_body={"name": None, "expires_after": None, "description": None}
    )
    assert store.name == "" and store.expires_after is None


def test_null_clears_where_the_readme_says_it_does(client):
    store = client.vector_stores.create(
        name="kb", expires_after={"anchor": "last_active_at", "days": 3}
    )
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        temperature=0.2,
        reasoning_effort="low",
        response_format={"type": "json_object"},
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    cleared = client.beta.assistants.update(
        assistant.id,
        extra_body={
            "temperature": None,
            "reasoning_effort": None,
            "response_format": None,
            "tool_resources": None,
        },
    )
    assert cleared.temperature is None and cleared.reasoning_effort is None
    assert cleared.response_format == "auto" and cleared.tool_resources.to_dict() == {}
    expiring = client.vector_stores.update(
        store.id, extra_body={"expires_after": None, "name": None}
    )
    assert expiring.expires_after is None and expiring.expires_at is None and expiring.name == ""
    attached = client.vector_stores.files.create(
        store.id, file_id=upload(client), attributes={"a": "b"}
    )
    unlabelled = client.vector_stores.files.update(
        attached.id, vector_store_id=store.id, attributes=None
    )
    assert unlabelled.attributes == {}

    # a run overrides its assistant's sampling settings: null clears them for this run only
    thread = client.beta.threads.create()
    sampler = client.beta.assistants.create(model="gpt-4o", temperature=0.3, top_p=0.4)
    run = client.beta.threads.runs.create(
        thread_id=thread.id,
        assistant_id=sampler.id,
        extra_body={"temperature": None, "top_p": None},
    )
    assert (run.temperature, run.top_p) == (None, None)


def test_a_null_required_field_is_still_refused(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.assistants.create(model=None)  # type: ignore[arg-type]
    assert info.value.body == {
        "message": "Invalid type for 'model': expected a string, but got null instead.",
        "type": "invalid_request_error",
        "param": "model",
        "code": "invalid_type",
    }
    thread = client.beta.threads.create()
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.messages.create(thread.id, role="user", content=None)  # type: ignore[arg-type]
    assert info.value.code == "invalid_type" and info.value.param == "content"


# -- A4, A6: tool_resources ----------------------------------------------------------------------


def test_an_assistant_lists_a_resource_entry_for_each_server_tool(client):
    interpreter = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}]
    )
    assert interpreter.tool_resources.to_dict() == {"code_interpreter": {"file_ids": []}}
    both = client.beta.assistants.create(
        model="gpt-4o", tools=[{"type": "code_interpreter"}, {"type": "file_search"}, WEATHER]
    )
    assert both.tool_resources.to_dict() == {
        "code_interpreter": {"file_ids": []},
        "file_search": {"vector_store_ids": []},
    }
    plain = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    assert plain.tool_resources.to_dict() == {}
    # switching the tool on later shows its entry too; code reading .file_ids keeps working
    switched = client.beta.assistants.update(
        plain.id, tools=[WEATHER, {"type": "code_interpreter"}]
    )
    assert switched.tool_resources.code_interpreter.file_ids == []
    assert client.beta.assistants.retrieve(plain.id) == switched
    # threads have no tools: nothing is added to theirs
    assert client.beta.threads.create().tool_resources.to_dict() == {}


def test_a_runs_tool_resources_are_empty_and_file_search_still_reads_the_assistants_store(client):
    store = client.vector_stores.create(name="kb")
    client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id, file=("rockets.txt", b"Rockets fly to the moon on liquid fuel.")
    )
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}, {"type": "code_interpreter"}],
        tool_resources={"file_search": {"vector_store_ids": [store.id]}},
    )
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "How do rockets fly?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    assert run.to_dict()["tool_resources"] == {}
    [answer] = [
        m for m in client.beta.threads.messages.list(thread.id).data if m.role == "assistant"
    ]
    citations = answer.content[0].text.annotations
    assert citations and citations[0].type == "file_citation"


# -- A5: usage details ------------------------------------------------------------------------


def test_a_finished_runs_usage_carries_the_recorded_details_and_steps_the_three_counts(client):
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hello"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    usage = run.usage.to_dict()
    assert usage["prompt_token_details"] == {"cached_tokens": 0}
    assert usage["completion_tokens_details"] == {"reasoning_tokens": 0}
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    [step] = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert set(step.usage.to_dict()) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    # the stream's terminal event carries the same run
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    assert stream.get_final_run().usage.to_dict()["prompt_token_details"] == {"cached_tokens": 0}


# -- A7: file_search.max_num_results -----------------------------------------------------------


@pytest.fixture
def many_chunks(client):
    """A store whose one file has more than 20 chunks, all mentioning rockets."""
    text = " ".join(f"Rocket fact number {n}: " + "rockets burn fuel, " * 30 for n in range(30))
    store = client.vector_stores.create(name="facts")
    client.vector_stores.files.upload_and_poll(
        vector_store_id=store.id,
        file=("facts.txt", text.encode()),
        chunking_strategy={
            "type": "static",
            "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 0},
        },
    )
    return store.id


def search_results(client, store_id: str, model: str, **file_search) -> tuple[Any, int]:
    tool: dict[str, Any] = {"type": "file_search"}
    if file_search:
        tool["file_search"] = file_search
    assistant = client.beta.assistants.create(
        model=model, tools=[tool], tool_resources={"file_search": {"vector_store_ids": [store_id]}}
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "rockets"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    [call] = steps[0].step_details.tool_calls
    return run, len(call.file_search.results)


def test_max_num_results_is_null_unless_set_and_the_default_still_limits(client, many_chunks):
    run, found = search_results(client, many_chunks, "gpt-4o")
    assert run.tools[0].file_search.max_num_results is None
    assert found == 20
    run, found = search_results(client, many_chunks, "gpt-4o", max_num_results=3)
    assert run.tools[0].file_search.max_num_results == 3 and found == 3


def test_gpt_35_models_default_to_five_results(client, many_chunks):
    run, found = search_results(client, many_chunks, "gpt-3.5-turbo")
    assert run.tools[0].file_search.max_num_results is None and found == 5


def test_an_integral_float_for_an_integer_field_is_kept_as_an_integer(client):
    """Python's ``json`` sends ``5.0`` for a float: where the API takes an integer, a float with
    an integral value is that integer, and objects echo it as one (``5``, never ``5.0``)."""
    tools = [{"type": "file_search", "file_search": {"max_num_results": 5.0}}]
    raw = client.beta.assistants.with_raw_response.create(model="gpt-4o", tools=tools)
    echoed = raw.http_response.json()["tools"][0]["file_search"]["max_num_results"]
    assert echoed == 5 and type(echoed) is int
    thread = client.beta.threads.create()
    raw = client.beta.threads.runs.with_raw_response.create(
        thread.id,
        assistant_id=raw.parse().id,
        max_prompt_tokens=500.0,  # type: ignore[arg-type]
        truncation_strategy={"type": "last_messages", "last_messages": 3.0},  # type: ignore[typeddict-item]
    )
    run = raw.http_response.json()
    assert (run["max_prompt_tokens"], run["truncation_strategy"]["last_messages"]) == (500, 3)
    assert type(run["max_prompt_tokens"]) is int
    assert type(run["truncation_strategy"]["last_messages"]) is int


# -- A9: enum orders ----------------------------------------------------------------------------


def refused(call: Callable[[], Any]) -> str:
    with pytest.raises(openai.BadRequestError) as info:
        call()
    assert info.value.code == "invalid_value"
    return info.value.body["message"]


def test_enum_messages_list_the_values_in_the_real_order(client):
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create
    assert refused(
        lambda: run(thread_id=thread.id, assistant_id=assistant.id, tool_choice="always")
    ) == ("Invalid value: 'always'. Supported values are: 'auto', 'none', and 'required'.")
    named = {"type": "browser"}
    assert refused(
        lambda: run(thread_id=thread.id, assistant_id=assistant.id, tool_choice=named)
    ) == (
        "Invalid value: 'browser'. Supported values are: 'function', 'code_interpreter', and 'file_search'."
    )
    assert refused(
        lambda: client.beta.assistants.create(model="gpt-4o", tools=[{"type": "retrieval"}])
    ) == (
        "Invalid value: 'retrieval'. Supported values are: 'code_interpreter', 'function', and 'file_search'."
    )
    part = [{"type": "input_text", "text": "hi"}]
    assert refused(
        lambda: client.beta.threads.messages.create(thread.id, role="user", content=part)
    ) == (
        "Invalid value: 'input_text'. Supported values are: 'image_file', 'image_url', and 'text'."
    )


def test_reasoning_effort_takes_every_value_of_the_spec(client):
    assistant = client.beta.assistants.create(model="o3", reasoning_effort="max")
    assert assistant.reasoning_effort == "max"


# -- the property: any optional field set to null behaves as if it were absent ------------------

#: keys whose values are free-form JSON (a null inside them is data, not a field)
FREE_FORM = {"metadata", "parameters", "schema", "attributes"}


class Sandbox:
    """Raw HTTP as one sandbox, with the few objects the bodies below refer to."""

    def __init__(self, http: httpx2.Client, control: httpx2.Client, key: str) -> None:
        self.http, self.control, self.key = http, control, key
        self.headers = {"Authorization": f"Bearer {key}", "OpenAI-Beta": "assistants=v2"}

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx2.Response:
        return self.http.post(path, json=body, headers=self.headers, **kw)

    def make(self, path: str, body: Any = None) -> str:
        response = self.post(path, body)
        assert response.status_code == 200, response.text
        return response.json()["id"]

    def reset(self) -> dict[str, str]:
        """A fresh sandbox with a file, a second file, a vector store, an assistant, a thread;
        the same ids every time (ids depend only on the key and what came before)."""
        self.control.post("/reset", headers=self.headers).raise_for_status()  # its own key
        files = [
            self.http.post(
                "/files",
                headers=self.headers,
                data={"purpose": "assistants"},
                files={"file": (name, b"Rockets fly to the moon.", "text/plain")},
            ).json()["id"]
            for name in ("a.txt", "b.txt")
        ]
        refs = {"FILE": files[0], "FILE2": files[1]}
        refs["VS"] = self.make("/vector_stores", {"file_ids": [refs["FILE"]]})
        refs["ASST"] = self.make("/assistants", {"model": "gpt-4o", "tools": [WEATHER]})
        refs["THREAD"] = self.make("/threads")
        return refs


def fill(value: Any, refs: dict[str, str]) -> Any:
    """The body with its placeholders (``FILE``, ``VS``...) replaced by the sandbox's ids."""
    if isinstance(value, dict):
        return {k: fill(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, refs) for v in value]
    if isinstance(value, str) and value in refs:
        return refs[value]
    return value


Path = tuple[Any, ...]


def field_paths(value: Any, path: Path = ()) -> Iterator[Path]:
    """Every object key of a body, at every depth (free-form maps count as one field)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            if key not in FREE_FORM:
                yield from field_paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from field_paths(item, (*path, i))


def pattern(path: Path) -> str:
    """``messages[].content[].text`` for ``("messages", 0, "content", 2, "text")``."""
    return "".join("[]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def edited(body: Any, paths: list[Path], *, null: bool) -> Any:
    body = copy.deepcopy(body)
    for path in sorted(paths, key=len):
        parent = body
        try:
            for step in path[:-1]:
                parent = parent[step]
        except (KeyError, TypeError):
            continue  # an ancestor was already nulled or removed
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        if null:
            parent[path[-1]] = None
        else:
            del parent[path[-1]]
    return body


TOOLS = [
    {"type": "code_interpreter"},
    {
        "type": "file_search",
        "file_search": {
            "max_num_results": 5,
            "ranking_options": {"ranker": "auto", "score_threshold": 0.1},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "w",
            "strict": True,
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    },
]
STATIC = {"type": "static", "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 50}}
MESSAGES = [
    {"role": "user", "content": "Hello", "metadata": {"k": "v"}},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "Look"},
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/a.png", "detail": "low"},
            },
            {"type": "image_file", "image_file": {"file_id": "FILE", "detail": "high"}},
        ],
        "attachments": [
            {"file_id": "FILE", "tools": [{"type": "code_interpreter"}, {"type": "file_search"}]}
        ],
        "metadata": {"k": "v"},
    },
]
RESOURCES = {
    "code_interpreter": {"file_ids": ["FILE"]},
    "file_search": {"vector_store_ids": ["VS"]},
}
RUN = {
    "assistant_id": "ASST",
    "model": "gpt-4o-mini",
    "instructions": "Be brief.",
    "tools": TOOLS,
    "metadata": {"k": "v"},
    "temperature": 0.5,
    "top_p": 0.5,
    "stream": False,
    "max_prompt_tokens": 1000,
    "max_completion_tokens": 1000,
    "truncation_strategy": {"type": "last_messages", "last_messages": 5},
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "parallel_tool_calls": False,
    "response_format": {"type": "json_object"},
}
#: keys that are required wherever they appear in these bodies (the spec's ``required``)
REQUIRED = {
    "assistant_id",
    "role",
    "content",
    "file_id",
    "filename",
    "purpose",
    "bytes",
    "mime_type",
    "query",
    "type",
    "score_threshold",
    "static",
    "max_chunk_size_tokens",
    "chunk_overlap_tokens",
    "anchor",
    "days",
    "seconds",
    "text",
    "url",
    "image_url",
    "image_file",
    "function",
    "json_schema",
    "key",
    "value",
}
#: required where they appear in these bodies; elsewhere optional (an assistant's name)
REQUIRED_PATTERNS = {
    "tools[].function.name",
    "tool_choice.function.name",
    "response_format.json_schema.name",
}
#: (path, full body, top-level fields where null clears (the README's list) or that are required)
BODIES: dict[str, tuple[str, dict[str, Any], set[str]]] = {
    "create assistant": (
        "/assistants",
        {
            "model": "gpt-4o",
            "name": "n",
            "description": "d",
            "instructions": "i",
            "reasoning_effort": "low",
            "tools": TOOLS,
            "metadata": {"k": "v"},
            "temperature": 0.5,
            "top_p": 0.5,
            "tool_resources": {
                "code_interpreter": {"file_ids": ["FILE"]},
                "file_search": {
                    "vector_stores": [
                        {"file_ids": ["FILE"], "chunking_strategy": STATIC, "metadata": {}}
                    ]
                },
            },
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "answer",
                    "description": "d",
                    "schema": {"type": "object"},
                    "strict": True,
                },
            },
        },
        {"model"},
    ),
    "modify assistant": (
        "/assistants/ASST",
        {
            "model": "gpt-4o-mini",
            "name": "n",
            "tools": TOOLS,
            "tool_resources": RESOURCES,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "a", "description": "d", "strict": False},
            },
        },
        {
            "name",
            "description",
            "instructions",
            "reasoning_effort",
            "temperature",
            "top_p",
            "metadata",
            "response_format",
            "tool_resources",
        },
    ),
    "create thread": (
        "/threads",
        {"messages": MESSAGES, "tool_resources": RESOURCES, "metadata": {"k": "v"}},
        set(),
    ),
    "modify thread": (
        "/threads/THREAD",
        {"tool_resources": RESOURCES, "metadata": {}},
        {"tool_resources", "metadata"},
    ),
    "create message": ("/threads/THREAD/messages", MESSAGES[1], set()),
    "create run": (
        "/threads/THREAD/runs",
        {
            **RUN,
            "reasoning_effort": "low",
            "additional_instructions": "More.",
            "additional_messages": MESSAGES,
        },
        {"temperature", "top_p"},
    ),
    "create thread and run": (
        "/threads/runs",
        {
            **RUN,
            "tool_resources": RESOURCES,
            "thread": {"messages": MESSAGES, "tool_resources": RESOURCES, "metadata": {"k": "v"}},
        },
        {"temperature", "top_p"},
    ),
    "create vector store": (
        "/vector_stores",
        {
            "file_ids": ["FILE2"],
            "name": "kb",
            "description": "d",
            "chunking_strategy": STATIC,
            "expires_after": {"anchor": "last_active_at", "days": 3},
            "metadata": {"k": "v"},
        },
        set(),
    ),
    "attach a file": (
        "/vector_stores/VS/files",
        {
            "file_id": "FILE2",
            "chunking_strategy": STATIC,
            "attributes": {"lang": "en"},
        },
        set(),
    ),
    "create a file batch": (
        "/vector_stores/VS/file_batches",
        {
            "files": [
                {"file_id": "FILE2", "chunking_strategy": STATIC, "attributes": {"lang": "en"}}
            ],
            "chunking_strategy": {"type": "auto"},
            "attributes": {"n": 1},
        },
        {"files"},
    ),
    "search": (
        "/vector_stores/VS/search",
        {
            "query": "rockets",
            "rewrite_query": False,
            "max_num_results": 3,
            "filters": {"type": "eq", "key": "lang", "value": "en"},
            "ranking_options": {"ranker": "auto", "score_threshold": 0.0},
        },
        set(),
    ),
    "create an upload": (
        "/uploads",
        {
            "filename": "a.txt",
            "purpose": "assistants",
            "bytes": 3,
            "mime_type": "text/plain",
            "expires_after": {"anchor": "created_at", "seconds": 3600},
        },
        set(),
    ),
}


def optional_paths(name: str) -> list[Path]:
    _, body, excluded = BODIES[name]
    return [
        p
        for p in field_paths(body)
        if p[-1] not in REQUIRED
        and pattern(p) not in REQUIRED_PATTERNS
        and not (len(p) == 1 and p[0] in excluded)
    ]


def answer(sandbox: Sandbox, name: str, paths: list[Path], *, null: bool) -> tuple[int, Any]:
    """(status, body) of the request with ``paths`` set to null (or left out), in a sandbox
    reset to the same starting state."""
    path, body, _ = BODIES[name]
    refs = sandbox.reset()
    url = "/".join(refs.get(segment, segment) for segment in path.split("/"))
    response = sandbox.post(url, fill(edited(body, paths, null=null), refs))
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def sandboxes(live_server) -> Iterator[Callable[[], Sandbox]]:
    with (
        httpx2.Client(base_url=live_server.base_url) as http,
        httpx2.Client(base_url=f"{live_server.url}/__mock__") as control,
    ):
        counter = itertools.count()
        made: list[Sandbox] = []

        def new() -> Sandbox:
            made.append(Sandbox(http, control, f"sk-nulls-{next(counter)}"))
            return made[-1]

        yield new
        for sandbox in made:
            control.post("/reset", headers=sandbox.headers)


@pytest.mark.parametrize("name", sorted(BODIES))
def test_every_optional_field_null_at_once_is_the_same_as_leaving_them_out(sandboxes, name):
    sandbox, paths = sandboxes(), optional_paths(name)
    assert paths
    status, full = answer(sandbox, name, [], null=True)
    assert status == 200, full
    with_nulls = answer(sandbox, name, paths, null=True)
    without = answer(sandbox, name, paths, null=False)
    assert with_nulls == without and with_nulls[0] == 200, (with_nulls, without)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(BODIES))
def test_any_optional_fields_set_to_null_behave_as_absent(sandboxes, name, data):
    paths = data.draw(
        st.lists(st.sampled_from(optional_paths(name)), min_size=1, max_size=6, unique=True)
    )
    sandbox = sandboxes()
    with_nulls = answer(sandbox, name, paths, null=True)
    without = answer(sandbox, name, paths, null=False)
    event(f"{name}: {with_nulls[0]}")
    assert with_nulls[0] < 500
    assert with_nulls == without, ([pattern(p) for p in paths], with_nulls, without)
