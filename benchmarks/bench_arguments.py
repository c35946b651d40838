"""Bounded work for generated arguments: the worst schemas against an ordinary function call.

Each case is one streamed run through the strict Python SDK (in-process transport) on an
assistant whose one function has the given parameters; the baseline is the same run for
``get_weather(city)``. Schemas past the caps (``minItems: 1000000``, a ``$ref`` cycle with no
way out, a pattern needing a million characters) fail the run at once (``server_error``);
schemas at the caps make the largest values the mock ever makes. Reported: time per run and
peak traced memory, each as a ratio to the baseline (before the caps, ``minItems: 200000``
took 1.9 s and 26 MB, about 1,000x an ordinary run). The long message's values are found once
and indexed by kind (each parameter looked through all 22,000 of them, several times for an
array: about 5 s a run before, 1 s after, most of it finding the values).

Also reported: ``make_value`` alone for ``get_weather(city)``, a schema and a message met before
(what a Responses conversation or a repeated test does: the schema's plan and the message's
values are remembered) against a new schema text and message each call (nothing remembered).

    .venv/bin/python -m benchmarks arguments
"""

from __future__ import annotations

import random
import sys
import tracemalloc
from pathlib import Path

import httpx2
from openai import OpenAI

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._harness import paired_best_of, print_report
from mockserver import create_app
from mockserver.engine.arguments import make_value
from mockserver.transport import transport

#: the case whose message is long (the others ask "call f for Paris"; 256,000
#: characters is the most a message may hold)
LONG_MESSAGE = "10 parameters from a 255 KB message"
_WIDE_ITEM = {
    "type": "object",
    "properties": {f"field_{i}": {"type": "string", "maxLength": 4096} for i in range(10)},
    "required": [f"field_{i}" for i in range(10)],
}
CASES = {
    "baseline get_weather(city)": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
    "at the caps: 100 items x 10 strings": {
        "type": "object",
        "properties": {"rows": {"type": "array", "minItems": 100, "items": _WIDE_ITEM}},
        "required": ["rows"],
    },
    "at the caps: 4096-character strings": {
        "type": "object",
        "properties": {f"s{i}": {"type": "string", "minLength": 4096} for i in range(15)},
        "required": [f"s{i}" for i in range(15)],
    },
    "past the caps: minItems 1000000": {
        "type": "object",
        "properties": {"a": {"type": "array", "minItems": 1_000_000}},
        "required": ["a"],
    },
    "past the caps: $ref cycle": {
        "$defs": {
            "n": {
                "type": "object",
                "properties": {"next": {"$ref": "#/$defs/n"}},
                "required": ["next"],
            }
        },
        "$ref": "#/$defs/n",
    },
    "past the caps: pattern (x{1000}){1000}": {
        "type": "object",
        "properties": {"a": {"type": "string", "pattern": "^(x{1000}){1000}$"}},
        "required": ["a"],
    },
    LONG_MESSAGE: {
        "type": "object",
        "properties": {
            "total": {"type": "integer", "minimum": 5_000_000},  # no number fits: all tried
            "amount": {"type": "number"},
            "city": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "day": {"type": "string", "format": "date"},
            "below": {"type": "integer", "maximum": -1},
            "code": {"type": "string", "maxLength": 2},
            "counts": {"type": "array", "items": {"type": "integer"}},
            "names": {"type": "array", "items": {"type": "string"}},
            "unit": {"type": "string", "enum": ["Paris", "Rome"]},
        },
        "required": [
            "total",
            "amount",
            "city",
            "email",
            "day",
            "below",
            "code",
            "counts",
            "names",
            "unit",
        ],
    },
}


def _long_message(size: int = 255_000) -> str:
    """About 22,000 values (numbers, quotes, names, emails, dates) among filler words."""
    rng = random.Random(3)
    words = [
        "please",
        "compute",
        "the",
        "Paris",
        "Tokyo",
        "total",
        "for",
        "amount",
        "value",
        '"quoted text"',
        "2024-05-01",
        "bob@example.com",
        "x",
    ]
    parts: list[str] = []
    length = 0
    while length < size:
        part = rng.choice(words) if rng.random() < 0.7 else str(rng.randint(0, 10**6))
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)


def streamed_run(client: OpenAI, parameters: dict, message: str = "call f for Paris") -> str:
    assistant = client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "function", "function": {"name": "f", "parameters": parameters}}],
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": message}])
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
    return stream.get_final_run().status


def remembered_vs_new(calls: int = 200) -> str:
    """``make_value`` for get_weather(city): the same schema and message each call (seeds
    differ) vs a schema text and a message never seen before (a description and a word that
    change each call, so that nothing is remembered)."""
    weather = CASES["baseline get_weather(city)"]

    def run(fresh: bool, rep: int) -> None:
        for i in range(calls):
            # letters around the digits: a word, not a number value of the message
            tag = f"tag{rep + 1}x{i}" if fresh else ""
            schema = {**weather, "description": tag} if fresh else weather
            make_value(
                schema,
                message=f"What's the weather in Paris? {tag}",
                now=1_767_225_600,
                seed=f"0:{rep}:{i}:get_weather",
            )

    timings = paired_best_of(
        {
            "remembered": lambda rep: run(False, rep),
            "new": lambda rep: run(True, rep),
        },
        ops=calls,
        repeats=7,
    )
    remembered, new = timings["remembered"], timings["new"]
    return (
        f"make_value get_weather(city): remembered {remembered.us:6.0f} us, "
        f"new schema and message {new.us:6.0f} us ({remembered.best / new.best:.2f}x)"
    )


def main() -> int:
    messages = {label: "call f for Paris" for label in CASES} | {LONG_MESSAGE: _long_message()}
    app = create_app(seed=0, progression="instant")
    with OpenAI(
        base_url="http://inprocess/v1",
        api_key="sk-bench-arguments",
        max_retries=0,
        http_client=httpx2.Client(transport=transport(app)),
        _strict_response_validation=True,
    ) as client:
        statuses = {
            label: streamed_run(client, schema, messages[label]) for label, schema in CASES.items()
        }
        timings = paired_best_of(
            {
                label: (lambda rep, s=schema, m=messages[label]: streamed_run(client, s, m))
                for label, schema in CASES.items()
            },
            ops=1,
            repeats=5,
        )
        peaks = {}
        for label, schema in CASES.items():
            tracemalloc.start()
            streamed_run(client, schema, messages[label])
            peaks[label] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    base_label = next(iter(CASES))
    base, base_peak = timings[base_label].best, peaks[base_label]
    lines = [
        f"{label:42s} {statuses[label]:16s} time {timings[label].best / base:6.1f}x   "
        f"peak memory {peaks[label] / base_peak:6.1f}x"
        for label in CASES
    ]
    print_report("one streamed function-call run, ratio to get_weather(city)", lines)
    print(remembered_vs_new())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
