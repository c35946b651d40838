"""The containers of a sandbox's state: collections of objects and internal records.

Objects and records are plain JSON dicts changed in place by whoever holds them, so these
containers record where a change can have happened, for ``--data-dir`` (``persistence.py``):

* a :class:`Collection` records the ids of the objects it hands out, adds or removes;
* :class:`Tables` (a sandbox's collections by kind and scope) records the keys set or
  removed, and attaches each collection so that its hand-outs are recorded;
* :class:`Records` (one kind of internal records) records every key read or written.

Whatever hands out every value records every key. A save looks at what was recorded only, so
its cost follows what a request touched, not the size of the sandbox. Recording starts the
first time the changes are taken (persistence writes the sandbox whole then): without
``--data-dir`` nothing is recorded, so nothing is paid for and nothing is held (a dropped
collection would otherwise stay referenced, its objects with it, for the sandbox's life). Objects must never
share a list or dict with another: a change made through one would go unrecorded in the other.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

from . import errors
from .types import JSONObject

TableKey = tuple[str, str]


class Collection:
    """Objects of one kind in one scope (e.g. the messages of one thread), oldest first.

    Every object gets a sandbox-wide sequence number when it is added; lists sort by it,
    which is the creation order and breaks ties inside one second. Positions of deleted
    objects are remembered so a cursor that points at a deleted object still pages on.

    Once it belongs to a sandbox's :class:`Tables`, a collection records the ids of the objects
    it hands out, adds or removes, until persistence takes them (:meth:`Tables.take_changes`).
    """

    def __init__(self) -> None:
        self._items: dict[str, JSONObject] = {}
        self._seq: dict[str, int] = {}
        #: ids (live and removed) by ascending sequence number, and those numbers, for bisect
        self._order: list[str] = []
        self._seqs: list[int] = []
        #: where the collection sits in its sandbox (set by Tables), and what it handed out since
        self.key: TableKey | None = None
        self._changed: set[Collection] | None = None
        self._touched: set[str] = set()

    def _touch(self, object_id: str) -> None:
        if self._changed is not None:
            if not self._touched:
                self._changed.add(self)
            self._touched.add(object_id)

    def add(self, obj: JSONObject, seq: int) -> JSONObject:
        object_id = obj["id"]
        self._place(object_id, seq)
        self._items[object_id] = obj
        if self._changed is not None:  # tested here: every create adds
            self._touch(object_id)
        return obj

    def _place(self, object_id: str, seq: int) -> None:
        seqs = self._seqs
        if object_id in self._seq:  # added again (after a removal): it moves to its new place
            index = self._order.index(object_id)
            del self._order[index], seqs[index]
        self._seq[object_id] = seq
        if seqs and seq < seqs[-1]:  # older than the last (a load out of order)
            index = bisect.bisect_left(seqs, seq)
            self._order.insert(index, object_id)
            seqs.insert(index, seq)
        else:  # the newest, as every object added by a request
            self._order.append(object_id)
            seqs.append(seq)

    def get(self, object_id: str) -> JSONObject | None:
        obj = self._items.get(object_id)
        if obj is not None and self._changed is not None:  # tested here: every retrieve gets
            self._touch(object_id)
        return obj

    def remove(self, object_id: str) -> JSONObject | None:
        obj = self._items.pop(object_id, None)
        if obj is not None:
            self._touch(object_id)
        return obj

    def __contains__(self, object_id: object) -> bool:
        return object_id in self._items

    def __iter__(self) -> Iterator[JSONObject]:
        """Live objects, oldest first."""
        for object_id in self._order:
            obj = self._items.get(object_id)
            if obj is not None:
                self._touch(object_id)
                yield obj

    def peek(self) -> Iterator[JSONObject]:
        """Live objects, oldest first, to read only: not recorded as handed out, so a scan
        (counting statuses, say) does not make persistence compare every object again.
        Whoever changes one must take it with :meth:`get`."""
        for object_id in self._order:
            obj = self._items.get(object_id)
            if obj is not None:
                yield obj

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
            object_id = self._order[index]
            obj = self._items.get(object_id)
            if obj is None:
                continue
            self._touch(object_id)  # handed to ``where`` or to the caller
            if where is not None and not where(obj):
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
        """Live objects with their sequence numbers, to read (not marked as handed out)."""
        return [
            {"seq": self._seq[i], "object": self._items[i]} for i in self._order if i in self._items
        ]

    def entry(self, object_id: str) -> tuple[int, JSONObject | None] | None:
        """For persistence: (sequence number, object, or None once removed), or None for an id
        never added; not marked as handed out."""
        seq = self._seq.get(object_id)
        return None if seq is None else (seq, self._items.get(object_id))

    def ids(self) -> list[str]:
        """Every id ever added, removed ones included (they keep their place for cursors)."""
        return list(self._order)

    def take_touched(self) -> set[str]:
        touched, self._touched = self._touched, set()
        return touched

    @classmethod
    def load(cls, rows: list[dict[str, Any]]) -> Collection:
        """From :meth:`dump` rows; a row ``{"id": ..., "seq": ..., "object": None}`` is a
        removed object's position."""
        collection = cls()
        for row in rows:
            if row["object"] is None:
                collection._place(row["id"], row["seq"])
            else:
                collection.add(row["object"], row["seq"])
        return collection


