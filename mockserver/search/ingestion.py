"""Ingestion: how a vector store file goes from ``in_progress`` to ``completed`` or ``failed``
(or ``cancelled``, by its batch).

Ingestion moves with the virtual clock, not with reads. A file attached at ``t`` is *due* at
``t + settings["ingestion"]["seconds"]`` (0 by default), and whoever looks at it from then on
sees it finished: a read of its store, its file or its batch, a search, a run's file_search.
Looking is what applies the outcome (:func:`settle`), so a file nobody looks at costs nothing,
yet nobody can see it unfinished once it is due. The progression policy decides what "due"
means (the README's table says the same):

* ``default`` and ``instant`` (alike, since a file has a single transition): due at
  ``t + seconds``. The response that attaches a file shows it ``in_progress``; any later look
  at or after its due time sees the outcome.
* ``manual``: due once the clock has also moved past ``t``, so a file stays ``in_progress``
  however often it is read, until the clock moves (the control API, or a run taking steps).

Stores and batches have no ingestion state of their own: their ``status`` and
``file_counts`` are derived from their files at every read (``vector_stores._derive``,
``file_batches._derive``).

:func:`set_file_status` is the one place a vector store file's status changes (its table is
:data:`FILE_STATUSES`): :func:`finish` ends ingestion, and :func:`settle` is the one caller
that decides when; a batch's cancel cancels (:func:`cancel`). Finishing indexes the bytes; a
file that can't be read, or matches a ``settings["ingestion"]["fail"]`` pattern, fails with
``last_error``. (Attaching, again or not, makes a new ``in_progress`` attachment.)

Indexing a large file takes seconds: the ``/vector_stores`` routes first await
:func:`prepare`, which builds the indexes their look will need in worker threads (the event
loop answers other requests meanwhile); the look then finds them built. Building is pure (the
bytes and the chunking decide the index), so who builds it, and when, changes nothing seen.

Sandbox knobs (plain JSON, persisted with the sandbox)::

    sandbox.settings["ingestion"] = {
        "seconds": 30,                       # virtual seconds before a file is due
        "fail": {"*.md": {"code": "invalid_file", "message": "..."}},  # fnmatch on filename or id
        "reads": 3,  # (scenarios) ...or after this many client reads, whichever comes first
    }

``reads`` lets a client's poll loop (``create_and_poll``, ``upload_and_poll``) end on its own
while ``seconds`` keeps files in progress on the virtual clock, which polling does not move.
Only client reads count (a run's search does not), and none under ``manual``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread

from .. import blobs as blob_module
from .. import errors
from ..store import Sandbox
from ..transitions import StatusTable
from ..types import IngestionRecord, JSONObject
from .extraction import MAX_INDEXED_BYTES, ExtractionError, extract_text
from .index import FileIndex, build_index

#: a vector store file's statuses; attaching (again) makes a new in_progress attachment
FILE_STATUSES = StatusTable(
    "vector store file", {"in_progress": frozenset({"completed", "failed", "cancelled"})}
)
LAST_ERROR_CODES = ("server_error", "unsupported_file", "invalid_file")


def _settings(sandbox: Sandbox) -> dict:
    return sandbox.settings.get("ingestion") or {}


def start(sandbox: Sandbox, store_id: str, file_id: str) -> None:
    settings = _settings(sandbox)
    record = IngestionRecord(ready_at=sandbox.now() + int(settings.get("seconds", 0)))
    if settings.get("reads"):
        record["reads_left"] = int(settings["reads"])
    sandbox.ingestion_records()[f"{store_id}/{file_id}"] = record


def forget(sandbox: Sandbox, store_id: str, file_id: str) -> None:
    sandbox.ingestion_records().pop(f"{store_id}/{file_id}", None)


def _record(sandbox: Sandbox, vs_file: JSONObject) -> IngestionRecord | None:
    """The file's ingestion record while it is in progress."""
    return sandbox.ingestion_records().get(f"{vs_file['vector_store_id']}/{vs_file['id']}")


def due_at(sandbox: Sandbox, vs_file: JSONObject) -> int:
    """The virtual instant from which an ``in_progress`` file is finished (module docstring)."""
    attached = vs_file["created_at"]  # attaching again starts over, with a new created_at
    record = _record(sandbox, vs_file)
    due = attached if record is None else record["ready_at"]
    if sandbox.policy == "manual":
        due = max(due, attached + 1)
    return due


