"""Hypothesis: any valid scripted rule plays to the ending it names, through the strict SDK,
and never makes the server fail."""

from __future__ import annotations

import itertools

import httpx2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import bearer, make_client

WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
_keys = itertools.count()

plain_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"), max_size=30)
function_call = st.fixed_dictionaries(
    {"name": st.sampled_from(["get_weather", "undeclared"])},
    optional={"arguments": st.dictionaries(st.sampled_from(["city", "n"]), st.integers(0, 9) | plain_text, max_size=2)},
)
step_body = st.one_of(
    st.builds(lambda c: {"function_call": c}, function_call | st.lists(function_call, min_size=1, max_size=3)),
    st.builds(lambda i, logs, image: {"code_interpreter": {"input": i, **({"logs": logs} if logs is not None else {}),
                                                           "image": image}},
              plain_text, st.none() | plain_text, st.booleans()),
    st.just({"file_search": None}),
    st.builds(lambda m: {"message": m}, st.none() | plain_text | st.just("got {{output}} for {{user_message}}")),
)
step = st.builds(lambda body, delay: {**body, **({"delay": delay} if delay else {})}, step_body, st.integers(0, 40))
ending = st.sampled_from([
    "completed", "expired", "cancel_loses_race", {"status": "failed", "code": "invalid_prompt", "message": "no"},
    {"status": "incomplete", "reason": "max_prompt_tokens"},
])
EXPECTED = {"completed": "completed", "expired": "expired", "cancel_loses_race": "completed"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, max_size=5), end=ending)
def test_any_scripted_rule_plays_to_its_ending(live_server, steps, end):
    key = f"sk-prop-scripted-{next(_keys)}"
    document = {"version": 1, "name": "generated", "runs": [{"steps": steps, "end": end}]}
    response = httpx2.post(f"{live_server.url}/__mock__/scenario", headers=bearer(key), json={"scenario": document})
    assert response.status_code == 200, response.text
    errors_before = len(live_server.app.state.server_errors)
    with make_client(live_server.base_url, key) as client:
        assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER, {"type": "code_interpreter"}])
        run = client.beta.threads.create_and_run_poll(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "go"}]})
        rounds = 0
        while run.status == "requires_action":
            outputs = [{"tool_call_id": c.id, "output": "ok"} for c in run.required_action.submit_tool_outputs.tool_calls]
            run = client.beta.threads.runs.submit_tool_outputs_and_poll(
                thread_id=run.thread_id, run_id=run.id, tool_outputs=outputs)
            rounds += 1
        expected = EXPECTED.get(end) if isinstance(end, str) else end["status"]
        assert run.status == expected
        assert rounds == sum(1 for s in steps if "function_call" in s) or expected == "incomplete"
        client.beta.threads.messages.list(run.thread_id)
        client.beta.threads.runs.steps.list(thread_id=run.thread_id, run_id=run.id)
    assert len(live_server.app.state.server_errors) == errors_before
    httpx2.post(f"{live_server.url}/__mock__/reset", headers=bearer(key))
