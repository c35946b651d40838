"""Which files are retrievable, the chunking strategies and the tokens chunks are counted in
(``extraction`` turns bytes into text, ``index.build_index`` cuts the windows).
Pure: no sandbox, no HTTP.

"Tokens" are approximated by words and punctuation marks (``\\w+`` or one non-space symbol),
close enough to the real tokenizer for chunk counts of the right order and fully
deterministic.
"""

from __future__ import annotations

import re

#: extensions the real API accepts for retrieval (wire-format §10 item 4)
SUPPORTED_EXTENSIONS = frozenset(
    [
        ".c",
        ".cs",
        ".cpp",
        ".doc",
        ".docx",
        ".html",
        ".java",
        ".json",
        ".md",
        ".pdf",
        ".php",
        ".pptx",
        ".py",
        ".rb",
        ".tex",
        ".txt",
        ".css",
        ".js",
        ".sh",
        ".ts",
    ]
)

#: the chunking the API reports for ``auto`` (and the default)
AUTO = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}

#: a token: a word (group 1) or one punctuation mark
TOKEN = re.compile(r"(\w+)|[^\w\s]")


def extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def retrievable(filename: str) -> bool:
    return extension(filename) in SUPPORTED_EXTENSIONS


def static_strategy(requested: dict | None) -> dict:
    """The ``chunking_strategy`` object a vector store file reports."""
    if requested and requested.get("type") == "static":
        return {"type": "static", "static": dict(requested["static"])}
    return {"type": "static", "static": dict(AUTO)}


def tokens(text: str) -> list[str]:
    """Search terms: lower-cased words (punctuation is not a term)."""
    return [t for t in re.findall(r"\w+", text.lower()) if t not in STOPWORDS]


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
    ]
)
