"""Model families, for the rules that depend on the model."""

from __future__ import annotations

import functools
import re

_REASONING = re.compile(r"^(o\d|gpt-5(?!-chat))")


# remembered: asked on every create and run, of the few models a suite names (bounded, since a
# request can name any model)
@functools.lru_cache(maxsize=256)
def is_reasoning_model(model: str) -> bool:
    """The o-series (o1, o3, o3-mini, o4-mini, ...) and the gpt-5 family but its chat models:
    no ``temperature``, no ``top_p``."""
    return bool(_REASONING.match(model))


def default_search_results(model: str) -> int:
    """How many results file_search returns when its tool does not say: the documented 20,
    5 for ``gpt-3.5-turbo`` models."""
    return 5 if model.startswith("gpt-3.5") else 20
