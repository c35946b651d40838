"""The plugin's inspector side (pytester): the "assistants-mock" section of a failed test's
report (the journal, each run's timeline and the rule that drove it), its opt-outs, and
``--assistants-mock-keep-alive``, which keeps the server up for the inspector until Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx2
import pytest

from tests.test_plugin_pytester import QUIET, warm_modules  # noqa: F401 - an autouse fixture

FAILING = """
import pytest

WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}}}}

def ask(assistants_mock, text):
    client = assistants_mock.client()
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": text}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    try:
        client.beta.threads.messages.create(thread.id, role="user", content="more")
    except Exception:
        pass
    return run

def test_default_assistant(assistants_mock):
    assert ask(assistants_mock, "Weather in Paris?").status == "completed"

@pytest.mark.assistants_mock(scenario="weather-tool")
def test_scenario(assistants_mock):
    assert ask(assistants_mock, "Weather in Paris?").status == "completed"

@pytest.mark.assistants_mock(report=False)
def test_opted_out(assistants_mock):
    assert ask(assistants_mock, "Weather in Oslo?").status == "completed"

def test_passes(assistants_mock):
    assert ask(assistants_mock, "Weather in Rome?").status == "requires_action"
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:warnings", *QUIET, *args)


def sections(result: pytest.RunResult) -> dict[str, str]:
    """The test name of each failure block with its assistants-mock section's text ('' if
    none)."""
    text = result.stdout.str()
    found: dict[str, str] = {}
    parts = re.split(r"\n_{3,} (\S+) _{3,}\n", text)
    for name, body in zip(parts[1::2], parts[2::2]):
        match = re.search(r"-{3,} assistants-mock -{3,}\n(.*?)(?=\n[=_]{3,}|\Z)", body, re.DOTALL)
        found[name] = match.group(1) if match else ""
    return found


def test_a_failed_test_reports_its_journal_and_each_runs_timeline_and_rule(pytester):
    pytester.makepyfile(FAILING)
    result = run(pytester)
    result.assert_outcomes(failed=3, passed=1)
    found = sections(result)
    assert set(found) == {"test_default_assistant", "test_scenario", "test_opted_out"}
    default = found["test_default_assistant"]
    assert default.splitlines()[0] == "requests (6):"
    assert re.search(r"^  POST /v1/assistants -> 200$", default, re.MULTILINE)
    assert re.search(
        r"^  POST /v1/threads/thread_\w+/messages -> 400: Can't add messages to thread_\w+ "
        r"while a run run_\w+ is active\.$",
        default,
        re.MULTILINE,
    )
    assert re.search(
        r"^  run_\w+ \(thread thread_\w+, assistant asst_\w+\): requires_action\n"
        r"    timeline from 2026-01-01T00:00:00Z \(virtual\): queued \+0s -> in_progress \+1s "
        r"-> requires_action \+2s\n"
        r"    driven by the default assistant\n"
        r"      - called get_weather: the message contains 'weather'$",
        default,
        re.MULTILINE,
    ), default
    scenario = found["test_scenario"]
    assert "    driven by rule 0 of scenario 'weather-tool'\n" in scenario
    assert (
        "      - rule 0 of scenario 'weather-tool' matched: the message contains 'weather'"
        in scenario
    )
    assert found["test_opted_out"] == ""  # report=False
    assert "sk-assistants-mock-" not in result.stdout.str()  # no key in the report


@pytest.mark.parametrize(
    ("args", "ini"),
    [(["--assistants-mock-no-report"], ""), ([], "[pytest]\nassistants_mock_report = false\n")],
    ids=["option", "ini"],
)
def test_the_section_can_be_switched_off_for_the_whole_run(pytester, args, ini):
    if ini:
        pytester.makeini(ini)
    pytester.makepyfile(FAILING)
    result = run(pytester, *args)
    result.assert_outcomes(failed=3, passed=1)
    assert set(sections(result).values()) == {""}


