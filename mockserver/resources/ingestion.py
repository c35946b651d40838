"""Ingestion: how a vector store file goes from ``in_progress`` to ``completed`` or ``failed``.

A file becomes ready ``settings["ingestion"]["seconds"]`` virtual seconds after it was
attached (0 by default). Reads then move it on under the sandbox's progression policy
(``default``/``instant``: the first read after it is ready finishes it; ``manual``: only
:func:`advance` with ``force=True``, i.e. the control API). Finishing it indexes the bytes; a
file that can't be parsed, or matches a ``settings["ingestion"]["fail"]`` pattern, fails with
``last_error``.

Sandbox knobs (plain JSON, persisted with the sandbox)::

    sandbox.settings["ingestion"] = {
        "seconds": 30,                       # virtual seconds before a file can finish
        "fail": {"*.md": {"code": "invalid_file", "message": "..."}},  # fnmatch on filename or id
        "reads": 3,  # (scenarios) ...or after this many reads, whichever comes first
    }

``reads`` lets a client's poll loop (``create_and_poll``, ``upload_and_poll``) end on its own
while ``seconds`` keeps files in progress on the virtual clock, which polling does not move.
"""

from __future__ import annotations

import fnmatch

from .. import blobs as blob_module
from .. import errors
from ..config import MockConfig
from ..extraction import MAX_INDEXED_BYTES, ExtractionError, extract_text
from ..progression import transitions_per_read
from ..search import FileIndex, build_index
from ..store import JSONObject, Sandbox

AUX = "ingestion"
VS_FILES = "vector_store_files"
LAST_ERROR_CODES = ("server_error", "unsupported_file", "invalid_file")


def _settings(sandbox: Sandbox) -> dict:
    return sandbox.settings.get("ingestion") or {}


def start(sandbox: Sandbox, store_id: str, file_id: str) -> None:
    settings = _settings(sandbox)
    record = {"ready_at": sandbox.now() + int(settings.get("seconds", 0))}
    if settings.get("reads"):
        record["reads_left"] = int(settings["reads"])
    sandbox.aux(AUX)[f"{store_id}/{file_id}"] = record


def forget(sandbox: Sandbox, store_id: str, file_id: str) -> None:
    sandbox.aux(AUX).pop(f"{store_id}/{file_id}", None)


def ready_at(sandbox: Sandbox, store_id: str, file_id: str) -> int:
    record = sandbox.aux(AUX).get(f"{store_id}/{file_id}")
    return record["ready_at"] if record else sandbox.now()


def advance(sandbox: Sandbox, config: MockConfig, store_id: str, *, force: bool = False) -> None:
    """Move the store's ready files on, as a read does (or all of them with ``force``)."""
    if not force and transitions_per_read(sandbox, config) == 0:
        return
    now = sandbox.now()
    for vs_file in sandbox.table(VS_FILES, store_id):
        if vs_file["status"] != "in_progress":
            continue
        file_id = vs_file["id"]
        if (
            force
            or ready_at(sandbox, store_id, file_id) <= now
            or _read_out(sandbox, store_id, file_id)
        ):
            finish(sandbox, store_id, vs_file)


def _read_out(sandbox: Sandbox, store_id: str, file_id: str) -> bool:
    """Knob ``reads``: each read counts a file down; past zero it may finish."""
    record = sandbox.aux(AUX).get(f"{store_id}/{file_id}")
    if not record or "reads_left" not in record:
        return False
    record["reads_left"] -= 1
    return record["reads_left"] < 0


def finish(sandbox: Sandbox, store_id: str, vs_file: JSONObject) -> None:
    file = sandbox.table("files").get(vs_file["id"])
    error = _injected_failure(sandbox, vs_file["id"], file["filename"] if file else "")
    if error is None and file is not None:
        try:
            index_of(sandbox, file, vs_file["chunking_strategy"])
        except ExtractionError as exc:
            error = exc.last_error
    elif file is None:
        error = errors.file_deleted_during_ingestion()
    forget(sandbox, store_id, vs_file["id"])
    if error is None:
        vs_file.update(status="completed", usage_bytes=file["bytes"], last_error=None)
    else:
        vs_file.update(status="failed", usage_bytes=0, last_error=error)


def _injected_failure(sandbox: Sandbox, file_id: str, filename: str) -> dict | None:
    for pattern, spec in (_settings(sandbox).get("fail") or {}).items():
        if fnmatch.fnmatchcase(filename, pattern) or pattern == file_id:
            spec = spec or {}
            code = spec.get("code", "server_error")
            return {
                "code": code if code in LAST_ERROR_CODES else "server_error",
                "message": spec.get("message", errors.ingestion_failed()["message"]),
            }
    return None


def index_of(sandbox: Sandbox, file: JSONObject, strategy: JSONObject) -> FileIndex:
    """The file's search index for a chunking strategy, built from its bytes on first use
    (and again after a restart: indexes are derived data, never persisted)."""
    blobs = blob_module.of(sandbox)
    static = strategy["static"]
    key = (sandbox.key, file["id"], static["max_chunk_size_tokens"], static["chunk_overlap_tokens"])
    index = blobs.derived.get(key)
    if index is None:
        if blobs.size(sandbox.key, file["id"]) > MAX_INDEXED_BYTES:
            # judged by size, before reading a byte
            raise ExtractionError(errors.file_too_large_to_parse())
        text = extract_text(file["filename"], blobs.read(sandbox.key, file["id"]))
        index = build_index(text, static["max_chunk_size_tokens"], static["chunk_overlap_tokens"])
        blobs.derived[key] = index
    return index


def indexing_files(sandbox: Sandbox, config: MockConfig, store_ids: list[str]) -> int:
    """How many files of these stores are still ``in_progress``."""
    return sum(
        1
        for store_id in store_ids
        for vs_file in sandbox.table(VS_FILES, store_id)
        if vs_file["status"] == "in_progress"
    )


def finish_indexing(
    sandbox: Sandbox, config: MockConfig, store_ids: list[str], max_wait_seconds: int = 60
) -> int:
    """What a run does while its thread's store is still indexing: wait on the virtual clock
    for files that become ready within ``max_wait_seconds``, finish them, and return the
    seconds waited (the sandbox clock has moved by as much)."""
    now = sandbox.now()
    pending = [
        (store_id, vs_file, ready_at(sandbox, store_id, vs_file["id"]))
        for store_id in store_ids
        for vs_file in sandbox.table(VS_FILES, store_id)
        if vs_file["status"] == "in_progress"
    ]
    if not pending:
        return 0
    latest = max(ready for _, _, ready in pending)
    waited = max(0, min(latest - now, max_wait_seconds))
    sandbox.clock.advance(waited)
    for store_id, vs_file, ready in pending:
        if ready <= now + waited:
            finish(sandbox, store_id, vs_file)
    return waited
