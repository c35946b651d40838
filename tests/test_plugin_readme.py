"""The README's plugin examples, taken from README.md as they stand, pass as a user's test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readme import run_python_block

SUPPORT = Path(__file__).parent / "plugin_support"


def test_the_readme_examples_pass(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("myapp.py").write_text((SUPPORT / "myapp.py").read_text())
    pytester.syspathinsert()
    result = run_python_block(pytester, "# test_assistants.py", "test_readme_examples.py")
    result.assert_outcomes(passed=9)
