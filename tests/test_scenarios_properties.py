"""Hypothesis: any valid scripted rule plays to the ending it names, through the strict SDK,
and never makes the server fail."""

from __future__ import annotations

import itertools

import httpx2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import WEATHER, bearer, make_client

_keys = itertools.count()

plain_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"), max_size=30
)
function_call = st.fixed_dictionaries(
    {"name": st.sampled_from(["get_weather", "undeclared"])},
    optional={
        "arguments": st.dictionaries(
            st.sampled_from(["city", "n"]), st.integers(0, 9) | plain_text, max_size=2
        )
    },
)
step_body = st.one_of(
    st.builds(
        lambda c: {"function_call": c},
        function_call | st.lists(function_call, min_size=1, max_size=3),
    ),
    st.builds(
        lambda i, logs, image: {
            "code_interpreter": {
                "input": i,
                **({"logs": logs} if logs is not None else {}),
                "image": image,
            }
        },
        plain_text,
        st.none() | plain_text,
        st.booleans(),
    ),
    st.just({"file_search": None}),
    st.builds(
        lambda m: {"message": m},
        st.none() | plain_text | st.just("got {{output}} for {{user_message}}"),
    ),
)
step = st.builds(
    lambda body, delay: {**body, **({"delay": delay} if delay else {})},
    step_body,
    st.integers(0, 40),
)
ending = st.sampled_from(
    [
        "completed",
        "expired",
        "cancel_loses_race",
        {"status": "failed", "code": "invalid_prompt", "message": "no"},
        {"status": "incomplete", "reason": "max_prompt_tokens"},
    ]
)
EXPECTED = {"completed": "completed", "expired": "expired", "cancel_loses_race": "completed"}
#: the run step each kind of scripted step makes
KIND = {
    "function_call": "function",
    "code_interpreter": "code_interpreter",
    "file_search": "file_search",
    "message": "message_creation",
}


def step_kind(step) -> str:
    if step.step_details.type == "message_creation":
        return "message_creation"
    return step.step_details.tool_calls[0].type


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=5), end=ending)
def test_any_scripted_rule_plays_to_its_ending(live_server, steps, end):
    key = f"sk-prop-scripted-{next(_keys)}"
    document = {"version": 1, "name": "generated", "runs": [{"steps": steps, "end": end}]}
    response = httpx2.post(
        f"{live_server.url}/__mock__/scenario", headers=bearer(key), json={"scenario": document}
    )
    assert response.status_code == 200, response.text
    errors_before = len(live_server.app.state.server_errors)
    with make_client(live_server.base_url, key) as client:
        assistant = client.beta.assistants.create(
            model="gpt-4o", tools=[WEATHER, {"type": "code_interpreter"}]
        )
        run = client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "go"}]}
        )
        rounds = 0
        while run.status == "requires_action":
            outputs = [
                {"tool_call_id": c.id, "output": "ok"}
                for c in run.required_action.submit_tool_outputs.tool_calls
            ]
            run = client.beta.threads.runs.submit_tool_outputs_and_poll(
                thread_id=run.thread_id, run_id=run.id, tool_outputs=outputs
            )
            rounds += 1
        # every ending, incomplete included, comes after the whole script has played
        assert run.status == (EXPECTED[end] if isinstance(end, str) else end["status"])
        assert rounds == sum(1 for s in steps if "function_call" in s)
        if isinstance(end, dict) and end["status"] == "failed":
            assert (run.last_error.code, run.last_error.message) == (end["code"], end["message"])
        else:
            assert run.last_error is None
        if isinstance(end, dict) and end["status"] == "incomplete":
            assert run.incomplete_details.reason == end["reason"]
        else:
            assert run.incomplete_details is None
        # one step per scripted step, in order, each of the kind the script names
        kinds = [KIND[next(k for k in KIND if k in s)] for s in steps]
        listed = client.beta.threads.runs.steps.list(
            thread_id=run.thread_id, run_id=run.id, order="asc"
        )
        assert [step_kind(step) for step in listed.data] == kinds
        # the scripted messages, in order (None and templates are the engine's text)
        said = [
            part.text.value
            for message in client.beta.threads.messages.list(run.thread_id, order="asc").data
            if message.role == "assistant"
            for part in message.content
            if part.type == "text"
        ]
        scripted = [s["message"] for s in steps if "message" in s]
        assert len(said) == len(scripted)
        assert all(s == w for s, w in zip(said, scripted) if w is not None and "{{" not in w)
    assert len(live_server.app.state.server_errors) == errors_before
    httpx2.post(f"{live_server.url}/__mock__/reset", headers=bearer(key))
