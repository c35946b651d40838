"""openai-assistants-mock: an offline, deterministic OpenAI Assistants API v2."""

from __future__ import annotations

from .app import create_app
from .config import MockConfig
from .version import __version__

__all__ = ["MockConfig", "__version__", "create_app"]
