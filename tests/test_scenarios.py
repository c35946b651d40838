"""Scenario documents: strict loading, the three ways to install them, and the CLI flag."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mockserver import create_app, scenarios
from mockserver.scenarios import Scenario, ScenarioError, load_scenario
from mockserver.server import LiveServer
from tests.conftest import bearer, make_client

TEN_CASES = [
    "active-run",
    "incomplete-run",
    "vector-store-not-ready",
    "unsupported-files",
    "empty-file-batch",
    "reasoning-temperature",
    "batch-id-mixup",
    "global-file-delete",
    "large-uploads",
    "cancel-race",
]


def test_the_ten_documented_cases_and_the_examples_ship_as_files():
    names = scenarios.builtin_names()
    assert set(TEN_CASES) <= set(names)
    assert {"weather-tool", "rate-limit-storm", "failing-runs"} <= set(names)


@pytest.mark.parametrize("name", scenarios.builtin_names())
def test_every_builtin_scenario_loads_and_is_named_after_its_file(name):
    scenario = load_scenario(name)
    assert isinstance(scenario, Scenario) and scenario.name == name
    assert scenario.document["description"].strip()


def test_the_build_carries_the_scenario_files_as_package_data(tmp_path):
    """What setuptools copies into a build: every built-in file, under ``mockserver/scenarios``
    (installed inside mockserver so a user's own ``scenarios`` package never clashes with it),
    the plugin under ``mockserver/pytest_plugin`` for the same reason, and neither folder as a
    top-level package."""
    root = Path(__file__).parent.parent
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import setuptools, sys; "
                "setuptools.setup(script_args=['-q', 'build_py', '--build-lib', sys.argv[1]])"
            ),
            str(tmp_path),
        ],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    packaged = {p.stem for p in (tmp_path / "mockserver" / "scenarios").glob("*.yaml")}
    assert packaged == set(scenarios.builtin_names())
    assert (tmp_path / "mockserver" / "scenarios" / "__init__.py").is_file()
    assert not (tmp_path / "scenarios").exists()
    plugin = {p.name for p in (tmp_path / "mockserver" / "pytest_plugin").glob("*.py")}
    assert plugin == {p.name for p in (root / "pytest_plugin").glob("*.py")}
    assert not (tmp_path / "pytest_plugin").exists()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "scenario 'inline': (top level): missing required key 'version'"),
        ({"version": 2}, "scenario 'inline': version: unknown value 2; valid values: 1"),
        (
            {
                "version": 1,
                "runs": [{"steps": [{"message": "hi"}, {"fnction_call": {"name": "f"}}]}],
            },
            (
                "scenario 'inline': runs[0].steps[1]: unknown key 'fnction_call'; valid keys: "
                "function_call, code_interpreter, file_search, message, delay"
            ),
        ),
        (
            {"version": 1, "runs": [{"end": {"status": "complete"}}]},
            (
                "scenario 'inline': runs[0].end.status: unknown value 'complete'; valid values: "
                "completed, failed, incomplete, expired, cancelled, cancel_loses_race"
            ),
        ),
        (
            {"version": 1, "runs": [{"end": {"status": "failed", "code": "oops"}}]},
            (
                "scenario 'inline': runs[0].end.code: unknown value 'oops'; valid values: "
                "server_error, rate_limit_exceeded, invalid_prompt"
            ),
        ),
        (
            {"version": 1, "http": [{"path": "/files", "status": "429"}]},
            "scenario 'inline': http[0].status: expected an integer, got string '429'",
        ),
        (
            {
                "version": 1,
                "http": [{"path": "/files", "status": 429, "calls": {"nth": 1, "every": 2}}],
            },
            "scenario 'inline': http[0].calls: expected exactly one of nth, every, first, probability; got nth, every",
        ),
        (
            {"version": 1, "runs": [{"steps": [{"message": "It is {{outptu}}"}]}]},
            (
                "scenario 'inline': runs[0].steps[0].message: unknown placeholder '{{outptu}}'; "
                "valid: {{output}}, {{outputs.NAME}}, {{user_message}}"
            ),
        ),
        (
            {"version": 1, "ingestion": {"fail": {"*.md": {"code": "bad"}}}},
            (
                "scenario 'inline': ingestion.fail['*.md'].code: unknown value 'bad'; valid values: "
                "server_error, unsupported_file, invalid_file"
            ),
        ),
        (
            {"version": 1, "vector_store_file_delete": "everywhere"},
            "scenario 'inline': vector_store_file_delete: unknown value 'everywhere'; valid values: store, global",
        ),
    ],
)
def test_a_bad_document_fails_at_load_naming_the_place_and_the_valid_values(document, message):
    with pytest.raises(ScenarioError) as info:
        load_scenario(document)
    assert str(info.value) == message


def test_load_by_path_yaml_and_json(tmp_path):
    yaml_file = tmp_path / "mine.yaml"
    yaml_file.write_text("version: 1\nruns:\n  - steps:\n      - message: from yaml\n")
    json_file = tmp_path / "other.json"
    json_file.write_text(
        json.dumps({"version": 1, "name": "named", "runs": [{"steps": [{"message": "json"}]}]})
    )
    assert load_scenario(str(yaml_file)).name == "mine"
    assert load_scenario(json_file).name == "named"  # a Path, and the document's own name wins


def test_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("version: 1\nruns:\n  - stpes: []\n")
    with pytest.raises(
        ScenarioError,
        match=r"^scenario 'typo.yaml': runs\[0\]: unknown key 'stpes'; valid keys: match, steps, end$",
    ):
        load_scenario(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: [1\n")
    with pytest.raises(ScenarioError, match="^scenario 'broken.yaml': not valid YAML"):
        load_scenario(broken)
    with pytest.raises(ScenarioError, match="^scenario file not found"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(
        ScenarioError, match="^unknown scenario 'cancel-rase'; built-in scenarios: active-run, "
    ):
        load_scenario("cancel-rase")


def test_the_canonical_form_expands_shorthands():
    scenario = load_scenario(
        {
            "version": 1,
            "runs": [
                {
                    "match": {"message_contains": "x"},
                    "steps": [
                        {"function_call": {"name": "f", "arguments": {"a": 1}}, "delay": 3},
                        {"message": "done"},
                    ],
                    "end": "expired",
                }
            ],
        }
    )
    (rule,) = scenario.document["runs"]
    assert rule["steps"] == [
        {"kind": "function_calls", "delay": 3, "calls": [{"name": "f", "arguments": '{"a": 1}'}]},
        {"kind": "message", "delay": 0, "text": "done"},
    ]
    assert rule["end"] == {"status": "expired"}


# -- Hypothesis: whatever the document, a clear load error or a scenario, never a crash ---------

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True)
    | st.text(max_size=8)
    | st.sampled_from(
        ["completed", "failed", "/threads/*/runs", "{{output}}", "{{x}}", "(", "*.md"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "version",
                    "runs",
                    "http",
                    "steps",
                    "match",
                    "end",
                    "status",
                    "message",
                    "function_call",
                    "name",
                    "arguments",
                    "code_interpreter",
                    "input",
                    "image",
                    "values",
                    "file_search",
                    "calls",
                    "nth",
                    "probability",
                    "path",
                    "method",
                    "drop_stream",
                    "after_events",
                    "ingestion",
                    "fail",
                    "seconds",
                    "code",
                    "reason",
                    "delay",
                    "headers",
                    "error",
                    "message_regex",
                    "thread_metadata",
                    "bogus",
                ]
            )
            | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.just("version"), st.just(1), min_size=1).flatmap(
        lambda base: st.dictionaries(
            st.sampled_from(["runs", "http", "ingestion", "name", "progression"]), _json
        ).map(lambda rest: {**base, **rest})
    )
    | _json
)
def test_any_document_loads_or_fails_with_a_scenario_error(document):
    try:
        load_scenario(document) if isinstance(document, dict) else load_scenario(
            {"version": 1, "runs": document}
        )
    except ScenarioError as exc:
        assert str(exc).startswith("scenario 'inline': ")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(scenarios.builtin_names()), st.data())
def test_a_mutated_builtin_document_loads_or_fails_clearly(name, data):
    import yaml

    document = yaml.safe_load((scenarios.FOLDER / f"{name}.yaml").read_text())
    original = copy.deepcopy(document)
    # every example replaces one value: a top-level one, or one deeper down
    parent, key = document, data.draw(st.sampled_from(list(document)))
    while isinstance(parent[key], (dict, list)) and parent[key] and data.draw(st.booleans()):
        parent = parent[key]
        key = data.draw(
            st.sampled_from(list(parent) if isinstance(parent, dict) else list(range(len(parent))))
        )
    parent[key] = data.draw(_json.filter(lambda value: value != parent[key]))
    assert document != original
    try:
        loaded = load_scenario(document)
    except ScenarioError as exc:
        event("refused")
        assert str(exc).startswith("scenario 'inline': ")
    else:
        event("loaded")
        assert isinstance(loaded, Scenario)


# -- installing: control API, create_app(scenarios=...), the CLI ---------------------------------


@pytest.fixture
def control(live_server, api_key):
    with httpx2.Client(base_url=f"{live_server.url}/__mock__", headers=bearer(api_key)) as c:
        yield c


def test_control_api_installs_lists_and_clears(control, client):
    assert control.post("/scenario", json={"name": "weather-tool"}).json()["installed"] == [
        "weather-tool"
    ]
    body = control.post(
        "/scenario",
        json={
            "scenario": {
                "version": 1,
                "name": "mine",
                "runs": [{"steps": [{"message": "scripted"}]}],
            }
        },
    ).json()
    assert body["installed"] == ["weather-tool", "mine"] and "cancel-race" in body["builtin"]
    # installing a name again replaces it rather than adding a second copy
    assert control.post("/scenario", json={"name": "weather-tool"}).json()["installed"] == [
        "mine",
        "weather-tool",
    ]
    assert control.get("/scenario").json()["installed"] == ["mine", "weather-tool"]
    assert control.delete("/scenario").json()["installed"] == []
    assistant = client.beta.assistants.create(model="gpt-4o")
    run = client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "hello"}]}
    )
    text = client.beta.threads.messages.list(run.thread_id).data[0].content[0].text.value
    assert "scripted" not in text and text.startswith('You asked: "hello".')


def test_control_api_refuses_a_bad_scenario_with_the_loader_message(control):
    response = control.post(
        "/scenario", json={"scenario": {"version": 1, "runs": [{"end": "complete"}]}}
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "message": "scenario 'inline': runs[0].end.status: unknown value 'complete'; valid values: "
        "completed, failed, incomplete, expired, cancelled, cancel_loses_race",
        "type": "invalid_request_error",
        "param": "scenario",
        "code": "invalid_scenario",
    }
    response = control.post("/scenario", json={"name": "nope"})
    assert response.status_code == 400 and response.json()["error"]["message"].startswith(
        "unknown scenario 'nope'"
    )
    response = control.post("/scenario", json={"name": "a", "path": "b"})
    assert response.status_code == 400
    assert control.get("/scenario").json()["installed"] == []


def test_control_api_installs_by_path_from_an_allowed_folder(server_factory, tmp_path):
    path = tmp_path / "by-path.yaml"
    path.write_text("version: 1\nvector_store_file_delete: global\n")
    server = server_factory(scenario_dirs=[tmp_path])  # over HTTP, files load from these only
    response = httpx2.post(
        f"{server.url}/__mock__/scenario", headers=bearer("sk-by-path"), json={"path": str(path)}
    )
    assert response.json()["installed"] == ["by-path"]


def test_scenarios_given_to_create_app_reach_every_sandbox(tmp_path):
    path = tmp_path / "greet.yaml"
    path.write_text(
        "version: 1\nruns:\n  - steps:\n      - message: Greetings, {{user_message}}!\n"
    )
    with LiveServer(create_app(scenarios=["global-file-delete", str(path)])) as server:
        for key in ("sk-one", "sk-two"):
            with make_client(server.base_url, key) as c:
                assistant = c.beta.assistants.create(model="gpt-4o")
                run = c.beta.threads.create_and_run_poll(
                    assistant_id=assistant.id,
                    thread={"messages": [{"role": "user", "content": "Ada"}]},
                )
                assert (
                    c.beta.threads.messages.list(run.thread_id).data[0].content[0].text.value
                    == "Greetings, Ada!"
                )
        listed = httpx2.get(f"{server.url}/__mock__/scenario", headers=bearer("sk-two")).json()
        assert listed["installed"] == ["global-file-delete", "greet"]


def test_create_app_refuses_a_bad_scenario_up_front():
    with pytest.raises(ScenarioError, match="unknown scenario 'no-such-case'"):
        create_app(scenarios=["no-such-case"])


def test_cli_scenario_flag_loads_and_a_bad_one_exits_with_the_message(tmp_path):
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            "0",
            "--scenario",
            "cancel-race",
            "--scenario",
            "nope",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "assistants-mock: error: unknown scenario 'nope'; built-in scenarios:" in bad.stderr

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockserver",
            "serve",
            "--port",
            "0",
            "--scenario",
            "weather-tool",
            "--scenario",
            "global-file-delete",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        base_url = line.rsplit(" ", 1)[-1].strip()
        listed = httpx2.get(
            base_url.removesuffix("/v1") + "/__mock__/scenario", headers=bearer("sk-cli")
        ).json()
        assert listed["installed"] == ["weather-tool", "global-file-delete"]
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_installed_scenarios_survive_a_restart_with_a_data_dir(server_factory, tmp_path):
    first = server_factory(data_dir=tmp_path)
    httpx2.post(
        f"{first.url}/__mock__/scenario", headers=bearer("sk-keep"), json={"name": "weather-tool"}
    )
    with make_client(first.base_url, "sk-keep") as client:
        client.beta.threads.create()  # a change, so the sandbox is saved
    first.stop()
    second = server_factory(data_dir=tmp_path)
    assert httpx2.get(f"{second.url}/__mock__/scenario", headers=bearer("sk-keep")).json()[
        "installed"
    ] == ["weather-tool"]


def test_a_scenario_can_switch_the_progression_and_clearing_switches_it_back(control, client):
    control.post(
        "/scenario", json={"scenario": {"version": 1, "name": "slow", "progression": "manual"}}
    )
    assistant = client.beta.assistants.create(model="gpt-4o")
    run = client.beta.threads.create_and_run(assistant_id=assistant.id)
    assert (
        client.beta.threads.runs.retrieve(thread_id=run.thread_id, run_id=run.id).status == "queued"
    )
    control.delete("/scenario")
    assert (
        client.beta.threads.runs.retrieve(thread_id=run.thread_id, run_id=run.id).status
        == "in_progress"
    )


def test_reinstalling_a_scenario_restarts_its_call_counts(control, client):
    rule = {
        "version": 1,
        "name": "once",
        "http": [{"path": "/threads", "method": "POST", "calls": {"nth": 1}, "status": 500}],
    }
    import openai

    for _ in range(2):
        control.post("/scenario", json={"scenario": rule})
        with pytest.raises(openai.InternalServerError):
            client.beta.threads.create()
        client.beta.threads.create()


def test_the_python_api_installs_into_a_sandbox_and_clears_it():
    app = create_app()
    with LiveServer(app) as server, make_client(server.base_url, "sk-py-api") as client:
        sandbox = app.state.store.sandbox("sk-py-api")
        scenarios.install(
            sandbox, [load_scenario("cancel-race"), load_scenario({"version": 1, "name": "x"})]
        )
        assert [s["name"] for s in scenarios.installed(sandbox)] == ["cancel-race", "x"]
        assistant = client.beta.assistants.create(model="gpt-4o")
        run = client.beta.threads.create_and_run(assistant_id=assistant.id)
        import openai

        with pytest.raises(
            openai.BadRequestError, match="Cannot cancel run with status 'completed'."
        ):
            client.beta.threads.runs.cancel(thread_id=run.thread_id, run_id=run.id)
        scenarios.clear(sandbox)
        run = client.beta.threads.create_and_run(assistant_id=assistant.id)
        assert (
            client.beta.threads.runs.cancel(thread_id=run.thread_id, run_id=run.id).status
            == "cancelling"
        )
