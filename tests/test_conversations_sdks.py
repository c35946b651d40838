"""The same Conversations session through openai-python 3.x (this virtualenv), 2.x and 1.x
(``.venv-openai2``, ``.venv-openai1``: ``make test`` builds them), each with strict response
validation: every version parses every answer, and all see the same thing."""

from __future__ import annotations

import pytest

from mockserver.server import LiveServer
from tests.sdk_sessions import MAJORS, run_major

SESSION = """
import json, os, sys
import openai
from openai import OpenAI

client = OpenAI(
    base_url=os.environ["MOCK_BASE_URL"], api_key=os.environ["MOCK_KEY"],
    max_retries=0, _strict_response_validation=True,
)
conversation = client.conversations.create(
    items=[{"role": "user", "content": "Hello!"}], metadata={"topic": "demo"}
)
added = client.conversations.items.create(
    conversation.id,
    items=[{"type": "message", "role": "assistant", "content": "Hi! How can I help?"},
           {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Bye"}]}],
)
pages = list(client.conversations.items.list(conversation.id, limit=1, order="asc"))
retrieved = client.conversations.items.retrieve(added.data[0].id, conversation_id=conversation.id)
after_delete = client.conversations.items.delete(added.data[1].id, conversation_id=conversation.id)
updated = client.conversations.update(conversation.id, metadata={"topic": "done"})
deleted = client.conversations.delete(conversation.id)
try:
    client.conversations.retrieve(conversation.id)
    missing = None
except openai.NotFoundError as error:
    missing = error.response.json()["error"]["message"].replace(conversation.id, "<id>")
print(json.dumps({
    "major": openai.__version__.split(".")[0],
    "created": [conversation.object, conversation.metadata],
    "added": [[i.type, i.role, i.status, i.content[0].type] for i in added.data],
    "paged": [i.content[0].text for i in pages],
    "retrieved": retrieved.content[0].text,
    "after_delete": after_delete.object,
    "updated": updated.metadata,
    "deleted": [deleted.object, deleted.deleted],
    "missing": missing,
}))
"""

EXPECTED = {
    "created": ["conversation", {"topic": "demo"}],
    "added": [
        ["message", "assistant", "completed", "output_text"],
        ["message", "user", "completed", "input_text"],
    ],
    "paged": ["Hello!", "Hi! How can I help?", "Bye"],
    "retrieved": "Hi! How can I help?",
    "after_delete": "conversation",
    "updated": {"topic": "done"},
    "deleted": ["conversation.deleted", True],
    "missing": "Conversation with id '<id>' not found.",
}


@pytest.mark.parametrize("major", MAJORS)
def test_one_session_through_each_python_sdk(
    major: str, request: pytest.FixtureRequest, live_server: LiveServer, api_key: str
) -> None:
    assert run_major(major, SESSION, request, live_server, api_key) == EXPECTED
