"""``--data-dir``: every sandbox in one SQLite database, saved before each response starts and
written only where something changed.

Layout::

    DATA_DIR/state.sqlite3 (and -wal)        the sandboxes, in the tables below
    DATA_DIR/files/<sha256(key)[:32]>/<id>   file and upload-part bytes (blobs.py)
    DATA_DIR/incoming/                       uploads being received (emptied at start-up)

    sandboxes(sandbox, state)            id seed and counters, clock, sequence, settings and the
                                         kinds of internal records: small, compared whole
    tables(sandbox, name)                each collection, in creation order (rowid)
    objects(sandbox, tbl, id, seq, body) one row per object; body NULL: a removed object,
                                         whose position cursors still use
    records(sandbox, kind, key, body)    engine bookkeeping (``Sandbox.internal``), in
                                         insertion order (rowid)
    app(name, value)                     app-wide state: the ids of requests refused before a
                                         sandbox is known

Objects are plain dicts changed in place, so the store records what each request may have
changed (the ids a collection handed out, added or removed; the tables set or dropped; the
internal records read or written; see ``store.py``). A save serializes only those, compares
each with a digest of what the database holds and writes the ones that differ, in one
transaction that commits before the response starts. WAL mode with ``synchronous=NORMAL``:
a committed transaction is in the WAL file when the client hears back, so a SIGKILL loses
nothing acknowledged; a power cut may lose the last ones but never corrupts the database.
The database is opened in exclusive locking mode: a second server on the same directory is
refused at start-up instead of silently overwriting the first one's state.

A data directory of the first format (one JSON file per sandbox under ``DATA_DIR/sandboxes``)
is converted once at start-up, then that folder is removed (with any ``.tmp-*.partial`` file a
kill mid-save left in it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .blobs import BlobStore, attach
from .config import MockConfig
from .store import Sandbox, Store
from .tables import Collection, Records, TableKey

DATABASE = "state.sqlite3"
#: the database's ``user_version``; 1 was the JSON files of ``DATA_DIR/sandboxes``
SCHEMA_VERSION = 2
LEGACY_FOLDER = "sandboxes"
LEGACY_FORMAT = 1

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS app (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sandboxes (sandbox TEXT PRIMARY KEY, state TEXT NOT NULL)",
    (
        "CREATE TABLE IF NOT EXISTS tables (sandbox TEXT NOT NULL, name TEXT NOT NULL,"
        " PRIMARY KEY (sandbox, name))"
    ),
    (
        "CREATE TABLE IF NOT EXISTS objects (sandbox TEXT NOT NULL, tbl TEXT NOT NULL,"
        " id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT, PRIMARY KEY (sandbox, tbl, id))"
        " WITHOUT ROWID"
    ),
    (
        "CREATE TABLE IF NOT EXISTS records (sandbox TEXT NOT NULL, kind TEXT NOT NULL,"
        " key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sandbox, kind, key))"
    ),
)
#: the tables that hold a sandbox's rows
_PER_SANDBOX = ("sandboxes", "tables", "objects", "records")


class DataDirError(ValueError):
    """A data directory that cannot be used (the CLI prints this and exits with status 2)."""


def _json(value: Any) -> str:
    # ASCII only: a lone surrogate in a string cannot be encoded to UTF-8 for SQLite
    return json.dumps(value, separators=(",", ":"))


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _table_name(key: TableKey) -> str:
    return f"{key[0]}/{key[1]}"


def _state(sandbox: Sandbox) -> str:
    scalars = sandbox.scalars()
    del scalars["key"]
    return _json({"seed": sandbox.ids.seed, **scalars, "internal": list(sandbox.internal)})


@dataclass
class _Saved:
    """What the database holds for one sandbox object: digests to compare with, not copies."""

    sandbox: Sandbox
    state: str
    #: table name -> object id -> (sequence number, digest of the body; None: removed)
    objects: dict[str, dict[str, tuple[int, bytes | None]]] = field(default_factory=dict)
    #: the internal kinds, in order, and the records object each was saved from
    kinds: list[tuple[str, Any]] = field(default_factory=list)
    #: kind -> record key -> digest
    records: dict[str, dict[str, bytes]] = field(default_factory=dict)


class Persistence:
    """The database of one data directory: sandboxes loaded at start-up, what changed saved
    before each response (``Store.on_change``), resets deleted at once (``Store.on_reset``)."""

    def __init__(self, store: Store, data_dir: Path) -> None:
        self.store = store
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        #: the in-process transport may run the app on several threads
        self._lock = threading.Lock()
        self._saved: dict[str, _Saved] = {}
        self._anonymous = _json({})
        self._db: sqlite3.Connection | None = self._open(self.data_dir / DATABASE)
        self._convert_legacy()

    # -- opening --------------------------------------------------------------------------

    def _open(self, path: Path) -> sqlite3.Connection:
        # the sandboxes' keys are in it: readable by this user only (its WAL inherits the mode)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=0)
        try:
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("BEGIN IMMEDIATE")  # takes the lock, held until the server stops
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise DataDirError(
                    f"{path}: state format {version} is not one this version reads"
                    f" ({SCHEMA_VERSION}); use the assistants-mock version that wrote it"
                )
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            db.close()
            if "locked" in str(exc):
                raise DataDirError(
                    f"{self.data_dir} is in use by another assistants-mock server"
                    " (its database is locked); give each server its own --data-dir"
                ) from None
            raise DataDirError(f"{path}: cannot open the state database: {exc}") from None
        except BaseException:
            db.close()
            raise
        return db

    def _convert_legacy(self) -> None:
        """Read the first format's JSON files once into the database, then remove them."""
        folder = self.data_dir / LEGACY_FOLDER
        if not folder.is_dir():
            return
        sandboxes = []
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise DataDirError(f"{path}: cannot read this saved sandbox: {exc}") from None
            found = data.get("format") if isinstance(data, dict) else None
            if found != LEGACY_FORMAT:
                raise DataDirError(f"{path}: unsupported state format {found!r}")
            sandboxes.append(Sandbox.load(data["sandbox"], self.store.config.seed))
        with self._lock, self._transaction([]):
            assert self._db is not None
            for sandbox in sandboxes:
                query = "SELECT 1 FROM sandboxes WHERE sandbox=?"
                if self._db.execute(query, (sandbox.key,)).fetchone() is None:
                    self._write_whole(sandbox)  # (else converted before a kill stopped us)
        self._saved.clear()  # load() reads them back
        shutil.rmtree(folder)

    def load(self) -> list[Sandbox]:
        """Every saved sandbox, put back into the store (creation hooks not re-run)."""
        anonymous, loaded = self._read()
        self.store.anonymous_ids.restore(anonymous)
        self._anonymous = _json(anonymous)
        for sandbox, saved in loaded:
            self._saved[sandbox.key] = saved
            self.store.sandboxes[sandbox.key] = sandbox
        return [sandbox for sandbox, _ in loaded]

    def read(self) -> tuple[dict[str, int], dict[str, Sandbox]]:
        """What a restart would load, the store untouched: the anonymous request id counters
        and every sandbox (a check that nothing is left unsaved)."""
        with self._lock:
            anonymous, loaded = self._read()
        return anonymous, {sandbox.key: sandbox for sandbox, _ in loaded}

    def _read(self) -> tuple[dict[str, int], list[tuple[Sandbox, _Saved]]]:
        db = self._db
        assert db is not None
        row = db.execute("SELECT value FROM app WHERE name='anonymous_ids'").fetchone()
        anonymous = {} if row is None else json.loads(row[0])
        states = {
            key: (text, json.loads(text))
            for key, text in db.execute("SELECT sandbox, state FROM sandboxes ORDER BY rowid")
        }
        tables: dict[str, dict[str, list[dict[str, Any]]]] = {key: {} for key in states}
        objects: dict[str, dict[str, dict[str, tuple[int, bytes | None]]]] = {k: {} for k in states}
        for key, name in db.execute("SELECT sandbox, name FROM tables ORDER BY rowid"):
            tables[key][name] = []
        query = "SELECT sandbox, tbl, id, seq, body FROM objects ORDER BY sandbox, tbl, seq"
        for key, name, object_id, seq, body in db.execute(query):
            obj = None if body is None else json.loads(body)
            tables[key].setdefault(name, []).append({"id": object_id, "seq": seq, "object": obj})
            digest = None if body is None else _digest(body)
            objects[key].setdefault(name, {})[object_id] = (seq, digest)
        internal = {
            key: {kind: {} for kind in state["internal"]} for key, (_, state) in states.items()
        }
        records: dict[str, dict[str, dict[str, bytes]]] = {key: {} for key in states}
        query = "SELECT sandbox, kind, key, body FROM records ORDER BY rowid"
        for key, kind, record_key, body in db.execute(query):
            internal[key].setdefault(kind, {})[record_key] = json.loads(body)
            records[key].setdefault(kind, {})[record_key] = _digest(body)
        loaded = []
        for key, (text, state) in states.items():
            data = {**state, "key": key, "tables": tables[key], "internal": internal[key]}
            sandbox = Sandbox.load(data, state["seed"])
            _forget_changes(sandbox)
            saved = _Saved(
                sandbox, text, objects[key], list(sandbox.internal.items()), records[key]
            )
            loaded.append((sandbox, saved))
        return anonymous, loaded

    # -- saving ---------------------------------------------------------------------------

    def save(self, sandboxes: list[Sandbox]) -> None:
        """Write what changed in these sandboxes (and the app's anonymous request ids)."""
        with self._lock:
            if self._db is None:
                return
            anonymous = _json(self.store.anonymous_ids.counters())
            if not sandboxes and anonymous == self._anonymous:
                return
            with self._transaction([s.key for s in sandboxes]):
                for sandbox in sandboxes:
                    self._save(sandbox)
                if anonymous != self._anonymous:
                    self._db.execute(
                        "INSERT OR REPLACE INTO app VALUES ('anonymous_ids', ?)", (anonymous,)
                    )
            self._anonymous = anonymous

    def forget(self, keys: list[str]) -> None:
        """Delete reset sandboxes at once, so that they do not come back after a kill."""
        with self._lock:
            if self._db is None:
                return
            with self._transaction(keys):
                for table in _PER_SANDBOX:
                    self._db.executemany(
                        f"DELETE FROM {table} WHERE sandbox=?", [(k,) for k in keys]
                    )
            for key in keys:
                self._saved.pop(key, None)

    def close(self, save: bool = True) -> None:
        """Save what is left (``save=False``: leave the database as a kill would) and close."""
        if save:
            self.save(list(self.store.sandboxes.values()))
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @contextmanager
    def _transaction(self, keys: list[str]) -> Iterator[None]:
        assert self._db is not None
        self._db.execute("BEGIN")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            # what the database holds is no longer known: these are written whole next time
            for key in keys:
                self._saved.pop(key, None)
            raise

    def _save(self, sandbox: Sandbox) -> None:
        saved = self._saved.get(sandbox.key)
        if saved is None or saved.sandbox is not sandbox:  # new, or reset and made again
            self._write_whole(sandbox)
            return
        db = self._db
        assert db is not None
        state = _state(sandbox)
        if state != saved.state:
            db.execute("UPDATE sandboxes SET state=? WHERE sandbox=?", (state, sandbox.key))
            saved.state = state
        tables, touched = sandbox.tables.take_changes()
        for key, moved in tables.items():
            self._save_table(saved, key, moved)
        for collection, ids in touched:
            key = collection.key
            if key is not None and key not in tables and sandbox.tables.get(key) is collection:
                self._sync_objects(saved, collection, ids)
        self._save_internal(saved)

    def _write_whole(self, sandbox: Sandbox) -> None:
        db = self._db
        assert db is not None
        for table in _PER_SANDBOX:
            db.execute(f"DELETE FROM {table} WHERE sandbox=?", (sandbox.key,))
        _forget_changes(sandbox)
        saved = _Saved(sandbox, _state(sandbox))
        db.execute("INSERT INTO sandboxes VALUES (?, ?)", (sandbox.key, saved.state))
        for key, collection in sandbox.tables.items():
            db.execute("INSERT INTO tables VALUES (?, ?)", (sandbox.key, _table_name(key)))
            self._sync_objects(saved, collection, collection.ids())
        for kind, records in sandbox.internal.items():
            self._write_kind(saved, kind, records)
        saved.kinds = list(sandbox.internal.items())
        self._saved[sandbox.key] = saved

    def _save_table(self, saved: _Saved, key: TableKey, moved: bool) -> None:
        """A table set or removed: its row, and its objects compared whole."""
        db = self._db
        assert db is not None
        sandbox_key, name = saved.sandbox.key, _table_name(key)
        collection = saved.sandbox.tables.get(key)
        if collection is None or moved:
            db.execute("DELETE FROM tables WHERE sandbox=? AND name=?", (sandbox_key, name))
        if collection is None:
            db.execute("DELETE FROM objects WHERE sandbox=? AND tbl=?", (sandbox_key, name))
            saved.objects.pop(name, None)
            return
        if moved:  # a new row goes last, as the key did in the dict
            db.execute("INSERT INTO tables VALUES (?, ?)", (sandbox_key, name))
        ids = dict.fromkeys([*collection.ids(), *saved.objects.get(name, {})])
        self._sync_objects(saved, collection, ids)

    def _sync_objects(self, saved: _Saved, collection: Collection, ids: Iterable[str]) -> None:
        """Write the objects among ``ids`` that differ from their rows; delete rows of ids the
        collection no longer has."""
        db = self._db
        assert db is not None and collection.key is not None
        sandbox_key, name = saved.sandbox.key, _table_name(collection.key)
        rows = saved.objects.setdefault(name, {})
        writes, deletes = [], []
        for object_id in ids:
            entry = collection.entry(object_id)
            if entry is None:
                if rows.pop(object_id, None) is not None:
                    deletes.append((sandbox_key, name, object_id))
                continue
            seq, obj = entry
            body = None if obj is None else _json(obj)
            row = (seq, None if body is None else _digest(body))
            if rows.get(object_id) != row:
                rows[object_id] = row
                writes.append((sandbox_key, name, object_id, seq, body))
        if writes:
            db.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?)", writes)
        if deletes:
            db.executemany("DELETE FROM objects WHERE sandbox=? AND tbl=? AND id=?", deletes)

    def _save_internal(self, saved: _Saved) -> None:
        db = self._db
        assert db is not None
        internal = saved.sandbox.internal
        previous = dict(saved.kinds)
        for kind, records in previous.items():
            if internal.get(kind) is not records:  # dropped or replaced
                db.execute(
                    "DELETE FROM records WHERE sandbox=? AND kind=?", (saved.sandbox.key, kind)
                )
                saved.records.pop(kind, None)
        for kind, records in internal.items():
            if previous.get(kind) is records and isinstance(records, Records):
                self._sync_records(saved, kind, records, records.take_changes())
            else:  # new, replaced, or a plain dict that records nothing: written whole
                self._write_kind(saved, kind, records)
        saved.kinds = list(internal.items())

    def _write_kind(self, saved: _Saved, kind: str, records: dict[str, Any]) -> None:
        db = self._db
        assert db is not None
        if isinstance(records, Records):
            records.take_changes()
        db.execute("DELETE FROM records WHERE sandbox=? AND kind=?", (saved.sandbox.key, kind))
        rows = saved.records[kind] = {}
        writes = []
        for key, value in dict.items(records):
            body = _json(value)
            rows[key] = _digest(body)
            writes.append((saved.sandbox.key, kind, key, body))
        db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", writes)

    def _sync_records(
        self, saved: _Saved, kind: str, records: Records, changed: dict[str, bool]
    ) -> None:
        db = self._db
        assert db is not None
        sandbox_key = saved.sandbox.key
        rows = saved.records.setdefault(kind, {})
        where = "WHERE sandbox=? AND kind=? AND key=?"
        for key, moved in changed.items():  # in order: moved keys are inserted as they moved
            if key not in records:
                if rows.pop(key, None) is not None:
                    db.execute(f"DELETE FROM records {where}", (sandbox_key, kind, key))
                continue
            body = _json(dict.__getitem__(records, key))
            digest = _digest(body)
            if moved or key not in rows:  # a new row goes last, as the key did in the dict
                if key in rows:
                    db.execute(f"DELETE FROM records {where}", (sandbox_key, kind, key))
                db.execute(
                    "INSERT INTO records VALUES (?, ?, ?, ?)", (sandbox_key, kind, key, body)
                )
            elif rows[key] != digest:
                db.execute(f"UPDATE records SET body=? {where}", (body, sandbox_key, kind, key))
            rows[key] = digest


