"""The README's code examples, taken from README.md as it stands, for the tests that run them."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def python_block(first_line: str) -> str:
    """The README's ```python block whose first line is ``first_line`` (the block's text, that
    line included, up to its closing fence)."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"```python\n{first_line}\n") + len("```python\n")
    return text[start : text.index("```", start)]
