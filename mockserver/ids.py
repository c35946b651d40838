"""Deterministic, real-looking identifiers.

An id is a pure function of (seed, sandbox, prefix, n): the n-th id of one kind in one
sandbox. Kinds are counted separately, so an extra retrieve (a new request id) or an extra
thread never shifts the ids of assistants, and two sandboxes never mint the same id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HEX = "0123456789abcdef"
#: every two-digit base-62 string, by value, least significant digit first
_BASE62_PAIRS = tuple(low + high for high in _BASE62 for low in _BASE62)
_BASE62_PAIRS_BASE = len(_BASE62) ** 2

#: prefix -> (alphabet, length of the random part), after the shapes the real API returned.
_SHAPES: dict[str, tuple[str, int]] = {
    "file-": (_BASE62, 22),
    "vs_": (_HEX, 32),
    "vsfb_": (_HEX, 32),
    "req_": (_HEX, 32),
}
_DEFAULT_SHAPE = (_BASE62, 24)
#: the Responses and Conversations APIs' objects and items (``resp_``, ``msg_``, ``fc_``,
#: ``conv_``...): the prefix and 48 lowercase hex digits, as observed; minted by
#: :meth:`IdFactory.new_item` and counted apart from the Assistants ids of the same prefix
#: (``msg_``), so neither family shifts the other's ids
_ITEM_SHAPE = (_HEX, 48)
#: item shapes that are not 48 hex digits (a container file: 32)
_ITEM_SHAPES: dict[str, tuple[str, int]] = {"cfile_": (_HEX, 32)}
# IdFactory.new writes the digits of these two alphabets only
assert {alphabet for alphabet, _ in [*_SHAPES.values(), _DEFAULT_SHAPE]} == {_HEX, _BASE62}


@dataclass
class IdFactory:
    seed: int
    sandbox: str
    _counters: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: per prefix, the hash fed with everything but the number: every id of that prefix goes
    #: on from a copy of it (blake2b of the whole text, without hashing its start each time)
    _started: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def new(self, prefix: str) -> str:
        """The next id with this prefix, e.g. ``new("asst_")`` -> ``asst_ToSF7Gb04YMj8AMMm50ZLLtY``."""
        return self._mint(prefix, prefix, _SHAPES.get(prefix, _DEFAULT_SHAPE))

    def new_item(self, prefix: str) -> str:
        """The next id of a Responses/Conversations object or item with this prefix, e.g.
        ``new_item("resp_")`` -> ``resp_`` and 48 hex digits."""
        return self._mint(prefix, f"item:{prefix}", _ITEM_SHAPES.get(prefix, _ITEM_SHAPE))

    def _mint(self, prefix: str, counter: str, shape: tuple[str, int]) -> str:
        n = self._counters[counter]
        self._counters[counter] = n + 1
        alphabet, length = shape
        started = self._started.get(counter)
        if started is None:
            text = f"{self.seed}\x00{self.sandbox}\x00{counter}\x00"
            started = self._started[counter] = hashlib.blake2b(text.encode(), digest_size=32)
        hasher = started.copy()
        hasher.update(str(n).encode())
        digest = hasher.digest()
        if alphabet == _HEX:
            # the same characters as the loop below, read off the digest's hex (every request
            # mints a request id, so this is on the hot path): base-16 digits, least
            # significant first, are the reversed hex of the last length/2 bytes
            return prefix + digest[32 - length // 2 :].hex()[::-1]
        # base-62 digits, least significant first, two per division (half the divisions of
        # one by one, the same characters): every create mints one
        value = int.from_bytes(digest, "big")
        chars = []
        for _ in range(length // 2):
            value, index = divmod(value, _BASE62_PAIRS_BASE)
            chars.append(_BASE62_PAIRS[index])
        if length % 2:
            chars.append(_BASE62[value % len(_BASE62)])
        return prefix + "".join(chars)

    def counters(self) -> dict[str, int]:
        return dict(self._counters)

    @contextmanager
    def unless_refused(self) -> Iterator[None]:
        """Ids minted inside are taken back if the block raises: a refused request mints
        nothing, so no later object's id depends on a request that was refused."""
        saved = dict(self._counters)
        try:
            yield
        except BaseException:
            self.restore(saved)
            raise

    def restore(self, counters: dict[str, int]) -> None:
        self._counters.clear()
        self._counters.update(counters)
