"""pytest plugin: registered through the ``pytest11`` entry point ``assistants_mock``."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "assistants_mock(scenario=None, seed=None, progression=None): configure the "
        "assistants_mock fixture for this test",
    )
