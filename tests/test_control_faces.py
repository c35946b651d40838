"""One control core, two faces: the fixture's handle (Python) and the control API (HTTP) on the
same sandbox refuse the same arguments, each in its own words (a ValueError naming the
argument, the API's 400 naming the body's field), and a refused call changes nothing.

What the control API does is in test_control_api.py, who may call it in
test_control_security.py; the plugin's option and marker checks in test_plugin_pytester.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from mockserver import MockConfig, create_app
from mockserver.handle import MockHandle
from mockserver.scenarios import ScenarioError, load_scenario
from tests.conftest import bearer

POLICIES = ("default", "instant", "manual")  # as the README lists them
VALID = "valid values: default, instant, manual"


@pytest.fixture
def control(assistants_mock) -> Iterator[httpx2.Client]:
    """The control API of the fixture's own server, acting on the fixture's sandbox."""
    root = assistants_mock.base_url.removesuffix("/v1")
    with httpx2.Client(base_url=f"{root}/__mock__", headers=bearer(assistants_mock.api_key)) as c:
        yield c


def refused(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    return response.json()["error"]


@pytest.mark.parametrize("seconds", [-1, True, 1.5, "60", None])
def test_a_bad_clock_advance_is_refused_by_both_faces_and_moves_nothing(
    assistants_mock, control, seconds
) -> None:
    before = assistants_mock.now
    with pytest.raises(ValueError) as info:
        assistants_mock.advance_clock(seconds)
    assert str(info.value) == "seconds must be a non-negative integer"
    assert refused(control.post("/clock", json={"advance": seconds})) == {
        "message": "'advance' must be a non-negative integer number of seconds.",
        "type": "invalid_request_error",
        "param": "advance",
        "code": None,
    }
    assert assistants_mock.now == before


def test_no_face_moves_the_clock_past_the_year_9999(assistants_mock, control) -> None:
    before = assistants_mock.now
    with pytest.raises(ValueError) as info:
        assistants_mock.advance_clock(10**40)
    assert str(info.value) == "seconds would move the clock past 253402300799 (9999-12-31T23:59:59Z)"
    assert refused(control.post("/clock", json={"advance": 10**40}))["message"] == (
        "'advance' would move the clock past 253402300799 (9999-12-31T23:59:59Z), the latest "
        "time the mock keeps."
    )
    assert assistants_mock.now == before
    up_to_the_end = 253_402_300_799 - before
    assert control.post("/clock", json={"advance": up_to_the_end}).json() == {"now": 253_402_300_799}


def test_both_faces_take_the_same_clock_advances(assistants_mock, control) -> None:
    start = assistants_mock.now
    assert assistants_mock.advance_clock(0) == start
    assert control.post("/clock", json={"advance": 0}).json() == {"now": start}
    assert assistants_mock.advance_clock(5) == start + 5
    assert control.post("/clock", json={"advance": 5}).json() == {"now": start + 10}
    assert control.post("/clock", json={}).json() == {"now": start + 10}  # no advance: 0


@pytest.mark.assistants_mock(progression="manual")
@pytest.mark.parametrize("transitions", [0, -1, True, 1.5, "2", None])
def test_bad_run_transitions_are_refused_by_both_faces_and_move_nothing(
    assistants_mock, control, transitions
) -> None:
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(ValueError) as info:
        assistants_mock.advance_run(thread.id, run.id, transitions)
    assert str(info.value) == "transitions must be a positive integer"
    path = f"/runs/{thread.id}/{run.id}/advance"
    assert refused(control.post(path, json={"transitions": transitions})) == {
        "message": "'transitions' must be a positive integer.",
        "type": "invalid_request_error",
        "param": "transitions",
        "code": None,
    }
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
    # and the same good call moves it the same way through either face
    assert assistants_mock.advance_run(thread.id, run.id)["status"] == "in_progress"
    assert control.post(path, json={"transitions": 1}).json()["status"] == "completed"


@pytest.mark.parametrize("name", ["fast", "Manual", "", None, ["manual"]])
def test_a_bad_progression_is_refused_by_both_faces_and_changes_nothing(
    assistants_mock, control, name
) -> None:
    with pytest.raises(ValueError) as info:
        assistants_mock.progression = name
    assert str(info.value) == f"unknown progression {name!r}; {VALID}"
    error = refused(control.post("/settings", json={"progression": name}))
    assert (error["param"], error["code"]) == ("progression", "invalid_value")
    if isinstance(name, str):
        assert error["message"] == (
            f"Invalid value: '{name}'. Supported values are: 'default', 'instant', and 'manual'."
        )
    assert assistants_mock.progression == "default"
    assert "progression" not in control.get("/state").json()["settings"]
    assistants_mock.reset()  # what the handle remembers for a reset was not changed either
    assert assistants_mock.progression == "default"


def test_every_face_takes_the_same_policies(assistants_mock, control) -> None:
    """The configuration, the handle, the control API and the scenario format share one list."""
    for name in POLICIES:
        assert MockConfig(progression=name).progression == name
        assert load_scenario({"version": 1, "progression": name}).document["progression"] == name
        assistants_mock.progression = name
        assert control.get("/state").json()["settings"]["progression"] == name
    for name in POLICIES:
        response = control.post("/settings", json={"progression": name})
        assert response.json()["settings"]["progression"] == name
        assert assistants_mock.progression == name
    with pytest.raises(ValueError, match=f"^unknown progression 'fast'; {VALID}$"):
        MockConfig(progression="fast")
    with pytest.raises(ScenarioError, match=f"progression: unknown value 'fast'; {VALID}$"):
        load_scenario({"version": 1, "progression": "fast"})


def test_a_setting_the_api_does_not_know_changes_none(assistants_mock, control) -> None:
    error = refused(control.post("/settings", json={"progression": "manual", "speed": 2}))
    assert (error["message"], error["code"]) == ("Unknown parameter: 'speed'.", "unknown_parameter")
    assert assistants_mock.progression == "default"


def test_what_the_handle_changes_is_saved_at_once(tmp_path) -> None:
    """With --data-dir, a control change is saved before it is acknowledged, through either
    face: the handle's too survive a kill (no final save)."""
    app = create_app(data_dir=tmp_path)
    handle = MockHandle(app, "sk-saved")
    start = handle.now
    handle.advance_clock(100)
    handle.progression = "manual"
    handle.scenario("weather-tool")
    app.state.persistence.close(save=False)  # what SIGKILL leaves
    app.state.blobs.close()

    again = create_app(data_dir=tmp_path)
    try:
        settings = again.state.store.sandboxes["sk-saved"].settings
        assert again.state.store.sandboxes["sk-saved"].now() == start + 100
        assert settings["progression"] == "manual"
        assert [s["name"] for s in settings["scenarios"]] == ["weather-tool"]
    finally:
        again.state.store.close()
        handle.close()


@pytest.mark.assistants_mock(progression="manual")
def test_a_body_key_the_control_api_does_not_know_is_refused_and_changes_nothing(
    assistants_mock, control
) -> None:
    """A misspelt key (``seconds`` for ``advance``) was ignored: the call answered 200 and did
    nothing the caller meant. Like the API, the control API names it in a 400."""
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    before = assistants_mock.now
    calls = [
        ("/clock", {"seconds": 60}, "seconds"),
        ("/clock", {"advance": 60, "unit": "s"}, "unit"),
        (f"/runs/{thread.id}/{run.id}/advance", {"transitions": 1, "steps": 2}, "steps"),
        (f"/runs/{thread.id}/{run.id}/advance", {"transition": 2}, "transition"),
        ("/reset", {"all": True}, "all"),
    ]
    for path, body, key in calls:
        error = refused(control.post(path, json=body))
        assert error == {
            "message": f"Unknown parameter: '{key}'.",
            "type": "invalid_request_error",
            "param": key,
            "code": "unknown_parameter",
        }
    assert assistants_mock.now == before
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "queued"
    assert client.beta.assistants.retrieve(assistant.id).id == assistant.id  # not reset
