"""Model families, for the rules that depend on the model."""

from __future__ import annotations

import re

_REASONING = re.compile(r"^(o\d|gpt-5(?!-chat))")


def is_reasoning_model(model: str) -> bool:
    """The o-series (o1, o3, o3-mini, o4-mini, ...) and the gpt-5 family but its chat models:
    no ``temperature``, no ``top_p``."""
    return bool(_REASONING.match(model))


def default_search_results(model: str) -> int:
    """How many results file_search returns when its tool does not say: the documented 20,
    5 for ``gpt-3.5-turbo`` models."""
    return 5 if model.startswith("gpt-3.5") else 20
