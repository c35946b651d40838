"""File bytes: one directory per app, one sub-directory per sandbox, one file per blob.

Bytes never live whole in memory: uploads are written to ``incoming/`` as they arrive and
renamed into place (``os.replace``, atomic on one filesystem) once complete; reads stream in
chunks. Without a data directory the root is a temporary directory, removed when the app's
store closes (or, failing that, when the interpreter exits). With one, whatever a killed
server left in ``incoming/`` is removed at start-up, and a reset sandbox's bytes at once.

Resources reach the app's blob store from a sandbox: :func:`attach` pins it on each sandbox
when the sandbox is created or loaded (see ``app.py``), :func:`of` returns it. Nothing is
module-level, so two apps in one process never share bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .store import Sandbox

CHUNK = 1 << 16
_ATTRIBUTE = "_blob_store"


class BlobWriter:
    """A blob being written: a named file in ``incoming/`` until :meth:`BlobStore.commit`."""

    def __init__(self, directory: Path) -> None:
        fd, name = tempfile.mkstemp(dir=directory, prefix="part-")
        self.path = Path(name)
        self.file: BinaryIO = os.fdopen(fd, "wb")
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.size += len(data)

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


class BlobStore:
    def __init__(self, root: Path | None = None) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if root is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="assistants-mock-")
            root = Path(self._tmp.name)
        self.root = Path(root)
        self.incoming = self.root / "incoming"
        self.files = self.root / "files"
        # nothing is being received yet: anything here is what a killed server left
        shutil.rmtree(self.incoming, ignore_errors=True)
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.files.mkdir(parents=True, exist_ok=True)
        #: data derived from bytes (search indexes), rebuilt on demand, never persisted
        self.derived: dict[Any, Any] = {}

    # -- paths ----------------------------------------------------------------------------

    def directory(self, sandbox_key: str) -> Path:
        # hashed: API keys are not path-safe and should not appear on disk
        return self.files / hashlib.sha256(sandbox_key.encode()).hexdigest()[:32]

    def path(self, sandbox_key: str, blob_id: str) -> Path:
        return self.directory(sandbox_key) / blob_id

    # -- writing --------------------------------------------------------------------------

    def writer(self) -> BlobWriter:
        return BlobWriter(self.incoming)

    def commit(self, writer: BlobWriter, sandbox_key: str, blob_id: str) -> int:
        """Move a finished upload into place (a rename, never a copy); returns its size."""
        if not writer.file.closed:
            writer.file.flush()
            if self._tmp is None:  # persistent: the bytes must be on disk before the rename
                os.fsync(writer.file.fileno())
            writer.close()
        target = self.path(sandbox_key, blob_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(writer.path, target)
        return writer.size

    def write_bytes(self, sandbox_key: str, blob_id: str, data: bytes) -> int:
        writer = self.writer()
        writer.write(data)
        return self.commit(writer, sandbox_key, blob_id)

    def concatenate(self, sandbox_key: str, sources: list[str], blob_id: str) -> int:
        """A new blob made of existing ones, in order, copied in chunks."""
        writer = self.writer()
        try:
            for source in sources:
                with open(self.path(sandbox_key, source), "rb") as f:
                    shutil.copyfileobj(f, writer.file, CHUNK)
                    writer.size = writer.file.tell()
        except BaseException:
            writer.discard()
            raise
        return self.commit(writer, sandbox_key, blob_id)

    # -- reading --------------------------------------------------------------------------

    def exists(self, sandbox_key: str, blob_id: str) -> bool:
        return self.path(sandbox_key, blob_id).is_file()

    def size(self, sandbox_key: str, blob_id: str) -> int:
        return self.path(sandbox_key, blob_id).stat().st_size

    def read(self, sandbox_key: str, blob_id: str, limit: int = -1) -> bytes:
        with open(self.path(sandbox_key, blob_id), "rb") as f:
            return f.read(limit)

    def iter_bytes(self, sandbox_key: str, blob_id: str) -> Iterator[bytes]:
        with open(self.path(sandbox_key, blob_id), "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    # -- removal --------------------------------------------------------------------------

    def delete(self, sandbox_key: str, blob_id: str) -> None:
        self.path(sandbox_key, blob_id).unlink(missing_ok=True)
        for key in [k for k in self.derived if k[:2] == (sandbox_key, blob_id)]:
            del self.derived[key]

    def forget(self, sandbox_keys: list[str]) -> None:
        """Remove the bytes and derived data of sandboxes that were reset."""
        keys = set(sandbox_keys)
        for key in keys:
            shutil.rmtree(self.directory(key), ignore_errors=True)
        for derived in [k for k in self.derived if k[0] in keys]:
            del self.derived[derived]

    def keep_only(self, sandbox_keys: list[str]) -> None:
        """Remove the bytes of every sandbox but these (those reset before a kill)."""
        kept = {self.directory(key) for key in sandbox_keys}
        for directory in self.files.iterdir():
            if directory not in kept:
                shutil.rmtree(directory, ignore_errors=True)

    def close(self) -> None:
        """Remove temporary bytes: the whole root if it was temporary, else ``incoming/``."""
        self.derived.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
        else:
            shutil.rmtree(self.incoming, ignore_errors=True)


def attach(sandbox: Sandbox, blobs: BlobStore) -> None:
    setattr(sandbox, _ATTRIBUTE, blobs)


def of(sandbox: Sandbox) -> BlobStore:
    """The blob store of the app that owns ``sandbox``."""
    blobs = getattr(sandbox, _ATTRIBUTE, None)
    if blobs is None:
        raise RuntimeError(
            "this sandbox has no blob store; it must come from an app made by create_app()"
        )
    return blobs
