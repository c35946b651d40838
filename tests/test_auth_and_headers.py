"""Authentication, the ``OpenAI-Beta`` header and the response headers the SDKs read."""

from __future__ import annotations

import asyncio
import re

import httpx2
import openai
import pytest

from mockserver import create_app
from tests.conftest import make_client

MISSING_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with "
    "blank username) if you're accessing the API from your browser and are prompted for a "
    "username and password. You can obtain an API key from "
    "https://platform.openai.com/account/api-keys."
)
MISSING_BETA = (
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again "
    "by setting the header 'OpenAI-Beta: assistants=v2'."
)


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Basic dXNlcjpwYXNz", "sk-no-scheme"]
)
def test_missing_or_malformed_authorization_is_the_real_401(live_server, authorization):
    headers = {"OpenAI-Beta": "assistants=v2"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = httpx2.post(
        f"{live_server.base_url}/assistants", json={"model": "gpt-4o"}, headers=headers
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": {
            "message": MISSING_KEY,
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }


def test_configured_api_key_refuses_every_other_key(server_factory):
    server = server_factory(api_key="sk-the-right-key")
    with (
        make_client(server.base_url, "sk-wrong-key-1234") as wrong,
        pytest.raises(openai.AuthenticationError) as info,
    ):
        wrong.beta.assistants.list()
    assert info.value.status_code == 401
    assert info.value.body == {
        "message": "Incorrect API key provided: sk-…1234. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        "type": "invalid_request_error",
        "param": None,
        "code": "invalid_api_key",
    }
    with make_client(server.base_url, "sk-the-right-key") as right:
        assert right.beta.assistants.create(model="gpt-4o").object == "assistant"
        assert len(right.beta.assistants.list().data) == 1


def test_any_key_is_accepted_without_a_configured_key(client):
    assert client.beta.assistants.list().data == []


def test_missing_beta_header_is_the_real_400(client, sandbox_state):
    for call in (
        lambda: client.beta.assistants.create(
            model="gpt-4o", extra_headers={"OpenAI-Beta": openai.Omit()}
        ),
        lambda: client.beta.threads.create(extra_headers={"OpenAI-Beta": openai.Omit()}),
        lambda: client.beta.assistants.list(extra_headers={"OpenAI-Beta": "tools=v1"}),
    ):
        with pytest.raises(openai.BadRequestError) as info:
            call()
        assert info.value.body == {
            "message": MISSING_BETA,
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_beta",
        }
    assert sandbox_state() == {}


def test_v1_beta_header_gets_the_deprecation_message(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.beta.threads.create(extra_headers={"OpenAI-Beta": "assistants=v1"})
    assert info.value.body["message"] == (
        "The v1 Assistants API has been deprecated. Please try again by setting the header "
        "'OpenAI-Beta: assistants=v2'."
    )
    assert info.value.code == "invalid_beta"


def test_beta_header_may_list_several_features(client):
    thread = client.beta.threads.create(extra_headers={"OpenAI-Beta": "realtime=v1, assistants=v2"})
    assert thread.object == "thread"


def test_require_beta_false_accepts_requests_without_the_header(server_factory):
    server = server_factory(require_beta=False)
    with make_client(server.base_url, "sk-relaxed") as client:
        omit = {"OpenAI-Beta": openai.Omit()}
        assistant = client.beta.assistants.create(model="gpt-4o", extra_headers=omit)
        assert client.beta.assistants.retrieve(assistant.id, extra_headers=omit) == assistant


def test_responses_carry_json_type_request_id_and_processing_time(client):
    raw = client.beta.assistants.with_raw_response.create(model="gpt-4o")
    headers = raw.headers
    assert headers["content-type"] == "application/json"
    assert re.fullmatch(r"req_[0-9a-f]{32}", headers["x-request-id"])
    assert headers["openai-processing-ms"].isdigit()
    assistant = raw.parse()
    assert assistant._request_id == headers["x-request-id"]
    second = client.beta.assistants.with_raw_response.retrieve(assistant.id)
    assert second.headers["x-request-id"] != headers["x-request-id"]


def test_errors_carry_the_same_headers(client):
    with pytest.raises(openai.NotFoundError) as info:
        client.beta.assistants.retrieve("asst_missing")
    assert info.value.response.headers["content-type"] == "application/json"
    assert re.fullmatch(r"req_[0-9a-f]{32}", info.value.request_id)
    assert info.value.response.headers["openai-processing-ms"].isdigit()


def test_request_ids_are_deterministic_per_seed_and_sandbox(server_factory):
    def ids(server):
        with make_client(server.base_url, "sk-same") as c:
            first = c.beta.assistants.with_raw_response.list().headers["x-request-id"]
            try:
                c.beta.assistants.retrieve("asst_missing")
            except openai.NotFoundError as exc:
                second = exc.request_id
            return first, second

    a, b, other = server_factory(seed=3), server_factory(seed=3), server_factory(seed=4)
    assert ids(a) == ids(b)
    assert ids(other)[0] not in ids(a)


def test_a_refused_key_still_gets_a_deterministic_request_id(server_factory):
    def refused(server):
        with (
            make_client(server.base_url, "sk-wrong") as c,
            pytest.raises(openai.AuthenticationError) as info,
        ):
            c.beta.assistants.list()
        return info.value.request_id

    first, second = (
        server_factory(api_key="sk-right", seed=1),
        server_factory(api_key="sk-right", seed=1),
    )
    ids = [refused(first), refused(first)]
    assert all(re.fullmatch(r"req_[0-9a-f]{32}", i) for i in ids) and ids[0] != ids[1]
    assert [refused(second), refused(second)] == ids
    journal = httpx2.get(
        f"{first.url}/__mock__/requests", headers={"X-Mock-Operator-Token": first.operator_token}
    ).json()["data"]
    assert [(e["status"], e["sandbox"], e["request_id"]) for e in journal] == [
        (401, None, i) for i in ids
    ]


def test_header_names_in_any_case_reach_the_door():
    """ASGI lets a server pass header names as the client wrote them ("should" be lower-case):
    the app reads them in any case, as HTTP means them."""
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/assistants",
        "raw_path": b"/v1/assistants",
        "root_path": "",
        "query_string": b"",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": [
            (b"Host", b"mock"),
            (b"Authorization", b"Bearer sk-any-case"),
            (b"OpenAI-Beta", b"assistants=v2"),
        ],
    }
    asyncio.run(create_app(seed=0)(scope, receive, send))
    assert sent[0]["status"] == 200
    assert sent[1]["body"].startswith(b'{"object":"list","data":[]')
