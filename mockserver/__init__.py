"""openai-assistants-mock: an offline, deterministic OpenAI Assistants API v2."""

from __future__ import annotations

__version__ = "0.1.0"

from .app import create_app
from .config import MockConfig

__all__ = ["MockConfig", "__version__", "create_app"]
