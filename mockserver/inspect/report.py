"""A sandbox's story in plain text, for the report of a failed test (the pytest plugin):
its request journal, one line a request (refused ones with their message), then each run's
timeline and the rule that drove it, as the run's explanation recorded it."""

from __future__ import annotations

from datetime import datetime, timezone

from ..store import Store
from ..types import JSONObject
from . import views


def failure_report(store: Store, key: str) -> str:
    journal = views.journal(store, key)["data"]
    lines = [f"requests ({len(journal)}):"]
    for entry in journal:
        line = f"  {entry['method']} {entry['path']}"
        if entry["query"]:
            line += f"?{entry['query']}"
        line += f" -> {entry['status']}"
        if entry["error"]:
            line += f": {entry['error']}"
        lines.append(line)
    if not journal:
        lines.append("  (none)")
    runs = _runs(store, key)
    lines.append(f"runs ({len(runs)}):")
    for run in runs:
        lines.extend(_run_lines(store, key, run))
    if not runs:
        lines.append("  (none)")
    return "\n".join(lines)


def _runs(store: Store, key: str) -> list[JSONObject]:
    shown = views.sandbox(store, key)
    runs: list[JSONObject] = []
    for thread in shown["threads"]:
        runs.extend(views.thread(store, key, thread["id"])["runs"])
    return runs


def _run_lines(store: Store, key: str, run: JSONObject) -> list[str]:
    view = views.run(store, key, run["id"])
    timeline = view["timeline"]
    lines = [
        f"  {run['id']} (thread {run['thread_id']}, assistant {run['assistant_id']}): {run['status']}"
    ]
    if timeline:
        start = timeline[0]["at"]
        moves = " -> ".join(f"{t['status']} +{t['at'] - start}s" for t in timeline)
        lines.append(f"    timeline from {_instant(start)} (virtual): {moves}")
    why = view["explanation"]
    if why["source"] == "scenario":
        lines.append(f"    driven by rule {why['rule_index']} of scenario {why['scenario']!r}")
    else:
        lines.append("    driven by the default assistant")
    lines.extend(f"      - {reason}" for reason in why["reasons"])
    near = why["near_miss"]
    if near is not None:
        lines.append(
            f"    closest rule that did not match: rule {near['rule_index']} of scenario "
            f"{near['scenario']!r}: {near['why']}"
        )
    if run.get("last_error"):
        lines.append(f"    last_error: {run['last_error']['code']}: {run['last_error']['message']}")
    return lines


def _instant(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
