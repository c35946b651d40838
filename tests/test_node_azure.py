"""Node's ``AzureOpenAI`` (tests/node, openai@6.16.0) against the live mock: ``node
tests/node/azure.mjs`` prints what the SDK saw as JSON; this module asserts on it."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from tests.sdk_sessions import run_node
from tests.test_azure import INVALID_KEY, RESOURCE_NOT_FOUND
from tests.test_runs_streaming import TEXT_FLOW, collapse

API_VERSION = "2024-05-01-preview"
LOCKED_KEY = "sk-azure-node-locked"


@pytest.fixture
def node_result(live_server, api_key, server_factory, node_sdk) -> dict[str, Any]:
    locked = server_factory(api_key=LOCKED_KEY)
    args = [live_server.url, api_key, API_VERSION, locked.url, LOCKED_KEY]
    return run_node(node_sdk, "azure.mjs", *args)


def test_node_azure_client_against_the_mock(node_result, live_server, api_key):
    out = node_result
    call = out["functionCall"]
    assert (call["status"], call["name"], call["arguments"]) == (
        "requires_action",
        "get_weather",
        '{"city": "Paris"}',
    )
    assert call["final"]["status"] == "completed"
    assert "get_weather returned: 22C." in call["final"]["reply"]

    stream = out["stream"]
    assert collapse(stream["events"]) == TEXT_FLOW and stream["status"] == "completed"
    assert stream["retrievedEqualsFinal"] is True and stream["deltasEqualStored"] is True

    assert out["files"] == {"batch": "completed", "completed": 2, "hits": ["rockets.md"]}
    assert out["token"] == {"sameAssistant": True}

    assert out["notFound"]["name"] == "NotFoundError" and out["notFound"]["status"] == 404
    assert out["notFound"]["error"]["message"] == "No assistant found with id 'asst_nope'."
    assert (
        out["unserved"]["status"] == 404 and out["unserved"]["error"] == RESOURCE_NOT_FOUND["error"]
    )

    # the key went as api-key (Azure's key refusal), the token as a bearer (the token refusal,
    # a flat body the SDK shows no message of)
    assert out["wrongKey"]["name"] == "AuthenticationError"
    assert out["wrongKey"]["error"] == INVALID_KEY["error"]
    assert out["wrongToken"] == {
        "name": "AuthenticationError",
        "status": 401,
        "message": "401 status code (no body)",
        "error": None,
    }
    assert out["rightKey"] == 0

    journal = httpx2.get(
        f"{live_server.url}/__mock__/requests", headers={"api-key": api_key}
    ).json()["data"]
    assert journal[0]["path"] == "/openai/assistants"
    assert all(f"api-version={API_VERSION}" in entry["query"].split("&") for entry in journal)
    assert {entry["status"] for entry in journal} == {200, 404}
