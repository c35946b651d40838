"""Which tools the default assistant calls for a user message (documented in the README).

A function is called when the last user message names it, or contains one of its distinctive
words: its name split on underscores, hyphens and camel case, less generic verbs. When no
function is named so, the functions whose description or parameter names share the most
distinctive words with the message are called. code_interpreter runs when the message asks to
calculate, plot... or asks for code ("with code", "write a program", "in Python").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


#: function words of descriptions (and generic API words): they say nothing about what a
#: function is for, so they never choose one
DESCRIPTION_STOPWORDS = frozenset(
    ["about", "above", "after", "again", "against", "all", "also", "am", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "can", "cannot", "could", "did", "does", "doing", "down", "during", "each", "either", "else", "etc", "even", "ever", "every", "few", "given", "gives", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "if", "into", "it", "its", "itself", "just", "me", "more", "most", "must", "my", "no", "nor", "not", "now", "off", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "too", "under", "until", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "would", "yet", "you", "your", "provide", "provides", "provided", "return", "returns", "returned", "result", "results", "value", "values", "specified", "specify", "function", "tool", "tools", "use", "used", "using", "user", "users", "information", "info", "data", "current", "given", "requested", "request", "based", "optional", "required", "parameter", "parameters", "argument", "arguments", "input", "output", "string", "number", "integer", "boolean", "object", "array", "list", "field", "fields", "name", "names", "type", "types", "default", "example", "e", "g", "i", "e", "like", "one", "two", "new"]
)

#: phrases in the last user message that ask for code to be written and run
CODE_PHRASES = re.compile(
    r"\b(?:(?:with|using|use|via|in|by)\s+(?:some\s+|a\s+|the\s+)?(?:code|python|a\s+program|a\s+script)"
    r"|(?:write|writing|run|running|execute|create|generate)\s+(?:me\s+)?(?:some\s+|a\s+|the\s+)?"
    r"(?:python\s+)?(?:code|program|script|snippet)"
    r"|code\s+interpreter|python\s+(?:code|program|script))\b",
    re.IGNORECASE,
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def singular(word: str) -> str:
    """A plural's singular, near enough for matching ("forecasts" asks for get_forecast)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def name_words(name: str) -> list[str]:
    words = []
    for part in re.split(r"[_\-\s.]+", name):
        words.extend(w.lower() for w in _CAMEL.split(part) if w)
    return words


def distinctive_words(name: str) -> set[str]:
    return {w for w in name_words(name) if w not in GENERIC_WORDS and len(w) > 1}


def text_words(text: str) -> set[str]:
    """The distinctive words of a description: no function words, no generic verbs."""
    return {
        singular(w) for w in re.findall(r"[a-z0-9]+", text.lower())
        if len(w) > 2 and not w.isdigit() and w not in DESCRIPTION_STOPWORDS and w not in GENERIC_WORDS
    }


def message_words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[A-Za-z0-9]+", text):
        lower = word.lower()
        words.add(lower)
        words.add(singular(lower))
    return words


def mention(text: str, function_name: str) -> str | None:
    """What in ``text`` names the function: its whole name, or one of its distinctive words
    (singular; the alphabetically first when several are there); None if nothing does."""
    if function_name.lower() in text.lower():
        return function_name
    found = {singular(w) for w in distinctive_words(function_name)} & message_words(text)
    return min(found) if found else None


def mentions(text: str, function_name: str) -> bool:
    return mention(text, function_name) is not None


def described_words(function: Mapping[str, Any]) -> set[str]:
    """What a function is about besides its name: its description's distinctive words and
    its top-level parameter names."""
    words = text_words(function.get("description") or "")
    properties = (function.get("parameters") or {}).get("properties")
    if isinstance(properties, Mapping):
        for key in properties:
            words |= {singular(w) for w in distinctive_words(str(key))}
    return words


@dataclass(frozen=True)
class FunctionMatch:
    """A function ``auto`` calls, and why: the message names it (``named``: the word), or
    shares these words with its description and parameter names (``shared``)."""

    function: Mapping[str, Any]
    named: str | None = None
    shared: tuple[str, ...] = ()

    def why(self) -> str:
        if self.named is not None:
            return f"the message contains {self.named!r}"
        words = ", ".join(repr(w) for w in self.shared)
        return (
            f"the message shares {words} with its description or parameters "
            f"({len(self.shared)} word{'s' if len(self.shared) > 1 else ''}, the most of any function)"
        )


def match_functions(text: str, functions: list[Mapping[str, Any]]) -> list[FunctionMatch]:
    """The functions ``auto`` calls for ``text``, with why: those the message names; if none,
    those whose description and parameter names share the most words with it (in declaration
    order)."""
    named = [
        FunctionMatch(f, named=word)
        for f in functions
        if (word := mention(text, f["name"])) is not None
    ]
    if named:
        return named
    words = message_words(text)
    shared = [sorted(described_words(f) & words) for f in functions]
    best = max(map(len, shared), default=0)
    return [
        FunctionMatch(f, shared=tuple(common))
        for f, common in zip(functions, shared)
        if best and len(common) == best
    ]


def functions_for(text: str, functions: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The functions ``auto`` calls for ``text`` (see :func:`match_functions`)."""
    return [m.function for m in match_functions(text, functions)]


def code_request(text: str) -> str | None:
    """The word or phrase of ``text`` that asks for code_interpreter, or None."""
    words = CODE_WORDS & message_words(text)
    if words:
        return min(words)
    phrase = CODE_PHRASES.search(text)
    return None if phrase is None else phrase.group(0)


def asks_for_code(text: str) -> bool:
    return code_request(text) is not None


def image_request(text: str) -> str | None:
    """The word of ``text`` that asks for a chart, or None."""
    words = IMAGE_WORDS & message_words(text)
    return min(words) if words else None


def asks_for_image(text: str) -> bool:
    return image_request(text) is not None
