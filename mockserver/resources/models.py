"""Model families, for the rules that depend on the model."""

from __future__ import annotations

import re

_REASONING = re.compile(r"^o\d")


def is_reasoning_model(model: str) -> bool:
    """The o-series (o1, o3, o3-mini, o4-mini, ...): no ``temperature``, no ``top_p``."""
    return bool(_REASONING.match(model))