def _forget_changes(sandbox: Sandbox) -> None:
    """Drop what the sandbox recorded so far: it is about to be written (or was read) whole."""
    sandbox.tables.take_changes()
    for records in sandbox.internal.values():
        if isinstance(records, Records):
            records.take_changes()


def wire_storage(store: Store, config: MockConfig) -> tuple[BlobStore, Persistence | None]:
    """Give an app its blob store (temporary, or under ``config.data_dir``) and, with a data
    directory, its persistence: saved sandboxes loaded, changes saved before each response,
    resets deleted at once."""
    blobs = BlobStore(config.data_dir)
    # first, so that later creation hooks (scenarios) can already store files
    store.on_new_sandbox.insert(0, lambda sandbox: attach(sandbox, blobs))
    persistence = None
    if config.data_dir is not None:
        persistence = Persistence(store, config.data_dir)
        for sandbox in persistence.load():
            attach(sandbox, blobs)
        blobs.keep_only(list(store.sandboxes))  # bytes of sandboxes reset before a kill
        store.on_change.append(persistence.save)
        store.on_reset.append(persistence.forget)  # the state first, then the bytes
        store.on_close.append(persistence.close)
    store.on_reset.append(blobs.forget)
    store.on_close.append(blobs.close)
    return blobs, persistence
