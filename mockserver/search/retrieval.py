"""Searching vector stores: what ``POST /vector_stores/{id}/search`` and the run engine's
``file_search`` tool share (the stores checked, and the search counted as their activity, by
``resources.vector_stores.for_search``). Files whose ingestion is due are finished
first (ingestion moves with the clock, and a search is a look like any other); then only
completed (indexed) files are searched."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from .. import blobs as blob_module
from ..store import Sandbox
from ..types import JSONObject
from . import ingestion
from .filters import matches
from .index import Corpus, rank


@dataclass(frozen=True)
class SearchHit:
    """A chunk found in a vector store file."""

    file_id: str
    filename: str
    score: float
    text: str
    attributes: dict[str, Any]


#: merged indexes kept per app (most recently used last); a run searches the same files again
CORPORA_KEPT = 8


def search(
    sandbox: Sandbox,
    store_ids: list[str],
    queries: list[str],
    *,
    max_num_results: int,
    filters: dict[str, Any] | None = None,
    score_threshold: float = 0.0,
) -> list[SearchHit]:
    """The best chunks of the stores' completed files for ``queries``, best first, scores in
    [0, 1]; ties break by store order, then file attach order, then chunk order."""
    ingestion.settle(sandbox, store_ids)
    files = sandbox.files()
    chosen: list[tuple[tuple[str, str], JSONObject, JSONObject]] = []  # (key, file, vs file)
    for store_id in store_ids:
        for vs_file in sandbox.vector_store_files(store_id).peek():  # read only
            file = files.get(vs_file["id"])
            if vs_file["status"] != "completed" or file is None:
                continue
            if not matches(filters, vs_file.get("attributes") or {}):
                continue
            chosen.append(((store_id, vs_file["id"]), file, vs_file))
    corpus = _corpus(sandbox, chosen)
    hits = []
    for ranked in rank(corpus, queries):
        if ranked.score < score_threshold:
            break  # sorted best first
        _, file_id = ranked.key  # type: ignore[misc]
        vs_file = chosen[ranked.position][2]
        hits.append(
            SearchHit(
                file_id=file_id,
                filename=files.get(file_id)["filename"],
                score=ranked.score,
                text=corpus.indexes[ranked.position].chunk_text(ranked.chunk),
                attributes=vs_file.get("attributes") or {},
            )
        )
        if len(hits) >= max_num_results:
            break
    return hits


def _corpus(
    sandbox: Sandbox, chosen: list[tuple[tuple[str, str], JSONObject, JSONObject]]
) -> Corpus:
    """The merged index of exactly these files and chunkings, from the app's small LRU cache.
    File ids are never reused and a file's bytes never change, so the key names the content."""
    cache: OrderedDict = blob_module.of(sandbox).derived.setdefault(("corpora",), OrderedDict())
    key = (
        sandbox.key,
        tuple((k, *vs_file["chunking_strategy"]["static"].values()) for k, _, vs_file in chosen),
    )
    corpus = cache.get(key)
    if corpus is None:
        documents = [
            (k, ingestion.index_of(sandbox, file, vs_file["chunking_strategy"]))
            for k, file, vs_file in chosen
        ]
        corpus = cache[key] = Corpus.build(documents)
        while len(cache) > CORPORA_KEPT:
            cache.popitem(last=False)
    cache.move_to_end(key)
    return corpus
