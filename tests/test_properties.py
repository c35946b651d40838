"""Property tests (Hypothesis): random names, instructions, metadata and message contents
either round-trip exactly or are refused with a 400; never a 500, never a changed state.

Every example gets a fresh API key (its own sandbox) on the session's live server and resets
it afterwards, so examples never see each other.
"""

from __future__ import annotations

import itertools

import httpx2
import openai
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import bearer, make_client

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the suite stays reproducible; widen max_examples locally to explore
    database=None,  # no .hypothesis directory left behind
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def around(limit: int) -> st.SearchStrategy[str]:
    """Strings that are mostly short, sometimes right at or just past ``limit``."""
    return st.one_of(st.text(max_size=12), st.text(min_size=limit - 2, max_size=limit + 2))


OPTIONAL_NAME = st.one_of(st.none(), around(256))
OPTIONAL_DESCRIPTION = st.one_of(st.none(), around(512))
INSTRUCTIONS = st.one_of(st.none(), st.text(max_size=300))
METADATA = st.dictionaries(
    st.one_of(st.text(max_size=8), st.text(min_size=63, max_size=66)),
    st.one_of(st.text(max_size=8), st.text(min_size=510, max_size=514)),
    max_size=18,
)
KNOWN_ASSISTANT_FIELDS = {
    "model",
    "name",
    "description",
    "instructions",
    "reasoning_effort",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
    "tool_resources",
}
EXTRA = st.dictionaries(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
        lambda k: k not in KNOWN_ASSISTANT_FIELDS
    ),
    st.integers(),
    max_size=1,
)


@pytest.fixture(scope="module")
def keys():
    """A fresh sandbox name for every example."""
    return (f"sk-prop-{n}" for n in itertools.count())


@pytest.fixture(scope="module")
def sdk(live_server):
    """One SDK client (one connection pool); each example rebinds it to its own key."""
    with make_client(live_server.base_url, "sk-prop") as client:
        yield client


@pytest.fixture(scope="module")
def raw(live_server):
    with httpx2.Client(base_url=live_server.base_url) as c:
        yield c


@pytest.fixture(scope="module")
def control(live_server):
    with httpx2.Client(base_url=f"{live_server.url}/__mock__") as c:
        yield c


def state_of(control: httpx2.Client, key: str) -> dict:
    tables = control.get("/state", headers=bearer(key)).json()["tables"]
    return {name: rows for name, rows in tables.items() if rows}


def metadata_problems(metadata: dict[str, str]) -> set[str]:
    codes = set()
    if len(metadata) > 16:
        codes.add("object_above_max_properties")
    if any(len(k) > 64 for k in metadata):
        codes.add("property_name_above_max_length")
    if any(len(v) > 512 for v in metadata.values()):
        codes.add("string_above_max_length")
    return codes


@SETTINGS
@given(
    name=OPTIONAL_NAME,
    description=OPTIONAL_DESCRIPTION,
    instructions=INSTRUCTIONS,
    metadata=METADATA,
    extra=EXTRA,
)
def test_assistant_fields_round_trip_or_are_refused(
    sdk, control, keys, name, description, instructions, metadata, extra
):
    key = next(keys)
    client = sdk.with_options(api_key=key)
    expected_codes = metadata_problems(metadata)
    if name is not None and len(name) > 256 or description is not None and len(description) > 512:
        expected_codes.add("string_above_max_length")
    if extra:
        expected_codes.add("unknown_parameter")
    try:
        try:
            created = client.beta.assistants.create(
                model="gpt-4o",
                name=name,
                description=description,
                instructions=instructions,
                metadata=metadata,
                extra_body=extra or None,
            )
        except openai.BadRequestError as exc:
            event("refused")
            assert exc.status_code == 400
            assert exc.code in expected_codes, (exc.code, exc.body)
            assert state_of(control, key) == {}
            return
        event("accepted")
        assert not expected_codes, f"accepted although {expected_codes}"
        assert (created.name, created.description, created.instructions) == (
            name,
            description,
            instructions,
        )
        assert created.metadata == metadata
        assert client.beta.assistants.retrieve(created.id) == created
        assert [a.id for a in client.beta.assistants.list()] == [created.id]
    finally:
        control.post("/reset", headers=bearer(key))


