"""The suite's own rules (tests/conftest.py): the one gate for optional tools, which skips a
test with its reason locally and fails it under CI, where every tool is installed; and the
Hypothesis profiles, which size the state-machine proofs (small locally, large in CI)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import hypothesis.stateful
import pytest
from hypothesis import settings

from tests import test_properties, test_run_state_machine
from tests.conftest import ROOT, require, require_module

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
    """Every optional tool goes through the gate: no ad-hoc ``importorskip`` or ``which``,
    and no bare ``pytest.skip()`` or ``@pytest.mark.skip`` (they skip silently in CI) outside
    ``conftest.py``."""
    ad_hoc = re.compile(r"importorskip\(|shutil\.which\(|\bwhich\(\"|pytest\.skip\(|mark\.skip\b")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("conftest.py", Path(__file__).name)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ad_hoc.search(line)
    ]
    assert offenders == []


# -- Hypothesis profiles -----------------------------------------------------------------------


@pytest.mark.parametrize(("ci", "profile"), [(None, "dev"), ("false", "dev"), ("true", "ci")])
def test_ci_chooses_the_ci_profile(ci, profile) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    script = (
        "import tests.conftest; from hypothesis import settings; "
        "print(settings.default.max_examples, settings.default.derandomize)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    chosen = settings.get_profile(profile)
    assert out.stdout.split() == [str(chosen.max_examples), str(chosen.derandomize)]


def test_the_ci_profile_runs_many_derandomized_examples_and_dev_explores() -> None:
    ci, dev = settings.get_profile("ci"), settings.get_profile("dev")
    assert ci.max_examples >= 10 * dev.max_examples and ci.max_examples >= 200
    assert ci.derandomize is True and dev.derandomize is False and dev.print_blob is True


def test_the_state_machine_proofs_take_their_size_from_the_profile(monkeypatch) -> None:
    """Their settings name no ``max_examples`` or ``derandomize`` of their own."""
    seen: list[settings] = []

    def capture(machine, *, settings) -> None:  # instead of running the machine
        seen.append(settings)

    monkeypatch.setattr(test_run_state_machine, "run_state_machine_as_test", capture)
    monkeypatch.setattr(hypothesis.stateful, "run_state_machine_as_test", capture)
    test_run_state_machine.test_run_engine_matches_the_reference_model(None)
    test_properties.test_store_agrees_with_a_reference_model(None, None, None)
    assert [(s.max_examples, s.derandomize) for s in seen] == [
        (settings.default.max_examples, settings.default.derandomize)
    ] * 2
