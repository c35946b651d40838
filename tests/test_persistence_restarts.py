"""``--data-dir`` under random API sequences: whatever happens, a restart brings back the very
same state.

A Hypothesis state machine drives two sandboxes of an in-process app with a data directory
through random calls (assistants, threads, messages, runs polled, streamed and cancelled, tool
outputs, files, vector stores, deletions, cursors on deleted objects, and the control API:
clock, settings, scenarios, resets) and, at random points, restarts the app on the same
directory: as a kill would (the database closed without a final save, nothing in flight
finished) or cleanly. After each restart every sandbox dumps to the same bytes as before,
removed objects keep their cursor positions, and the app's anonymous request ids go on. After
every step, what the database holds (what a restart would load) is the state in memory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx2
import openai
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mockserver import create_app
from mockserver.transport import transport

KEYS = ("sk-restart-a", "sk-restart-b")
ROOT = "http://assistants-mock.invalid"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
#: built-in scenarios that change runs, ingestion and deletion without failing requests
SCENARIOS = [
    "weather-tool",
    "failing-runs",
    "vector-store-not-ready",
    "global-file-delete",
    "cancel-race",
    "counting",
]
COUNTING = {
    "version": 1,
    "name": "counting",
    "http": [{"method": "*", "path": "/**", "calls": {"nth": 10**9}, "status": 503}],
}
MESSAGES = [
    "What's the weather in Paris?",
    "calculate 2 and 3",
    "plot 1 2 3",
    "search capybara",
    "fail",
    "expire",
    "long",
    "cancel it",
    "Hello",
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)


def snapshot(app: Any) -> dict[str, Any]:
    store = app.state.store
    return snapshot_of(store.anonymous_ids.counters(), store.sandboxes)


def snapshot_of(anonymous: dict[str, int], sandboxes: dict[str, Any]) -> dict[str, Any]:
    """Every sandbox's dump (as JSON bytes) and every table's ids, removed ones included."""
    return {
        "anonymous": anonymous,
        "sandboxes": {
            key: (
                json.dumps(sandbox.dump()),
                {name: table.ids() for name, table in sandbox.tables.items()},
            )
            for key, sandbox in sandboxes.items()
        },
    }


def shared_containers(app: Any) -> list[str]:
    """Lists and dicts reachable from two stored objects or records: a change made through one
    would change the other unseen, so the store's change records would miss it."""
    owner: dict[int, str] = {}
    shared = []

    def walk(value: Any, label: str) -> None:
        if isinstance(value, (dict, list)):
            if owner.setdefault(id(value), label) != label:
                shared.append(f"{owner[id(value)]} and {label}")
            for item in value.values() if isinstance(value, dict) else value:
                walk(item, label)

    for key, sandbox in app.state.store.sandboxes.items():
        for name, table in sandbox.tables.items():
            for row in table.dump():
                walk(row["object"], f"{key} {name} {row['object']['id']}")
        for kind, records in sandbox.internal.items():
            for record_key, record in dict.items(records):
                walk(record, f"{key} internal {kind} {record_key}")
    return shared


