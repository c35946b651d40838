"""The words of a run's explanation: which rule drove it, and why.

The engine writes the explanation where it decides (``engine/scripted.py`` when a run is
created, ``engine/planner.py``, ``engine/server_tools.py`` and ``engine/runner.py`` as it
works), into the run's bookkeeping (``RunRecord["explanation"]``): it persists with the
sandbox and is never recomputed. This module only says things: it imports nothing of the
engine, so the engine may import it.

A scenario rule's ``match`` is judged condition by condition (:func:`conditions`), so that a
run no rule matched can name the rule that came closest and the conditions it failed (the
near miss, as WireMock shows it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..types import Explanation, JSONObject, NearMiss


@dataclass(frozen=True)
class Condition:
    """One condition of a rule's ``match``: whether the run meets it, and in words."""

    met: bool
    text: str


def default(near_miss: NearMiss | None = None) -> Explanation:
    """The default assistant drives the run (no scenario rule matched, or none is installed)."""
    return Explanation(
        source="default", scenario=None, rule_index=None, reasons=[], near_miss=near_miss
    )


def scripted(
    scenario: str, rule_index: int, first: str, near_miss: NearMiss | None = None
) -> Explanation:
    """A scenario's rule drives the run; ``first`` says why it was chosen."""
    return Explanation(
        source="scenario",
        scenario=scenario,
        rule_index=rule_index,
        reasons=[first],
        near_miss=near_miss,
    )


def conditions(
    match: Mapping[str, Any],
    api: str,
    run: JSONObject,
    assistant: JSONObject,
    thread_metadata: Callable[[], Mapping[str, Any]],
    message: Callable[[], str],
) -> list[Condition]:
    """Each condition of ``match``, judged for ``run`` of ``api`` (the thread's metadata and the last
    user message are asked for only by the conditions that need them)."""
    judged: list[Condition] = []
    if "api" in match:
        wanted = match["api"]
        judged.append(
            _judge(
                wanted == api,
                f"the work is the {wanted} API's",
                f"the work is the {api} API's, not the {wanted} API's",
            )
        )
    if "assistant_id" in match:
        judged.append(
            _equal(
                match["assistant_id"],
                run["assistant_id"],
                "the assistant is",
                "the run's assistant is",
                shown=str,
            )
        )
    if "assistant_name" in match:
        judged.append(
            _equal(match["assistant_name"], assistant.get("name"), "the assistant is named")
        )
    if "model" in match:
        judged.append(_equal(match["model"], run["model"], "the model is"))
    if "thread_metadata" in match:
        metadata = thread_metadata()
        for key, wanted in match["thread_metadata"].items():
            got = metadata.get(key)
            if got is None and wanted is not None:
                judged.append(
                    Condition(False, f"the thread has no metadata {key} (wanted {wanted!r})")
                )
            else:
                judged.append(_equal(wanted, got, f"the thread's metadata {key} is"))
    if "message_contains" in match:
        wanted = match["message_contains"]
        text = message()
        judged.append(
            _judge(
                wanted.lower() in text.lower(),
                f"the message contains {wanted!r}",
                f"the last user message {_quote(text)} does not contain {wanted!r}",
            )
        )
    if "message_regex" in match:
        pattern = match["message_regex"]
        text = message()
        judged.append(
            _judge(
                re.search(pattern, text) is not None,
                f"the message matches /{pattern}/",
                f"the last user message {_quote(text)} does not match /{pattern}/",
            )
        )
    return judged


def matched(conditions: Sequence[Condition]) -> bool:
    return all(c.met for c in conditions)


def rule_matched(scenario: str, index: int, judged: Sequence[Condition]) -> str:
    return f"rule {index} of scenario {scenario!r} matched: " + "; ".join(c.text for c in judged)


def fallback_rule(scenario: str, index: int) -> str:
    return (
        f"rule {index} of scenario {scenario!r} has no match: it scripts every run no other "
        "rule matches"
    )


def near_miss(tried: Sequence[tuple[str, int, JSONObject, Sequence[Condition]]]) -> NearMiss | None:
    """Of the rules with a ``match`` that did not match, the closest: the fewest conditions
    failed, then the most met, then the first installed."""
    best: tuple[int, int, int] | None = None
    closest = None
    for order, (scenario, index, rule, judged) in enumerate(tried):
        failed = sum(not c.met for c in judged)
        score = (failed, -(len(judged) - failed), order)
        if best is None or score < best:
            best, closest = score, (scenario, index, rule, judged)
    if closest is None:
        return None
    scenario, index, rule, judged = closest
    why = "; ".join(c.text for c in judged if not c.met)
    met = [c.text for c in judged if c.met]
    if met:
        why += " (met: " + "; ".join(met) + ")"
    return NearMiss(scenario=scenario, rule_index=index, rule=copy.deepcopy(rule), why=why)


def _judge(met: bool, yes: str, no: str) -> Condition:
    return Condition(met, yes if met else no)


def _equal(
    wanted: Any,
    got: Any,
    subject: str,
    subject_missed: str | None = None,
    shown: Callable[[Any], str] = repr,
) -> Condition:
    """``subject wanted`` when ``got`` is ``wanted``; else ``subject got, not wanted``
    (``subject_missed`` instead of ``subject`` there, when the words differ)."""
    return _judge(
        wanted == got,
        f"{subject} {shown(wanted)}",
        f"{subject_missed or subject} {shown(got)}, not {shown(wanted)}",
    )


def _quote(text: str, limit: int = 80) -> str:
    line = " ".join(text.split())
    if not line:
        return "(none)"
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def quote(text: str) -> str:
    """A message as an explanation quotes it: on one line, shortened."""
    return _quote(text)
