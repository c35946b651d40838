"""The README's plugin examples (tests/plugin_support) pass as a user's test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

SUPPORT = Path(__file__).parent / "plugin_support"


def test_the_readme_examples_pass(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("myapp.py").write_text((SUPPORT / "myapp.py").read_text())
    examples = (SUPPORT / "readme_examples.py").read_text()
    pytester.path.joinpath("test_readme_examples.py").write_text(examples)
    pytester.syspathinsert()
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:faker",
        "-W",
        "ignore::DeprecationWarning",
    )
    result.assert_outcomes(passed=8)
