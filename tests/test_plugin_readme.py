"""The README's plugin examples, taken from README.md as they stand, pass as a user's test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readme import python_block

SUPPORT = Path(__file__).parent / "plugin_support"


def readme_examples() -> str:
    """The README's python block that starts with ``# test_assistants.py``."""
    return python_block("# test_assistants.py")


def test_the_readme_examples_pass(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("myapp.py").write_text((SUPPORT / "myapp.py").read_text())
    examples = readme_examples()
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
    result.assert_outcomes(passed=9)