class _Recording(dict[Any, Any]):
    """A dict that records which keys were set or removed until the changes are taken, and
    whether each was added at the end (a new key) or changed in place: its order is state too
    (a dump lists keys in insertion order). Every way of changing it goes through
    ``__setitem__`` and ``__delitem__``."""

    #: off until the changes are first taken: nobody asks for them without persistence
    _recording = False

    def __init__(self, items: dict[Any, Any] | None = None) -> None:
        super().__init__()
        self._changed: dict[Any, bool] = {}
        for key, value in (items or {}).items():
            self[key] = value

    def _note(self, key: Any, moved: bool = False) -> None:
        if not self._recording:
            return
        if moved:  # to the end, as in the dict itself
            self._changed.pop(key, None)
            self._changed[key] = True
        else:
            self._changed.setdefault(key, False)

    def _take_keys(self) -> dict[Any, bool]:
        self._recording = True  # whoever takes the changes wants the next ones
        changed, self._changed = self._changed, {}
        return changed

    def __setitem__(self, key: Any, value: Any) -> None:
        self._note(key, moved=key not in self)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self._note(key)

    def pop(self, key: Any, *default: Any) -> Any:
        if key in self:
            self._note(key)
        return super().pop(key, *default)

    def popitem(self) -> tuple[Any, Any]:
        key, value = super().popitem()
        self._note(key)
        return key, value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> _Recording:  # type: ignore[override,misc]  # noqa: PYI034
        self.update(other)
        return self

    def clear(self) -> None:
        for key in list(dict.keys(self)):
            del self[key]


class Tables(_Recording):
    """A sandbox's collections by (kind, scope), in creation order. Records the keys set or
    removed, and attaches every collection it holds so that its hand-outs are recorded too."""

    def __init__(self, collections: dict[TableKey, Collection] | None = None) -> None:
        #: the collections that handed something out since the changes were last taken
        self._collections: set[Collection] = set()
        super().__init__(collections)

    def __setitem__(self, key: TableKey, collection: Collection) -> None:
        super().__setitem__(key, collection)
        collection.key = key
        if self._recording:
            self._attach(collection)

    def _attach(self, collection: Collection) -> None:
        collection._changed = self._collections
        collection.take_touched()  # saved whole with its key

    def take_changes(self) -> tuple[dict[TableKey, bool], list[tuple[Collection, set[str]]]]:
        """The keys set or removed (whether each moved to the end), and each collection with
        the ids it handed out, added or removed, since the last call (the first call starts
        the recording: it finds nothing)."""
        if not self._recording:
            for collection in dict.values(self):
                self._attach(collection)
        collections = list(self._collections)
        self._collections.clear()  # in place: every collection holds this set
        return self._take_keys(), [(c, c.take_touched()) for c in collections]


class Records(_Recording):
    """Internal records of one kind (``Sandbox.aux``), keyed by object id, in insertion order.

    Records are plain JSON changed in place, so every key read is recorded too; whatever hands
    out every value (``values()``, ``items()``, a copy) records every key.
    """

    def _note_all(self) -> None:
        for key in dict.keys(self):
            self._note(key)

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        self._note(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            self._note(key)
        return super().get(key, default)

    def __iter__(self) -> Iterator[str]:
        # overridden so that dict(records) and {**records} read values through __getitem__
        return super().__iter__()

    def values(self) -> Any:  # type: ignore[override]
        self._note_all()
        return super().values()

    def items(self) -> Any:  # type: ignore[override]
        self._note_all()
        return super().items()

    def copy(self) -> dict[str, Any]:
        self._note_all()
        return dict(super().items())

    def __or__(self, other: Any) -> dict[str, Any]:  # type: ignore[override]
        return {**self.copy(), **other}

    def __ror__(self, other: Any) -> dict[str, Any]:  # type: ignore[override]
        return {**other, **self.copy()}

    def peek(self, key: str) -> Any:
        """A record to read only (the inspector's views): not recorded, so persistence does
        not compare it again. Whoever changes one must take it with ``[]`` or :meth:`get`."""
        return dict.get(self, key)

    def snapshot(self) -> dict[str, Any]:
        """A plain copy to read (a dump): not recorded."""
        return dict(dict.items(self))

    def take_changes(self) -> dict[str, bool]:
        """Keys read, written or removed since the last call (True: added at the end)."""
        return self._take_keys()
