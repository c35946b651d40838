"""Request bodies of /vector_stores, their files, file batches and search."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from ..validation import Arr, Bool, Enum, Int, Map, Num, Obj, OneOf, Str, Tagged, exactly_one_of
from .common import CHUNKING_STRATEGY, FILE_ID, METADATA

EXPIRES_AFTER = Obj(
    properties={"anchor": Enum(("last_active_at",)), "days": Int(minimum=1, maximum=365)},
    required=("anchor", "days"),
)

ATTRIBUTES = Map(
    values=OneOf(
        options=(Str(max_length=512), Num(), Bool()),
        expected="one of a string, a number or a boolean",
    ),
    max_properties=16,
    max_key_length=64,
)

FILE_STATUS = ("in_progress", "completed", "failed", "cancelled")


def check_chunking(body: Mapping[str, Any], path: str = "") -> None:
    """The static overlap may be at most half the chunk size (a rule across two fields)."""
    strategy = body.get("chunking_strategy")
    if strategy and strategy.get("type") == "static":
        static = strategy["static"]
        if static["chunk_overlap_tokens"] > static["max_chunk_size_tokens"] // 2:
            raise errors.chunk_overlap_too_large(
                static["chunk_overlap_tokens"], static["max_chunk_size_tokens"]
            )


CREATE = Obj(
    properties={
        "file_ids": Arr(items=FILE_ID, max_items=500),
        "name": Str(),
        "description": Str(max_length=512),
        "expires_after": EXPIRES_AFTER,
        "chunking_strategy": CHUNKING_STRATEGY,
        "metadata": METADATA,
    },
    rules=(check_chunking,),
)

UPDATE = Obj(
    properties={"name": Str(), "expires_after": EXPIRES_AFTER, "metadata": METADATA},
    # null clears them: the name becomes "", the store stops expiring, metadata becomes {}
    clears=("name", "expires_after", "metadata"),
)

FILE_CREATE = Obj(
    properties={
        "file_id": FILE_ID,
        "chunking_strategy": CHUNKING_STRATEGY,
        "attributes": ATTRIBUTES,
    },
    required=("file_id",),
    rules=(check_chunking,),
)

FILE_UPDATE = Obj(
    properties={"attributes": ATTRIBUTES}, required=("attributes",), clears=("attributes",)
)

BATCH_CREATE = Obj(
    properties={
        "file_ids": Arr(items=FILE_ID, min_items=1, max_items=2000),
        "files": Arr(items=FILE_CREATE, min_items=1, max_items=2000),
        "chunking_strategy": CHUNKING_STRATEGY,
        "attributes": ATTRIBUTES,
    },
    rules=(check_chunking, exactly_one_of("file_ids", "files")),
)


COMPARISON = Obj(
    properties={
        "type": Str(),
        "key": Str(),
        "value": OneOf(
            options=(Str(), Num(), Bool(), Arr(items=OneOf(options=(Str(), Num())))),
            expected="one of a string, a number, a boolean or an array",
        ),
    },
    required=("key", "value"),
)

_COMPOUND = Obj(properties={"type": Str(), "filters": Arr()}, required=("filters",))

FILTER = Tagged(
    variants={
        **{op: COMPARISON for op in ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")},
        "and": _COMPOUND,
        "or": _COMPOUND,
    }
)
# compound filters nest: their items are filters again
_COMPOUND.properties["filters"].items = FILTER  # type: ignore[index, attr-defined]

SEARCH = Obj(
    properties={
        "query": OneOf(
            options=(Str(), Arr(items=Str(), min_items=1)),
            expected="one of a string or an array of strings",
        ),
        "rewrite_query": Bool(),
        "max_num_results": Int(minimum=1, maximum=50),
        "filters": FILTER,
        "ranking_options": Obj(
            properties={
                "ranker": Enum(("none", "auto", "default-2024-11-15")),
                "score_threshold": Num(minimum=0, maximum=1),
            }
        ),
    },
    required=("query",),
)
