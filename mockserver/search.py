"""Lexical search over chunks: per-file inverted indexes, BM25 ranking, attribute filters.

Pure: no sandbox, no HTTP (``resources/retrieval.py`` wires it to vector stores). Scores are
BM25 over all chunks searched together, squashed into [0, 1) by ``s / (s + 1)``, so a chunk
that matches more, rarer query terms scores higher; ties break by file order, then chunk order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .chunking import chunks, tokens

K1 = 1.2
B = 0.75


@dataclass
class FileIndex:
    """The chunks of one file's text and an inverted index over them."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    #: term -> [(chunk number, term frequency)]
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def chunk_text(self, n: int) -> str:
        start, end = self.spans[n]
        return self.text[start:end]

    def __len__(self) -> int:
        return len(self.spans)


def build_index(text: str, max_tokens: int, overlap: int) -> FileIndex:
    index = FileIndex(text)
    for n, chunk in enumerate(chunks(text, max_tokens, overlap)):
        terms = tokens(text[chunk.start : chunk.end])
        index.spans.append((chunk.start, chunk.end))
        index.lengths.append(len(terms))
        for term, tf in Counter(terms).items():
            index.postings.setdefault(term, []).append((n, tf))
    return index


@dataclass(frozen=True)
class SearchHit:
    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Ranked:
    score: float
    key: Hashable  # which document (file) the chunk belongs to
    position: int  # the document's place in the input, for deterministic ties
    chunk: int


def rank(documents: list[tuple[Hashable, FileIndex]], queries: Iterable[str]) -> list[Ranked]:
    """Every chunk with a positive score, best first."""
    terms = [t for q in queries for t in tokens(q)]
    if not terms or not documents:
        return []
    total_chunks = sum(len(index) for _, index in documents)
    if total_chunks == 0:
        return []
    average = sum(sum(index.lengths) for _, index in documents) / total_chunks or 1.0
    query = Counter(terms)
    idf = {}
    for term in query:
        df = sum(len(index.postings.get(term, ())) for _, index in documents)
        idf[term] = math.log(1 + (total_chunks - df + 0.5) / (df + 0.5)) if df else 0.0
    results: list[Ranked] = []
    for position, (key, index) in enumerate(documents):
        scores: dict[int, float] = {}
        for term, weight in query.items():
            if not idf[term]:
                continue
            for chunk, tf in index.postings.get(term, ()):
                length = index.lengths[chunk]
                part = idf[term] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
                scores[chunk] = scores.get(chunk, 0.0) + weight * part
        for chunk, raw in scores.items():
            results.append(Ranked(round(raw / (raw + 1.0), 6), key, position, chunk))
    results.sort(key=lambda r: (-r.score, r.position, r.chunk))
    return results


# -- attribute filters ---------------------------------------------------------------------


def matches(spec: Mapping[str, Any] | None, attributes: Mapping[str, Any]) -> bool:
    """Whether ``attributes`` pass a comparison (eq, ne, gt, gte, lt, lte, in, nin) or compound
    (and, or) filter. A comparison on a missing key fails, except ``ne`` and ``nin``."""
    if spec is None:
        return True
    kind = spec["type"]
    if kind == "and":
        return all(matches(f, attributes) for f in spec["filters"])
    if kind == "or":
        return any(matches(f, attributes) for f in spec["filters"])
    key, value = spec["key"], spec["value"]
    if key not in attributes:
        return kind in ("ne", "nin")
    actual = attributes[key]
    if kind == "eq":
        return _same(actual, value)
    if kind == "ne":
        return not _same(actual, value)
    if kind in ("in", "nin"):
        values = value if isinstance(value, list) else [value]
        found = any(_same(actual, v) for v in values)
        return found if kind == "in" else not found
    if not _comparable(actual, value):
        return False
    if kind == "gt":
        return actual > value
    if kind == "gte":
        return actual >= value
    if kind == "lt":
        return actual < value
    return actual <= value  # lte


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return (isinstance(a, numbers) and isinstance(b, numbers)) or (
        isinstance(a, str) and isinstance(b, str)
    )
