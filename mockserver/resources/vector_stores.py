"""Vector stores: CRUD, expiry on the virtual clock, and the numbers derived from their files.

``file_counts``, ``usage_bytes`` and ``status`` are recomputed from the store's files on
every read (:func:`refresh`), so they can never disagree with them. A store with
``expires_after`` expires ``days`` after ``last_active_at`` (creation, updates, attaches and
searches count as activity) and then reports ``status: "expired"`` for good. The status
changes in :func:`_derive` alone, by :data:`STORE_STATUSES`.

What the store's files endpoints do that concerns the store too (it must exist and not have
expired; reads move its ingestion on; attaching is activity) is here, beside the store; the
files themselves are ``vector_store_files.py``. The run engine's entry points live here too:
:func:`create_from_helper`, :func:`store_expired` and :func:`for_search`.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..backend import FILE_BATCHES, VECTOR_STORE_FILES, VECTOR_STORES
from ..search import ingestion, retrieval
from ..store import Sandbox
from ..transitions import StatusTable
from ..types import JSONObject, Pager
from . import references, vector_store_files
from .lookup import find

DAY = 86_400
#: what the thread ``vector_stores`` helper gives a store unless told otherwise
HELPER_EXPIRY = {"anchor": "last_active_at", "days": 7}

#: a store is in_progress while any of its files is; expired is for good
STORE_STATUSES = StatusTable(
    "vector store",
    {
        "in_progress": frozenset({"completed", "expired"}),
        "completed": frozenset({"in_progress", "expired"}),
    },
)


def create(sandbox: Sandbox, body: dict[str, Any], *, param: str = "file_ids") -> JSONObject:
    file_ids = list(dict.fromkeys(body.get("file_ids") or []))
    vector_store_files.check_files(sandbox, file_ids, param)
    now = sandbox.now()
    store = {
        "id": sandbox.ids.new("vs_"),
        "object": "vector_store",
        "created_at": now,
        "name": body.get("name") or "",
        "description": body.get("description"),
        "usage_bytes": 0,
        "file_counts": vector_store_files.counts([]),
        "status": "completed",
        "expires_after": body.get("expires_after"),
        "expires_at": None,
        "last_active_at": now,
        "metadata": body.get("metadata") or {},
    }
    sandbox.add(VECTOR_STORES, store)
    for file_id in file_ids:
        vector_store_files.attach(sandbox, store["id"], file_id, body.get("chunking_strategy"))
    touch(sandbox, store)
    return _derive(sandbox, store)


def create_from_helper(sandbox: Sandbox, spec: dict[str, Any], *, expires: bool = True) -> str:
    """``tool_resources.file_search.vector_stores[0]`` (``{file_ids, chunking_strategy,
    metadata}``): a new store, by default expiring 7 days after its last activity as the
    thread helper's do; returns its id."""
    body = {k: spec[k] for k in ("file_ids", "chunking_strategy", "metadata") if k in spec}
    if expires:
        body["expires_after"] = dict(HELPER_EXPIRY)
    store = create(sandbox, body, param="tool_resources.file_search.vector_stores[0].file_ids")
    return store["id"]


def get(sandbox: Sandbox, store_id: str, param: str = "vector_store_id") -> JSONObject:
    return find(sandbox.vector_stores(), "vector_store", store_id, param)


def refresh(sandbox: Sandbox, store_id: str) -> JSONObject:
    """The store as a read sees it: its due files finished, then the derived fields recomputed."""
    store = get(sandbox, store_id)
    ingestion.read(sandbox, store_id)
    return _derive(sandbox, store)


def list_(sandbox: Sandbox, page: Pager) -> JSONObject:
    """A page of the stores, each as a read sees it. Only the page's stores are read (their
    order does not depend on what a read changes): listing does not walk every store's files."""
    listed = page(sandbox.vector_stores(), None)
    for store in listed["data"]:
        refresh(sandbox, store["id"])
    return listed


def _derive(sandbox: Sandbox, store: JSONObject) -> JSONObject:
    files = list(sandbox.vector_store_files(store["id"]).peek())  # read only
    store["file_counts"] = vector_store_files.counts(files)
    store["usage_bytes"] = sum(f["usage_bytes"] for f in files)
    if _expired(sandbox, store):
        status = "expired"
    elif store["file_counts"]["in_progress"]:
        status = "in_progress"
    else:
        status = "completed"
    if status != store["status"]:
        STORE_STATUSES.check(store, status)
        store["status"] = status
    return store


def _expired(sandbox: Sandbox, store: JSONObject) -> bool:
    return store["expires_at"] is not None and sandbox.now() >= store["expires_at"]


def store_expired(sandbox: Sandbox, store_id: str) -> bool:
    return _expired(sandbox, get(sandbox, store_id))


