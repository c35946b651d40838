"""The seam to the Conversations API: what a response reads of its conversation, and how its
turn is appended (reference §5.2).

The conversations themselves live in ``resources/conversations.py`` (the Conversations API);
until that lands, no conversation exists, so naming one is the real 404.
"""

from __future__ import annotations

from .. import errors
from ..store import Sandbox
from ..types import JSONObject


def items_of(sandbox: Sandbox, conversation_id: str) -> list[JSONObject]:
    """The conversation's items, oldest first (the 404 when there is no such conversation)."""
    raise errors.conversation_not_found(conversation_id)


def append(sandbox: Sandbox, conversation_id: str, items: list[JSONObject]) -> None:
    raise errors.conversation_not_found(conversation_id)
