"""Who may read the inspector (/__mock__/inspect): the control API's model. A key sees its own
sandbox only (another's is a 403 whether or not it exists), the operator every sandbox; with
``--api-key`` only that key; no whole key in any answer; reading creates nothing; GET only."""

from __future__ import annotations

import httpx2
import pytest

from tests.conftest import ask, bearer, make_client

OPERATOR = "X-Mock-Operator-Token"
KEY_A = "sk-sandbox-a-0123456789abcdef0123"
# the tail is not hex: a handle (sbx_ and 24 random hex digits) can never contain it by chance
KEY_B = "sk-sandbox-b-fedcba9876543210wxyz"
NO_CREDENTIAL = (
    "The control API needs a credential: your API key in an Authorization header "
    "(Authorization: Bearer YOUR_KEY) to act on your own sandbox, or the operator token in an "
    "'X-Mock-Operator-Token' header to act on any sandbox or on all of them."
)
#: every inspector path that names a sandbox, ``{sbx}`` to fill in
SANDBOX_PATHS = [
    "/sandboxes/{sbx}",
    "/sandboxes/{sbx}/threads/thread_x",
    "/sandboxes/{sbx}/runs/run_x",
    "/sandboxes/{sbx}/runs/run_x/explanation",
    "/sandboxes/{sbx}/files/file_x/content",
    "/sandboxes/{sbx}/responses/resp_x",
    "/sandboxes/{sbx}/conversations/conv_x",
    "/sandboxes/{sbx}/requests",
]


def get(server, path: str, **kwargs) -> httpx2.Response:
    return httpx2.get(f"{server.url}/__mock__/inspect{path}", **kwargs)


def own_handle(server, key: str) -> str:
    (row,) = get(server, "/sandboxes", headers=bearer(key)).json()["data"]
    return row["id"]


@pytest.fixture
def two_sandboxes(server_factory):
    """A server where KEY_A and KEY_B each made a thread with a code interpreter run that drew
    a chart, and a response in a conversation: (thread id, run id, the chart's file id,
    response id, conversation id) by key."""
    server = server_factory()
    runs = {}
    for key in (KEY_A, KEY_B):
        client = make_client(server.base_url, key)
        thread, run = ask(client, "Plot the squares of 1 to 4", [{"type": "code_interpreter"}])
        steps = client.beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
        (chart,) = [
            output.image.file_id
            for step in steps
            if step.step_details.type == "tool_calls"
            for call in step.step_details.tool_calls
            for output in call.code_interpreter.outputs
            if output.type == "image"
        ]
        conversation = client.conversations.create()
        response = client.responses.create(model="gpt-4o", input="Hi", conversation=conversation.id)
        runs[key] = (thread.id, run.id, chart, response.id, conversation.id)
    return server, runs


def filled(
    path: str,
    sbx: str,
    thread_id: str = "thread_x",
    run_id: str = "run_x",
    file_id: str = "file_x",
    response_id: str = "resp_x",
    conversation_id: str = "conv_x",
) -> str:
    return (
        path.format(sbx=sbx)
        .replace("thread_x", thread_id)
        .replace("run_x", run_id)
        .replace("file_x", file_id)
        .replace("resp_x", response_id)
        .replace("conv_x", conversation_id)
    )


@pytest.mark.parametrize("path", ["/sandboxes", "/events", *SANDBOX_PATHS])
def test_no_credential_is_the_control_apis_401(two_sandboxes, path):
    server, _ = two_sandboxes
    response = get(server, path.format(sbx=own_handle(server, KEY_A)))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == NO_CREDENTIAL


@pytest.mark.parametrize("path", [*SANDBOX_PATHS, "/events?sandbox={sbx}"])
def test_another_keys_sandbox_is_a_403_whether_or_not_it_exists(two_sandboxes, path):
    server, runs = two_sandboxes
    mine, theirs = own_handle(server, KEY_A), own_handle(server, KEY_B)
    answers = []
    for named in (theirs, "sbx_000000000000000000000000"):
        response = get(server, filled(path, named, *runs[KEY_B]), headers=bearer(KEY_A))
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "sandbox_not_yours" and error["param"] == "sandbox"
        assert KEY_B not in response.text and KEY_B[-4:] not in response.text
        answers.append(error["message"].replace(named, "NAMED"))
    assert (
        answers[0]
        == answers[1]
        == (
            f"Sandbox NAMED is not yours: your API key names sandbox {mine}. Inspecting another "
            "sandbox needs the operator token in an 'X-Mock-Operator-Token' header."
        )
    )


def test_a_key_sees_only_its_own_sandbox(two_sandboxes):
    server, runs = two_sandboxes
    listing = get(server, "/sandboxes", headers=bearer(KEY_A)).json()["data"]
    assert [row["key"] for row in listing] == [f"sk-…{KEY_A[-4:]}"]
    sbx = own_handle(server, KEY_A)
    for path in SANDBOX_PATHS:
        response = get(server, filled(path, sbx, *runs[KEY_A]), headers=bearer(KEY_A))
        assert response.status_code == 200, (path, response.text)
    # B's thread, run and chart are not found in A's sandbox: ids never cross sandboxes
    _other_thread, other_run, other_chart, other_response, other_conversation = runs[KEY_B]
    for path in (
        f"/runs/{other_run}",
        f"/files/{other_chart}/content",
        f"/responses/{other_response}",
        f"/conversations/{other_conversation}",
    ):
        response = get(server, f"/sandboxes/{sbx}{path}", headers=bearer(KEY_A))
        assert response.status_code == 404, path


