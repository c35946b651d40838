"""Deterministic text: token counts, the default reply, and how text is cut into deltas.

Everything here is written out in full (no third-party generator), so the replies and counts
never change when a dependency is upgraded. The README documents these rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..search.chunking import TOKEN

_QUOTE_LIMIT = 200


def count_tokens(text: str) -> int:
    """One token per word and per punctuation mark (a documented stand-in for a tokenizer;
    the same rule chunks files for search)."""
    return sum(1 for _ in TOKEN.finditer(text))


def truncate_tokens(text: str, limit: int) -> str:
    """The prefix of ``text`` that holds ``limit`` tokens."""
    if limit <= 0:
        return ""
    for i, match in enumerate(TOKEN.finditer(text)):
        if i == limit:
            return text[: match.start()].rstrip()
    return text


def quote(text: str) -> str:
    """The user's words as the reply quotes them: one line, at most 200 characters."""
    line = " ".join(text.split())
    return line if len(line) <= _QUOTE_LIMIT else line[: _QUOTE_LIMIT - 1].rstrip() + "…"


def default_reply(last_user_text: str | None, tool_results: Iterable[tuple[str, str]] = ()) -> str:
    """The assistant's answer when no scenario scripts one.

    * ``You asked: "<the last user message>".`` (or ``Hello!`` when the thread has none),
    * then, for each tool result of the run, ``<tool name> returned: <output>.``,
    * then ``This is a simulated answer from the assistants mock.``
    """
    parts = [f'You asked: "{quote(last_user_text)}".' if last_user_text else "Hello!"]
    for name, output in tool_results:
        parts.append(f"{name} returned: {quote(output)}.")
    parts.append("This is a simulated answer from the assistants mock.")
    return " ".join(parts)


def chunks(text: str, size: int = 24) -> list[str]:
    """Delta fragments: cut at whitespace near ``size`` characters; joined they give ``text``."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start + 1, end + 1)
            if space > start:
                end = space + 1
        pieces.append(text[start:end])
        start = end
    return pieces or [""]