CONTENT = st.one_of(st.text(max_size=64), st.lists(st.text(max_size=16), min_size=0, max_size=3))


@SETTINGS
@given(content=CONTENT, metadata=METADATA, thread_metadata=METADATA)
def test_message_contents_round_trip_or_are_refused(
    sdk, control, keys, content, metadata, thread_metadata
):
    key = next(keys)
    client = sdk.with_options(api_key=key)
    try:
        try:
            thread = client.beta.threads.create(metadata=thread_metadata)
        except openai.BadRequestError as exc:
            event("thread refused")
            assert exc.code in metadata_problems(thread_metadata)
            assert state_of(control, key) == {}
            return
        assert not metadata_problems(thread_metadata)
        assert thread.metadata == thread_metadata
        before = state_of(control, key)
        parts = (
            content if isinstance(content, str) else [{"type": "text", "text": t} for t in content]
        )
        problems = metadata_problems(metadata) | ({"empty_array"} if parts == [] else set())
        try:
            message = client.beta.threads.messages.create(
                thread.id, role="user", content=parts, metadata=metadata
            )
        except openai.BadRequestError as exc:
            event("message refused")
            assert exc.code in problems, (exc.code, exc.body)
            assert state_of(control, key) == before
            return
        event("message accepted")
        assert not problems, f"accepted although {problems}"
        texts = [content] if isinstance(content, str) else content
        assert [part.text.value for part in message.content] == texts
        assert message.metadata == metadata
        [listed] = client.beta.threads.messages.list(thread.id).data
        assert listed == message
    finally:
        control.post("/reset", headers=bearer(key))


ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["user", "text", "image_url", "function", "file-x", "vs_x"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["type", "text", "url", "file_id", "name", "function"])
            | st.text(max_size=6),
            children,
            max_size=3,
        )
    ),
    max_leaves=10,
)
FIELDS = sorted(KNOWN_ASSISTANT_FIELDS | {"role", "content", "attachments", "messages"})
#: objects whose keys are real parameter names, so values reach each field's own checks
PLAUSIBLE_BODY = st.dictionaries(st.sampled_from(FIELDS), ANY_JSON, max_size=4)


@SETTINGS
@given(body=st.one_of(ANY_JSON, PLAUSIBLE_BODY))
def test_arbitrary_json_bodies_never_cause_a_500(raw, control, keys, body):
    """Whatever JSON arrives at the create endpoints, the answer is a 200 or an enveloped 4xx."""
    key = next(keys)
    headers = {"Authorization": f"Bearer {key}", "OpenAI-Beta": "assistants=v2"}
    try:
        thread = raw.post("/threads", headers=headers).json()["id"]
        for path in ("/assistants", "/threads", f"/threads/{thread}/messages"):
            response = raw.post(path, json=body, headers=headers)
            event(f"{path.split('/')[-1]}: {response.status_code}")
            assert response.status_code in (200, 400, 404), (path, response.text)
            if response.status_code != 200:
                assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    finally:
        control.post("/reset", headers=bearer(key))


# -- a stateful model of the store: CRUD in any order, lists and cursor windows always agree ------


def expected_window(
    ids: list[str], alive: set[str], order: str, limit: int, after: str | None, before: str | None
) -> tuple[list[str], bool]:
    """The reference semantics: creation order, cursors by position (even when deleted),
    ``before`` alone gives the stretch next to the cursor."""
    seq = ids if order == "asc" else ids[::-1]
    lo = seq.index(after) if after is not None else -1
    hi = seq.index(before) if before is not None else len(seq)
    window = [i for i in seq[lo + 1 : hi] if i in alive]
    if before is not None and after is None:
        return window[-limit:], len(window) > limit
    return window[:limit], len(window) > limit


def draw_cursors(data: st.DataObject, ids: list[str]) -> tuple[str | None, str | None]:
    """``after``, ``before``, both or neither, each case equally likely."""
    which = data.draw(st.sampled_from(["after", "before", "both", "neither"]))
    after = data.draw(st.sampled_from(ids)) if which in ("after", "both") else None
    before = data.draw(st.sampled_from(ids)) if which in ("before", "both") else None
    return after, before


