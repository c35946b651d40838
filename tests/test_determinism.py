"""Same seed + same requests = the same bytes; a different seed = different ids."""

from __future__ import annotations

import openai

from tests.conftest import make_client
from tests.recording import Answer, RawAnswers


def drive(base_url: str, key: str = "sk-determinism") -> list[Answer]:
    """One fixed sequence of SDK calls, successes and failures mixed; every raw response."""
    r = RawAnswers()
    keep = r.keep

    with make_client(base_url, key) as c:
        assistants, threads = c.beta.assistants.with_raw_response, c.beta.threads.with_raw_response
        messages = c.beta.threads.messages.with_raw_response
        assistant = keep(
            assistants.create(model="gpt-4o", name="A", tools=[{"type": "file_search"}])
        )
        keep(assistants.update(assistant.id, metadata={"v": "2"}))
        thread = keep(threads.create(messages=[{"role": "user", "content": "hello"}]))
        keep(messages.create(thread.id, role="assistant", content=[{"type": "text", "text": "hi"}]))
        r.refused(c.beta.assistants.create, model="gpt-4o", temperature=9)
        keep(assistants.create(model="gpt-4o", name="B"))
        keep(assistants.list(order="asc"))
        keep(messages.list(thread.id))
        keep(threads.delete(thread.id))
    return r.seen


def test_two_apps_with_the_same_seed_answer_byte_for_byte_alike(server_factory):
    first = drive(server_factory(seed=11).base_url)
    second = drive(server_factory(seed=11).base_url)
    assert len(first) == 9 and first[4][0] == 400
    assert first == second


def test_different_seeds_give_different_ids(server_factory):
    first = drive(server_factory(seed=1).base_url)
    second = drive(server_factory(seed=2).base_url)
    assert first[0][2] != second[0][2]
    with (
        make_client(server_factory(seed=1).base_url, "sk-x") as a,
        make_client(server_factory(seed=2).base_url, "sk-x") as b,
    ):
        assert (
            a.beta.assistants.create(model="gpt-4o").id
            != b.beta.assistants.create(model="gpt-4o").id
        )


def test_timestamps_come_from_the_configured_virtual_clock(server_factory):
    server = server_factory(clock_start=1_700_000_000)
    with make_client(server.base_url, "sk-clock") as c:
        assert c.beta.assistants.create(model="gpt-4o").created_at == 1_700_000_000
        thread = c.beta.threads.create(messages=[{"role": "user", "content": "x"}])
        assert thread.created_at == 1_700_000_000
        assert c.beta.threads.messages.list(thread.id).data[0].created_at == 1_700_000_000


def test_a_refused_request_does_not_shift_later_ids(server_factory):
    clean, noisy = server_factory(seed=5), server_factory(seed=5)
    with make_client(clean.base_url, "sk-shift") as a, make_client(noisy.base_url, "sk-shift") as b:
        expected = [a.beta.assistants.create(model="gpt-4o").id, a.beta.threads.create().id]
        for bad in (
            lambda: b.beta.assistants.create(model="o3-mini", temperature=0.5),  # reasoning model
            lambda: b.beta.threads.create(
                tool_resources={"code_interpreter": {"file_ids": ["file-x"]}}
            ),
        ):
            try:
                bad()
            except openai.APIStatusError as exc:
                assert exc.status_code in (400, 404)
            else:  # pragma: no cover - the request must be refused for the test to mean anything
                raise AssertionError("expected a refusal")
        assert [b.beta.assistants.create(model="gpt-4o").id, b.beta.threads.create().id] == expected


def test_ids_are_the_same_from_one_version_to_the_next(server_factory):
    # ids are a function of (seed, key, kind, count) only; these were minted by the first
    # version of the id factory, so a faster way of writing the digits must give the same ones
    with make_client(server_factory(seed=7).base_url, "sk-pinned-ids") as c:
        made = c.beta.assistants.with_raw_response.create(model="gpt-4o")
        store = c.vector_stores.with_raw_response.create(name="pinned")
        uploaded = c.files.create(file=("a.txt", b"pinned"), purpose="assistants")
        # the Responses family's shapes: 48 hex digits, and a container file's 32
        container = c.containers.create(name="pinned")
        sent = c.containers.files.create(container.id, file=("b.txt", b"pinned"))
    assert made.http_response.headers["x-request-id"] == "req_a188aca3e336d8b49ff9c00766963d2b"
    assert made.parse().id == "asst_wK7pMzrg3C5jT64KDZEz3cSv"
    assert store.http_response.headers["x-request-id"] == "req_1a1ea369179172d2f0f5e2a18487bb93"
    assert store.parse().id == "vs_6d8d19bd41f6d46645e98ddd35d9a758"
    assert uploaded.id == "file-zJuhPDteHxj40hitkz2FzZ"
    assert container.id == "cntr_e4bbf4bd211761db0a8c722624aa7f59dfb807a049a4ac75"
    assert sent.id == "cfile_0a3f384f07162017fa4686fe39dc602b"


def test_a_sandbox_made_with_its_own_seed_generates_the_same_content_in_any_app():
    """The pytest marker's ``seed=`` (a handle's ``seed``) seeds the sandbox: its ids and the
    values the default assistant makes up, whatever the session's seed."""
    from mockserver import create_app
    from mockserver.handle import MockHandle

    tool = {
        "type": "function",
        "function": {
            "name": "make_ticket",
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "count": {"type": "integer"}},
                "required": ["code", "count"],
            },
        },
    }

    def arguments(app_seed: int) -> tuple[str, str]:
        handle = MockHandle(create_app(seed=app_seed), "sk-own-seed", seed=7)
        try:
            client = handle.client()
            assistant = client.beta.assistants.create(model="gpt-4o", tools=[tool])
            thread = client.beta.threads.create(messages=[{"role": "user", "content": "A ticket"}])
            run = client.beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id
            )
            call = run.required_action.submit_tool_outputs.tool_calls[0]
            return run.id, call.function.arguments
        finally:
            handle.close()

    assert arguments(0) == arguments(5)