def _in_progress(sandbox: Sandbox, store_ids: list[str]) -> list[JSONObject]:
    """The stores' ``in_progress`` files, taken to be changed (the others are only peeked at,
    so a read of a large store does not make persistence compare all its files)."""
    found = []
    for store_id in store_ids:
        files = sandbox.vector_store_files(store_id)
        found += [files.get(f["id"]) for f in files.peek() if f["status"] == "in_progress"]
    return found


def _done(sandbox: Sandbox, vs_file: JSONObject, now: int, reads: int = 0) -> bool:
    """Whether an ``in_progress`` file is finished by ``now``: due, or out of ``reads`` (once
    ``reads`` more client reads have counted down)."""
    record = _record(sandbox, vs_file) or {}
    return due_at(sandbox, vs_file) <= now or (
        "reads_left" in record and record["reads_left"] - reads < 0
    )


def _counts_reads(sandbox: Sandbox) -> bool:
    """Whether client reads count down the ``reads`` knob (not under ``manual``)."""
    return sandbox.policy != "manual"


def settle(sandbox: Sandbox, store_ids: list[str]) -> None:
    """Finish the files of these stores that are done by now."""
    now = sandbox.now()
    for vs_file in _in_progress(sandbox, store_ids):
        if _done(sandbox, vs_file, now):
            finish(sandbox, vs_file)


def read(sandbox: Sandbox, store_id: str) -> None:
    """A client reads the store, one of its files or one of its batches: the ``reads`` knob
    counts down (not under ``manual``), then the store's due files are finished."""
    if _counts_reads(sandbox):
        for vs_file in _in_progress(sandbox, [store_id]):
            record = _record(sandbox, vs_file)
            if record is not None and "reads_left" in record:
                record["reads_left"] -= 1
    settle(sandbox, [store_id])


def set_file_status(
    sandbox: Sandbox, vs_file: JSONObject, status: str, last_error: JSONObject | None = None
) -> None:
    """Ingestion ends: ``completed`` (the file's bytes count as the store's usage), ``failed``
    (with ``last_error``) or ``cancelled``."""
    FILE_STATUSES.check(vs_file, status)
    forget(sandbox, vs_file["vector_store_id"], vs_file["id"])
    file = sandbox.files().get(vs_file["id"]) if status == "completed" else None
    vs_file.update(
        status=status,
        usage_bytes=file["bytes"] if file is not None else 0,
        last_error=last_error,
    )


def cancel(sandbox: Sandbox, vs_file: JSONObject) -> None:
    """A batch's cancel: the file stops ingesting."""
    set_file_status(sandbox, vs_file, "cancelled")


def finish(sandbox: Sandbox, vs_file: JSONObject) -> None:
    file = sandbox.files().get(vs_file["id"])
    error = _injected_failure(sandbox, vs_file["id"], file["filename"] if file else "")
    if error is None and file is not None:
        try:
            index_of(sandbox, file, vs_file["chunking_strategy"])
        except ExtractionError as exc:
            error = exc.last_error
    elif file is None:
        error = errors.file_deleted_during_ingestion()
    if error is None:
        set_file_status(sandbox, vs_file, "completed")
    else:
        set_file_status(sandbox, vs_file, "failed", last_error=error)


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
    """The file's search index for a chunking strategy (or its :class:`ExtractionError`),
    built from its bytes on first use (and again after a restart: indexes are derived data,
    never persisted), unless :func:`prepare` built it already."""
    blobs = blob_module.of(sandbox)
    key = _index_key(sandbox, file["id"], strategy)
    outcome = blobs.derived.get(key)
    if outcome is None or isinstance(outcome, _Building):
        # (one being built in a worker thread would come out the same: build it here)
        outcome = blobs.derived[key] = _build(_source(sandbox, file, strategy))
    if isinstance(outcome, ExtractionError):
        raise ExtractionError(outcome.last_error)
    return outcome


def _index_key(sandbox: Sandbox, file_id: str, strategy: JSONObject) -> tuple:
    # starts (sandbox key, file id): BlobStore.delete and .forget drop it with the bytes
    static = strategy["static"]
    return (sandbox.key, file_id, static["max_chunk_size_tokens"], static["chunk_overlap_tokens"])


@dataclass(frozen=True)
class _Source:
    """What building an index reads: plain values, so a worker thread can build it."""

    path: Path
    filename: str
    max_tokens: int
    overlap: int


def _source(sandbox: Sandbox, file: JSONObject, strategy: JSONObject) -> _Source:
    static = strategy["static"]
    return _Source(
        blob_module.of(sandbox).path(sandbox.key, file["id"]),
        file["filename"],
        static["max_chunk_size_tokens"],
        static["chunk_overlap_tokens"],
    )


