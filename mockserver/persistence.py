"""``--data-dir``: every sandbox as one JSON file, rewritten atomically after each change.

Layout::

    DATA_DIR/sandboxes/<sha256(key)[:32]>.json   Sandbox.dump() (written to a temp file, then
                                                 renamed over the old one)
    DATA_DIR/files/<sha256(key)[:32]>/<id>       file and upload-part bytes (blobs.py)

A restart loads every sandbox back, so objects and bytes survive; derived data (search
indexes) is rebuilt from the bytes on first use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from .blobs import BlobStore, attach
from .config import MockConfig
from .store import Sandbox, Store

FORMAT = 1


class Persistence:
    def __init__(self, store: Store, data_dir: Path, blobs: BlobStore | None = None) -> None:
        self.store = store
        self.blobs = blobs
        self.directory = Path(data_dir) / "sandboxes"
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def load(self) -> list[Sandbox]:
        """Every saved sandbox, put back into the store (creation hooks not re-run)."""
        loaded = []
        for path in sorted(self.directory.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"{path}: unsupported state format {data.get('format')!r}")
            sandbox = Sandbox.load(data["sandbox"], self.store.config.seed)
            self.store.sandboxes[sandbox.key] = sandbox
            loaded.append(sandbox)
        return loaded

    def save(self, sandbox: Sandbox) -> None:
        data = json.dumps({"format": FORMAT, "sandbox": sandbox.dump()}, separators=(",", ":"))
        target = self.path(sandbox.key)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".partial")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def save_all(self) -> None:
        """Save every live sandbox; forget the state and bytes of sandboxes that were reset."""
        live = set()
        for sandbox in list(self.store.sandboxes.values()):
            self.save(sandbox)
            live.add(self.path(sandbox.key))
        for path in self.directory.glob("*.json"):
            if path not in live:
                path.unlink(missing_ok=True)
        if self.blobs is not None:
            kept = {self.blobs.directory(key) for key in self.store.sandboxes}
            for directory in self.blobs.files.iterdir():
                if directory not in kept:
                    shutil.rmtree(directory, ignore_errors=True)


def wire_storage(store: Store, config: MockConfig) -> BlobStore:
    """Give an app its blob store (temporary, or under ``config.data_dir``) and, with a data
    directory, load the saved sandboxes and save each one after every change."""
    blobs = BlobStore(config.data_dir)
    # first, so that later creation hooks (scenarios) can already store files
    store.on_new_sandbox.insert(0, lambda sandbox: attach(sandbox, blobs))
    if config.data_dir is not None:
        persistence = Persistence(store, config.data_dir, blobs)
        for sandbox in persistence.load():
            attach(sandbox, blobs)
        store.on_change.append(persistence.save)
        store.on_close.append(persistence.save_all)
    store.on_close.append(blobs.close)
    return blobs
