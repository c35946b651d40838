"""Runs scripted by a scenario: the rule a run matched, played one phase at a time.

At run creation :func:`choose` picks the first matching rule of the sandbox's installed
scenarios (rules with a ``match`` first, in install order, then the first rule without one,
the default) and copies it into the run's bookkeeping, with its position, as plain JSON. The
run keeps its script even if the scenarios change afterwards. :func:`planner_for` then gives
the runner either :func:`play` or the default planner.

Scenario documents arrive here in the canonical form of ``mockserver.scenarios.document``; this module
never imports the loader (the engine does not depend on it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from ..inspect import explain
from ..resources import files
from ..types import (
    EndPhase,
    FunctionCallsPhase,
    JSONObject,
    MessagePhase,
    Phase,
    ScriptRecord,
    ToolPhase,
)
from . import planner as default_planner
from . import png, server_tools
from .machine import RunContext
from .runner import Planner

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def choose(ctx: RunContext, assistant: JSONObject) -> None:
    """Pick the run's rule (if any scenario scripts it) and remember it in the run's record,
    with why (and, when no rule with a ``match`` matched, the rule that came closest)."""
    default: tuple[str, int, JSONObject] | None = None
    tried: list[tuple[str, int, JSONObject, list[explain.Condition]]] = []
    message = _once(lambda: default_planner.last_user_text(ctx) or "")
    for document in ctx.sandbox.settings.get("scenarios", []):
        for index, rule in enumerate(document["runs"]):
            if rule["match"] is None:
                if default is None:
                    default = (document["name"], index, rule)
                continue
            judged = explain.conditions(
                rule["match"], ctx.run, assistant, lambda: _thread_metadata(ctx), message
            )
            if explain.matched(judged):
                _remember(ctx, document["name"], index, rule)
                reason = explain.rule_matched(document["name"], index, judged)
                ctx.record["explanation"] = explain.scripted(document["name"], index, reason)
                return
            tried.append((document["name"], index, rule, judged))
    near_miss = explain.near_miss(tried)
    if default is not None:
        _remember(ctx, *default)
        name, index, _ = default
        reason = explain.fallback_rule(name, index)
        ctx.record["explanation"] = explain.scripted(name, index, reason, near_miss)
    else:
        ctx.record["explanation"] = explain.default(near_miss)


def _once(read: Callable[[], str]) -> Callable[[], str]:
    """``read``, called at most once (every rule asks for the same last user message)."""
    cache: list[str] = []

    def value() -> str:
        if not cache:
            cache.append(read())
        return cache[0]

    return value


def _thread_metadata(ctx: RunContext) -> JSONObject:
    thread = ctx.sandbox.threads().get(ctx.run["thread_id"]) or {}
    return thread.get("metadata") or {}


def _remember(ctx: RunContext, scenario: str, index: int, rule: JSONObject) -> None:
    ctx.record["script"] = ScriptRecord(
        scenario=scenario, rule_index=index, rule=copy.deepcopy(rule), position=0, images=[]
    )


def planner_for(ctx: RunContext) -> Planner:
    return play if "script" in ctx.record else default_planner.next_phase


def loses_cancel_race(ctx: RunContext) -> bool:
    """Whether a cancel of this run arrives too late (the run completes first)."""
    script = ctx.record.get("script")
    return script is not None and script["rule"]["end"]["status"] == "cancel_loses_race"


def play(ctx: RunContext) -> Phase:
    """The next phase of the run's script; the ending once every step has been played."""
    script = ctx.record["script"]
    steps = script["rule"]["steps"]
    while script["position"] < len(steps):
        step = steps[script["position"]]
        script["position"] += 1
        if step["delay"]:
            ctx.sandbox.clock.advance(step["delay"])  # virtual time: nothing sleeps
        ctx.explain(_step_words(script["position"] - 1, step))
        phase = _phase(ctx, script, step)
        if phase is not None:
            return phase
    end = script["rule"]["end"]
    ctx.explain(f"the rule ends the run: {end['status']}")
    return _ending(ctx, end)


def _step_words(index: int, step: JSONObject) -> str:
    """What a script's step does, as the explanation says it."""
    kind = step["kind"]
    said = f"step {index} of the rule"
    if step["delay"]:
        said += f" (after {step['delay']} virtual seconds)"
    if kind == "function_calls":
        calls = ", ".join(
            f"{c['name']}"
            + (
                " with the rule's arguments"
                if c["arguments"] is not None
                else " with arguments made from its parameters"
            )
            for c in step["calls"]
        )
        return f"{said}: called {calls}"
    if kind == "code_interpreter":
        return f"{said}: ran code_interpreter with the rule's program and outputs"
    if kind == "file_search":
        query = step["query"]
        searched = "the last user message" if query is None else repr(query)
        return f"{said}: searched the vector stores for {searched}"
    if step["text"] is None:
        return f"{said}: replied with the default assistant's answer"
    return f"{said}: replied with the rule's text"


