"""Who may use the control API (/__mock__), what it shows of keys, and which files it reads.

An API key acts on its own sandbox only; the operator token acts on any and on all; with
``--api-key`` nothing but health answers without that key; keys are shown masked; scenario
files load over HTTP only from folders the operator allowed, and errors never quote them.
"""

from __future__ import annotations

import stat
import subprocess
import threading
from pathlib import Path

import httpx2
import pytest

from tests.conftest import SERVE, bearer, make_client, serve_process

OPERATOR = "X-Mock-Operator-Token"
NO_CREDENTIAL = (
    "The control API needs a credential: your API key in an Authorization header "
    "(Authorization: Bearer YOUR_KEY) to act on your own sandbox, or the operator token in an "
    "'X-Mock-Operator-Token' header to act on any sandbox or on all of them."
)
#: every control request but health, with a body where it takes one
CONTROL_REQUESTS = [
    ("POST", "/reset", None),
    ("GET", "/requests", None),
    ("GET", "/state", None),
    ("POST", "/scenario", {"name": "cancel-race"}),
    ("GET", "/scenario", None),
    ("DELETE", "/scenario", None),
    ("POST", "/clock", {"advance": 3600}),
    ("POST", "/runs/thread_x/run_y/advance", {"transitions": 1}),
    ("POST", "/settings", {"progression": "manual"}),
]
KEY_A = "sk-sandbox-a-0123456789abcdef0123"
KEY_B = "sk-sandbox-b-fedcba9876543210fedc"


def control(server, method: str, path: str, body=None, **kwargs) -> httpx2.Response:
    return httpx2.request(method, f"{server.url}/__mock__{path}", json=body, **kwargs)


def untouched(server, key: str, assistant_id: str) -> None:
    """The sandbox of ``key`` is as its own client left it: its assistant, its clock, its
    journal, no scenario, the default progression."""
    state = control(server, "GET", "/state", headers=bearer(key)).json()
    assert [row["object"]["id"] for row in state["tables"]["assistants/"]] == [assistant_id]
    assert state["clock"] == state["tables"]["assistants/"][0]["object"]["created_at"]
    assert "scenarios" not in state["settings"] and "progression" not in state["settings"]
    journal = control(server, "GET", "/requests", headers=bearer(key)).json()["data"]
    assert [(e["method"], e["path"]) for e in journal] == [("POST", "/v1/assistants")]


def error_of(response: httpx2.Response) -> dict:
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


# -- with --api-key: nothing but health answers without the key -----------------------------------


