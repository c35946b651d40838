"""The plugin seen from a user's test run (pytester): options, marker, header, server errors,
isolation across xdist workers and a clean teardown."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest

LIFECYCLE_TEST = """
def test_lifecycle(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    print("IDS", assistant.id, thread.id)
    print("STATUS", client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status)
"""


@pytest.fixture(scope="module", autouse=True)
def warm_modules() -> None:
    """Import what an inner run uses once, out here: pytester drops the modules an inner run
    imports, and the SDK's lazily imported resources take a second or more to import again."""
    from mockserver import create_app
    from mockserver.handle import MockHandle

    mock = MockHandle(create_app(progression="instant"), "sk-warm")
    client = mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    client.beta.threads.messages.list(thread.id)
    mock.close()


def lines_with(result: pytest.RunResult, prefix: str) -> list[str]:
    """What the inner tests printed after ``prefix`` (``-s`` mixes prints with progress dots)."""
    return [line[line.index(prefix) :] for line in result.outlines if prefix in line]


#: the project's other test plugins, switched off in inner runs: pytester forgets modules an
#: inner run imports, and re-importing (and assertion-rewriting) them costs seconds per run
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:faker", "-p", "no:anyio")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:warnings", "-s", *QUIET, *args)


def test_report_header_names_version_seed_progression_and_scenarios(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, "--assistants-mock-seed", "7", "--assistants-mock-progression", "manual")
    result.stdout.fnmatch_lines(
        ["assistants-mock 0.1.0: seed=7, progression=manual, scenarios=none"]
    )


