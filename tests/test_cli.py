"""The standalone server: ``assistants-mock serve`` and ``python -m mockserver serve`` on a
free port, a real SDK client over loopback, a clean exit on SIGTERM/SIGINT, nothing left."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import openai
import pytest

from tests.conftest import make_client, serve_process

SCRIPT = Path(sys.executable).with_name("assistants-mock")


@pytest.fixture
def serving(tmp_path):
    """``serving(*command)``: the shared server-process helper, its log in the test's tmp dir."""

    def start(*command: str):
        return serve_process(*command, log=tmp_path / "server.log")

    return start


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_serve_on_port_zero_talks_to_the_sdk_and_stops_on_sigterm(serving):
    with serving(str(SCRIPT), "serve", "--port", "0", "--seed", "3") as (process, base_url, port):
        assert port != 0
        with make_client(base_url, "sk-cli") as client:
            assistant = client.beta.assistants.create(model="gpt-4o", name="over loopback")
            assert client.beta.assistants.retrieve(assistant.id).name == "over loopback"
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
            assert (
                client.beta.threads.messages.list(thread.id).data[0].content[0].text.value == "hi"
            )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert port_is_closed(port)


def test_the_seed_flag_fixes_the_ids(serving):
    ids = []
    for _ in range(2):
        with serving(str(SCRIPT), "serve", "--port", "0", "--seed", "9") as (
            process,
            base_url,
            _port,
        ):
            with make_client(base_url, "sk-seed") as client:
                ids.append(client.beta.assistants.create(model="gpt-4o").id)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
    assert ids[0] == ids[1]


def test_python_dash_m_with_api_key_and_no_beta_check(serving):
    command = [
        sys.executable,
        "-m",
        "mockserver",
        "serve",
        "--port",
        "0",
        "--api-key",
        "sk-only",
        "--no-beta-check",
    ]
    with serving(*command) as (process, base_url, port):
        with make_client(base_url, "sk-other") as stranger:
            with pytest.raises(openai.AuthenticationError) as info:
                stranger.beta.assistants.list()
            assert info.value.body["code"] == "invalid_api_key"
            assert info.value.body["message"].startswith("Incorrect API key provided: ")
        with make_client(base_url, "sk-only") as owner:
            made = owner.beta.assistants.create(
                model="gpt-4o", extra_headers={"OpenAI-Beta": openai.Omit()}
            )
            assert made.object == "assistant"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert port_is_closed(port)


def test_bad_options_fail_with_a_message_and_no_server():
    result = subprocess.run(
        [str(SCRIPT), "serve", "--port", "0", "--progression", "sometimes"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice: 'sometimes'" in result.stderr and "default" in result.stderr
    assert result.stdout == ""


def test_a_bad_log_level_is_a_usage_error_not_a_traceback():
    result = subprocess.run(
        [str(SCRIPT), "serve", "--port", "0", "--log-level", "bogus"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid choice: 'bogus'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(SCRIPT), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.startswith("assistants-mock: error: ")
    assert "Traceback" not in result.stderr