class Restarts(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="assistants-mock-restarts-"))
        self.app: Any = None
        self.restarts = 0
        self._start()
        # what was made, per sandbox (ids stay after deletion: they make good cursors)
        self.made: dict[str, dict[str, list[Any]]] = {key: self._empty() for key in KEYS}

    @staticmethod
    def _empty() -> dict[str, list[Any]]:
        return {
            "assistants": [],
            "threads": [],
            "messages": [],
            "runs": [],
            "files": [],
            "stores": [],
        }

    def _start(self) -> None:
        self.app = create_app(data_dir=self.directory, seed=0)
        self.http = httpx2.Client(transport=transport(self.app), base_url=ROOT)
        self.clients = {
            key: openai.OpenAI(
                api_key=key,
                base_url=f"{ROOT}/v1",
                http_client=self.http,
                max_retries=0,
                _strict_response_validation=True,
            )
            for key in KEYS
        }

    def teardown(self) -> None:
        self.http.close()
        self.app.state.store.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def control(self, key: str, method: str, path: str, body: dict | None = None) -> Any:
        response = self.http.request(
            method, f"/__mock__/{path}", json=body, headers={"Authorization": f"Bearer {key}"}
        )
        assert response.status_code == 200, response.text
        return response.json()

    # -- restarts -------------------------------------------------------------------------

    @rule(kill=st.booleans())
    def restart(self, kill: bool) -> None:
        # a refused request takes the app's anonymous request ids on: they go on too
        assert self.http.get("/v1/assistants").status_code == 401
        before = snapshot(self.app)
        self.http.close()
        if kill:  # what SIGKILL leaves: no final save, no clean-up
            self.app.state.persistence.close(save=False)
        else:
            self.app.state.store.close()
        self._start()
        self.restarts += 1
        assert snapshot(self.app) == before

    @invariant()
    def nothing_is_left_unsaved(self) -> None:
        # what a restart would load right now (the restart rule reopens the files for real)
        anonymous, sandboxes = self.app.state.persistence.read()
        assert snapshot_of(anonymous, sandboxes) == snapshot(self.app)

    @invariant()
    def no_object_shares_a_container_with_another(self) -> None:
        assert shared_containers(self.app) == []

    def has(self, kind: str) -> bool:
        return any(self.made[key][kind] for key in KEYS)

    def pick(self, data: st.DataObject, kind: str) -> tuple[str, Any]:
        """A sandbox that made something of ``kind``, and one of those (maybe deleted since)."""
        key = data.draw(st.sampled_from([k for k in KEYS if self.made[k][kind]]))
        return key, data.draw(st.sampled_from(self.made[key][kind]))

    @initialize()
    def begin(self) -> None:
        for key in KEYS:
            self.create_assistant(key, "first", tools=True)
            self.create_thread(key, ["What's the weather in Paris?"])
        self.install_scenario(KEYS[1], "counting")

    # -- assistants -----------------------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), name=TEXT, tools=st.booleans())
    def create_assistant(self, key: str, name: str, tools: bool) -> None:
        assistant = self.clients[key].beta.assistants.create(
            model="gpt-4o",
            name=name,
            tools=[WEATHER, {"type": "code_interpreter"}] if tools else [],
        )
        self.made[key]["assistants"].append(assistant.id)

    @precondition(lambda self: self.has("assistants"))
    @rule(data=st.data(), value=TEXT)
    def update_assistant(self, data: st.DataObject, value: str) -> None:
        key, target = self.pick(data, "assistants")
        try:
            self.clients[key].beta.assistants.update(target, metadata={"k": value})
        except openai.NotFoundError:
            pass

    @precondition(lambda self: self.has("assistants"))
    @rule(data=st.data())
    def delete_assistant(self, data: st.DataObject) -> None:
        key, target = self.pick(data, "assistants")
        try:
            self.clients[key].beta.assistants.delete(target)
        except openai.NotFoundError:
            pass

    @precondition(lambda self: self.has("assistants"))
    @rule(data=st.data(), order=st.sampled_from(["asc", "desc"]))
    def page_assistants(self, data: st.DataObject, order: str) -> None:
        # a cursor on a deleted assistant still pages on, before and after restarts
        key, after = self.pick(data, "assistants")
        self.clients[key].beta.assistants.list(order=order, limit=2, after=after)

    # -- threads and messages -------------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), texts=st.lists(TEXT, max_size=2))
    def create_thread(self, key: str, texts: list[str]) -> None:
        thread = self.clients[key].beta.threads.create(
            messages=[{"role": "user", "content": t or "hi"} for t in texts]
        )
        self.made[key]["threads"].append(thread.id)

    @precondition(lambda self: self.has("threads"))
    @rule(data=st.data(), text=st.sampled_from(MESSAGES))
    def add_message(self, data: st.DataObject, text: str) -> None:
        key, thread = self.pick(data, "threads")
        try:
            message = self.clients[key].beta.threads.messages.create(
                thread, role="user", content=text
            )
        except (openai.NotFoundError, openai.BadRequestError):  # gone, or a run holds it
            return
        self.made[key]["messages"].append((thread, message.id))

    @precondition(lambda self: self.has("threads"))
    @rule(data=st.data())
    def delete_thread(self, data: st.DataObject) -> None:
        key, thread = self.pick(data, "threads")
        try:
            self.clients[key].beta.threads.delete(thread)
        except openai.NotFoundError:
            pass

    @precondition(lambda self: self.has("messages"))
    @rule(data=st.data())
    def delete_message(self, data: st.DataObject) -> None:
        key, (thread, message) = self.pick(data, "messages")
        try:
            self.clients[key].beta.threads.messages.delete(message, thread_id=thread)
        except (openai.NotFoundError, openai.BadRequestError):
            pass

    @precondition(lambda self: self.has("messages"))
    @rule(data=st.data())
    def page_messages(self, data: st.DataObject) -> None:
        key, (thread, message) = self.pick(data, "messages")
        try:
            self.clients[key].beta.threads.messages.list(thread, after=message, limit=2)
        except openai.NotFoundError:  # the thread itself was deleted
            pass

    # -- runs -----------------------------------------------------------------------------

    @precondition(
        lambda self: any(self.made[k]["threads"] and self.made[k]["assistants"] for k in KEYS)
    )
    @rule(data=st.data(), stream=st.booleans())
    def create_run(self, data: st.DataObject, stream: bool) -> None:
        key = data.draw(
            st.sampled_from(
                [k for k in KEYS if self.made[k]["threads"] and self.made[k]["assistants"]]
            )
        )
        thread = data.draw(st.sampled_from(self.made[key]["threads"]))
        assistant = data.draw(st.sampled_from(self.made[key]["assistants"]))
        runs = self.clients[key].beta.threads.runs
        try:
            if stream:
                with runs.stream(thread_id=thread, assistant_id=assistant) as events:
                    events.until_done()
                    run_id = events.get_final_run().id
            else:
                run_id = runs.create(thread_id=thread, assistant_id=assistant).id
        except (openai.NotFoundError, openai.BadRequestError):
            return
        self.made[key]["runs"].append((thread, run_id))

    @precondition(lambda self: self.has("runs"))
    @rule(data=st.data(), reads=st.integers(1, 3), submit=st.booleans())
    def retrieve_run(self, data: st.DataObject, reads: int, submit: bool) -> None:
        key, (thread, run_id) = self.pick(data, "runs")
        runs = self.clients[key].beta.threads.runs
        try:
            for _ in range(reads):  # each read may move the run on
                run = runs.retrieve(run_id, thread_id=thread)
            if run.status == "requires_action" and submit:
                calls = run.required_action.submit_tool_outputs.tool_calls
                runs.submit_tool_outputs(
                    run_id,
                    thread_id=thread,
                    tool_outputs=[{"tool_call_id": c.id, "output": "22C"} for c in calls],
                )
        except openai.NotFoundError:
            pass

    @precondition(lambda self: self.has("runs"))
    @rule(data=st.data())
    def cancel_run(self, data: st.DataObject) -> None:
        key, (thread, run_id) = self.pick(data, "runs")
        try:
            self.clients[key].beta.threads.runs.cancel(run_id, thread_id=thread)
        except (openai.NotFoundError, openai.BadRequestError):
            pass

    @precondition(lambda self: self.has("runs"))
    @rule(data=st.data())
    def list_runs_and_steps(self, data: st.DataObject) -> None:
        key, (thread, run_id) = self.pick(data, "runs")
        runs = self.clients[key].beta.threads.runs
        try:
            runs.list(thread_id=thread)
            runs.steps.list(run_id, thread_id=thread)
        except openai.NotFoundError:
            pass

    # -- files and vector stores ----------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), text=TEXT)
    def upload(self, key: str, text: str) -> None:
        file = self.clients[key].files.create(
            file=("notes.txt", f"capybara notes {text}".encode()), purpose="assistants"
        )
        self.made[key]["files"].append(file.id)

    @precondition(lambda self: self.has("files"))
    @rule(data=st.data())
    def create_vector_store(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from([k for k in KEYS if self.made[k]["files"]]))
        chosen = data.draw(
            st.lists(st.sampled_from(self.made[key]["files"]), max_size=2, unique=True)
        )
        try:
            store = self.clients[key].vector_stores.create(name="kb", file_ids=chosen)
        except (openai.NotFoundError, openai.BadRequestError):
            return
        self.made[key]["stores"].append(store.id)

    @precondition(lambda self: self.has("stores"))
    @rule(data=st.data())
    def read_vector_store(self, data: st.DataObject) -> None:
        key, store = self.pick(data, "stores")
        client = self.clients[key]
        try:
            client.vector_stores.retrieve(store)  # moves ingestion on
            client.vector_stores.files.list(store)
            client.vector_stores.search(store, query="capybara")
        except (openai.NotFoundError, openai.BadRequestError):
            pass

    @precondition(lambda self: self.has("files"))
    @rule(data=st.data(), detach=st.booleans())
    def detach_or_delete_file(self, data: st.DataObject, detach: bool) -> None:
        key, file = self.pick(data, "files")
        client = self.clients[key]
        try:
            if detach and self.made[key]["stores"]:
                store = data.draw(st.sampled_from(self.made[key]["stores"]))
                client.vector_stores.files.delete(file, vector_store_id=store)
            else:
                client.files.delete(file)
        except (openai.NotFoundError, openai.BadRequestError):
            pass

    @precondition(lambda self: self.has("stores"))
    @rule(data=st.data())
    def delete_vector_store(self, data: st.DataObject) -> None:
        key, store = self.pick(data, "stores")
        try:
            self.clients[key].vector_stores.delete(store)
        except openai.NotFoundError:
            pass

    @precondition(lambda self: self.has("files") and self.has("stores"))
    @rule(data=st.data())
    def attach_file(self, data: st.DataObject) -> None:
        key = data.draw(
            st.sampled_from([k for k in KEYS if self.made[k]["files"] and self.made[k]["stores"]])
        )
        file = data.draw(st.sampled_from(self.made[key]["files"]))
        store = data.draw(st.sampled_from(self.made[key]["stores"]))
        try:
            self.clients[key].vector_stores.files.create(store, file_id=file)
        except (openai.NotFoundError, openai.BadRequestError):
            pass

    # -- the control API and the app ------------------------------------------------------

    @rule(key=st.sampled_from(KEYS), seconds=st.sampled_from([1, 60, 700, 86_400 * 8]))
    def advance_clock(self, key: str, seconds: int) -> None:
        self.control(key, "POST", "clock", {"advance": seconds})

    @rule(key=st.sampled_from(KEYS), policy=st.sampled_from(["default", "instant", "manual"]))
    def set_progression(self, key: str, policy: str) -> None:
        self.control(key, "POST", "settings", {"progression": policy})

    @rule(key=st.sampled_from(KEYS), name=st.sampled_from(SCENARIOS))
    def install_scenario(self, key: str, name: str) -> None:
        if name == "counting":  # its rule never fires, but counts every call (internal records)
            self.control(key, "POST", "scenario", {"scenario": COUNTING})
        else:
            self.control(key, "POST", "scenario", {"name": name})

    @rule(key=st.sampled_from(KEYS))
    def clear_scenarios(self, key: str) -> None:
        self.control(key, "DELETE", "scenario")

    @precondition(lambda self: self.restarts > 0)
    @rule(key=st.sampled_from(KEYS))
    def reset(self, key: str) -> None:
        self.control(key, "POST", "reset")
        self.made[key] = self._empty()


def test_a_restart_brings_back_the_same_state():
    run_state_machine_as_test(
        Restarts,
        settings=settings(
            max_examples=40,
            stateful_step_count=60,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
