"""Sandboxes, collections and cursor pagination: the state behind every route.

State is partitioned by API key: each key is a :class:`Sandbox` with its own clock, id
factory and collections, so parallel tests sharing one server never see each other's
objects. Objects are kept as the plain JSON dicts the API returns; whatever the engine needs
beside them lives in :attr:`Sandbox.internal`, also plain JSON, so a sandbox can be dumped and
restored whole. The rules reach them by name (:class:`~mockserver.backend.Backend`).
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import errors
from .backend import Backend
from .clock import VirtualClock
from .config import MockConfig
from .ids import IdFactory
from .types import JSONObject


class Collection:
    """Objects of one kind in one scope (e.g. the messages of one thread), oldest first.

    Every object gets a sandbox-wide sequence number when it is added; lists sort by it,
    which is the creation order and breaks ties inside one second. Positions of deleted
    objects are remembered so a cursor that points at a deleted object still pages on.
    """

    def __init__(self) -> None:
        self._items: dict[str, JSONObject] = {}
        self._seq: dict[str, int] = {}
        #: ids (live and removed) by ascending sequence number, and those numbers, for bisect
        self._order: list[str] = []
        self._seqs: list[int] = []

    def add(self, obj: JSONObject, seq: int) -> JSONObject:
        object_id = obj["id"]
        if object_id in self._seq:  # added again (after a removal): it moves to its new place
            index = self._order.index(object_id)
            del self._order[index], self._seqs[index]
        self._items[object_id] = obj
        self._seq[object_id] = seq
        index = len(self._seqs)
        if self._seqs and seq < self._seqs[-1]:
            index = bisect.bisect_left(self._seqs, seq)
        self._order.insert(index, object_id)
        self._seqs.insert(index, seq)
        return obj

    def get(self, object_id: str) -> JSONObject | None:
        return self._items.get(object_id)

    def remove(self, object_id: str) -> JSONObject | None:
        return self._items.pop(object_id, None)

    def __contains__(self, object_id: object) -> bool:
        return object_id in self._items

    def __iter__(self) -> Iterator[JSONObject]:
        """Live objects, oldest first."""
        return (self._items[i] for i in self._order if i in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def page(
        self,
        *,
        limit: int = 20,
        order: str = "desc",
        after: str | None = None,
        before: str | None = None,
        where: Callable[[JSONObject], bool] | None = None,
    ) -> tuple[list[JSONObject], bool]:
        """One page in the requested order and whether more lie beyond it."""
        lo, hi = -1, float("inf")  # open interval of sequence numbers
        for name, cursor in (("after", after), ("before", before)):
            if cursor is None:
                continue
            if cursor not in self._seq:
                raise errors.invalid_cursor(name, cursor)
            seq = self._seq[cursor]
            # "after" means later in the requested order: greater seq ascending, smaller descending
            if (name == "after") == (order == "asc"):
                lo = max(lo, seq)
            else:
                hi = min(hi, seq)
        # walk only as far as the page needs (limit + 1 matches), not the whole collection
        start = bisect.bisect_right(self._seqs, lo)
        stop = bisect.bisect_left(self._seqs, hi)
        # a "before" page is the stretch just before the cursor: walk outwards from the cursor
        from_cursor = before is not None and after is None
        forward = (order == "asc") != from_cursor
        indices = range(start, stop) if forward else range(stop - 1, start - 1, -1)
        found: list[JSONObject] = []
        for index in indices:
            obj = self._items.get(self._order[index])
            if obj is None or (where is not None and not where(obj)):
                continue
            found.append(obj)
            if len(found) > limit:
                break
        has_more = len(found) > limit
        del found[limit:]
        if from_cursor:
            found.reverse()  # back into the requested order
        return found, has_more

    def dump(self) -> list[dict[str, Any]]:
        return [{"seq": self._seq[i], "object": self._items[i]} for i in self._order if i in self._items]

    @classmethod
    def load(cls, rows: list[dict[str, Any]]) -> Collection:
        collection = cls()
        for row in rows:
            collection.add(row["object"], row["seq"])
        return collection


@dataclass
class Sandbox(Backend):
    """Everything one API key can see."""

    key: str
    clock: VirtualClock
    ids: IdFactory
    #: named collections; the key is (kind, scope), e.g. ("messages", "thread_abc")
    tables: dict[tuple[str, str], Collection] = field(default_factory=dict)
    #: engine bookkeeping beside the wire objects (plain JSON), keyed by kind then id
    internal: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: per-sandbox overrides of app settings (e.g. progression)
    settings: dict[str, Any] = field(default_factory=dict)
    _seq: int = 0

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
        return self.table(kind, scope).add(obj, self._seq)

    def aux(self, kind: str) -> dict[str, Any]:
        """Internal records of one kind (e.g. the plan of each run), keyed by object id."""
        return self.internal.setdefault(kind, {})

    def now(self) -> int:
        return self.clock.now

    def dump(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "clock": self.clock.now,
            "ids": self.ids.counters(),
            "seq": self._seq,
            "settings": self.settings,
            "tables": {
                f"{kind}/{scope}": table.dump() for (kind, scope), table in self.tables.items()
            },
            "internal": self.internal,
        }

    @classmethod
    def load(cls, data: dict[str, Any], seed: int) -> Sandbox:
        ids = IdFactory(seed, data["key"])
        ids.restore(data["ids"])
        sandbox = cls(key=data["key"], clock=VirtualClock(data["clock"]), ids=ids)
        sandbox._seq = data["seq"]
        sandbox.settings = data.get("settings", {})
        sandbox.internal = data.get("internal", {})
        for name, rows in data["tables"].items():
            kind, _, scope = name.partition("/")
            sandbox.tables[(kind, scope)] = Collection.load(rows)
        return sandbox


@dataclass
class JournalEntry:
    method: str
    path: str
    query: str
    status: int
    sandbox: str | None
    request_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


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
        #: hooks run after every API request of a sandbox, reads included (persistence)
        self.on_change: list[Callable[[Sandbox], None]] = []
        #: hooks run when the app shuts down (temporary files, for instance)
        self.on_close: list[Callable[[], None]] = []

    def sandbox(self, key: str, seed: int | None = None) -> Sandbox:
        """The sandbox of ``key``, created on first use. ``seed`` (used only when the sandbox is
        created) seeds its ids instead of the app's seed, e.g. for the pytest marker's ``seed=``."""
        sandbox = self.sandboxes.get(key)
        if sandbox is None:
            sandbox = Sandbox(
                key=key,
                clock=VirtualClock(self.config.clock_start),
                ids=IdFactory(self.config.seed if seed is None else seed, key),
            )
            self.sandboxes[key] = sandbox
            for hook in self.on_new_sandbox:
                hook(sandbox)
        # every sandbox handed out follows the app's policy, those that persistence restored
        # (and put in ``sandboxes`` itself) included
        sandbox.default_progression = self.config.progression
        return sandbox

    def changed(self, key: str) -> None:
        sandbox = self.sandboxes.get(key)
        if sandbox is not None:
            for hook in self.on_change:
                hook(sandbox)

    def close(self) -> None:
        for hook in self.on_close:
            hook()

    def reset(self, key: str | None = None) -> list[str]:
        """Forget one sandbox (or all); returns the keys that were reset."""
        keys = list(self.sandboxes) if key is None else [key]
        for k in keys:
            self.sandboxes.pop(k, None)
        if key is None:
            self.journal.clear()
            self.anonymous_ids = IdFactory(self.config.seed, "")
        else:
            kept = [e for e in self.journal if e.sandbox != key]
            self.journal.clear()
            self.journal.extend(kept)
        return keys

    def requests(self, key: str | None = None) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.journal if key is None or e.sandbox == key]
