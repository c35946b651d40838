"""Function-call arguments that satisfy the function's JSON schema, deterministic per seed.

Values are plausible rather than random noise: a string property named like a place takes a
capitalised word of the user's message when there is one, dates come from the virtual clock,
enums take one of their values. Nothing depends on a third-party data set.
"""

from __future__ import annotations

import datetime
import random
import re
from typing import Any

_CITIES = ("Paris", "London", "Tokyo", "New York", "Berlin", "Madrid", "Toronto", "Sydney")
_NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Linus Torvalds", "Margaret Hamilton")
_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")
_PLACE_KEYS = ("city", "location", "place", "country", "region", "destination", "origin", "town")
_STOP = {"What", "Whats", "What's", "How", "Please", "Can", "Could", "Would", "The", "I", "Is", "Tell", "Show", "Get", "Give"}


def _proper_nouns(message: str) -> list[str]:
    """Capitalised words and runs of them, those inside a sentence first: a sentence's first
    word is capitalised by grammar ("Book a trip to Tokyo" is about Tokyo, not "Book")."""
    inside, initial = [], []
    for match in re.finditer(r"\b[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)*", message):
        if match.group() in _STOP:
            continue
        before = message[: match.start()].rstrip()
        (initial if not before or before[-1] in ".!?:" else inside).append(match.group())
    return inside + initial


class ArgumentMaker:
    def __init__(self, rng: random.Random, message: str, now: int) -> None:
        self.rng = rng
        self.message = message
        self.now = now
        self.proper_nouns = _proper_nouns(message)

    def make(self, schema: Any, name: str = "") -> Any:
        if not isinstance(schema, dict):
            return self._string(name, {})
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                options = [s for s in schema[key] if isinstance(s, dict) and s.get("type") != "null"]
                return self.make(options[0] if options else schema[key][0], name)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.rng.choice(schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind is None:
            kind = "object" if "properties" in schema else "string"
        maker = getattr(self, f"_{kind}", None)
        return maker(name, schema) if maker else None

    def _object(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        return {key: self.make(sub, key) for key, sub in properties.items()}

    def _array(self, name: str, schema: dict[str, Any]) -> list[Any]:
        low = int(schema.get("minItems", 1))
        high = max(low, min(int(schema.get("maxItems", 2)), 2))
        singular = name.removesuffix("s")
        return [self.make(schema.get("items", {}), singular) for _ in range(self.rng.randint(low, high))]

    def _string(self, name: str, schema: dict[str, Any]) -> str:
        key = name.lower()
        fmt = schema.get("format")
        today = datetime.datetime.fromtimestamp(self.now, datetime.timezone.utc)
        if fmt == "date" or key.endswith("date"):
            return today.date().isoformat()
        if fmt == "date-time" or key.endswith(("time", "_at")):
            return today.isoformat().replace("+00:00", "Z")
        if fmt == "email" or "email" in key:
            return "user@example.com"
        if fmt in ("uri", "url") or key.endswith("url"):
            return "https://example.com/"
        if fmt == "uuid" or key.endswith("uuid"):
            return f"00000000-0000-4000-8000-{self.rng.getrandbits(48):012x}"
        if any(p in key for p in _PLACE_KEYS):
            return self.proper_nouns[0] if self.proper_nouns else self.rng.choice(_CITIES)
        if "name" in key:
            return self.proper_nouns[0] if self.proper_nouns else self.rng.choice(_NAMES)
        if key in ("unit", "units"):
            return "celsius"
        value = self.rng.choice(_WORDS)
        if key in ("query", "q", "search", "text", "question", "prompt"):
            value = self.message or value
        limit = schema.get("maxLength")
        return value[:limit] if isinstance(limit, int) else value

    def _integer(self, name: str, schema: dict[str, Any]) -> int:
        low = int(schema.get("minimum", 1))
        high = int(schema.get("maximum", max(low, 10)))
        return self.rng.randint(low, max(low, high))

    def _number(self, name: str, schema: dict[str, Any]) -> float:
        low = float(schema.get("minimum", 0))
        high = float(schema.get("maximum", max(low, 100)))
        return round(self.rng.uniform(low, high), 2)

    def _boolean(self, name: str, schema: dict[str, Any]) -> bool:
        return self.rng.random() < 0.5

    def _null(self, name: str, schema: dict[str, Any]) -> None:
        return None
