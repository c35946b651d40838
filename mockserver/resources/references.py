"""What assistants and threads refer to in their ``tool_resources``, and how deleting a file
or a vector store removes the references to it.

The real API did this: after a vector store was deleted, the assistant that used it showed
``"vector_store_ids": []``, so code that reads the id back (a get-or-create helper) makes a new
store instead of asking for a dead one, and runs made afterwards never carry the dead id.
"""

from __future__ import annotations

from ..store import Sandbox


def forget(sandbox: Sandbox, tool: str, key: str, object_id: str) -> None:
    """Take ``object_id`` out of every ``tool_resources.<tool>.<key>`` list; the list itself
    stays, empty if it was the last id, as the real API showed it."""
    for owners in (sandbox.assistants(), sandbox.threads()):  # what has tool_resources
        for owner in owners:
            resources = owner.get("tool_resources") or {}
            section = resources.get(tool) or {}
            ids = section.get(key) or []
            if object_id in ids:
                # a new section rather than an edit in place: stored objects never share a
                # list or dict (see tables.py), and nothing else may see this one change
                kept = [i for i in ids if i != object_id]
                owner["tool_resources"] = {**resources, tool: {**section, key: kept}}
