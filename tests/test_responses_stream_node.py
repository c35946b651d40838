"""Responses streams and function calls through the Node SDK, 6.x (``openai``, 6.16.0) and 7.x
(``openai7``, an alias of 7.55.0) in tests/node: ``node tests/node/responses.mjs <package>``
runs against the live server and prints what the SDK saw as JSON; this module asserts on it.
Both helpers validate what they accumulate (7.x throws on a wrong ``output_index``,
``item_id`` or ``content_index``, and on event types outside its list)."""

from __future__ import annotations

import httpx2
import pytest

from tests.conftest import NODE_PROJECT, bearer, require
from tests.sdk_sessions import run_node

from .response_events import (
    CITED_MESSAGE,
    CODE_INTERPRETER,
    FILE_SEARCH,
    FUNCTION_CALL,
    LIFECYCLE,
    MESSAGE,
)
from .test_runs_streaming import collapse


@pytest.fixture(scope="module", params=["openai", "openai7"])
def node_result(request, live_server, node_sdk) -> dict:
    package = request.param
    require(
        (NODE_PROJECT / "node_modules" / package).is_dir(),
        f"{package} is not installed in tests/node/node_modules: "
        "run `make tests/node/node_modules/.installed` (npm ci)",
    )
    key = f"sk-node-responses-{package}"
    installed = httpx2.post(
        f"{live_server.url}/__mock__/scenario", headers=bearer(key), json={"name": "failing-runs"}
    )
    assert installed.status_code == 200, installed.text
    env = {"OPENAI_BASE_URL": live_server.base_url, "OPENAI_API_KEY": key}
    return run_node(node_sdk, "responses.mjs", package, env=env)


def numbered(seen: dict) -> None:
    assert seen["sequence"] == list(range(len(seen["events"])))


def test_node_text_stream_and_final_response(node_result):
    text = node_result["text"]
    assert collapse(text["events"]) == [*LIFECYCLE, *MESSAGE, "response.completed"]
    numbered(text)
    assert text["status"] == "completed" and text["retrievedEqualsFinal"] is True
    assert text["text"] == text["textSnapshot"] == text["finalText"]
    assert "Why is the sky blue?" in text["text"]


def test_node_function_call_stream_then_its_output_through_previous_response_id(node_result):
    first, second = node_result["function"]["first"], node_result["function"]["second"]
    assert collapse(first["events"]) == [*LIFECYCLE, *FUNCTION_CALL, "response.completed"]
    numbered(first)
    assert first["status"] == "completed"
    assert first["calls"] == [["get_weather", '{"city": "Paris"}']]
    assert first["argumentDeltas"] == first["argumentSnapshot"] == '{"city": "Paris"}'
    assert collapse(second["events"]) == [*LIFECYCLE, *MESSAGE, "response.completed"]
    assert "get_weather returned: 22C and clear." in second["finalText"]


def test_node_file_search_and_code_interpreter_streams(node_result):
    search, chart = node_result["tools"]["search"], node_result["tools"]["chart"]
    assert collapse(search["events"]) == [
        *LIFECYCLE,
        *FILE_SEARCH,
        *CITED_MESSAGE,
        "response.completed",
    ]
    assert [a for _, a in search["annotations"]] == search["finalAnnotations"]
    assert [i for i, _ in search["annotations"]] == [0]
    assert search["retrievedEqualsFinal"] is True
    assert collapse(chart["events"])[:9] == [*LIFECYCLE, *CODE_INTERPRETER]
    assert chart["code"] == chart["finalCode"] and "plt.bar" in chart["code"]
    assert chart["retrievedEqualsFinal"] is True


def test_node_raw_create_stream(node_result):
    events = node_result["raw"]["events"]
    assert [n for _, n in events] == list(range(len(events)))
    assert collapse([t for t, _ in events]) == [*LIFECYCLE, *MESSAGE, "response.completed"]


def test_node_failed_response_throws_the_error_event(node_result):
    failed = node_result["failed"]
    assert failed["events"] == LIFECYCLE  # event: error throws before response.failed
    assert failed["error"] == {"name": "APIError", "message": "You exceeded your current quota."}


def test_node_resumes_a_background_stream_after_a_cursor(node_result):
    resumed = node_result["resumed"]
    assert resumed["sequence"][0] == 3 and resumed["events"][-1] == "response.completed"
    assert resumed["sequence"] == list(range(3, 3 + len(resumed["events"])))
    assert resumed["status"] == "completed" and resumed["retrievedEqualsFinal"] is True
