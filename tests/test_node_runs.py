"""Runs through the Node SDK (openai 6.16.0 in tests/node): ``node tests/node/runs.mjs`` runs
against the live server and prints what the SDK saw as JSON; this module asserts on it."""

from __future__ import annotations

import pytest

from tests.sdk_sessions import run_node
from tests.test_runs_streaming import TEXT_FLOW, collapse


@pytest.fixture(scope="module")
def node_result(live_server, node_sdk) -> dict:
    env = {"OPENAI_BASE_URL": live_server.base_url, "OPENAI_API_KEY": "sk-node-runs"}
    return run_node(node_sdk, "runs.mjs", env=env)


def test_node_text_stream_and_final_run(node_result):
    text = node_result["text"]
    assert collapse(text["events"]) == TEXT_FLOW
    assert text["status"] == "completed" and text["retrievedEqualsFinal"] is True
    assert [text["text"]] == text["finalText"]
    assert "Why is the sky blue?" in text["text"]


def test_node_function_stream_then_submit_tool_outputs_stream(node_result):
    first, second = node_result["function"]["first"], node_result["function"]["second"]
    assert (
        first["events"][-1] == "thread.run.requires_action" and first["status"] == "requires_action"
    )
    assert first["toolCallsCreated"] == ["get_weather"]
    assert first["calls"] == [["get_weather", '{"city": "Paris"}']]
    assert first["argumentDeltas"] == '{"city": "Paris"}'
    assert second["events"][:3] == [
        "thread.run.step.completed",
        "thread.run.queued",
        "thread.run.in_progress",
    ]
    assert second["events"][-1] == "thread.run.completed" and second["status"] == "completed"
    assert "get_weather returned: 22C and clear." in second["finalText"][0]


def test_node_create_and_poll(node_result):
    result = node_result["createAndPoll"]
    assert result["status"] == "completed"
    assert (
        result["usage"]["total_tokens"]
        == result["usage"]["prompt_tokens"] + result["usage"]["completion_tokens"]
    )
    assert '"hello"' in result["reply"]


def test_node_thread_lock_errors(node_result):
    lock = node_result["lock"]
    thread_id, run_id = lock["threadId"], lock["runId"]
    assert lock["message"]["name"] == "BadRequestError" and lock["message"]["status"] == 400
    assert (
        lock["message"]["message"]
        == f"400 Can't add messages to {thread_id} while a run {run_id} is active."
    )
    assert lock["message"]["error"]["type"] == "invalid_request_error"
    assert lock["run"]["message"] == f"400 Thread {thread_id} already has an active run {run_id}."


def test_node_incomplete_stream_has_a_final_run(node_result):
    result = node_result["incomplete"]
    assert result["events"][-1] == "thread.run.incomplete"
    assert result["status"] == "incomplete" and result["reason"] == "max_prompt_tokens"
