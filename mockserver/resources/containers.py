"""Containers: where code interpreter keeps files for the Responses API (``/containers``).

A container holds files (``container.file``): copies of uploaded files (``source: "user"``)
and what code interpreter made, PNG charts for instance (``source: "assistant"``). Their
bytes live in the app's blob store under the container file's id, so ``--data-dir`` keeps
them. User code never runs here either: the files code interpreter "makes" are the engine's.

A container expires ``expires_after.minutes`` after it was last active, on the sandbox's
virtual clock: :func:`_settle` is the one place its status moves (``running`` ->
``expired``). An expired container can still be read and listed, as the real one stays
visible; adding files to it is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import blobs as blob_module
from .. import errors
from ..backend import CONTAINER_FILES, CONTAINERS
from ..blobs import BlobWriter
from ..store import Sandbox
from ..types import JSONObject, Pager
from . import files
from .lookup import found

#: the spec's default expiry and memory limit
DEFAULT_MINUTES = 20
DEFAULT_MEMORY_LIMIT = "1g"
#: the name of a container code interpreter makes for ``container: {"type": "auto"}``
#: (the real name is not recorded)
AUTO_NAME = "code_interpreter"
MOUNT = "/mnt/data/"


def create(sandbox: Sandbox, body: dict[str, Any]) -> JSONObject:
    # the files first: an unknown one refuses the request before an id is minted
    sources = [
        files.get(sandbox, file_id, f"file_ids[{i}]")
        for i, file_id in enumerate(body.get("file_ids") or [])
    ]
    now = sandbox.now()
    container: JSONObject = {
        "id": sandbox.ids.new_item("cntr_"),
        "object": "container",
        "created_at": now,
        "status": "running",
        "expires_after": {
            "anchor": "last_active_at",
            "minutes": (body.get("expires_after") or {}).get("minutes", DEFAULT_MINUTES),
        },
        "last_active_at": now,
        "memory_limit": body.get("memory_limit", DEFAULT_MEMORY_LIMIT),
        "name": body["name"],
    }
    if "network_policy" in body:
        container["network_policy"] = body["network_policy"]
    sandbox.add(CONTAINERS, container)
    for source in sources:
        _copy_file(sandbox, container, source)
    return container


def auto_container(sandbox: Sandbox, file_ids: list[str]) -> JSONObject:
    """The container of a ``code_interpreter`` tool with ``container: {"type": "auto"}``: a
    new one holding copies of ``file_ids`` (already checked to exist)."""
    return create(sandbox, {"name": AUTO_NAME, "file_ids": file_ids})


def get(sandbox: Sandbox, container_id: str) -> JSONObject:
    return _settle(sandbox, found(sandbox.containers(), container_id, errors.container_not_found))


def list_(sandbox: Sandbox, page: Pager, name: str | None = None) -> JSONObject:
    """A page of the containers, those called ``name`` if given."""
    listed = page(sandbox.containers(), (lambda c: c["name"] == name) if name else None)
    for container in listed["data"]:
        _settle(sandbox, container)
    return listed


def delete(sandbox: Sandbox, container_id: str) -> JSONObject:
    """The container goes, with its files and their bytes."""
    get(sandbox, container_id)
    blobs = blob_module.of(sandbox)
    for file in sandbox.container_files(container_id):
        blobs.delete(sandbox.key, file["id"])
    sandbox.drop_table(CONTAINER_FILES, container_id)
    sandbox.containers().remove(container_id)
    return {"id": container_id, "object": "container.deleted", "deleted": True}


def _settle(sandbox: Sandbox, container: JSONObject) -> JSONObject:
    """The one place a container's status moves: ``expired`` once the clock has passed its
    last activity by ``expires_after.minutes``."""
    if container["status"] == "running":
        deadline = container["last_active_at"] + 60 * container["expires_after"]["minutes"]
        if sandbox.now() >= deadline:
            container["status"] = "expired"
    return container


def running(sandbox: Sandbox, container_id: str) -> JSONObject:
    """The container, if it can still take files: the 404 if it is gone, the 400 if it has
    expired."""
    container = get(sandbox, container_id)
    if container["status"] != "running":
        raise errors.container_expired(container_id)
    return container


def _active(sandbox: Sandbox, container_id: str) -> JSONObject:
    """A running container about to change: refreshed as just used."""
    container = running(sandbox, container_id)
    container["last_active_at"] = sandbox.now()
    return container


# -- files -----------------------------------------------------------------------------------


def _file_object(
    sandbox: Sandbox, container_id: str, file_id: str, path: str, size: int, source: str
) -> JSONObject:
    return {
        "id": file_id,
        "object": "container.file",
        "created_at": sandbox.now(),
        "bytes": size,
        "container_id": container_id,
        "path": path,
        "source": source,
    }


def add_file(sandbox: Sandbox, container_id: str, filename: str, data: bytes) -> JSONObject:
    """A file code interpreter made (``source: "assistant"``), e.g. a PNG chart; its bytes are
    served by ``GET /containers/{id}/files/{file_id}/content``."""
    container = _active(sandbox, container_id)
    file_id = sandbox.ids.new_item("cfile_")
    size = blob_module.of(sandbox).write_bytes(sandbox.key, file_id, data)
    path = MOUNT + filename
    return sandbox.add(
        CONTAINER_FILES,
        _file_object(sandbox, container["id"], file_id, path, size, "assistant"),
        container_id,
    )


def upload_file(
    sandbox: Sandbox, container_id: str, writer: BlobWriter, filename: str
) -> JSONObject:
    """A file the client uploaded (multipart ``file``): ``source: "user"``. Its path is
    prefixed with a hex name, as in the spec's example, so two uploads never share it."""
    _active(sandbox, container_id)
    file_id = sandbox.ids.new_item("cfile_")
    size = blob_module.of(sandbox).commit(writer, sandbox.key, file_id)
    path = f"{MOUNT}{file_id.removeprefix('cfile_')}-{filename}"
    return sandbox.add(
        CONTAINER_FILES,
        _file_object(sandbox, container_id, file_id, path, size, "user"),
        container_id,
    )