@pytest.mark.parametrize("credential", ["key", "operator"])
def test_an_unknown_file_is_a_404(two_sandboxes, credential):
    server, _ = two_sandboxes
    headers = bearer(KEY_A) if credential == "key" else {OPERATOR: server.operator_token}
    path = f"/sandboxes/{own_handle(server, KEY_A)}/files/file-unknown/content"
    response = get(server, path, headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "No file found with id 'file-unknown'."


def test_the_operator_sees_every_sandbox_and_an_unknown_one_is_a_404(two_sandboxes):
    server, runs = two_sandboxes
    operator = {OPERATOR: server.operator_token}
    listing = get(server, "/sandboxes", headers=operator).json()["data"]
    assert len(listing) == 2
    for key in (KEY_A, KEY_B):
        sbx = own_handle(server, key)
        for path in SANDBOX_PATHS:
            response = get(server, filled(path, sbx, *runs[key]), headers=operator)
            assert response.status_code == 200, (path, response.text)
    unknown = get(server, "/sandboxes/sbx_000000000000000000000000", headers=operator)
    assert unknown.status_code == 404
    assert unknown.json()["error"] == {
        "message": "No sandbox found with id 'sbx_000000000000000000000000'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    wrong = get(server, "/sandboxes", headers={OPERATOR: "not-the-token"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_operator_token"


def test_with_api_key_only_that_key_reads(server_factory):
    server = server_factory(api_key=KEY_A)
    make_client(server.base_url, KEY_A).beta.assistants.create(model="gpt-4o")
    refused = get(server, "/sandboxes", headers=bearer(KEY_B))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"
    assert KEY_B not in refused.text
    sbx = own_handle(server, KEY_A)
    assert get(server, f"/sandboxes/{sbx}", headers=bearer(KEY_A)).status_code == 200
    assert get(server, f"/sandboxes/{sbx}", headers={"api-key": KEY_A}).status_code == 200
    assert get(server, f"/sandboxes/{sbx}", headers=bearer(KEY_B)).status_code == 401


def test_no_answer_holds_a_whole_key(two_sandboxes):
    server, runs = two_sandboxes
    operator = {OPERATOR: server.operator_token}
    texts = [get(server, "/sandboxes", headers=operator).text]
    for key in (KEY_A, KEY_B):
        for path in SANDBOX_PATHS:
            path = filled(path, own_handle(server, key), *runs[key])
            texts.append(get(server, path, headers=operator).text)
            texts.append(get(server, path, headers=bearer(key)).text)
    for text in texts:
        assert KEY_A not in text and KEY_B not in text


def test_reading_creates_no_sandbox(server_factory):
    server = server_factory()
    newcomer = "sk-never-used-0123456789abcdef"

    def sandboxes() -> int:
        return httpx2.get(f"{server.url}/__mock__/health").json()["sandboxes"]

    listing = get(server, "/sandboxes", headers=bearer(newcomer)).json()["data"]
    (row,) = listing  # its own row, empty, to start from
    assert row["counts"] == dict.fromkeys(
        ["assistants", "threads", "files", "vector_stores", "requests"], 0
    )
    view = get(server, f"/sandboxes/{row['id']}", headers=bearer(newcomer)).json()
    assert view["assistants"] == view["threads"] == view["files"] == []
    journal = get(server, f"/sandboxes/{row['id']}/requests", headers=bearer(newcomer)).json()
    assert journal["data"] == []
    content = get(server, f"/sandboxes/{row['id']}/files/file-x/content", headers=bearer(newcomer))
    assert content.status_code == 404
    assert sandboxes() == 0
    operator = {OPERATOR: server.operator_token}
    assert get(server, "/sandboxes", headers=operator).json()["data"] == []


def test_reading_a_run_does_not_move_it_on(server_factory):
    server = server_factory()
    client = make_client(server.base_url, KEY_A)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    sbx = own_handle(server, KEY_A)
    for _ in range(3):
        view = get(server, f"/sandboxes/{sbx}/runs/{run.id}", headers=bearer(KEY_A)).json()
        assert view["run"]["status"] == "queued"
        assert [t["status"] for t in view["timeline"]] == ["queued"]
    # the next client read moves it on as if nobody had looked
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "in_progress"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_the_inspector_is_read_only(two_sandboxes, method):
    server, _ = two_sandboxes
    sbx = own_handle(server, KEY_A)
    response = httpx2.request(
        method, f"{server.url}/__mock__/inspect/sandboxes/{sbx}", headers=bearer(KEY_A)
    )
    assert response.status_code == 405


@pytest.mark.parametrize("named", ["x" * 5000, "sbx_ünïcödé", "sbx_"])
def test_an_odd_sandbox_name_is_a_403_quoting_it_shortened_or_a_404(server_factory, named):
    server = server_factory()
    refused = get(server, f"/sandboxes/{named}", headers=bearer(KEY_A))
    assert refused.status_code == 403, refused.text
    assert len(refused.json()["error"]["message"]) < 400
    unknown = get(server, f"/sandboxes/{named}", headers={OPERATOR: server.operator_token})
    assert unknown.status_code == 404, unknown.text
