"""The documented problems that live in the Node SDK (openai@6.16.0), replayed with their
scenarios: tests/node/documented_cases.mjs runs against the live mock, this module asserts."""

from __future__ import annotations

import httpx2
import pytest

from tests.conftest import bearer
from tests.sdk_sessions import run_node

SCENARIOS = {
    1: "active-run",
    2: "incomplete-run",
    5: "empty-file-batch",
    6: "reasoning-temperature",
    7: "batch-id-mixup",
    10: "cancel-race",
}


@pytest.fixture
def node_out(live_server, api_key, node_sdk):
    for case, name in SCENARIOS.items():
        response = httpx2.post(
            f"{live_server.url}/__mock__/scenario",
            headers=bearer(f"{api_key}-{case}"),
            json={"name": name},
        )
        assert response.status_code == 200, response.text
    return run_node(node_sdk, "documented_cases.mjs", live_server.base_url, api_key)


def test_node_sees_the_documented_errors_and_the_fixes_work(node_out):
    one = node_out["case1"]
    assert one["status"] == "requires_action"
    assert one["message"] == {
        "name": "BadRequestError",
        "status": 400,
        "param": None,
        "message": f"400 Can't add messages to {one['thread']} while a run {one['run']} is active.",
    }
    assert (
        one["run_create"]["message"]
        == f"400 Thread {one['thread']} already has an active run {one['run']}."
    )

    two = node_out["case2"]
    assert two["cut"] == {
        "name": "OpenAIError",
        "message": "Final run has not been received",
        "status": None,
        "param": None,
    }
    assert two["retrieved"] == {"status": "incomplete", "reason": "max_completion_tokens"}
    assert two["final"] == {"status": "incomplete", "reason": "max_completion_tokens"}

    five = node_out["case5"]
    assert five["wrong_call"]["message"] == (
        "No `files` provided to process. If you've already uploaded files you should use `.createAndPoll()` instead"
    )
    assert five["wrong_call"]["status"] is None  # client-side: no request was sent
    assert five["empty"]["message"] == (
        "400 Invalid 'file_ids': empty array. Expected an array with minimum length 1, "
        "but got an empty array instead."
    )
    assert five["fixed"] == "completed"

    six = node_out["case6"]
    assert (
        six["refused"]["message"]
        == "400 Unsupported parameter: 'temperature' is not supported with this model."
    )
    assert six["fixed"] == "o3-mini"

    seven = node_out["case7"]
    assert seven["error"] == {
        "name": "BadRequestError",
        "status": 400,
        "param": "batch_id",
        "message": f"400 Invalid 'batch_id': '{seven['store']}'. Expected an ID that begins with 'vsfb_'.",
    }

    ten = node_out["case10"]
    assert ten == {
        "ignored": "400 Cannot cancel run with status 'completed'.",
        "first": "completed",
        "created": True,
    }


def test_the_wrong_upload_and_poll_call_sends_no_request(node_out, live_server, api_key):
    journal = httpx2.get(
        f"{live_server.url}/__mock__/requests", headers=bearer(f"{api_key}-5")
    ).json()["data"]
    creates = [
        e["status"]
        for e in journal
        if e["method"] == "POST" and e["path"].endswith("/file_batches")
    ]
    # the empty batch and the fixed call; the wrong call never left the client
    assert creates == [400, 200]
