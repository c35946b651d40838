"""What a run does, one phase at a time, when no scenario scripts it (the default assistant).

A planner returns one :data:`~mockserver.types.Phase` at a time: function calls
(``requires_action``), a server tool step, a message, or the end. Scenarios produce the same
phases, so the runner does not care where they come from.
"""

from __future__ import annotations

import json

from ..types import FunctionCallsPhase, JSONObject, MessagePhase, Phase
from . import matching, server_tools, text
from .arguments import make_value
from .machine import RunContext


def last_user_text(ctx: RunContext) -> str | None:
    """The text of the thread's newest user message (text parts joined by newlines)."""
    latest = None
    for message in ctx.messages():
        if message["role"] == "user":
            latest = message
    if latest is None:
        return None
    return message_text(latest)


def message_text(message: JSONObject) -> str:
    return "\n".join(p["text"]["value"] for p in message["content"] if p["type"] == "text")


def prompt_tokens(ctx: RunContext) -> int:
    """Instructions, the thread (after the truncation strategy) and tool outputs so far."""
    run = ctx.run
    history = [
        m for m in ctx.messages() if m["run_id"] != run["id"] or m["status"] != "in_progress"
    ]
    strategy = run["truncation_strategy"]
    if strategy["type"] == "last_messages" and strategy.get("last_messages"):
        history = history[-strategy["last_messages"] :]
    total = text.count_tokens(run["instructions"])
    total += sum(text.count_tokens(message_text(m)) for m in history)
    total += sum(text.count_tokens(json.dumps(t)) for t in run["tools"])
    total += sum(text.count_tokens(output) for _, output in ctx.record["tool_results"])
    return total


def next_phase(ctx: RunContext) -> Phase:
    done: list[str] = ctx.record["done"]
    if not done:
        phase = tool_phase(ctx)
        if phase is not None:
            return phase
    if "message" not in done:
        return message_phase(ctx)
    return {"kind": "end", "status": "completed"}


def tool_phase(ctx: RunContext) -> Phase | None:
    """The first round of tool use, decided by ``tool_choice`` and the last user message
    (each decision noted in the run's explanation)."""
    run = ctx.run
    choice = run["tool_choice"]
    if choice == "none":
        ctx.explain("no tool called: tool_choice is 'none'")
        return None
    message = last_user_text(ctx) or ""
    functions = [t["function"] for t in run["tools"] if t["type"] == "function"]
    kinds = {t["type"] for t in run["tools"]}
    if isinstance(choice, dict):
        if choice["type"] == "function":
            name = choice["function"]["name"]
            ctx.explain(f"called {name}: tool_choice names it")
            chosen = [f for f in functions if f["name"] == name]
            return function_calls(ctx, chosen, message)
        ctx.explain(f"used {choice['type']}: tool_choice names it")
        return server_tools.phase(ctx, choice["type"], message, forced=True)
    matches = matching.match_functions(message, functions)
    if matches:
        called, skipped = matches, []
        if not run["parallel_tool_calls"]:
            called, skipped = matches[:1], matches[1:]
        for match in called:
            ctx.explain(f"called {match.function['name']}: {match.why()}")
        if skipped:
            names = ", ".join(m.function["name"] for m in skipped)
            ctx.explain(f"did not call {names} as well: parallel_tool_calls is false")
        return function_calls(ctx, [m.function for m in called], message)
    if functions:
        ctx.explain(
            "no function called: no word of its name or description in the message"
            if len(functions) == 1
            else "no function called: no word of their names or descriptions in the message"
        )
    for kind in ("code_interpreter", "file_search"):
        if kind in kinds:
            phase = server_tools.phase(ctx, kind, message, forced=False)
            if phase is not None:
                return phase
    if choice == "required":
        if functions:
            name = functions[0]["name"]
            ctx.explain(f"called {name}: tool_choice is 'required', and it is the first function")
            return function_calls(ctx, functions[:1], message)
        for kind in ("file_search", "code_interpreter"):
            if kind in kinds:
                ctx.explain(f"used {kind}: tool_choice is 'required'")
                return server_tools.phase(ctx, kind, message, forced=True)
    if not run["tools"]:
        ctx.explain("no tool called: the run has no tools")
    return None


def function_calls(
    ctx: RunContext, functions: list[JSONObject], message: str
) -> FunctionCallsPhase:
    calls = []
    for function in functions:
        arguments = make_value(
            function.get("parameters") or {"type": "object", "properties": {}},
            message=message,
            now=ctx.sandbox.now(),
            seed=f"{ctx.sandbox.seed}:{ctx.run['id']}:{function['name']}",
            subject=f"function '{function['name']}'",
        )
        calls.append({"name": function["name"], "arguments": json.dumps(arguments)})
    return {"kind": "function_calls", "calls": calls}


def message_phase(ctx: RunContext) -> MessagePhase:
    special = server_tools.reply(ctx)
    if special is not None:
        return special
    results = ctx.record["tool_results"]
    reply = text.default_reply(last_user_text(ctx), results)
    if results:
        names = ", ".join(dict.fromkeys(name for name, _ in results))
        ctx.explain(f"replied with the default answer, quoting the output of {names}")
    else:
        ctx.explain("replied with the default answer: the last user message, quoted")
    return {"kind": "message", "text": formatted(ctx, reply), "annotations": [], "images": []}


def formatted(ctx: RunContext, reply: str) -> str:
    """A JSON ``response_format`` gets JSON: ``{"answer": reply}``, or a value of the schema."""
    fmt = ctx.run["response_format"]
    if not isinstance(fmt, dict) or fmt.get("type") == "text":
        return reply
    if fmt["type"] == "json_schema":
        spec = fmt.get("json_schema") or {}
        ctx.explain(
            f"the reply is a value of the schema {spec.get('name', '')!r}: response_format is "
            "json_schema"
        )
        value = make_value(
            spec.get("schema") or {"type": "object", "properties": {}},
            message=last_user_text(ctx) or "",
            now=ctx.sandbox.now(),
            seed=f"{ctx.sandbox.seed}:{ctx.run['id']}:response_format",
            subject=f"response_format '{spec.get('name', '')}'",
        )
        return json.dumps(value)
    ctx.explain('the reply is {"answer": <the answer>}: response_format is json_object')
    return json.dumps({"answer": reply})
