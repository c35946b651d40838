"""Which tools the default assistant calls for a user message (documented in the README).

A function is called when the last user message names it, or contains one of its distinctive
words: its name split on underscores, hyphens and camel case, less generic verbs.
"""

from __future__ import annotations

import re

GENERIC_WORDS = frozenset(
    [
        "get",
        "set",
        "list",
        "create",
        "fetch",
        "update",
        "delete",
        "remove",
        "add",
        "find",
        "make",
        "do",
        "run",
        "read",
        "write",
        "retrieve",
        "lookup",
        "look",
        "up",
        "check",
        "send",
        "post",
        "put",
        "query",
        "call",
        "handle",
        "process",
        "perform",
        "execute",
        "load",
        "save",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "by",
        "with",
        "from",
        "in",
        "on",
        "is",
    ]
)

#: words in the last user message that make the default assistant use code_interpreter
CODE_WORDS = frozenset(
    [
        "calculate",
        "calculation",
        "compute",
        "computation",
        "analyse",
        "analyze",
        "analysis",
        "plot",
        "chart",
        "graph",
        "visualise",
        "visualize",
        "visualisation",
        "visualization",
    ]
)
#: of those, the ones that also produce an image
IMAGE_WORDS = frozenset(
    ["plot", "chart", "graph", "visualise", "visualize", "visualisation", "visualization"]
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def name_words(name: str) -> list[str]:
    words = []
    for part in re.split(r"[_\-\s.]+", name):
        words.extend(w.lower() for w in _CAMEL.split(part) if w)
    return words


def distinctive_words(name: str) -> set[str]:
    return {w for w in name_words(name) if w not in GENERIC_WORDS and len(w) > 1}


def message_words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[A-Za-z0-9]+", text):
        lower = word.lower()
        words.add(lower)
        if lower.endswith("s") and len(lower) > 3:
            words.add(lower[:-1])  # "forecasts" asks for get_forecast
    return words


def mentions(text: str, function_name: str) -> bool:
    if function_name.lower() in text.lower():
        return True
    return bool(distinctive_words(function_name) & message_words(text))


def asks_for_code(text: str) -> bool:
    return bool(CODE_WORDS & message_words(text))


def asks_for_image(text: str) -> bool:
    return bool(IMAGE_WORDS & message_words(text))
