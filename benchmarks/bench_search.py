"""Search latency over 1,000 small files: the mock's indexed BM25 against a plain linear scan.

Both run in this process over the same texts and queries: ``retrieval.search`` (per-file
inverted indexes built once at ingestion) versus a baseline that tokenizes every file for
every query and counts term hits. Also reports the HTTP round trip of
``POST /vector_stores/{id}/search`` through the official SDK. Reported, not asserted.

    .venv/bin/python benchmarks/bench_search.py [--files 1000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time

from openai import OpenAI

from mockserver import create_app
from mockserver.resources import vector_stores
from mockserver.search import retrieval
from mockserver.server import LiveServer

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "theta",
    "kappa",
    "lambda",
    "sigma",
    "omega",
    "river",
    "mountain",
    "forest",
    "ocean",
    "desert",
    "valley",
    "canyon",
    "glacier",
    "volcano",
    "island",
    "harbor",
    "bridge",
    "castle",
    "tower",
    "garden",
    "engine",
    "rocket",
    "planet",
    "comet",
    "galaxy",
    "nebula",
    "quasar",
    "photon",
    "neutron",
    "proton",
    "electron",
    "magnet",
    "copper",
    "silver",
    "gold",
    "iron",
    "carbon",
    "oxygen",
    "helium",
    "argon",
    "neon",
    "cobalt",
    "nickel",
    "zinc",
    "tin",
    "lead",
]


def corpus(rng: random.Random, count: int) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(120))
        for _ in range(count)
    ]


def linear_scan(texts: list[str], query: str, k: int) -> list[tuple[int, int]]:
    terms = set(re.findall(r"\w+", query.lower()))
    scored = []
    for i, text in enumerate(texts):
        hits = sum(1 for t in re.findall(r"\w+", text.lower()) if t in terms)
        if hits:
            scored.append((-hits, i))
    scored.sort()
    return scored[:k]


def timed(candidates: dict, queries: list[str]) -> dict:
    """Per-query latency of each candidate, interleaved query by query so that load from
    elsewhere on the machine hits all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    for q in queries:
        for name, fn in candidates.items():
            started = time.perf_counter()
            fn(q)
            samples[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            "median_ms": round(statistics.median(values), 3),
            "p95_ms": round(sorted(values)[int(len(values) * 0.95) - 1], 3),
        }
        for name, values in samples.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    texts = corpus(rng, args.files)
    queries = [
        " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(3))
        for _ in range(args.queries)
    ]

    app = create_app(progression="instant")
    with LiveServer(app) as server:
        client = OpenAI(base_url=server.base_url, api_key="sk-bench", max_retries=0)
        store = client.vector_stores.create(name="bench")
        ids = [
            client.files.create(file=(f"f{i}.txt", t.encode()), purpose="assistants").id
            for i, t in enumerate(texts)
        ]
        for start in range(0, len(ids), 500):
            client.vector_stores.file_batches.create_and_poll(
                store.id, file_ids=ids[start : start + 500]
            )
        sandbox = app.state.store.sandbox("sk-bench")
        client.vector_stores.search(store.id, query=queries[0])  # builds nothing new: indexes exist

        def indexed(q):
            stores = vector_stores.for_search(sandbox, [store.id])
            return retrieval.search(sandbox, stores, [q], max_num_results=10)

        report = {
            "files": args.files,
            "queries": args.queries,
            **timed(
                {
                    "indexed_search": indexed,
                    "linear_scan": lambda q: linear_scan(texts, q, 10),
                    "http_search_via_sdk": lambda q: client.vector_stores.search(store.id, query=q),
                },
                queries,
            ),
        }
        report["speedup_median"] = round(
            report["linear_scan"]["median_ms"] / report["indexed_search"]["median_ms"], 1
        )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
