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
