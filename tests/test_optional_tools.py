"""The one gate for optional tools (``tests.conftest.require``): a missing tool skips the test
with its reason locally and fails it under CI, where every tool is installed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import require, require_module

TESTS = Path(__file__).parent


@pytest.mark.parametrize("ci", [None, "", "0", "false"])
def test_a_missing_tool_skips_with_its_reason_outside_ci(monkeypatch, ci) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="^the widget is missing: install it$"):
        require(False, "the widget is missing: install it")
    with pytest.raises(pytest.skip.Exception, match="^no such module$"):
        require_module("no_such_module_anywhere", "no such module")


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_a_missing_tool_fails_under_ci(monkeypatch, ci) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="^the widget is missing: install it \\(CI"):
        require(False, "the widget is missing: install it")
    with pytest.raises(pytest.fail.Exception, match="^no such module"):
        require_module("no_such_module_anywhere", "no such module")


def test_a_present_tool_passes_the_gate(monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "never shown")
    require_module("pytest", "never shown")


def test_no_test_checks_for_a_tool_on_its_own() -> None:
    """Every optional tool goes through the gate: no ad-hoc ``importorskip`` or ``which``
    (they skip silently in CI) outside ``conftest.py``."""
    ad_hoc = re.compile(r"importorskip\(|shutil\.which\(|\bwhich\(\"")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("conftest.py", Path(__file__).name)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ad_hoc.search(line)
    ]
    assert offenders == []
