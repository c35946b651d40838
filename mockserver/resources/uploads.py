"""The Uploads API: an upload collects parts (each a blob), then completes into one File.

An upload expires an hour after creation on the virtual clock; completing checks that the
parts, in the order given, add up to the declared byte count. Its status changes in
:func:`_set_status` alone, by :data:`UPLOAD_STATUSES`.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import blobs as blob_module
from .. import errors
from ..backend import UPLOADS
from ..blobs import BlobWriter
from ..store import Sandbox
from ..transitions import StatusTable
from ..types import JSONObject, UploadRecord
from . import files
from .lookup import find

LIFETIME = 3600

#: pending until it completes, is cancelled or expires; then it is done for good
UPLOAD_STATUSES = StatusTable(
    "upload", {"pending": frozenset({"completed", "cancelled", "expired"})}
)


def create(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    now = sandbox.now()
    upload = {
        "id": sandbox.ids.new("upload_"),
        "object": "upload",
        "bytes": body["bytes"],
        "created_at": now,
        "expires_at": now + LIFETIME,
        "filename": body["filename"],
        "purpose": body["purpose"],
        "status": "pending",
        "file": None,
    }
    sandbox.upload_records()[upload["id"]] = UploadRecord(parts={}, mime_type=body["mime_type"])
    return sandbox.add(UPLOADS, upload)


def get(sandbox: Sandbox, upload_id: str) -> JSONObject:
    upload = find(sandbox.uploads(), "upload", upload_id)
    if upload["status"] == "pending" and sandbox.now() >= upload["expires_at"]:
        _set_status(sandbox, upload, "expired")
    return upload


def _pending(sandbox: Sandbox, upload_id: str) -> JSONObject:
    upload = get(sandbox, upload_id)
    if upload["status"] != "pending":
        raise errors.upload_not_pending(upload_id, upload["status"])
    return upload


def check_pending(sandbox: Sandbox, upload_id: str) -> None:
    _pending(sandbox, upload_id)


def add_part(sandbox: Sandbox, upload_id: str, writer: BlobWriter) -> JSONObject:
    _pending(sandbox, upload_id)
    part_id = sandbox.ids.new("part_")
    size = blob_module.of(sandbox).commit(writer, sandbox.key, part_id)
    sandbox.upload_records()[upload_id]["parts"][part_id] = size
    return {
        "id": part_id,
        "object": "upload.part",
        "created_at": sandbox.now(),
        "upload_id": upload_id,
    }


def complete(sandbox: Sandbox, upload_id: str, body: dict[str, Any]) -> JSONObject:
    upload = _pending(sandbox, upload_id)
    parts = sandbox.upload_records()[upload_id]["parts"]
    for i, part_id in enumerate(body["part_ids"]):
        if part_id not in parts:
            raise errors.unknown_upload_part(i, part_id, upload_id)
    total = sum(parts[p] for p in body["part_ids"])
    if total != upload["bytes"]:
        raise errors.upload_size_mismatch(upload["bytes"], total)
    file = files.create_from_blob(
        sandbox, list(body["part_ids"]), upload["filename"], upload["purpose"]
    )
    # a copy: objects never share a list or dict (see tables.py)
    _set_status(sandbox, upload, "completed", file=copy.deepcopy(file))
    return upload


def cancel(sandbox: Sandbox, upload_id: str) -> JSONObject:
    upload = _pending(sandbox, upload_id)
    _set_status(sandbox, upload, "cancelled")
    return upload


def _set_status(
    sandbox: Sandbox, upload: JSONObject, status: str, file: JSONObject | None = None
) -> None:
    """Out of ``pending``: ``completed`` (with its ``file``), ``cancelled`` or ``expired``; the
    parts' bytes go either way."""
    UPLOAD_STATUSES.check(upload, status)
    upload["status"] = status
    if file is not None:
        upload["file"] = file
    record = sandbox.upload_records()[upload["id"]]
    blobs = blob_module.of(sandbox)
    for part_id in record["parts"]:
        blobs.delete(sandbox.key, part_id)
    record["parts"] = {}
