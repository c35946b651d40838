"""openai-assistants-mock: an offline, deterministic OpenAI Assistants API v2."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .app import create_app
    from .config import MockConfig

__all__ = ["MockConfig", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    """``create_app`` and ``MockConfig`` load on first use: the pytest plugin lives inside this
    package (``mockserver.pytest_plugin``) and loads in every pytest run of a project that has
    the package installed, so importing the package must not import the server (Starlette)."""
    if name == "create_app":
        from .app import create_app

        return create_app
    if name == "MockConfig":
        from .config import MockConfig

        return MockConfig
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