@pytest.mark.parametrize(("method", "path", "body"), CONTROL_REQUESTS)
def test_with_an_api_key_the_control_api_answers_nothing_without_it(
    server_factory, method, path, body
):
    server = server_factory(api_key=KEY_A)
    with make_client(server.base_url, KEY_A) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
    for headers, params in [
        ({}, {}),
        ({}, {"sandbox": KEY_A}),
    ]:  # a key in the query is no credential
        response = control(server, method, path, body, headers=headers, params=params)
        assert response.status_code == 401
        assert error_of(response) == {
            "message": NO_CREDENTIAL,
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    wrong = control(server, method, path, body, headers=bearer(KEY_B), params={"sandbox": KEY_A})
    assert wrong.status_code == 401
    assert error_of(wrong)["code"] == "invalid_api_key"
    assert error_of(wrong)["message"].startswith("Incorrect API key provided: sk-…fedc.")
    assert httpx2.get(f"{server.url}/__mock__/health").status_code == 200
    untouched(server, KEY_A, assistant.id)
    # the key itself acts on its own sandbox
    assert control(server, method, path, body, headers=bearer(KEY_A)).status_code != 401


# -- without --api-key: a key acts on its own sandbox only ------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), CONTROL_REQUESTS)
def test_a_key_cannot_reach_another_sandbox(server_factory, method, path, body):
    server = server_factory()
    with make_client(server.base_url, KEY_A) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
    response = control(server, method, path, body, headers=bearer(KEY_B), params={"sandbox": KEY_A})
    assert response.status_code == 403
    assert error_of(response) == {
        "message": "Sandbox sk-…0123 is not yours: your API key names sandbox sk-…fedc. Acting on "
        "another sandbox needs the operator token in an 'X-Mock-Operator-Token' header.",
        "type": "invalid_request_error",
        "param": "sandbox",
        "code": "sandbox_not_yours",
    }
    for headers in ({}, {"Authorization": "Basic x"}):  # no key at all: no credential
        response = control(server, method, path, body, headers=headers, params={"sandbox": KEY_A})
        assert response.status_code == 401 and error_of(response)["message"] == NO_CREDENTIAL
    untouched(server, KEY_A, assistant.id)


def test_without_a_credential_nothing_is_reset_or_read(server_factory):
    server = server_factory()
    for key in (KEY_A, KEY_B):
        with make_client(server.base_url, key) as client:
            client.beta.threads.create()
    assert control(server, "POST", "/reset").status_code == 401
    assert control(server, "POST", "/reset", {"sandbox": KEY_A}).status_code == 401
    assert control(server, "GET", "/requests").status_code == 401
    assert httpx2.get(f"{server.url}/__mock__/health").json()["sandboxes"] == 2


def test_a_key_resets_and_reads_only_its_own_sandbox(server_factory):
    server = server_factory()
    for key in (KEY_A, KEY_B):
        with make_client(server.base_url, key) as client:
            client.beta.threads.create()
    journal = control(server, "GET", "/requests", headers=bearer(KEY_B)).json()["data"]
    assert [e["sandbox"] for e in journal] == ["sk-…fedc"]
    # naming no sandbox (or its own) with a key is that key's sandbox, never all of them
    assert control(server, "POST", "/reset", headers=bearer(KEY_B)).json() == {
        "reset": ["sk-…fedc"]
    }
    same = control(server, "POST", "/reset", {"sandbox": KEY_B}, headers=bearer(KEY_B))
    assert same.json() == {"reset": ["sk-…fedc"]}
    odd = control(server, "POST", "/reset", {"sandbox": 5}, headers=bearer(KEY_B))
    assert odd.status_code == 400 and error_of(odd)["code"] == "invalid_type"
    assert httpx2.get(f"{server.url}/__mock__/health").json()["sandboxes"] == 1


def test_an_azure_api_key_header_acts_on_its_own_sandbox_only(server_factory):
    """``AzureOpenAI`` users hold their key as ``api-key``: the control API reads it too."""
    server = server_factory(api_key=KEY_A)
    with make_client(server.base_url, KEY_A) as client:
        client.beta.threads.create()
    journal = control(server, "GET", "/requests", headers={"api-key": KEY_A})
    assert [e["sandbox"] for e in journal.json()["data"]] == ["sk-…" + KEY_A[-4:]]
    wrong = control(server, "GET", "/requests", headers={"api-key": KEY_B})
    assert wrong.status_code == 401 and error_of(wrong)["code"] == "invalid_api_key"
    other = control(server, "GET", "/state", params={"sandbox": KEY_B}, headers={"api-key": KEY_A})
    assert other.status_code == 403


# -- the operator token -------------------------------------------------------------------------------


def test_the_operator_token_acts_on_any_sandbox_and_on_all(server_factory):
    server = server_factory(operator_token="op-secret-token")
    operator = {OPERATOR: "op-secret-token"}
    httpx2.get(f"{server.base_url}/assistants")  # a 401 on /v1: journalled with no sandbox
    for key in (KEY_A, KEY_B):
        with make_client(server.base_url, key) as client:
            client.beta.threads.create()
    everything = control(server, "GET", "/requests", headers=operator).json()["data"]
    assert [(e["status"], e["sandbox"]) for e in everything] == [
        (401, None),
        (200, "sk-…0123"),
        (200, "sk-…fedc"),
    ]
    one = control(server, "GET", "/requests", headers=operator, params={"sandbox": KEY_A}).json()
    assert [e["sandbox"] for e in one["data"]] == ["sk-…0123"]
    state = control(server, "GET", "/state", headers=operator, params={"sandbox": KEY_B}).json()
    assert state["key"] == "sk-…fedc" and len(state["tables"]["threads/"]) == 1
    # with a key beside it, the operator may still name any other sandbox
    moved = control(
        server,
        "POST",
        "/clock",
        {"advance": 60},
        params={"sandbox": KEY_A},
        headers={**operator, **bearer(KEY_B)},
    )
    assert moved.status_code == 200
    # an operator that names one sandbox where one is needed, or none to mean all
    assert control(server, "GET", "/state", headers=operator).status_code == 400
    reset = control(server, "POST", "/reset", headers=operator).json()
    assert sorted(reset["reset"]) == ["sk-…0123", "sk-…fedc"]
    assert control(server, "GET", "/requests", headers=operator).json()["data"] == []


def test_a_wrong_operator_token_is_refused_even_beside_a_right_key(server_factory):
    server = server_factory(operator_token="op-right")
    for headers in (
        {OPERATOR: "op-wrong"},
        {OPERATOR: "op-wrong", **bearer(KEY_A)},
        {OPERATOR: ""},
    ):
        response = control(server, "GET", "/requests", headers=headers)
        assert response.status_code == 401
        error = error_of(response)
        assert error["code"] == "invalid_operator_token" and "op-wrong" not in error["message"]
        assert error["message"].startswith("Incorrect operator token provided.")


def test_create_app_makes_a_random_operator_token_when_given_none(server_factory):
    first, second = server_factory(), server_factory()
    assert first.operator_token != second.operator_token and len(first.operator_token) >= 32
    response = control(first, "GET", "/requests", headers={OPERATOR: first.operator_token})
    assert response.status_code == 200
    assert (
        control(second, "GET", "/requests", headers={OPERATOR: first.operator_token}).status_code
        == 401
    )


# -- keys are shown masked ------------------------------------------------------------------------------


def test_no_response_shows_a_key_whole(server_factory):
    server = server_factory(operator_token="op")
    with make_client(server.base_url, KEY_A) as client:
        client.beta.threads.create()
    seen = [
        control(server, "GET", "/requests", headers=bearer(KEY_A)),
        control(server, "GET", "/requests", headers={OPERATOR: "op"}),
        control(server, "GET", "/state", headers=bearer(KEY_A)),
        control(server, "GET", "/state", headers={OPERATOR: "op"}, params={"sandbox": KEY_B}),
        control(server, "GET", "/state", headers=bearer(KEY_B), params={"sandbox": KEY_A}),
        control(server, "POST", "/reset", headers=bearer(KEY_A)),
    ]
    guarded = server_factory(api_key=KEY_A)
    seen += [
        httpx2.get(f"{guarded.base_url}/assistants", headers=bearer(KEY_B)),
        control(guarded, "GET", "/state", headers=bearer(KEY_B)),
    ]
    for response in seen:
        assert KEY_A not in response.text and KEY_B not in response.text
        assert "sk-…0123" in response.text or "sk-…fedc" in response.text


# -- scenario files over HTTP ---------------------------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path) -> Path:
    """A file outside any allowed folder whose first line must never be shown."""
    path = tmp_path / "private" / "secret.yaml"
    path.parent.mkdir()
    path.write_text("TOP-SECRET-LINE: hunter2\n")
    return path


def install(server, key: str, spec: dict) -> httpx2.Response:
    return control(server, "POST", "/scenario", spec, headers=bearer(key))


def test_without_scenario_folders_no_file_is_read_over_http(server_factory, secret_file):
    server = server_factory()
    refused = install(server, KEY_A, {"path": str(secret_file)})
    assert refused.status_code == 403
    assert error_of(refused) == {
        "message": "Over HTTP, scenario files load only from folders the server was started with "
        "(--scenario-dir DIR), and it was started with none. Give the document inline as "
        "'scenario', or a built-in scenario's 'name'.",
        "type": "invalid_request_error",
        "param": "path",
        "code": "scenario_path_not_allowed",
    }
    # a file that does not exist gets the very same answer: nothing is told about the disk
    for other in ("/etc/passwd", str(secret_file.with_name("missing.yaml")), "relative.yaml"):
        assert install(server, KEY_A, {"path": other}).json() == refused.json()
    # inline documents and built-in names still load; an inline document's errors quote it
    # (the caller wrote it: that helps and shows nobody else's data)
    assert install(server, KEY_A, {"name": "cancel-race"}).status_code == 200
    assert install(server, KEY_A, {"scenario": {"version": 1, "name": "x"}}).status_code == 200
    response = install(server, KEY_A, {"scenario": {"version": 1, "runs": [{"end": "complete"}]}})
    assert "unknown value 'complete'" in error_of(response)["message"]


def test_scenario_folders_bound_what_is_read(server_factory, tmp_path, secret_file):
    allowed = tmp_path / "allowed"
    (allowed / "nested").mkdir(parents=True)
    (allowed / "nested" / "mine.yaml").write_text("version: 1\nprogression: manual\n")
    (allowed / "escape.yaml").symlink_to(secret_file)
    (allowed / "private").symlink_to(secret_file.parent, target_is_directory=True)
    server = server_factory(scenario_dirs=[allowed])
    assert install(server, KEY_A, {"path": "nested/mine.yaml"}).json()["installed"] == ["mine"]
    absolute = install(server, KEY_A, {"path": str(allowed / "nested" / "mine.yaml")})
    assert absolute.status_code == 200
    outside = [
        str(secret_file),
        "../private/secret.yaml",
        "nested/../../private/secret.yaml",
        "escape.yaml",
        "private/secret.yaml",
        "/etc/passwd",
        "../private/missing.yaml",
    ]
    for path in outside:
        response = install(server, KEY_A, {"path": path})
        assert response.status_code == 403, path
        assert error_of(response)["message"].startswith(
            "Over HTTP, scenario files load only from the folders the server was started with "
            "(--scenario-dir); this path is outside them."
        )
    missing = install(server, KEY_A, {"path": "nested/none.yaml"})
    assert missing.status_code == 400
    assert error_of(missing)["message"] == "scenario file not found: nested/none.yaml"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "top.yaml",
            "TOP-SECRET-LINE hunter2\n",
            "scenario 'top.yaml': (top level): expected a mapping, got string",
        ),
        (
            "key.yaml",
            "version: 1\nhunter2: x\n",
            (
                "scenario 'key.yaml': (top level): unknown key; valid keys: version, name, description, "
                "runs, http, ingestion, vector_store_file_delete, progression, default_behaviour"
            ),
        ),
        (
            "value.yaml",
            "version: 1\nruns: [{end: hunter2}]\n",
            (
                "scenario 'value.yaml': runs[0].end.status: unknown value; valid values: completed, "
                "failed, incomplete, expired, cancelled, cancel_loses_race"
            ),
        ),
        (
            "type.yaml",
            "version: 1\nruns: [{steps: hunter2}]\n",
            "scenario 'type.yaml': runs[0].steps: expected a list, got string",
        ),
        (
            "syntax.yaml",
            "version: 1\nhunter2: [unclosed\n",
            "scenario 'syntax.yaml': not valid YAML (line 3, column 1)",
        ),
        ("binary.yaml", b"version: 1\n\xffhunter2\n", "scenario 'binary.yaml': not UTF-8 text"),
        (
            "http.json",
            '{"version": 1, "http": [{"path": "hunter2", "status": 500}]}',
            "scenario 'http.json': http[0].path: expected a path starting with '/'",
        ),
    ],
)
def test_a_bad_file_read_over_http_is_named_but_never_quoted(
    server_factory, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    server = server_factory(scenario_dirs=[tmp_path])
    response = install(server, KEY_A, {"path": name})
    assert response.status_code == 400
    assert error_of(response) == {
        "message": message,
        "type": "invalid_request_error",
        "param": "path",
        "code": "invalid_scenario",
    }
    assert "hunter2" not in response.text


# -- the CLI: the operator token and scenario folders ---------------------------------------------------


def token_line(process: subprocess.Popen[str]) -> str:
    """The line under the banner (read aside, so a server that never prints it fails the test
    instead of hanging it; the reader ends when the process is killed)."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(30)
    assert lines and lines[0].startswith("operator token"), f"no operator token line: {lines}"
    return lines[0].strip()


def test_the_cli_writes_a_random_operator_token_to_a_private_file(tmp_path):
    with serve_process(*SERVE, "--port", "0", log=tmp_path / "log") as (process, base_url, _port):
        line = token_line(process)
        assert line.startswith("operator token (X-Mock-Operator-Token): in ")
        token_file = Path(line.rsplit(" in ", 1)[1])
        token = token_file.read_text()
        assert len(token) >= 32 and token not in line
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
        root = base_url.removesuffix("/v1")
        assert httpx2.get(f"{root}/__mock__/requests").status_code == 401
        assert httpx2.get(f"{root}/__mock__/requests", headers={OPERATOR: token}).status_code == 200
        process.terminate()
        assert process.wait(timeout=10) == 0
    assert not token_file.exists() and not token_file.parent.exists()
    assert token not in (tmp_path / "log").read_text()


def test_the_cli_takes_the_operator_token_from_the_environment_or_a_flag(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANTS_MOCK_OPERATOR_TOKEN", "op-from-env")
    with serve_process(*SERVE, "--port", "0", log=tmp_path / "log") as (process, base_url, _port):
        line = token_line(process)
        assert (
            line
            == "operator token (X-Mock-Operator-Token): as given by $ASSISTANTS_MOCK_OPERATOR_TOKEN"
        )
        root = base_url.removesuffix("/v1")
        assert (
            httpx2.get(f"{root}/__mock__/requests", headers={OPERATOR: "op-from-env"}).status_code
            == 200
        )
    chosen = tmp_path / "token"
    chosen.write_text("old")
    chosen.chmod(0o644)
    command = [
        *SERVE,
        "--port",
        "0",
        "--operator-token",
        "op-flag",
        "--operator-token-file",
        str(chosen),
    ]
    with serve_process(*command, log=tmp_path / "log") as (process, base_url, _port):
        assert token_line(process) == f"operator token (X-Mock-Operator-Token): in {chosen}"
        assert chosen.read_text() == "op-flag" and stat.S_IMODE(chosen.stat().st_mode) == 0o600
        root = base_url.removesuffix("/v1")
        assert (
            httpx2.get(f"{root}/__mock__/requests", headers={OPERATOR: "op-flag"}).status_code
            == 200
        )


def test_the_cli_scenario_dir_allows_a_folder_and_a_bad_one_exits(tmp_path, secret_file):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "mine.yaml").write_text("version: 1\nvector_store_file_delete: global\n")
    with serve_process(
        *SERVE,
        "--port",
        "0",
        "--scenario-dir",
        str(folder),
        "--api-key",
        KEY_A,
        log=tmp_path / "log",
    ) as (_process, base_url, _port):
        url = base_url.removesuffix("/v1") + "/__mock__/scenario"
        assert httpx2.post(url, json={"path": "mine.yaml"}).status_code == 401
        assert httpx2.post(url, json={"path": "mine.yaml"}, headers=bearer(KEY_A)).json()[
            "installed"
        ] == ["mine"]
        assert (
            httpx2.post(url, json={"path": str(secret_file)}, headers=bearer(KEY_A)).status_code
            == 403
        )
    missing = tmp_path / "nope"
    bad = subprocess.run(
        [*SERVE, "--port", "0", "--scenario-dir", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert (
        bad.stderr.strip()
        == f"assistants-mock: error: scenario folder not found: {missing.resolve()}"
    )


def test_a_name_too_long_for_a_file_is_an_unknown_scenario_not_a_server_error(server_factory):
    server = server_factory()
    response = install(server, KEY_A, {"name": "a" * 1000})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"]) == ("name", "invalid_scenario")
    assert error["message"].startswith("unknown scenario 'aaa")


def test_an_empty_sandbox_name_is_refused_never_taken_for_none_or_a_sandbox(server_factory):
    server = server_factory(operator_token="op-secret-token")
    operator = {OPERATOR: "op-secret-token"}
    with make_client(server.base_url, KEY_A) as client:
        assistant = client.beta.assistants.create(model="gpt-4o")
    refusals = [
        # an operator's ?sandbox=$UNSET: not "every sandbox", not a sandbox called ""
        ("POST", "/reset", None, operator),
        ("POST", "/reset", {"sandbox": ""}, operator),
        ("POST", "/clock", {"advance": 60}, operator),
        ("GET", "/requests", None, operator),
        # a key holder's: not someone else's sandbox
        ("GET", "/state", None, bearer(KEY_A)),
        ("POST", "/reset", {"sandbox": ""}, bearer(KEY_A)),
    ]
    for method, path, body, headers in refusals:
        params = {} if body and "sandbox" in body else {"sandbox": ""}
        response = control(server, method, path, body, params=params, headers=headers)
        assert response.status_code == 400, (method, path, body)
        assert error_of(response)["message"] == (
            "Name a sandbox with ?sandbox=API_KEY or an 'Authorization: Bearer API_KEY' header."
        )
    untouched(server, KEY_A, assistant.id)
    assert control(server, "GET", "/health").json()["sandboxes"] == 1
