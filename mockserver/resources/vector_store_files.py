"""Files attached to a vector store (``Sandbox.vector_store_files(store_id)``).

A vector store file's ``id`` is the File's id. Attaching checks the extension at once (the
real synchronous 400); parsing happens during ingestion (``search/ingestion.py``). The
operations that also concern the store (its expiry, its activity) are in ``vector_stores.py``.

Sandbox knob: ``sandbox.settings["delete_scope"]`` is ``"store"`` (default, as documented:
``DELETE /vector_stores/{vs}/files/{id}`` detaches from that store only) or ``"global"``
(replays openai-node #1710: the file leaves every store of the sandbox).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..backend import VECTOR_STORE_FILES
from ..search import ingestion
from ..search.chunking import extension, retrievable, static_strategy
from ..store import Sandbox
from ..types import JSONObject, Pager
from .lookup import find


def check_files(
    sandbox: Sandbox, file_ids: list[str], param: str, suffix: str = ""
) -> list[JSONObject]:
    """The files, which must exist and be retrievable; ``param`` is the list's name (an
    unknown id is reported as ``param[i]`` + ``suffix``)."""
    files = [
        find(sandbox.files(), "file", file_id, f"{param}[{i}]{suffix}")
        for i, file_id in enumerate(file_ids)
    ]
    unsupported = [
        extension(f["filename"]) or f["filename"] for f in files if not retrievable(f["filename"])
    ]
    if unsupported:
        raise errors.unsupported_retrieval_files(list(dict.fromkeys(unsupported)))
    return files


def attach(
    sandbox: Sandbox,
    store_id: str,
    file_id: str,
    chunking_strategy: JSONObject | None = None,
    attributes: dict[str, Any] | None = None,
) -> JSONObject:
    """Start ingesting a (checked) file into a store; attaching again starts over."""
    vs_file = sandbox.vector_store_files(store_id).get(file_id)
    fresh = {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": sandbox.now(),
        "vector_store_id": store_id,
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": static_strategy(chunking_strategy),
        "attributes": attributes or {},
    }
    if vs_file is None:
        vs_file = sandbox.add(VECTOR_STORE_FILES, fresh, scope=store_id)
    else:
        vs_file.update(fresh)  # in place: a second add would list the file twice
    ingestion.start(sandbox, store_id, file_id)
    return vs_file


def get(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    vs_file = sandbox.vector_store_files(store_id).get(file_id)
    if vs_file is None:
        find(sandbox.files(), "file", file_id)  # the prefix check comes first
        raise errors.not_found("vector store file", file_id)
    return vs_file


def update_attributes(sandbox: Sandbox, store_id: str, file_id: str, attributes: Any) -> JSONObject:
    vs_file = get(sandbox, store_id, file_id)
    vs_file["attributes"] = attributes or {}
    return vs_file


def list_(
    sandbox: Sandbox,
    store_id: str,
    page: Pager,
    status: str | None = None,
    among: set[str] | None = None,
) -> JSONObject:
    """A page of the store's files: those with ``status`` if given, and of ``among`` (a
    batch's members) if given."""

    def wanted(f: JSONObject) -> bool:
        return (among is None or f["id"] in among) and (status is None or f["status"] == status)

    everything = status is None and among is None
    return page(sandbox.vector_store_files(store_id), None if everything else wanted)


def detach(sandbox: Sandbox, store_id: str, file_id: str) -> None:
    # a file attached again takes a new place in the list (Collection.add moves it)
    sandbox.vector_store_files(store_id).remove(file_id)
    ingestion.forget(sandbox, store_id, file_id)


def delete(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    get(sandbox, store_id, file_id)
    if sandbox.settings.get("delete_scope") == "global":
        detach_everywhere(sandbox, file_id)
    else:
        detach(sandbox, store_id, file_id)
    return {"id": file_id, "object": "vector_store.file.deleted", "deleted": True}


def detach_everywhere(sandbox: Sandbox, file_id: str) -> None:
    for store in sandbox.vector_stores():
        if file_id in sandbox.vector_store_files(store["id"]):
            detach(sandbox, store["id"], file_id)


def content(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    """The parsed text as the API pages it: one text item per chunk (none until indexed)."""
    vs_file = get(sandbox, store_id, file_id)
    data: list[JSONObject] = []
    file = sandbox.files().get(file_id)
    if vs_file["status"] == "completed" and file is not None:
        index = ingestion.index_of(sandbox, file, vs_file["chunking_strategy"])
        data = [{"type": "text", "text": index.chunk_text(n)} for n in range(len(index))]
    return {
        "object": "vector_store.file_content.page",
        "data": data,
        "has_more": False,
        "next_page": None,
    }


def counts(files: list[JSONObject]) -> JSONObject:
    result = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": len(files)}
    for f in files:
        result[f["status"]] += 1
    return result
