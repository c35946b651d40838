"""Searching vector stores: what ``POST /vector_stores/{id}/search`` and the run engine's
``file_search`` tool share. Only completed (indexed) files are searched."""

from __future__ import annotations

from typing import Any

from ..config import MockConfig
from ..search import FileIndex, SearchHit, matches, rank
from ..store import Sandbox
from . import ingestion

__all__ = ["SearchHit", "search_stores"]


def search_stores(
    sandbox: Sandbox,
    config: MockConfig,
    store_ids: list[str],
    queries: list[str],
    *,
    max_num_results: int,
    filters: dict[str, Any] | None = None,
    score_threshold: float = 0.0,
) -> list[SearchHit]:
    """The best chunks of the stores' completed files for ``queries``, best first, scores in
    [0, 1]; ties break by store order, then file attach order, then chunk order. Searching
    counts as activity on each store (``last_active_at``)."""
    from .vector_stores import get, touch  # vector_stores imports this module

    files = sandbox.table("files")
    documents: list[tuple[tuple[str, str], FileIndex]] = []
    attributes: dict[tuple[str, str], dict[str, Any]] = {}
    for store_id in store_ids:
        touch(sandbox, get(sandbox, store_id))
        for vs_file in sandbox.table(ingestion.VS_FILES, store_id):
            file = files.get(vs_file["id"])
            if vs_file["status"] != "completed" or file is None:
                continue
            if not matches(filters, vs_file.get("attributes") or {}):
                continue
            key = (store_id, vs_file["id"])
            documents.append((key, ingestion.index_of(sandbox, file, vs_file["chunking_strategy"])))
            attributes[key] = vs_file.get("attributes") or {}
    indexes = dict(documents)
    hits = []
    for ranked in rank(documents, queries):
        if ranked.score < score_threshold:
            break  # sorted best first
        store_id, file_id = ranked.key  # type: ignore[misc]
        hits.append(
            SearchHit(
                file_id=file_id,
                filename=files.get(file_id)["filename"],
                score=ranked.score,
                text=indexes[ranked.key].chunk_text(ranked.chunk),
                attributes=attributes[ranked.key],
            )
        )
        if len(hits) >= max_num_results:
            break
    return hits
