"""Sandboxes and the request journal: the state behind every route.

State is partitioned by API key: each key is a :class:`Sandbox` with its own clock, id
factory and collections (``tables.py``), so parallel tests sharing one server never see each
other's objects. Objects are kept as the plain JSON dicts the API returns; whatever the engine
needs beside them lives in :attr:`Sandbox.internal`, also plain JSON, so a sandbox can be
dumped and restored whole. The containers record where a request may have changed state, so
that ``--data-dir`` saves only that (see ``tables.py``). The rules reach a sandbox's collections
and records by name (:class:`~mockserver.backend.Backend`).
"""

from __future__ import annotations

import operator
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from . import backend
from .backend import Backend
from .clock import VirtualClock
from .config import MockConfig
from .credentials import mask_key
from .ids import IdFactory
from .inspect.naming import SandboxNames
from .inspect.notifier import Notifier
from .tables import Collection, Records, Tables
from .types import JSONObject


@dataclass
class Sandbox(Backend):
    """Everything one API key can see."""

    key: str
    clock: VirtualClock
    ids: IdFactory
    #: named collections; the key is (kind, scope), e.g. ("messages", "thread_abc")
    tables: Tables = field(default_factory=Tables)
    #: engine bookkeeping beside the wire objects (plain JSON), keyed by kind then id
    internal: dict[str, Records] = field(default_factory=dict)
    #: per-sandbox overrides of app settings (e.g. progression)
    settings: dict[str, Any] = field(default_factory=dict)
    _seq: int = 0
    #: who hears of changes (the inspector's notifier, while someone listens; else None)
    listener: Callable[[str | None, dict[str, Any]], None] | None = field(
        default=None, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # whatever was given, collections and records are the recording kinds
        if not isinstance(self.tables, Tables):
            self.tables = Tables(self.tables)
        for kind, records in self.internal.items():
            if not isinstance(records, Records):
                self.internal[kind] = Records(records)

    def table(self, kind: str, scope: str = "") -> Collection:
        key = (kind, scope)
        collection = self.tables.get(key)
        if collection is None:
            collection = self.tables[key] = Collection()
        return collection

    def drop_table(self, kind: str, scope: str = "") -> None:
        self.tables.pop((kind, scope), None)

    def add(self, kind: str, obj: JSONObject, scope: str = "") -> JSONObject:
        self._seq += 1
        added = self.table(kind, scope).add(obj, self._seq)
        if self.listener is not None:
            notice = _ADDED.get(kind)
            if notice is not None:
                shown_kind, by_scope = notice
                if by_scope:
                    self._notify(shown_kind, scope, obj.get("thread_id"))
                else:
                    self._notify(shown_kind, obj["id"], obj.get("thread_id"), obj.get("status"))
        return added

    def changed(self, kind: str, obj: JSONObject, status: str | None = None) -> None:
        """Tell the listener (if any) that ``obj``, of notice kind ``kind``, changed."""
        if self.listener is not None:
            self._notify(kind, obj["id"], obj.get("thread_id"), status)

    def _notify(
        self, kind: str, object_id: str, thread_id: str | None, status: str | None = None
    ) -> None:
        assert self.listener is not None
        notice = {"kind": kind, "id": object_id, "thread_id": thread_id, "status": status}
        self.listener(self.key, notice)

    def aux(self, kind: str) -> Records:
        """Internal records of one kind (e.g. the plan of each run), keyed by object id."""
        records = self.internal.get(kind)
        if records is None:
            records = self.internal[kind] = Records()
        return records

    def now(self) -> int:
        return self.clock.now

    def scalars(self) -> dict[str, Any]:
        """The small part of the state: key, clock, id counters, sequence, settings."""
        return {
            "key": self.key,
            "clock": self.clock.now,
            "ids": self.ids.counters(),
            "seq": self._seq,
            "settings": self.settings,
        }

    def dump(self) -> dict[str, Any]:
        """The whole state as plain JSON (objects are the live ones: read, do not change)."""
        return {
            **self.scalars(),
            "tables": {
                f"{kind}/{scope}": table.dump() for (kind, scope), table in self.tables.items()
            },
            "internal": {
                kind: records.snapshot() if isinstance(records, Records) else records
                for kind, records in self.internal.items()
            },
        }

    def public_dump(self) -> dict[str, Any]:
        """The dump as it is shown (control API, the plugin's handle): the key masked."""
        return {**self.dump(), "key": mask_key(self.key)}

    @classmethod
    def load(cls, data: dict[str, Any], seed: int) -> Sandbox:
        """From a :meth:`dump` (table rows may include removed objects' positions, see
        :meth:`Collection.load`); ``seed`` seeds its ids."""
        ids = IdFactory(seed, data["key"])
        ids.restore(data["ids"])
        sandbox = cls(key=data["key"], clock=VirtualClock(data["clock"]), ids=ids)
        sandbox._seq = data["seq"]
        sandbox.settings = data.get("settings", {})
        for kind, records in data.get("internal", {}).items():
            sandbox.internal[kind] = Records(records)
        for name, rows in data["tables"].items():
            kind, _, scope = name.partition("/")
            sandbox.tables[(kind, scope)] = Collection.load(rows)
        return sandbox


#: the change notice of an object added to a table: (notice kind, whether it names the object's
#: scope rather than the object: a run's new step is news of the run, a store's file of the store)
_ADDED: dict[str, tuple[str, bool]] = {
    backend.ASSISTANTS: ("assistant", False),
    backend.THREADS: ("thread", False),
    backend.MESSAGES: ("message", False),
    backend.RUNS: ("run", False),
    backend.STEPS: ("run", True),
    backend.FILES: ("file", False),
    backend.VECTOR_STORES: ("vector_store", False),
    backend.VECTOR_STORE_FILES: ("vector_store", True),
    backend.FILE_BATCHES: ("vector_store", True),
}


@dataclass(slots=True)
class JournalEntry:
    """One API request. ``sandbox`` is the key itself (for filtering and resets); it is shown
    masked."""

    method: str
    path: str
    query: str
    status: int
    sandbox: str | None
    request_id: str | None
    #: real time the request took, in milliseconds (the one wall-clock figure the mock keeps)
    duration_ms: float = 0.0
    #: the sandbox's virtual clock when the request arrived, and how far the request moved it
    virtual_at: int | None = None
    virtual_seconds: int = 0
    #: the message of a refused request (status 400 and over), as its body gave it
    error: str | None = None

    def as_dict(self, masked: str | None = None) -> dict[str, Any]:
        """The entry as the journal shows it, the key masked. ``masked``: the key as shown, if
        the caller has it (a view of thousands of entries masks each sandbox's key once)."""
        shown = dict(zip(_ENTRY_FIELDS, _entry_values(self)))
        if self.sandbox is not None:
            shown["sandbox"] = mask_key(self.sandbox) if masked is None else masked
        return shown


#: the entry's fields in order, and a getter of their values: named once, not per entry (the
#: journal views show thousands; ``dataclasses.fields`` each time was most of their cost)
_ENTRY_FIELDS = tuple(f.name for f in fields(JournalEntry))
_entry_values = operator.attrgetter(*_ENTRY_FIELDS)


class Store:
    """All sandboxes of one app, created on first use, and the request journal."""

    def __init__(self, config: MockConfig) -> None:
        self.config = config
        self.sandboxes: dict[str, Sandbox] = {}
        self.journal: deque[JournalEntry] = deque(maxlen=config.journal_size)
        #: request ids of requests refused before they reach a sandbox (401s); no sandbox key
        #: is ever empty, so these never repeat a sandbox's ids
        self.anonymous_ids = IdFactory(config.seed, "")
        #: hooks run on every new sandbox (scenarios loaded at start-up, for instance)
        self.on_new_sandbox: list[Callable[[Sandbox], None]] = []
        #: hooks run by :meth:`commit` with the sandboxes handed out since the last commit
        #: (persistence saves what changed in them)
        self.on_change: list[Callable[[list[Sandbox]], None]] = []
        #: hooks run by :meth:`reset` with the keys of the sandboxes it forgot (persistence,
        #: file bytes)
        self.on_reset: list[Callable[[list[str]], None]] = []
        #: hooks run when the app shuts down (temporary files, for instance)
        self.on_close: list[Callable[[], None]] = []
        #: keys of the sandboxes handed out since the last commit, in order; the in-process
        #: transport runs the app on the callers' threads, so a hand-out may race a commit
        self._handed_out: dict[str, None] = {}
        #: guards ``_handed_out`` and the creation of a sandbox
        self._lock = threading.Lock()
        #: the inspector's handles of sandboxes, and its live change notices
        self.names = SandboxNames()
        self.notifier = Notifier(self.names)

    def sandbox(self, key: str, seed: int | None = None) -> Sandbox:
        """The sandbox of ``key``, created on first use. ``seed`` (used only when the sandbox is
        created) seeds its ids instead of the app's seed, e.g. for the pytest marker's ``seed=``.
        Whoever asks may change it: the next :meth:`commit` looks at it."""
        sandbox = self.sandboxes.get(key)
        if sandbox is None:
            # the fixture's in-process clients run the app on threads of their own: two first
            # requests of one key at once must not make two sandboxes
            with self._lock:
                sandbox = self.sandboxes.get(key)
                if sandbox is None:
                    sandbox = Sandbox(
                        key=key,
                        clock=VirtualClock(self.config.clock_start),
                        ids=IdFactory(self.config.seed if seed is None else seed, key),
                    )
                    for hook in self.on_new_sandbox:
                        hook(sandbox)
                    self.sandboxes[key] = sandbox  # seen by others only once set up
        # every sandbox handed out follows the app's policy, those that persistence restored
        # (and put in ``sandboxes`` itself) included
        sandbox.default_progression = self.config.progression
        # change notices only while someone listens: otherwise nothing is built
        sandbox.listener = self.notifier.publish if self.notifier.listening else None
        if self.on_change:  # the marks are for whoever saves (wired before any request)
            with self._lock:
                self._handed_out[key] = None
        return sandbox

    def commit(self, also: str | None = None) -> None:
        """Let the on_change hooks save what changed: called before every response starts
        (API and control requests alike), so that nothing acknowledged is lost.

        ``also``: the key of the sandbox the responding request acts on, saved whether or not
        it is still marked. A request that awaits after its sandbox was handed out (a body
        read in pieces, an upload, a worker thread) may see another response's commit clear
        the mark before it changes anything; its own commit must save it all the same."""
        if not self.on_change:  # nothing saves (no --data-dir): nothing was marked
            return
        with self._lock:
            if also is not None:
                self._handed_out[also] = None
            keys = list(self._handed_out)
            self._handed_out.clear()
        sandboxes = [self.sandboxes[k] for k in keys if k in self.sandboxes]
        for hook in self.on_change:
            hook(sandboxes)

    def close(self) -> None:
        for hook in self.on_close:
            hook()

    def reset(self, key: str | None = None) -> list[str]:
        """Forget one sandbox (or all); returns the keys that were reset. The on_reset hooks
        run before this returns (a reset is saved at once)."""
        keys = list(self.sandboxes) if key is None else [key]
        for k in keys:
            self.sandboxes.pop(k, None)
            with self._lock:
                self._handed_out.pop(k, None)
        if key is None:
            self.journal.clear()
            self.anonymous_ids = IdFactory(self.config.seed, "")
        else:
            kept = [e for e in self.journal if e.sandbox != key]
            self.journal.clear()
            self.journal.extend(kept)
        for hook in self.on_reset:
            hook(keys)
        return keys

    def requests(self, key: str | None = None) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.journal if key is None or e.sandbox == key]
