"""Injected HTTP errors and dropped streams: what the SDKs see, and what the journal records."""

from __future__ import annotations

import httpx2
import openai
import pytest

from tests.conftest import bearer, make_client


@pytest.fixture
def journal(live_server, api_key):
    def read(method=None, suffix=""):
        data = httpx2.get(f"{live_server.url}/__mock__/requests", headers=bearer(api_key)).json()["data"]
        return [e["status"] for e in data if (method is None or e["method"] == method) and e["path"].endswith(suffix)]

    return read


def storm(**calls):
    return {"version": 1, "name": "storm", "http": [
        {"method": "POST", "path": "/assistants", "calls": calls, "status": 429}]}


def test_a_429_storm_is_retried_by_the_sdk_and_every_attempt_is_in_the_journal(live_server, api_key, use, journal):
    use(storm(first=2))
    with make_client(live_server.base_url, api_key, max_retries=2) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
    assert assistant.id.startswith("asst_")
    assert journal("POST", "/assistants") == [429, 429, 200]


def test_the_429_carries_the_rate_limit_headers_and_the_real_body(client, use):
    use(storm(every=1))
    with pytest.raises(openai.RateLimitError) as info:
        client.beta.assistants.create(model="gpt-4o")
    error = info.value
    assert error.status_code == 429
    assert error.body == {
        "message": "Rate limit reached for requests. Limit 60, Used 60, Requested 1. Please try again in 1s.",
        "type": "requests", "param": None, "code": "rate_limit_exceeded"}
    headers = error.response.headers
    assert headers["x-ratelimit-remaining-requests"] == "0" and headers["x-ratelimit-limit-requests"] == "60"
    assert headers["x-ratelimit-reset-requests"] == "1s"
    assert headers["retry-after-ms"] == "1"  # no wall-clock wait in the SDK's retry
    assert headers["x-request-id"].startswith("req_")


def test_scripted_body_and_retry_after_header(client, use):
    use({"version": 1, "http": [{"path": "/threads", "method": "post", "status": 429,
                                 "headers": {"retry-after": 200},
                                 "error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                                           "type": "insufficient_quota", "code": "insufficient_quota"}}]})
    with make_client(client.base_url, client.api_key, max_retries=2) as retrying, \
            pytest.raises(openai.RateLimitError) as info:
        retrying.beta.threads.create()
    # retry-after above 120 s: the Python SDK gives up at once instead of sleeping
    assert info.value.code == "insufficient_quota" and info.value.type == "insufficient_quota"
    assert info.value.response.headers["retry-after"] == "200"
    assert "retry-after-ms" not in info.value.response.headers


@pytest.mark.parametrize(("status", "exc", "message"), [
    (500, openai.InternalServerError, "The server had an error while processing your request. Sorry about that!"),
    (503, openai.InternalServerError, "The server is overloaded or not ready yet."),
])
def test_server_errors(client, use, journal, status, exc, message):
    use({"version": 1, "http": [{"path": "/threads/*", "method": "GET", "calls": {"nth": 2}, "status": status}]})
    thread = client.beta.threads.create()
    client.beta.threads.retrieve(thread.id)
    with pytest.raises(exc) as info:
        client.beta.threads.retrieve(thread.id)
    assert info.value.body["message"] == message and info.value.body["type"] == "server_error"
    client.beta.threads.retrieve(thread.id)  # only the nth call fails
    assert journal("GET") == [200, status, 200]


def test_every_nth_call_and_paths_are_globs_by_segment(client, use, journal):
    use({"version": 1, "http": [{"path": "/threads/*", "method": "GET", "calls": {"every": 2}, "status": 500}]})
    thread = client.beta.threads.create()
    client.beta.threads.messages.list(thread.id)  # /threads/*/messages: a different path, not counted
    outcomes = []
    for _ in range(4):
        try:
            client.beta.threads.retrieve(thread.id)
            outcomes.append(200)
        except openai.InternalServerError:
            outcomes.append(500)
    assert outcomes == [200, 500, 200, 500]


def test_seeded_probability_fails_the_same_calls_in_every_sandbox(live_server):
    rule = {"version": 1, "http": [{"path": "/threads", "method": "POST",
                                    "calls": {"probability": 0.5, "seed": 3}, "status": 500}]}
    patterns = []
    for key in ("sk-prob-a", "sk-prob-b"):
        httpx2.post(f"{live_server.url}/__mock__/scenario", headers=bearer(key), json={"scenario": rule})
        with make_client(live_server.base_url, key) as client:
            pattern = []
            for _ in range(16):
                try:
                    client.beta.threads.create()
                    pattern.append(".")
                except openai.InternalServerError:
                    pattern.append("x")
        patterns.append("".join(pattern))
    assert patterns[0] == patterns[1]
    assert "x" in patterns[0] and "." in patterns[0]


def test_the_storm_scenario_file(client, use, journal):
    use("rate-limit-storm")
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    with make_client(client.base_url, client.api_key, max_retries=2) as retrying:
        run = retrying.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        statuses = [retrying.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).status for _ in range(3)]
    assert statuses[-1] == "completed"
    assert journal("POST", "/runs") == [429, 429, 200]
    assert journal("GET") == [200, 200, 503, 200]  # the third retrieval failed once, then was retried


def test_a_dropped_stream_ends_without_a_terminal_event_but_the_run_finishes(client, use):
    use({"version": 1, "http": [{"path": "/threads/*/runs", "method": "POST", "calls": {"nth": 1},
                                 "drop_stream": {"after_events": 3}}]})
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = [event.event for event in stream]
        final = stream.get_final_run()
    assert events == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert final.status == "in_progress"  # Python keeps the last run it saw
    assert client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=final.id).status == "completed"
    # the rule fired once: the next stream is whole
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        assert stream.get_final_run().status == "completed"


def test_a_stream_error_event_is_the_wrapped_form_the_sdk_raises(client, use):
    use({"version": 1, "http": [{"path": "/threads/*/runs", "method": "POST", "calls": {"nth": 1},
                                 "drop_stream": {"after_events": 3, "error": {"message": "Upstream overloaded."}}}]})
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    seen = []
    with pytest.raises(openai.APIError) as info:
        with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
            for event in stream:
                seen.append(event.event)
    assert info.value.message == "Upstream overloaded."
    assert info.value.body == {"message": "Upstream overloaded.", "type": "server_error", "param": None,
                               "code": "server_error"}
    assert seen == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    runs = client.beta.threads.runs.list(thread.id).data
    assert runs[0].status == "completed"  # the run went on server-side, as the real API's did


def test_a_non_streamed_call_is_not_cut_and_not_counted(client, use):
    use({"version": 1, "http": [{"path": "/threads/*/runs", "calls": {"nth": 1}, "drop_stream": {"after_events": 0}}]})
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        assert [event.event for event in stream] == []