def test_command_line_wins_over_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nassistants_mock_progression = manual\nassistants_mock_seed = 3\n")
    pytester.makepyfile(LIFECYCLE_TEST)
    from_ini = run(pytester)
    from_ini.stdout.fnmatch_lines(["*seed=3, progression=manual*"])
    assert lines_with(from_ini, "STATUS") == ["STATUS queued"]
    from_cli = run(pytester, "--assistants-mock-progression", "instant")
    from_cli.stdout.fnmatch_lines(["*seed=3, progression=instant*"])
    assert lines_with(from_cli, "STATUS") == ["STATUS completed"]


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (
            ["--assistants-mock-progression", "fast"],
            "",
            "*unknown progression 'fast'; valid values: default, instant, manual*",
        ),
        ([], "assistants_mock_progression = slow", "*unknown progression 'slow'; valid values*"),
        (["--assistants-mock-seed", "abc"], "", "*seed must be an integer, got 'abc'*"),
    ],
)
def test_bad_option_values_are_usage_errors(
    pytester: pytest.Pytester, args: list[str], ini: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_the_seed_decides_the_ids_and_the_same_seed_repeats_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(LIFECYCLE_TEST)
    runs = {
        seed: [lines_with(run(pytester, "--assistants-mock-seed", seed), "IDS") for _ in range(2)]
        for seed in ("1", "2")
    }
    assert runs["1"][0] == runs["1"][1] and runs["2"][0] == runs["2"][1]
    assert runs["1"][0] != runs["2"][0]


def test_the_markers_seed_and_progression_override_the_session(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        LIFECYCLE_TEST
        + """
import pytest

@pytest.mark.assistants_mock(seed=1, progression="manual")
def test_marked(assistants_mock):
    test_lifecycle(assistants_mock)
"""
    )
    result = run(
        pytester, "--assistants-mock-seed", "2", "--assistants-mock-progression", "instant"
    )
    result.assert_outcomes(passed=2)
    assert lines_with(result, "STATUS") == ["STATUS completed", "STATUS queued"]
    _plain, marked = lines_with(result, "IDS")
    seeded = run(pytester, "--assistants-mock-seed", "1", "-k", "test_marked")
    assert lines_with(seeded, "IDS") == [marked]  # seed=1 by marker == seed=1 for the session


def test_the_closest_marker_wins_key_by_key(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants_mock(progression="manual", seed=5)
        class TestGroup:
            @pytest.mark.assistants_mock(progression="instant")
            def test_inner(self, assistants_mock):
                assert assistants_mock.progression == "instant"
                assert assistants_mock.seed == 5
        """
    )
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("seeds=1", "*unknown argument 'seeds'; valid: scenario, seed, progression*"),
        (
            "progression='later'",
            "*unknown progression 'later'; valid values: default, instant, manual*",
        ),
        ("seed='x'", "*seed must be an integer*"),
        ("'positional'", "*keyword arguments only*"),
    ],
)
def test_a_bad_marker_errors_that_test_with_the_valid_values(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.assistants_mock({marker})
        def test_marked(assistants_mock):
            pass

        def test_other(assistants_mock):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([message])


def test_a_server_exception_fails_the_test_that_caused_it_with_the_request(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import openai, pytest
        from mockserver.resources import assistants

        def boom(*args, **kwargs):
            raise RuntimeError("engine bug")

        def test_swallows_the_500(assistants_mock, monkeypatch):
            monkeypatch.setattr(assistants, "create", boom)
            with pytest.raises(openai.InternalServerError):
                assistants_mock.client().beta.assistants.create(model="gpt-4o")

        def test_sees_the_500(assistants_mock, monkeypatch):
            monkeypatch.setattr(assistants, "create", boom)
            assistants_mock.client().beta.assistants.create(model="gpt-4o")

        def test_clean(assistants_mock):
            assistants_mock.client().beta.assistants.list()

        @pytest.fixture
        def breaks_in_teardown(assistants_mock, monkeypatch):
            yield
            monkeypatch.setattr(assistants, "create", boom)
            with pytest.raises(openai.InternalServerError):
                assistants_mock.client().beta.assistants.create(model="gpt-4o")

        def test_fixture_breaks_later(breaks_in_teardown):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=2, failed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_fixture_breaks_later*"])
    result.stdout.fnmatch_lines(
        [
            "*the mock server raised while serving this test:*",
            "POST /v1/assistants (sandbox 'sk-…*'): RuntimeError('engine bug')",  # key masked
            "*assistants-mock server errors*",
        ]
    )


def test_teardown_leaves_no_thread_or_listening_port(pytester: pytest.Pytester, tmp_path) -> None:
    url_file = tmp_path / "url"
    pytester.makepyfile(
        f"""
        import os

        def test_records_the_url(assistants_mock):
            assistants_mock.client().beta.assistants.list()
            open({str(url_file)!r}, "w").write(os.environ["OPENAI_BASE_URL"])
        """
    )
    before = set(threading.enumerate())
    run(pytester).assert_outcomes(passed=1)
    assert set(threading.enumerate()) == before
    host, port = url_file.read_text().removeprefix("http://").removesuffix("/v1").split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=5).close()


def test_xdist_workers_each_run_their_own_server_and_sandboxes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os, pytest

        @pytest.mark.parametrize("n", range(8))
        def test_isolated(assistants_mock, n):
            client = assistants_mock.client()
            client.beta.assistants.create(model="gpt-4o", name=str(n))
            assert [a.name for a in client.beta.assistants.list()] == [str(n)]
            from openai import OpenAI
            assert [a.name for a in OpenAI().beta.assistants.list()] == [str(n)]
            print("SERVER", os.environ["PYTEST_XDIST_WORKER"], os.environ["OPENAI_BASE_URL"])
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-rA", *QUIET)
    result.assert_outcomes(passed=8)
    servers = {
        line.split()[1]: line.split()[2] for line in result.outlines if line.startswith("SERVER")
    }
    assert len(servers) == 2 and len(set(servers.values())) == 2


def test_importing_the_plugin_imports_neither_the_server_nor_the_sdk() -> None:
    script = (
        "import sys, mockserver.pytest_plugin.plugin; "
        "print(sorted(m for m in ('mockserver.app', 'openai', 'starlette', 'httpx2') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_plugin_can_be_switched_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_uses(assistants_mock): pass")
    result = run(pytester, "-p", "no:assistants_mock")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'assistants_mock' not found*"])


GREETING_TEST = """
def test_greeting(assistants_mock):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    print("REPLY", client.beta.threads.messages.list(thread.id).data[0].content[0].text.value)
"""

GREETER_YAML = (
    "version: 1\nname: greeter\nruns:\n  - steps:\n      - message: Hello from the ini file.\n"
)


def test_scenarios_from_the_command_line_and_the_ini_file(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.mkdir("data").joinpath("greeter.yaml").write_text(GREETER_YAML)
    pytester.makeini("[pytest]\nassistants_mock_scenarios =\n    data/greeter.yaml\n")
    pytester.mkdir("tests").joinpath("test_greeting.py").write_text(GREETING_TEST)
    # run from tests/: the ini file's relative path is relative to the ini file, not the cwd
    monkeypatch.chdir(pytester.path / "tests")
    from_ini = run(pytester, ".")
    from_ini.stdout.fnmatch_lines(["*scenarios=*data/greeter.yaml*"])
    assert lines_with(from_ini, "REPLY") == ["REPLY Hello from the ini file."]
    from_cli = run(pytester, ".", "--assistants-mock-scenario", "weather-tool")
    from_cli.stdout.fnmatch_lines(["*scenarios=weather-tool"])
    assert lines_with(from_cli, "REPLY") == ["REPLY Hello from the weather-tool scenario."]


def test_the_markers_scenario_replaces_the_sessions(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("greeter.yaml").write_text(GREETER_YAML)
    pytester.makepyfile(
        GREETING_TEST
        + """
import pytest

@pytest.mark.assistants_mock(scenario="greeter.yaml")
def test_marked(assistants_mock):
    test_greeting(assistants_mock)

@pytest.mark.assistants_mock(scenario=None)
def test_none(assistants_mock):
    assert assistants_mock.state()["settings"].get("scenarios") is None
"""
    )
    result = run(pytester, "--assistants-mock-scenario", "weather-tool")
    result.assert_outcomes(passed=3)
    assert lines_with(result, "REPLY") == [
        "REPLY Hello from the weather-tool scenario.",
        "REPLY Hello from the ini file.",
    ]


def test_an_unknown_scenario_is_a_usage_error_listing_the_built_ins(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, "--assistants-mock-scenario", "cancel-racing")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*unknown scenario 'cancel-racing'; built-in scenarios: *cancel-race*"]
    )


def test_a_users_own_scenarios_package_does_not_clash_with_the_plugins(
    pytester: pytest.Pytester,
) -> None:
    """The built-in scenarios install as ``mockserver.scenarios``: a project with a
    ``scenarios`` package of its own keeps it, and the marker still finds the built-ins."""
    pytester.mkpydir("scenarios").joinpath("__init__.py").write_text("OWNER = 'the user'\n")
    pytester.makepyfile(
        """
        import pytest
        import scenarios

        @pytest.mark.assistants_mock(scenario="cancel-race")
        def test_both(assistants_mock):
            assert scenarios.OWNER == "the user"
            assert [s["name"] for s in assistants_mock.state()["settings"]["scenarios"]] == ["cancel-race"]
        """
    )
    pytester.syspathinsert()
    result = run(pytester)
    result.assert_outcomes(passed=1)


def test_the_session_server_gives_the_operator_token_to_control_over_http(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import httpx2

        def test_control_over_http(assistants_mock, assistants_mock_server):
            assistants_mock.client().beta.threads.create()
            root = assistants_mock_server.url
            mine = {"Authorization": "Bearer " + assistants_mock.api_key}
            assert httpx2.get(root + "/__mock__/requests").status_code == 401
            own = httpx2.get(root + "/__mock__/requests", headers=mine).json()["data"]
            assert [e["path"] for e in own] == ["/v1/threads"]
            token = assistants_mock_server.operator_token
            assert assistants_mock.operator_token == token
            every = httpx2.get(root + "/__mock__/requests", headers={"X-Mock-Operator-Token": token})
            assert every.json()["data"] == own
            # the handle shows the key masked, as the control API does
            assert assistants_mock.state()["key"] == "sk-…" + assistants_mock.api_key[-4:]
            assert assistants_mock.requests()[0]["sandbox"] == assistants_mock.state()["key"]
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_a_users_own_pytest_plugin_package_does_not_clash_with_the_plugin(
    pytester: pytest.Pytester,
) -> None:
    """The plugin installs as ``mockserver.pytest_plugin``: a project with a ``pytest_plugin``
    package of its own (a generic name) keeps it, and the entry point still loads ours. A
    subprocess, because the outer run has the plugin imported already; its working directory
    comes first on ``sys.path``, as it does for a user running ``python -m pytest``."""
    package = pytester.mkpydir("pytest_plugin")
    package.joinpath("__init__.py").write_text("OWNER = 'the user'\n")
    package.joinpath("plugin.py").write_text("raise ImportError('the user plugin, not ours')\n")
    pytester.makepyfile(
        """
        import pytest_plugin

        def test_both(assistants_mock):
            assert pytest_plugin.OWNER == "the user"
            assert assistants_mock.client().beta.assistants.create(model="gpt-4o").id
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:xdist", *QUIET)
    result.assert_outcomes(passed=1)
