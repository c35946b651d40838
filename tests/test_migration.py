"""The README's migration example ("Migrating to the Responses API"), taken from README.md as it
stands, passes as a user's test suite: the same conversation through the Assistants code and
the migrated Responses code, against the same scenario, gives the same reply, tool calls and
citations."""

from __future__ import annotations

import pytest

from tests.readme import run_python_block


def test_the_readme_migration_example_passes(pytester: pytest.Pytester) -> None:
    result = run_python_block(pytester, "# test_migration.py", "test_migration_example.py", "-v")
    result.assert_outcomes(passed=4)
    # each behaviour ran on both sides
    for api in ("assistants", "responses"):
        result.stdout.fnmatch_lines([f"*test_a_function_call_round_trip?{api}? PASSED*"])
        result.stdout.fnmatch_lines([f"*test_a_file_search_answer_cites_its_file?{api}? PASSED*"])
