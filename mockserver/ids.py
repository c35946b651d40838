"""Deterministic, real-looking identifiers.

An id is a pure function of (seed, sandbox, prefix, n): the n-th id of one kind in one
sandbox. Kinds are counted separately, so an extra retrieve (a new request id) or an extra
thread never shifts the ids of assistants, and two sandboxes never mint the same id.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HEX = "0123456789abcdef"
#: every two-digit base-62 string, by value, least significant digit first
_PAIRS = tuple(low + high for high in _BASE62 for low in _BASE62)
_PAIR = len(_BASE62) ** 2
#: four base-62 digits: the largest power of 62 whose remainders stay small ints (< 2**30)
_QUAD = _PAIR**2

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

#: writes a prefix and the random part of an id from a 32-byte digest
Spell = Callable[[str, bytes], str]

# An id's random part is the digest (big-endian) written in its alphabet, least significant
# digit first, as many digits as the shape has. Every request mints a request id and every
# create an object id, so the spellings below are unrolled: base 62 takes four digits at a
# time off the big number (five big divisions for 24 digits; fewer digits are the first of
# these) and writes each four as two pairs from small-int arithmetic; base 16 reads the
# digits off the digest's hex.


def _base62_24(prefix: str, digest: bytes) -> str:
    value = int.from_bytes(digest, "big")
    value, a = divmod(value, _QUAD)
    value, b = divmod(value, _QUAD)
    value, c = divmod(value, _QUAD)
    value, d = divmod(value, _QUAD)
    value, e = divmod(value, _QUAD)
    f = value % _QUAD
    p, n = _PAIRS, _PAIR
    return (
        f"{prefix}{p[a % n]}{p[a // n]}{p[b % n]}{p[b // n]}{p[c % n]}{p[c // n]}"
        f"{p[d % n]}{p[d // n]}{p[e % n]}{p[e // n]}{p[f % n]}{p[f // n]}"
    )


def _base62_22(prefix: str, digest: bytes) -> str:
    # the lowest 22 digits are the first 22 of the lowest 24 (least significant first)
    return _base62_24(prefix, digest)[:-2]


def _hex(length: int) -> Spell:
    # base-16 digits, least significant first: the last ``length`` hex digits, reversed
    stop = 63 - length

    def spell(prefix: str, digest: bytes) -> str:
        return prefix + digest.hex()[63:stop:-1]

    return spell


#: how each shape is written (every shape above must be here: checked at import)
_SPELLINGS: dict[tuple[str, int], Spell] = {
    (_BASE62, 24): _base62_24,
    (_BASE62, 22): _base62_22,
    (_HEX, 32): _hex(32),
    (_HEX, 48): _hex(48),
}
assert {*_SHAPES.values(), _DEFAULT_SHAPE, _ITEM_SHAPE, *_ITEM_SHAPES.values()} <= {*_SPELLINGS}


@dataclass
class IdFactory:
    seed: int
    sandbox: str
    _counters: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: per counter, the hash fed with everything but the number (every id of that counter goes
    #: on from a copy of it: blake2b of the whole text, without hashing its start each time)
    #: and how its ids are written: found once per counter, not per id
    _started: dict[str, tuple[Any, Spell]] = field(default_factory=dict, repr=False, compare=False)

    def new(self, prefix: str) -> str:
        """The next id with this prefix, e.g. ``new("asst_")`` -> ``asst_ToSF7Gb04YMj8AMMm50ZLLtY``."""
        started = self._started.get(prefix)
        if started is None:
            started = self._start(prefix, _SHAPES.get(prefix, _DEFAULT_SHAPE))
        return self._mint(prefix, prefix, started)

    def new_item(self, prefix: str) -> str:
        """The next id of a Responses/Conversations object or item with this prefix, e.g.
        ``new_item("resp_")`` -> ``resp_`` and 48 hex digits."""
        counter = f"item:{prefix}"
        started = self._started.get(counter)
        if started is None:
            started = self._start(counter, _ITEM_SHAPES.get(prefix, _ITEM_SHAPE))
        return self._mint(prefix, counter, started)

    def _start(self, counter: str, shape: tuple[str, int]) -> tuple[Any, Spell]:
        text = f"{self.seed}\x00{self.sandbox}\x00{counter}\x00"
        started = (hashlib.blake2b(text.encode(), digest_size=32), _SPELLINGS[shape])
        self._started[counter] = started
        return started

    def _mint(self, prefix: str, counter: str, started: tuple[Any, Spell]) -> str:
        """The id numbered by ``counter``'s count, which moves on: blake2b of the seed, the
        sandbox, the counter and the number, written after the prefix."""
        counters = self._counters
        n = counters[counter]
        counters[counter] = n + 1
        hasher, spell = started
        hasher = hasher.copy()
        hasher.update(b"%d" % n)  # the decimal digits, as str(n).encode()
        return spell(prefix, hasher.digest())

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
