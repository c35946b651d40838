"""The README's code examples, taken from README.md as it stands, for the tests that run them."""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def python_block(first_line: str) -> str:
    """The README's ```python block whose first line is ``first_line`` (the block's text, that
    line included, up to its closing fence)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"```python\n{first_line}\n") + len("```python\n")
    return text[start : text.index("```", start)]


#: a pytester run of README examples as a user's own suite: the project's other test plugins
#: off (a user's suite has none of them), the SDK's DeprecationWarnings not reported
AS_A_USER = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:hypothesispytest",
    "-p",
    "no:faker",
    "-W",
    "ignore::DeprecationWarning",
)


def run_python_block(
    pytester: pytest.Pytester, first_line: str, filename: str, *args: str
) -> pytest.RunResult:
    """The README's python block that starts with ``first_line``, written to ``filename`` and
    run in a pytest subprocess as a user's suite (``args`` added)."""
    pytester.path.joinpath(filename).write_text(python_block(first_line))
    return pytester.runpytest_subprocess(*AS_A_USER, *args)
