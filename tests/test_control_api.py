"""The control API under /__mock__: health, reset, the request journal and state dumps.

A key acts on its own sandbox (its bearer header); the operator token (``X-Mock-Operator-Token``)
on any sandbox and on all of them. Who may do what is proven in test_control_security.py."""

from __future__ import annotations

import httpx2
import openai
import pytest

from mockserver import __version__
from tests.conftest import bearer, make_client


@pytest.fixture
def control(live_server):
    with httpx2.Client(base_url=f"{live_server.url}/__mock__") as c:
        yield c


def operator(server) -> dict[str, str]:
    return {"X-Mock-Operator-Token": server.operator_token}


def test_health_needs_no_key_and_reports_the_seed(server_factory):
    server = server_factory(seed=42, api_key="sk-only")
    response = httpx2.get(f"{server.url}/__mock__/health")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "version": __version__, "seed": 42, "sandboxes": 0}


def test_reset_one_sandbox_keeps_the_others(live_server, control):
    with (
        make_client(live_server.base_url, "sk-reset-a") as a,
        make_client(live_server.base_url, "sk-reset-b") as b,
    ):
        a.beta.assistants.create(model="gpt-4o")
        kept = b.beta.assistants.create(model="gpt-4o")
        response = control.post("/reset", json={"sandbox": "sk-reset-a"}, headers=operator(live_server))
        assert response.json() == {"reset": ["…et-a"]}  # keys are shown masked
        assert a.beta.assistants.list().data == []
        assert [x.id for x in b.beta.assistants.list()] == [kept.id]
        # the caller's own bearer key names the sandbox too; it never resets the others
        b.beta.threads.create()
        response = control.post("/reset", headers=bearer("sk-reset-b"))
        assert response.json() == {"reset": ["…et-b"]}
        assert b.beta.assistants.list().data == []


def test_after_reset_a_sandbox_starts_over_with_the_same_ids(live_server, control):
    with make_client(live_server.base_url, "sk-reset-again") as c:
        first = c.beta.assistants.create(model="gpt-4o")
        control.post("/reset", headers=bearer("sk-reset-again"))
        again = c.beta.assistants.create(model="gpt-4o")
        assert again == first  # same id, same virtual time: a reset sandbox is a new one


def test_reset_without_a_sandbox_resets_everything(server_factory):
    server = server_factory()
    for key in ("sk-1", "sk-2"):
        with make_client(server.base_url, key) as c:
            c.beta.threads.create()
    # only the operator, naming no sandbox, resets them all
    response = httpx2.post(f"{server.url}/__mock__/reset", headers=operator(server))
    assert sorted(response.json()["reset"]) == ["…-1", "…-2"]
    health = httpx2.get(f"{server.url}/__mock__/health").json()
    assert health["sandboxes"] == 0
    assert httpx2.get(f"{server.url}/__mock__/requests", headers=operator(server)).json()["data"] == []


def test_the_journal_records_every_api_request_of_a_sandbox(client, control, api_key, live_server):
    assistant = client.beta.assistants.with_raw_response.create(model="gpt-4o")
    client.beta.assistants.list(limit=2, order="asc")
    with pytest.raises(openai.NotFoundError):  # a refusal is journalled too
        client.beta.threads.retrieve("thread_nope")
    entries = control.get("/requests", headers=bearer(api_key)).json()["data"]
    assert [(e["method"], e["path"], e["query"], e["status"]) for e in entries] == [
        ("POST", "/v1/assistants", "", 200),
        ("GET", "/v1/assistants", "limit=2&order=asc", 200),
        ("GET", "/v1/threads/thread_nope", "", 404),
    ]
    assert all(e["sandbox"] == f"sk-…{api_key[-4:]}" for e in entries)  # masked
    assert entries[0]["request_id"] == assistant.headers["x-request-id"]
    # the operator naming the sandbox sees the same entries; control requests are not journalled
    by_name = control.get("/requests", params={"sandbox": api_key}, headers=operator(live_server)).json()
    assert by_name["data"] == entries


def test_unauthenticated_requests_are_journalled_without_a_sandbox(server_factory):
    server = server_factory()
    httpx2.get(f"{server.base_url}/assistants")
    entries = httpx2.get(f"{server.url}/__mock__/requests", headers=operator(server)).json()["data"]
    assert len(entries) == 1
    assert entries[0]["status"] == 401 and entries[0]["sandbox"] is None


def test_state_dumps_a_sandbox_as_json(client, control, api_key, live_server):
    assistant = client.beta.assistants.with_raw_response.create(model="gpt-4o", name="dumped")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    state = control.get("/state", headers=bearer(api_key)).json()
    assert state["key"] == f"sk-…{api_key[-4:]}" and isinstance(state["clock"], int)  # masked
    # exactly the object the API answered with
    assert [row["object"] for row in state["tables"]["assistants/"]] == [
        assistant.http_response.json()
    ]
    assert [row["object"]["id"] for row in state["tables"]["threads/"]] == [thread.id]
    [message] = state["tables"][f"messages/{thread.id}"]
    assert message["object"]["content"][0]["text"]["value"] == "hi"
    by_name = control.get("/state", params={"sandbox": api_key}, headers=operator(live_server)).json()
    assert by_name == state


def test_state_of_an_unknown_sandbox_is_empty_and_does_not_create_it(server_factory):
    server = server_factory()
    state = httpx2.get(f"{server.url}/__mock__/state", headers=bearer("sk-never-used")).json()
    assert state["tables"] == {} and state["key"] == "…used"
    assert httpx2.get(f"{server.url}/__mock__/health").json()["sandboxes"] == 0


def test_state_without_a_sandbox_name_is_a_400(control, live_server):
    # only the operator can name no sandbox (a key names its own); without any credential: 401
    response = control.get("/state", headers=operator(live_server))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Name a sandbox with ?sandbox=API_KEY or an 'Authorization: Bearer API_KEY' header."
    )


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe{", b"[1, 2]"])
def test_a_bad_control_body_is_a_400_never_a_500(control, raw):
    response = control.post("/clock", headers=bearer("sk-control-body"), content=raw)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}
