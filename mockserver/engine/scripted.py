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
from .machine import PlanContext
from .runner import Planner

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def choose(ctx: PlanContext, assistant: JSONObject) -> None:
    """Pick the run's rule (if any scenario scripts it) and remember it in the run's record."""
    default: tuple[str, int, JSONObject] | None = None
    for document in ctx.sandbox.settings.get("scenarios", []):
        for index, rule in enumerate(document["runs"]):
            if rule["match"] is None:
                if default is None:
                    default = (document["name"], index, rule)
            elif _matches(ctx, assistant, rule["match"]):
                _remember(ctx, document["name"], index, rule)
                return
    if default is not None:
        _remember(ctx, *default)


def _remember(ctx: PlanContext, scenario: str, index: int, rule: JSONObject) -> None:
    ctx.record["script"] = ScriptRecord(
        scenario=scenario, rule_index=index, rule=copy.deepcopy(rule), position=0, images=[]
    )


def _matches(ctx: PlanContext, assistant: JSONObject, match: JSONObject) -> bool:
    run = ctx.run
    if "api" in match and match["api"] != ctx.api:
        return False
    if "assistant_id" in match and match["assistant_id"] != run["assistant_id"]:
        return False
    if "assistant_name" in match and match["assistant_name"] != assistant.get("name"):
        return False
    if "model" in match and match["model"] != run["model"]:
        return False
    if "thread_metadata" in match:
        thread = ctx.sandbox.threads().get(run["thread_id"]) or {}
        metadata = thread.get("metadata") or {}
        if any(metadata.get(k) != v for k, v in match["thread_metadata"].items()):
            return False
    if "message_contains" in match or "message_regex" in match:
        text = default_planner.last_user_text(ctx) or ""
        if "message_contains" in match and match["message_contains"].lower() not in text.lower():
            return False
        if "message_regex" in match and re.search(match["message_regex"], text) is None:
            return False
    return True


def planner_for(ctx: PlanContext) -> Planner:
    return play if "script" in ctx.record else default_planner.next_phase


def loses_cancel_race(ctx: PlanContext) -> bool:
    """Whether a cancel of this run arrives too late (the run completes first)."""
    script = ctx.record.get("script")
    return script is not None and script["rule"]["end"]["status"] == "cancel_loses_race"


def play(ctx: PlanContext) -> Phase:
    """The next phase of the run's script; the ending once every step has been played."""
    script = ctx.record["script"]
    steps = script["rule"]["steps"]
    while script["position"] < len(steps):
        step = steps[script["position"]]
        script["position"] += 1
        if step["delay"]:
            ctx.sandbox.clock.advance(step["delay"])  # virtual time: nothing sleeps
        phase = _phase(ctx, script, step)
        if phase is not None:
            return phase
    return _ending(ctx, script["rule"]["end"])


def _phase(ctx: PlanContext, script: ScriptRecord, step: JSONObject) -> Phase | None:
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


def _function_calls(ctx: PlanContext, calls: list[JSONObject]) -> FunctionCallsPhase:
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


def _code_interpreter(ctx: PlanContext, script: ScriptRecord, step: JSONObject) -> ToolPhase:
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


def _message(ctx: PlanContext, script: ScriptRecord, text: str | None) -> MessagePhase:
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


def render(ctx: PlanContext, text: str) -> str:
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


def _ending(ctx: PlanContext, end: JSONObject) -> EndPhase:
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