def _phase(ctx: RunContext, script: ScriptRecord, step: JSONObject) -> Phase | None:
    kind = step["kind"]
    if kind == "function_calls":
        return _function_calls(ctx, step["calls"])
    if kind == "code_interpreter":
        return _code_interpreter(ctx, script, step)
    if kind == "file_search":
        query = (
            step["query"]
            if step["query"] is not None
            else default_planner.last_user_text(ctx) or ""
        )
        return server_tools.phase(ctx, "file_search", query, forced=True)
    return _message(ctx, script, step["text"])


def _function_calls(ctx: RunContext, calls: list[JSONObject]) -> FunctionCallsPhase:
    tools = {
        t["function"]["name"]: t["function"] for t in ctx.run["tools"] if t["type"] == "function"
    }
    message = default_planner.last_user_text(ctx) or ""
    out = []
    for call in calls:
        if call["arguments"] is not None:
            out.append({"name": call["name"], "arguments": call["arguments"]})
        else:
            # generated from the function's declared parameters, like the default assistant
            function = tools.get(call["name"], {"name": call["name"]})
            out.extend(default_planner.function_calls(ctx, [function], message)["calls"])
    return {"kind": "function_calls", "calls": out}


def _code_interpreter(ctx: RunContext, script: ScriptRecord, step: JSONObject) -> ToolPhase:
    outputs: list[JSONObject] = []
    for output in step["outputs"]:
        if "logs" in output:
            outputs.append({"type": "logs", "logs": output["logs"]})
        else:
            image = files.create_from_bytes(
                ctx.sandbox,
                None,
                "chart.png",
                png.bar_chart(output["image"]["values"]),
                "assistants_output",
            )
            outputs.append({"type": "image", "image": {"file_id": image["id"]}})
            script["images"].append(image["id"])
    return {
        "kind": "tool",
        "calls": [
            {
                "type": "code_interpreter",
                "code_interpreter": {"input": step["input"], "outputs": outputs},
            }
        ],
    }


def _message(ctx: RunContext, script: ScriptRecord, text: str | None) -> MessagePhase:
    images, script["images"] = script["images"], []
    if text is None:
        # the engine's own answer: a cited reply after file_search, else the default reply
        phase = default_planner.message_phase(ctx)
        ctx.record.pop("reply", None)
    else:
        phase = {"kind": "message", "text": render(ctx, text), "annotations": []}
    phase["images"] = [*images, *phase.get("images", [])]
    rule = script["rule"]
    end = rule["end"]
    last = not any(s["kind"] == "message" for s in rule["steps"][script["position"] :])
    if last and end["status"] == "incomplete" and end["reason"] == "max_completion_tokens":
        phase["cut"] = True  # the model ran out of tokens while writing this message
    return phase


def render(ctx: RunContext, text: str) -> str:
    """Fill ``{{output}}`` (the last tool output), ``{{outputs.NAME}}`` (the last output of
    that tool) and ``{{user_message}}``; unknown names were refused when the scenario loaded."""
    results: list[list[str]] = ctx.record["tool_results"]

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "output":
            return results[-1][1] if results else ""
        if name == "user_message":
            return default_planner.last_user_text(ctx) or ""
        wanted = name.removeprefix("outputs.")
        return next((output for tool, output in reversed(results) if tool == wanted), "")

    return _PLACEHOLDER.sub(value, text)


def _ending(ctx: RunContext, end: JSONObject) -> EndPhase:
    status = end["status"]
    if status == "failed":
        return {"kind": "end", "status": "failed", "last_error": dict(end["last_error"])}
    if status == "cancelled":
        return {"kind": "end", "status": "cancelled"}
    if status == "incomplete":
        return {"kind": "end", "status": "incomplete", "reason": end["reason"]}
    if status == "expired":
        # the run overran its ten minutes: the clock moves to expires_at (virtually)
        expires_at = ctx.run["expires_at"]
        if expires_at is not None and expires_at > ctx.sandbox.now():
            ctx.sandbox.clock.advance(expires_at - ctx.sandbox.now())
        return {"kind": "end", "status": "expired"}
    return {"kind": "end", "status": "completed"}