def test_a_bad_report_argument_errors_the_test(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assistants_mock(report="no")
        def test_it(assistants_mock):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*report must be True or False, got 'no'*"])


# -- keep-alive ----------------------------------------------------------------------------------

URL_LINE = re.compile(
    r"^assistants-mock: (\S+): (http://127\.0\.0\.1:(\d+))/__mock__/ui/#/sandboxes/(sbx_[0-9a-f]+)$"
)
CREDENTIALS_LINE = re.compile(r"are in (\S+/credentials) \(readable by you only\)$")


class Inner:
    """An inner pytest in a child process, its output read line by line in a thread, so the
    test can wait for a line without hanging when it never comes."""

    def __init__(self, folder: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("PYTEST_ADDOPTS", None)
        command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:warnings", *QUIET]
        self.process = subprocess.Popen(
            [*command, *args],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 120) -> re.Match[str]:
        def found() -> re.Match[str] | None:
            return next((m for line in self.lines if (m := pattern.search(line))), None)

        with self._changed:
            self._changed.wait_for(
                lambda: found() is not None or self.process.poll() is not None, timeout
            )
            match = found()
        assert match is not None, "\n".join(self.lines)
        return match

    def stop(self) -> int:
        """Ctrl-C, then the exit status (killed if it does not end)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        self._reader.join(10)
        return status


def test_keep_alive_serves_failed_tests_sandboxes_until_ctrl_c(pytester):
    pytester.makepyfile(FAILING)
    inner = Inner(pytester.path, "--assistants-mock-keep-alive", "-q")
    try:
        credentials = Path(inner.wait_for(CREDENTIALS_LINE).group(1))  # after the URL lines
        urls = {
            match.group(1).partition("::")[2]: match
            for line in inner.lines
            if (match := URL_LINE.search(line))
        }
        # every failed test, the opted-out one too (report=False is about the report only)
        assert set(urls) == {"test_default_assistant", "test_scenario", "test_opted_out"}
        assert oct(credentials.stat().st_mode & 0o777) == "0o600"
        secrets = dict(
            line.split(": ", 1) for line in credentials.read_text().splitlines() if "::" in line
        )
        match = urls["test_default_assistant"]
        root, port, sbx = match.group(2), int(match.group(3)), match.group(4)
        key = secrets[match.group(1)]
        # the failed test's sandbox is still there, for its key
        view = httpx2.get(
            f"{root}/__mock__/inspect/sandboxes/{sbx}", headers={"Authorization": f"Bearer {key}"}
        )
        assert view.status_code == 200, view.text
        assert len(view.json()["assistants"]) == 1
        assert view.json()["threads"][0]["last_run_status"] == "requires_action"
        assert inner.process.poll() is None  # waiting for Ctrl-C
    finally:
        status = inner.stop()
    assert status == 1  # the session's own status: tests failed
    assert inner.lines[-1] == "assistants-mock: stopping the server"
    assert not credentials.exists()
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))
    assert not any(key in line for line in inner.lines)  # keys stay in the private file


def test_keep_alive_ended_by_sigterm_removes_the_keys_file_and_frees_the_port(pytester):
    # a CI job or a supervisor ends it with SIGTERM, not Ctrl-C: the operator token and the
    # tests' keys must not stay behind in /tmp
    pytester.makepyfile(FAILING)
    inner = Inner(pytester.path, "--assistants-mock-keep-alive", "-q")
    try:
        credentials = Path(inner.wait_for(CREDENTIALS_LINE).group(1))
        port = int(next(m for line in inner.lines if (m := URL_LINE.search(line))).group(3))
        assert credentials.exists()
        inner.process.send_signal(signal.SIGTERM)
        inner.process.wait(60)
    finally:
        inner.stop()
    assert inner.lines[-1] == "assistants-mock: stopping the server"
    assert not credentials.exists()
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))


def test_keep_alive_without_a_failure_ends_with_the_session(pytester):
    pytester.makepyfile(
        """
        def test_passes(assistants_mock):
            assistants_mock.client().beta.assistants.create(model="gpt-4o")
        """
    )
    pytester.makeini("[pytest]\nassistants_mock_keep_alive = true\n")
    inner = Inner(pytester.path, "-q")
    try:
        status = inner.process.wait(120)
    finally:
        inner.stop()
    assert status == 0
    assert not any(line.startswith("assistants-mock:") for line in inner.lines), inner.lines


# -- the inspector's URL in the header and the summary ---------------------------------------------

HEADER_URL = re.compile(r"^assistants-mock inspector: (http://127\.0\.0\.1:(\d+)/__mock__/ui/)$")
SUMMARY_URL = re.compile(
    r"^assistants-mock inspector: (http://127\.0\.0\.1:(\d+)/__mock__/ui/) \(stopped with the "
    r"session; --assistants-mock-keep-alive keeps it up when a test fails\)$"
)
LATER = (
    "assistants-mock inspector: the server starts with the first test that uses it; its URL is "
    "printed in the summary (--assistants-mock-inspector starts it before the tests and prints "
    "it here)"
)
#: a test that writes down the inspector URL of the server it used, which answers while it runs
USES_THE_SERVER = """
import httpx2

def test_uses_the_mock(assistants_mock, assistants_mock_server):
    url = assistants_mock_server.inspector_url
    assert httpx2.get(url).status_code == 200
    with open("used.txt", "w") as f:
        f.write(url)

def test_does_not(): pass
"""


def matches(result: pytest.RunResult, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [m for line in result.stdout.lines if (m := pattern.match(line))]


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.parametrize(
    ("args", "ini"),
    [
        (["--assistants-mock-inspector"], ""),
        ([], "assistants_mock_inspector = true"),
        (["--assistants-mock-keep-alive"], ""),  # nothing fails: it ends with the session
    ],
    ids=["option", "ini", "keep-alive"],
)
def test_asked_up_front_the_header_shows_the_url_of_the_server_the_tests_use(pytester, args, ini):
    pytester.makepyfile(USES_THE_SERVER)
    if ini:
        pytester.makeini(f"[pytest]\n{ini}\n")
    result = run(pytester, *args)
    result.assert_outcomes(passed=2)
    (header,) = matches(result, HEADER_URL)
    assert LATER not in result.stdout.lines
    assert (pytester.path / "used.txt").read_text() == header.group(1)
    # the summary says it again (the header has scrolled away by then)
    (summary,) = matches(result, SUMMARY_URL)
    assert summary.group(1) == header.group(1)
    assert port_is_free(int(header.group(2)))  # stopped with the session


def test_asked_up_front_with_no_test_using_it_the_server_still_stops(pytester):
    pytester.makepyfile("def test_plain(): pass")
    result = run(pytester, "--assistants-mock-inspector")
    result.assert_outcomes(passed=1)
    (header,) = matches(result, HEADER_URL)
    assert port_is_free(int(header.group(2)))


def test_otherwise_the_header_says_where_the_url_will_be_and_the_summary_gives_it(pytester):
    pytester.makepyfile(USES_THE_SERVER)
    result = run(pytester)
    result.assert_outcomes(passed=2)
    assert LATER in result.stdout.lines
    assert matches(result, HEADER_URL) == []
    (summary,) = matches(result, SUMMARY_URL)
    assert (pytester.path / "used.txt").read_text() == summary.group(1)
    assert port_is_free(int(summary.group(2)))


def test_no_server_started_no_url_in_the_summary(pytester):
    pytester.makepyfile("def test_plain(): pass")
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert LATER in result.stdout.lines
    assert not any("http://" in line for line in result.stdout.lines)


def test_under_xdist_the_header_says_each_worker_has_its_own_and_no_url_is_printed(pytester):
    pytester.makepyfile(USES_THE_SERVER)
    result = pytester.runpytest_subprocess("-n", "2", "--assistants-mock-inspector", *QUIET)
    result.assert_outcomes(passed=2)
    inspector = [line for line in result.stdout.lines if line.startswith("assistants-mock ")]
    assert inspector == [
        "assistants-mock 0.1.0: seed=0, progression=default, scenarios=none",
        (
            "assistants-mock inspector: each xdist worker has a server of its own, stopped "
            "with it (run without -n to follow the tests in the inspector)"
        ),
    ]
    assert not any("http://" in line for line in result.stdout.lines)