def touch(sandbox: Sandbox, store: JSONObject) -> None:
    """Activity: ``last_active_at`` is now, and the expiry moves with it."""
    if _expired(sandbox, store):
        return  # an expired store stays expired
    store["last_active_at"] = sandbox.now()
    after = store.get("expires_after")
    store["expires_at"] = store["last_active_at"] + after["days"] * DAY if after else None


def check_usable(sandbox: Sandbox, store: JSONObject) -> None:
    if _expired(sandbox, store):
        raise errors.vector_store_expired(store["id"])


def update(sandbox: Sandbox, store_id: str, body: dict[str, Any]) -> JSONObject:
    store = refresh(sandbox, store_id)
    if "name" in body:
        store["name"] = body["name"] or ""
    if "metadata" in body:
        store["metadata"] = body["metadata"] or {}
    if "expires_after" in body:
        store["expires_after"] = body["expires_after"]
    touch(sandbox, store)
    return _derive(sandbox, store)


def for_search(sandbox: Sandbox, store_ids: list[str]) -> list[str]:
    """The stores a search is about to read (``retrieval.search(sandbox, for_search(...),
    ...)``): each must exist, and the search counts as activity on each
    (``last_active_at``)."""
    for store in [get(sandbox, store_id) for store_id in store_ids]:
        touch(sandbox, store)
    return store_ids


def search(sandbox: Sandbox, store_id: str, body: dict[str, Any]) -> JSONObject:
    """``POST /vector_stores/{id}/search``: the results page (an expired store refuses)."""
    check_usable(sandbox, refresh(sandbox, store_id))
    queries = [body["query"]] if isinstance(body["query"], str) else list(body["query"])
    ranking = body.get("ranking_options") or {}
    hits = retrieval.search(
        sandbox,
        for_search(sandbox, [store_id]),
        queries,
        max_num_results=body.get("max_num_results", 10),
        filters=body.get("filters"),
        score_threshold=ranking.get("score_threshold", 0.0),
    )
    data = [
        {
            "file_id": hit.file_id,
            "filename": hit.filename,
            "score": hit.score,
            "attributes": hit.attributes,
            "content": [{"type": "text", "text": hit.text}],
        }
        for hit in hits
    ]
    return {
        "object": "vector_store.search_results.page",
        "search_query": queries,
        "data": data,
        "has_more": False,
        "next_page": None,
    }


def delete(sandbox: Sandbox, store_id: str) -> JSONObject:
    """The store, its files and batches go; assistants and threads forget it."""
    get(sandbox, store_id)
    for vs_file in list(sandbox.vector_store_files(store_id)):
        ingestion.forget(sandbox, store_id, vs_file["id"])
    records = sandbox.batch_records()
    for batch in sandbox.file_batches(store_id):
        records.pop(batch["id"], None)
    sandbox.drop_table(VECTOR_STORE_FILES, store_id)
    sandbox.drop_table(FILE_BATCHES, store_id)
    sandbox.vector_stores().remove(store_id)
    references.forget(sandbox, "file_search", "vector_store_ids", store_id)
    return {"id": store_id, "object": "vector_store.deleted", "deleted": True}


# -- the store's files: what concerns the store too -------------------------------------------


def attach_file(sandbox: Sandbox, store_id: str, body: dict[str, Any]) -> JSONObject:
    """``POST /vector_stores/{id}/files``: the store must be usable and the file retrievable;
    attaching is activity on the store."""
    store = get(sandbox, store_id)
    check_usable(sandbox, store)
    vector_store_files.check_files(sandbox, [body["file_id"]], "file_ids")
    vs_file = vector_store_files.attach(
        sandbox, store_id, body["file_id"], body.get("chunking_strategy"), body.get("attributes")
    )
    touch(sandbox, store)
    return vs_file


def list_files(
    sandbox: Sandbox, store_id: str, page: Pager, status: str | None = None
) -> JSONObject:
    """A page of the store's files (of one ``status`` if given), as a read sees them."""
    refresh(sandbox, store_id)
    return vector_store_files.list_(sandbox, store_id, page, status)


def retrieve_file(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    refresh(sandbox, store_id)
    return vector_store_files.get(sandbox, store_id, file_id)


def update_file(sandbox: Sandbox, store_id: str, file_id: str, body: dict[str, Any]) -> JSONObject:
    get(sandbox, store_id)
    return vector_store_files.update_attributes(sandbox, store_id, file_id, body["attributes"])


def delete_file(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    get(sandbox, store_id)
    return vector_store_files.delete(sandbox, store_id, file_id)


def file_content(sandbox: Sandbox, store_id: str, file_id: str) -> JSONObject:
    refresh(sandbox, store_id)
    return vector_store_files.content(sandbox, store_id, file_id)
