"""Lexical search over chunks: per-file inverted indexes and BM25 ranking.

Pure: no sandbox, no HTTP (``retrieval.py`` wires it to vector stores). Scores are
BM25 over all chunks searched together, squashed into [0, 1) by ``s / (s + 1)``, so a chunk
that matches more, rarer query terms scores higher; ties break by file order, then chunk order.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from .chunking import STOPWORDS, TOKEN, tokens

K1 = 1.2
B = 0.75


@dataclass
class FileIndex:
    """The chunks of one file's text and an inverted index over them, in compact arrays
    (a 16 MB text costs tens of MB, not hundreds)."""

    text: str
    starts: array = field(default_factory=lambda: array("I"))  # chunk start offsets in text
    ends: array = field(default_factory=lambda: array("I"))
    lengths: array = field(default_factory=lambda: array("I"))  # terms per chunk
    vocab: dict[str, int] = field(default_factory=dict)
    #: term id -> (chunk numbers, term frequencies)
    postings: dict[int, tuple[array, array]] = field(default_factory=dict)

    def chunk_text(self, n: int) -> str:
        return self.text[self.starts[n] : self.ends[n]]

    def __len__(self) -> int:
        return len(self.starts)

    def term(self, word: str) -> tuple[array, array] | None:
        term_id = self.vocab.get(word)
        return None if term_id is None else self.postings[term_id]


def build_index(text: str, max_tokens: int, overlap: int) -> FileIndex:
    """Windows of ``max_tokens`` tokens, each starting ``max_tokens - overlap`` tokens after
    the previous one (a last, shorter window holds any tail the full ones miss).

    Costs are kept in C where possible: ``findall`` for the words, ``islice`` to skip to the
    few token positions whose offsets bound a window, ``Counter`` per window. Those calls take
    the text a segment at a time (:func:`_segments`): a C call holds the GIL to its end, and a
    whole 20 MB text in one would stall the event loop for a second while a worker thread
    indexes it."""
    index = FileIndex(text)
    vocab = index.vocab
    step = max(1, max_tokens - overlap)
    segments = _segments(text)
    not_terms = STOPWORDS | {""}
    new_id = vocab.setdefault
    ids = array("i")
    sizes = []  # tokens per segment
    for start, end in segments:
        words = TOKEN.findall(text, start, end)  # the word of each token, "" for punctuation
        ids.extend([-1 if w in not_terms else new_id(w, len(vocab)) for w in map(str.lower, words)])
        sizes.append(len(words))
    n = len(ids)
    full = (n - max_tokens) // step + 1 if n >= max_tokens else 0
    firsts = [k * step for k in range(full)]
    lasts = [k * step + max_tokens - 1 for k in range(full)]
    if n > ((full - 1) * step + max_tokens if full else 0):  # a tail no full window reached
        firsts.append(full * step)
        lasts.append(n - 1)
    spans = _spans(text, segments, sizes, sorted({*firsts, *lasts}))
    postings = index.postings
    for number, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
        counts = Counter(ids[first : last + 1])
        counts.pop(-1, None)
        index.starts.append(spans[first][0])
        index.ends.append(spans[last][1])
        index.lengths.append(sum(counts.values()))
        for term_id, tf in counts.items():
            posting = postings.get(term_id)
            if posting is None:
                posting = postings[term_id] = (array("I"), array("I"))
            posting[0].append(number)
            posting[1].append(tf)
    return index


#: characters per segment of a long text (about 15 ms of regex work each)
SEGMENT = 1 << 18
_SPACE = re.compile(r"\s")


def _segments(text: str) -> list[tuple[int, int]]:
    """``text`` cut into stretches of about :data:`SEGMENT` characters, each cut at a white
    space: no token holds one, so tokens found segment by segment are the text's tokens."""
    cuts, start = [], 0
    while len(text) - start > SEGMENT:
        space = _SPACE.search(text, start + SEGMENT)
        if space is None:
            break
        cuts.append((start, space.start()))
        start = space.start()
    cuts.append((start, len(text)))
    return cuts


def _spans(
    text: str, segments: list[tuple[int, int]], sizes: list[int], wanted: list[int]
) -> dict[int, tuple[int, int]]:
    """The character span of each wanted token position (ascending), walking the tokens
    segment by segment."""
    spans: dict[int, tuple[int, int]] = {}
    todo = iter(wanted)
    position = next(todo, None)
    first = 0  # the position of the segment's first token
    for (start, end), size in zip(segments, sizes, strict=True):
        if position is None:
            break
        matches, at = TOKEN.finditer(text, start, end), first
        while position is not None and position < first + size:
            spans[position] = next(islice(matches, position - at, None)).span()
            at = position + 1
            position = next(todo, None)
        first += size
    return spans


@dataclass(frozen=True)
class Ranked:
    score: float
    key: Hashable  # which document (file) the chunk belongs to
    position: int  # the document's place in the input, for deterministic ties
    chunk: int


@dataclass
class Corpus:
    """Several files' indexes searched as one: a merged inverted index over all their chunks
    and the collection statistics BM25 needs. Built once per set of files, then reused."""

    keys: list[Hashable]
    indexes: list[FileIndex]
    total_chunks: int = 0
    average_length: float = 1.0
    #: word -> (document numbers, chunk numbers, term frequencies)
    postings: dict[str, tuple[array, array, array]] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: list[tuple[Hashable, FileIndex]]) -> Corpus:
        corpus = cls([key for key, _ in documents], [index for _, index in documents])
        corpus.total_chunks = sum(len(index) for index in corpus.indexes)
        if corpus.total_chunks:
            total_length = sum(sum(index.lengths) for index in corpus.indexes)
            corpus.average_length = total_length / corpus.total_chunks or 1.0
        merged = corpus.postings
        for number, index in enumerate(corpus.indexes):
            for word, term_id in index.vocab.items():
                chunks, tfs = index.postings[term_id]
                entry = merged.get(word)
                if entry is None:
                    entry = merged[word] = (array("I"), array("I"), array("I"))
                entry[0].extend(array("I", [number]) * len(chunks))
                entry[1].extend(chunks)
                entry[2].extend(tfs)
        return corpus


def rank(corpus: Corpus, queries: Iterable[str]) -> list[Ranked]:
    """Every chunk with a positive score, best first."""
    query = Counter(t for q in queries for t in tokens(q))
    if not query or not corpus.total_chunks:
        return []
    n, average = corpus.total_chunks, corpus.average_length
    scores: dict[tuple[int, int], float] = {}
    for term, weight in query.items():
        entry = corpus.postings.get(term)
        if entry is None:
            continue
        df = len(entry[0])
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for document, chunk, tf in zip(*entry, strict=True):
            length = corpus.indexes[document].lengths[chunk]
            part = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
            scores[document, chunk] = scores.get((document, chunk), 0.0) + weight * part
    results = [
        Ranked(round(raw / (raw + 1.0), 6), corpus.keys[document], document, chunk)
        for (document, chunk), raw in scores.items()
    ]
    results.sort(key=lambda r: (-r.score, r.position, r.chunk))
    return results