def copy_file(sandbox: Sandbox, container_id: str, file_id: str) -> JSONObject:
    """A copy of an uploaded file (JSON ``{"file_id": ...}``): ``source: "user"``."""
    source = files.get(sandbox, file_id)
    return _copy_file(sandbox, _active(sandbox, container_id), source)


def _copy_file(sandbox: Sandbox, container: JSONObject, source: JSONObject) -> JSONObject:
    blobs = blob_module.of(sandbox)
    file_id = sandbox.ids.new_item("cfile_")
    size = blobs.write_bytes(sandbox.key, file_id, blobs.read(sandbox.key, source["id"]))
    path = MOUNT + source["filename"]
    return sandbox.add(
        CONTAINER_FILES,
        _file_object(sandbox, container["id"], file_id, path, size, "user"),
        container["id"],
    )


def list_files(sandbox: Sandbox, container_id: str, page: Pager) -> JSONObject:
    get(sandbox, container_id)
    return page(sandbox.container_files(container_id), None)


def get_file(sandbox: Sandbox, container_id: str, file_id: str) -> JSONObject:
    get(sandbox, container_id)
    return found(sandbox.container_files(container_id), file_id, errors.container_file_not_found)


def file_content(sandbox: Sandbox, container_id: str, file_id: str) -> tuple[Iterator[bytes], int]:
    """The file's bytes, streamed in chunks, and how many there are."""
    get_file(sandbox, container_id, file_id)
    blobs = blob_module.of(sandbox)
    return blobs.iter_bytes(sandbox.key, file_id), blobs.size(sandbox.key, file_id)


def delete_file(sandbox: Sandbox, container_id: str, file_id: str) -> JSONObject:
    get_file(sandbox, container_id, file_id)
    sandbox.container_files(container_id).remove(file_id)
    blob_module.of(sandbox).delete(sandbox.key, file_id)
    return {"id": file_id, "object": "container.file.deleted", "deleted": True}