def test_store_agrees_with_a_reference_model(sdk, control, keys):
    from hypothesis.stateful import (
        RuleBasedStateMachine,
        invariant,
        precondition,
        rule,
        run_state_machine_as_test,
    )

    class Store(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.key = next(keys)
            self.client = sdk.with_options(api_key=self.key)
            self.assistants: list[str] = []  # every id ever created, oldest first
            self.names: dict[str, str] = {}  # the live ones
            self.thread: str | None = None
            self.messages: list[str] = []
            self.texts: dict[str, str] = {}

        @rule(names=st.lists(st.text(max_size=10), min_size=1, max_size=4))
        def create(self, names):
            for name in names:
                made = self.client.beta.assistants.create(model="gpt-4o", name=name)
                assert made.id not in self.assistants
                self.assistants.append(made.id)
                self.names[made.id] = name

        @precondition(lambda self: self.names)
        @rule(data=st.data(), name=st.text(max_size=10))
        def rename(self, data, name):
            target = data.draw(st.sampled_from(sorted(self.names)))
            assert self.client.beta.assistants.update(target, name=name).name == name
            self.names[target] = name

        @precondition(lambda self: self.assistants)
        @rule(data=st.data())
        def delete(self, data):
            target = data.draw(st.sampled_from(self.assistants))
            if target in self.names:
                assert self.client.beta.assistants.delete(target).deleted
                del self.names[target]
            else:
                with pytest.raises(openai.NotFoundError):
                    self.client.beta.assistants.delete(target)

        @rule(text=st.text(max_size=10))
        def add_message(self, text):
            if self.thread is None:
                self.thread = self.client.beta.threads.create().id
            made = self.client.beta.threads.messages.create(self.thread, role="user", content=text)
            self.messages.append(made.id)
            self.texts[made.id] = text

        @precondition(lambda self: self.texts)
        @rule(data=st.data())
        def delete_message(self, data):
            target = data.draw(st.sampled_from(sorted(self.texts)))
            self.client.beta.threads.messages.delete(target, thread_id=self.thread)
            del self.texts[target]

        @precondition(lambda self: self.assistants)
        @rule(data=st.data(), order=st.sampled_from(["asc", "desc"]), limit=st.integers(1, 2))
        def window(self, data, order, limit):
            after, before = draw_cursors(data, self.assistants)
            page = self.client.beta.assistants.list(
                order=order, limit=limit, after=after, before=before
            )
            expected, more = expected_window(
                self.assistants, set(self.names), order, limit, after, before
            )
            assert [a.id for a in page.data] == expected
            assert page.has_more is more

        @precondition(lambda self: self.messages)
        @rule(data=st.data(), order=st.sampled_from(["asc", "desc"]), limit=st.integers(1, 2))
        def message_window(self, data, order, limit):
            after, before = draw_cursors(data, self.messages)
            page = self.client.beta.threads.messages.list(
                self.thread, order=order, limit=limit, after=after, before=before
            )
            expected, more = expected_window(
                self.messages, set(self.texts), order, limit, after, before
            )
            assert [m.id for m in page.data] == expected
            assert page.has_more is more

        @invariant()
        def lists_match_the_model(self):
            listed = {a.id: a.name for a in self.client.beta.assistants.list(limit=3, order="asc")}
            assert list(listed) == [i for i in self.assistants if i in self.names]
            assert listed == self.names
            if self.thread is not None:
                texts = [
                    m.content[0].text.value
                    for m in self.client.beta.threads.messages.list(self.thread, limit=100)
                ]
                assert texts == [self.texts[i] for i in reversed(self.messages) if i in self.texts]

        def teardown(self):
            control.post("/reset", headers=bearer(self.key))

    # the number of examples and derandomization come from the Hypothesis profile
    # (tests/conftest.py), not from SETTINGS
    run_state_machine_as_test(
        Store,
        settings=settings(
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=SETTINGS.suppress_health_check,
        ),
    )
