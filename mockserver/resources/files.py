"""Files: the objects in the ``files`` table, their bytes in the app's blob store.

Bytes are reached through :func:`mockserver.blobs.of` (the app pins its blob store on every
sandbox), so callers only need the sandbox; ``blobs`` may still be passed explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import blobs as blob_module
from ..backend import FILES
from ..blobs import BlobStore, BlobWriter
from ..store import Sandbox
from ..types import JSONObject, Pager
from . import references, vector_store_files
from .lookup import find


def _file_object(
    sandbox: Sandbox, file_id: str, filename: str, size: int, purpose: str, expires_at: int | None
) -> JSONObject:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": sandbox.now(),
        "expires_at": expires_at,
        "filename": filename,
        # evals is accepted but is not a purpose strict clients can read back
        "purpose": "user_data" if purpose == "evals" else purpose,
        "status": "processed",
        "status_details": None,
    }


def create_from_writer(
    sandbox: Sandbox,
    writer: BlobWriter,
    filename: str,
    purpose: str,
    expires_after: dict[str, Any] | None = None,
) -> JSONObject:
    """A file from an upload already written to disk (moved into place, not copied)."""
    blobs = blob_module.of(sandbox)
    file_id = sandbox.ids.new("file-")
    size = blobs.commit(writer, sandbox.key, file_id)
    expires_at = sandbox.now() + expires_after["seconds"] if expires_after else None
    return sandbox.add(FILES, _file_object(sandbox, file_id, filename, size, purpose, expires_at))


def create_from_bytes(
    sandbox: Sandbox, blobs: BlobStore | None, filename: str, data: bytes, purpose: str
) -> JSONObject:
    """A file made by the server itself (e.g. a code interpreter image, purpose
    ``assistants_output``). ``blobs=None`` uses the sandbox's own blob store."""
    blobs = blobs or blob_module.of(sandbox)
    file_id = sandbox.ids.new("file-")
    size = blobs.write_bytes(sandbox.key, file_id, data)
    return sandbox.add(FILES, _file_object(sandbox, file_id, filename, size, purpose, None))


def create_from_blob(
    sandbox: Sandbox, sources: list[str], filename: str, purpose: str
) -> JSONObject:
    """A file made of existing blobs in order (a completed upload's parts)."""
    blobs = blob_module.of(sandbox)
    file_id = sandbox.ids.new("file-")
    size = blobs.concatenate(sandbox.key, sources, file_id)
    return sandbox.add(FILES, _file_object(sandbox, file_id, filename, size, purpose, None))


def get(sandbox: Sandbox, file_id: str, param: str = "file_id") -> JSONObject:
    return find(sandbox.files(), "file", file_id, param)


def list_(sandbox: Sandbox, page: Pager, purpose: str | None = None) -> JSONObject:
    """A page of the files, of one ``purpose`` if given."""
    return page(sandbox.files(), (lambda f: f["purpose"] == purpose) if purpose else None)


def content(sandbox: Sandbox, file_id: str) -> tuple[Iterator[bytes], int]:
    """The file's bytes, streamed in chunks, and how many there are."""
    get(sandbox, file_id)
    blobs = blob_module.of(sandbox)
    return blobs.iter_bytes(sandbox.key, file_id), blobs.size(sandbox.key, file_id)


def delete(sandbox: Sandbox, file_id: str) -> JSONObject:
    """As documented: the file also leaves every vector store and every
    ``tool_resources.code_interpreter.file_ids``."""
    get(sandbox, file_id)
    vector_store_files.detach_everywhere(sandbox, file_id)
    references.forget(sandbox, "code_interpreter", "file_ids", file_id)
    sandbox.files().remove(file_id)
    blob_module.of(sandbox).delete(sandbox.key, file_id)
    return {"id": file_id, "object": "file", "deleted": True}