def _build(source: _Source) -> FileIndex | ExtractionError:
    """Extract and index (pure: touches no sandbox, so it may run in a worker thread)."""
    try:
        if source.path.stat().st_size > MAX_INDEXED_BYTES:
            # judged by size, before reading a byte
            raise ExtractionError(errors.file_too_large_to_parse())
        text = extract_text(source.filename, source.path.read_bytes())
    except ExtractionError as exc:
        # kept without its traceback, whose frames hold the file's bytes
        return ExtractionError(exc.last_error)
    return build_index(text, source.max_tokens, source.overlap)


class _Building:
    """An index a worker thread is building for :func:`prepare` (in ``BlobStore.derived``
    under the index's key until it is done; a delete or reset of the file drops it, and then
    the result is dropped too)."""

    def __init__(self) -> None:
        self.done = anyio.Event()


async def prepare(
    sandbox: Sandbox,
    store_ids: list[str] | None = None,
    *,
    reading: bool = False,
    searching: bool = False,
) -> None:
    """Build in worker threads the indexes a look at these stores (every store with files in
    progress, if ``None``) is about to need, so that the event loop answers other requests
    meanwhile: the files this look finishes (due now, or out of ``reads`` once a client
    ``reading`` counts down), and when ``searching`` the completed files too (their indexes
    are rebuilt on first use after a restart). The look itself then runs as before and finds
    them built; what it decides is the same, whoever built the index and when.

    Call it before the look, from a request handler: it awaits, so other requests may run
    (and change the sandbox) before the look does."""
    blobs = blob_module.of(sandbox)
    if store_ids is None:
        store_ids = list(dict.fromkeys(k.split("/")[0] for k in sandbox.ingestion_records()))
    now, reads = sandbox.now(), int(reading and _counts_reads(sandbox))
    wanted: dict[tuple, _Source] = {}
    files = sandbox.files()
    for store_id in store_ids:
        if store_id not in sandbox.vector_stores():
            continue  # the look refuses it
        for vs_file in sandbox.vector_store_files(store_id).peek():
            status = vs_file["status"]
            if not (
                (status == "in_progress" and _done(sandbox, vs_file, now, reads))
                or (status == "completed" and searching)
            ):
                continue
            key = _index_key(sandbox, vs_file["id"], vs_file["chunking_strategy"])
            built = blobs.derived.get(key)
            if vs_file["id"] not in files or not (built is None or isinstance(built, _Building)):
                continue
            file = files.get(vs_file["id"])
            if status == "in_progress" and _injected_failure(sandbox, file["id"], file["filename"]):
                continue  # fails without being read
            wanted[key] = _source(sandbox, file, vs_file["chunking_strategy"])
    async with anyio.create_task_group() as group:
        for key, source in wanted.items():
            group.start_soon(_build_in_thread, blobs, key, source)


async def _build_in_thread(blobs: blob_module.BlobStore, key: tuple, source: _Source) -> None:
    current = blobs.derived.get(key)
    if isinstance(current, _Building):  # another request's thread is at it
        await current.done.wait()
        return
    building = blobs.derived[key] = _Building()
    outcome = None
    try:
        outcome = await anyio.to_thread.run_sync(_build, source)
    except OSError:
        pass  # its bytes went away (deleted): the look sees to it, as it always did
    finally:
        # unless the file was deleted or reset meanwhile, or a look built it on the loop
        if blobs.derived.get(key) is building:
            if outcome is None:
                del blobs.derived[key]
            else:
                blobs.derived[key] = outcome
        building.done.set()


def indexing_files(sandbox: Sandbox, store_ids: list[str]) -> int:
    """How many files of these stores are still indexing now (asking changes nothing)."""
    now = sandbox.now()
    return sum(not _done(sandbox, f, now) for f in _in_progress(sandbox, store_ids))


def finish_indexing(sandbox: Sandbox, store_ids: list[str], max_wait_seconds: int = 60) -> int:
    """What a run does while its thread's store is still indexing (the documented fallback):
    wait on the virtual clock until the files are due, ``max_wait_seconds`` at most, then
    finish those that are; returns the seconds waited (the sandbox clock has moved as much)."""
    now = sandbox.now()
    dues = [due_at(sandbox, f) for f in _in_progress(sandbox, store_ids)]
    waited = max(0, min(max(dues, default=now) - now, max_wait_seconds))
    sandbox.clock.advance(waited)
    settle(sandbox, store_ids)
    return waited
