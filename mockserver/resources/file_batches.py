"""File batches (``Sandbox.file_batches(store_id)``): many attaches at once.

A batch remembers its file ids (its :class:`~mockserver.types.BatchRecord`); its ``file_counts`` and ``status``
are recomputed from those files on every read, so ``status == "in_progress"`` exactly when
``file_counts.in_progress > 0`` (the Python helper reads the count, the Node one the status).
Only an explicit cancel makes files ``cancelled``. A batch's status changes in :func:`_derive`
alone, by :data:`BATCH_STATUSES`.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..backend import FILE_BATCHES
from ..search import ingestion
from ..store import Sandbox
from ..transitions import StatusTable
from ..types import BatchRecord, JSONObject, Pager
from . import vector_store_files, vector_stores
from .lookup import find

#: a batch's status follows its files: a file of a finished batch attached again (to its store,
#: by itself or in another batch) opens it again, and a read may see several of its files
#: finish at once (so completed and failed follow one another directly); only a cancel cancels
BATCH_STATUSES = StatusTable(
    "file batch",
    {
        "in_progress": frozenset({"completed", "failed", "cancelled"}),
        "completed": frozenset({"in_progress", "failed"}),
        "failed": frozenset({"in_progress", "completed"}),
        "cancelled": frozenset({"in_progress"}),
    },
)


def create(sandbox: Sandbox, store_id: str, body: dict[str, Any]) -> JSONObject:
    store = vector_stores.get(sandbox, store_id)
    vector_stores.check_usable(sandbox, store)
    if "files" in body:
        entries = [
            (f["file_id"], f.get("chunking_strategy"), f.get("attributes")) for f in body["files"]
        ]
        param, suffix = "files", ".file_id"
    else:
        if "file_ids" not in body:
            raise errors.missing_parameter("file_ids")
        entries = [
            (f, body.get("chunking_strategy"), body.get("attributes")) for f in body["file_ids"]
        ]
        param, suffix = "file_ids", ""
    vector_store_files.check_files(sandbox, [e[0] for e in entries], param, suffix)
    file_ids = []
    for file_id, strategy, attributes in entries:
        vector_store_files.attach(sandbox, store_id, file_id, strategy, attributes)
        file_ids.append(file_id)
    batch = {
        "id": sandbox.ids.new("vsfb_"),
        "object": "vector_store.files_batch",
        "created_at": sandbox.now(),
        "vector_store_id": store_id,
        "status": "in_progress",
        "file_counts": vector_store_files.counts([]),
    }
    sandbox.batch_records()[batch["id"]] = BatchRecord(
        file_ids=list(dict.fromkeys(file_ids)), cancelled=False
    )
    sandbox.add(FILE_BATCHES, batch, scope=store_id)
    vector_stores.touch(sandbox, store)
    return _derive(sandbox, batch)


def get(sandbox: Sandbox, store_id: str, batch_id: str) -> JSONObject:
    vector_stores.get(sandbox, store_id)
    return find(sandbox.file_batches(store_id), "batch", batch_id, "batch_id")


def refresh(sandbox: Sandbox, store_id: str, batch_id: str) -> JSONObject:
    """The batch as a read sees it: its store's due files finished (a bad id is refused
    before anything changes), then the counts and status recomputed."""
    batch = get(sandbox, store_id, batch_id)
    ingestion.read(sandbox, store_id)
    return _derive(sandbox, batch)


def list_files(
    sandbox: Sandbox, store_id: str, batch_id: str, page: Pager, status: str | None = None
) -> JSONObject:
    """A page of the batch's files (of one ``status`` if given), as a read sees them."""
    batch = refresh(sandbox, store_id, batch_id)
    return vector_store_files.list_(
        sandbox, store_id, page, status, among=member_ids(sandbox, batch)
    )


def member_ids(sandbox: Sandbox, batch: JSONObject) -> set[str]:
    record = sandbox.batch_records().get(batch["id"])
    return set(record["file_ids"]) if record else set()


def members(sandbox: Sandbox, batch: JSONObject) -> list[JSONObject]:
    """The batch's files still attached to the store, in attach order, to read only (whoever
    changes one takes it with ``get``)."""
    ids = member_ids(sandbox, batch)
    return [
        f for f in sandbox.vector_store_files(batch["vector_store_id"]).peek() if f["id"] in ids
    ]


def _derive(sandbox: Sandbox, batch: JSONObject) -> JSONObject:
    files = members(sandbox, batch)
    counts = vector_store_files.counts(files)
    batch["file_counts"] = counts
    if counts["in_progress"]:
        status = "in_progress"
    elif sandbox.batch_records()[batch["id"]]["cancelled"]:
        status = "cancelled"
    elif counts["total"] and counts["failed"] == counts["total"]:
        status = "failed"
    else:
        status = "completed"
    if status != batch["status"]:
        BATCH_STATUSES.check(batch, status)
        batch["status"] = status
    return batch


def cancel(sandbox: Sandbox, store_id: str, batch_id: str) -> JSONObject:
    """Files still ``in_progress`` become ``cancelled``; finished ones keep their status.
    Files already due are finished first, as any look at them would see them (a cancel is
    not a read: the ``reads`` knob does not count it)."""
    batch = get(sandbox, store_id, batch_id)
    ingestion.settle(sandbox, [store_id])
    batch = _derive(sandbox, batch)
    if not BATCH_STATUSES.allows(batch["status"], "cancelled"):
        raise errors.batch_not_cancellable(batch_id, batch["status"])
    files = sandbox.vector_store_files(store_id)
    for vs_file in members(sandbox, batch):
        if vs_file["status"] == "in_progress":
            ingestion.cancel(sandbox, files.get(vs_file["id"]))
    sandbox.batch_records()[batch_id]["cancelled"] = True
    return _derive(sandbox, batch)
