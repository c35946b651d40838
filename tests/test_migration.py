"""The README's migration example ("Migrating to the Responses API"), taken from README.md as it
stands, passes as a user's test suite: the same conversation through the Assistants code and
the migrated Responses code, against the same scenario, gives the same reply, tool calls and
citations."""

from __future__ import annotations

import pytest

from tests.readme import python_block


def migration_example() -> str:
    """The README's python block that starts with ``# test_migration.py``."""
    return python_block("# test_migration.py")


def test_the_readme_migration_example_passes(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("test_migration_example.py").write_text(migration_example())
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:faker",
        "-W",
        "ignore::DeprecationWarning",
        "-v",
    )
    result.assert_outcomes(passed=4)
    # each behaviour ran on both sides
    for api in ("assistants", "responses"):
        result.stdout.fnmatch_lines([f"*test_a_function_call_round_trip?{api}? PASSED*"])
        result.stdout.fnmatch_lines([f"*test_a_file_search_answer_cites_its_file?{api}? PASSED*"])
