"""The tools the server runs itself: code_interpreter (scripted, never executing user code)
and file_search (a real lexical search over the run's vector stores).

Default use under ``auto`` (documented in the README): code_interpreter when it is enabled and
the last user message asks to calculate, compute, analyse, plot, chart or visualise, or asks for
code ("with code", "write a program", "in Python"), with a program fitted to the request
(:mod:`.programs`);
file_search when the assistant or thread has vector stores and the search finds a match.
"""

from __future__ import annotations

from .. import errors
from ..inspect import explain
from ..resources import files
from ..resources.tools import DEFAULT_RANKING, max_num_results
from ..resources.vector_stores import for_search, store_expired
from ..search import retrieval
from ..search.ingestion import finish_indexing
from ..search.retrieval import SearchHit
from ..types import JSONObject, MessagePhase, ToolPhase
from . import matching, png, programs
from .machine import PlanContext

MAX_CITED = 3


def phase(ctx: PlanContext, kind: str, message: str, *, forced: bool) -> ToolPhase | None:
    if kind == "code_interpreter":
        if forced:
            return _code_interpreter(ctx, message)
        asked = matching.code_request(message)
        if asked is not None:
            ctx.explain(f"ran code_interpreter: the message asks for code ({asked!r})")
            return _code_interpreter(ctx, message)
        ctx.explain("no code_interpreter: the message asks for no calculation, chart or code")
        return None
    return _file_search(ctx, message, forced=forced)


def reply(ctx: PlanContext) -> MessagePhase | None:
    """The answer that follows a server tool step, or None for the default reply."""
    special = ctx.record.get("reply")
    if not special:
        return None
    cited = len(special.get("annotations", []))
    if cited:
        ctx.explain(f"replied quoting the best {cited} chunk{'s' if cited > 1 else ''}, each cited")
    elif special.get("images"):
        ctx.explain("replied with the program's result and its chart")
    else:
        ctx.explain("replied with the tool step's result")
    return MessagePhase(**special)


def _code_interpreter(ctx: PlanContext, message: str) -> ToolPhase:
    program = programs.write(message)
    code = program.code
    outputs: list[JSONObject] = [{"type": "logs", "logs": program.logs}]
    images: list[str] = []
    summary = program.summary
    ctx.explain(f"its program's result: {explain.quote(program.summary)}")
    drawn = matching.image_request(message)
    if drawn is not None:
        ctx.explain(f"drew a bar chart: the message asks for one ({drawn!r})")
        shown = program.plotted
        code += f"\n\nimport matplotlib.pyplot as plt\nplt.bar(range(len({shown})), {shown})\nplt.savefig('/mnt/data/chart.png')"
        image = files.create_from_bytes(
            ctx.sandbox, None, "chart.png", png.bar_chart(program.values), "assistants_output"
        )
        outputs.append({"type": "image", "image": {"file_id": image["id"]}})
        images.append(image["id"])
        summary += " Here is the chart."
    ctx.record["reply"] = {"kind": "message", "text": summary, "annotations": [], "images": images}
    return {
        "kind": "tool",
        "calls": [
            {"type": "code_interpreter", "code_interpreter": {"input": code, "outputs": outputs}}
        ],
    }


def _resource_stores(ctx: PlanContext, owner: JSONObject | None) -> list[str]:
    """The live vector stores in an assistant's or thread's ``tool_resources``."""
    resources = (owner or {}).get("tool_resources") or {}
    ids = (resources.get("file_search") or {}).get("vector_store_ids", [])
    return [i for i in ids if ctx.sandbox.vector_stores().get(i) is not None]


def thread_store_ids(ctx: PlanContext) -> list[str]:
    return _resource_stores(ctx, ctx.sandbox.threads().get(ctx.run["thread_id"] or ""))


def tool_store_ids(ctx: PlanContext) -> list[str]:
    """The live vector stores the file_search tool names itself (a response's tool does; an
    Assistants tool cannot)."""
    for tool in ctx.run["tools"]:
        if tool["type"] == "file_search":
            ids = (tool.get("file_search") or {}).get("vector_store_ids", [])
            return [i for i in ids if ctx.sandbox.vector_stores().get(i) is not None]
    return []


def store_ids(ctx: PlanContext) -> list[str]:
    """The vector stores a run searches: the assistant's, then the thread's, as they are now
    (a run shows ``tool_resources: {}``, as the real API did); a response's: its tool's."""
    assistant = ctx.sandbox.assistants().get(ctx.run["assistant_id"] or "")
    found = _resource_stores(ctx, assistant) + thread_store_ids(ctx) + tool_store_ids(ctx)
    return list(dict.fromkeys(found))


def before_work(ctx: PlanContext) -> JSONObject | None:
    """What file_search needs before the model starts: a failure if a store has expired; the
    documented fallback wait of up to 60 (virtual) seconds for the *thread's* store to finish
    indexing. The assistant's stores are not waited for: the search sees what is indexed by
    then (ingestion moves with the clock, see ``search/ingestion.py``)."""
    if not any(t["type"] == "file_search" for t in ctx.run["tools"]):
        return None
    for store_id in store_ids(ctx):
        if store_expired(ctx.sandbox, store_id):
            return errors.run_store_expired(store_id)
    # the stores a request names itself are waited for as a thread's are
    waited = thread_store_ids(ctx) + tool_store_ids(ctx)
    finish_indexing(ctx.sandbox, waited, max_wait_seconds=60)
    return None


def _file_search(ctx: PlanContext, message: str, *, forced: bool) -> ToolPhase | None:
    ids = store_ids(ctx)
    settings = next(
        (t.get("file_search") or {} for t in ctx.run["tools"] if t["type"] == "file_search"), {}
    )
    # a scenario may search on a run without the tool: the defaults then
    ranking = {**DEFAULT_RANKING, **(settings.get("ranking_options") or {})}
    hits = (
        retrieval.search(
            ctx.sandbox,
            for_search(ctx.sandbox, ids),
            [message] if message else [],
            max_num_results=max_num_results(settings, ctx.run["model"]),
            filters=settings.get("filters"),  # a response's tool may filter on attributes
            score_threshold=ranking["score_threshold"],
        )
        if ids and message
        else []
    )
    _explain_search(ctx, ids, message, hits, forced)
    if not hits and not forced:
        return None
    results = [
        {
            "file_id": h.file_id,
            "file_name": h.filename,
            "score": h.score,
            "content": [{"type": "text", "text": h.text}],
        }
        for h in hits
    ]
    ctx.record["reply"] = _cited_reply(ctx, hits)
    return {
        "kind": "tool",
        "calls": [
            {
                "type": "file_search",
                "file_search": {
                    "ranking_options": {
                        "ranker": ranking["ranker"],
                        "score_threshold": ranking["score_threshold"],
                    },
                    "results": results,
                },
            }
        ],
    }


def _explain_search(
    ctx: PlanContext, ids: list[str], message: str, hits: list[SearchHit], forced: bool
) -> None:
    if not ids:
        ctx.explain("file_search had no vector store to search (the assistant's and the thread's)")
    elif not message:
        ctx.explain("file_search had nothing to search for: no user message")
    elif not hits:
        ctx.explain(f"file_search found nothing in {', '.join(ids)} for the message")
    else:
        best = hits[0]
        ctx.explain(
            f"searched {', '.join(ids)}: {len(hits)} result{'s' if len(hits) > 1 else ''}, the "
            f"best {best.filename} (score {best.score:.3f})"
        )
    if not hits and forced:
        ctx.explain("a file_search step all the same: the tool was required")


def _excerpt(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _cited_reply(ctx: PlanContext, hits: list[SearchHit]) -> MessagePhase:
    """Quote the best chunks, each followed by a 【n:m†source】 citation with exact indices."""
    if not hits:
        return {
            "kind": "message",
            "text": "I searched the attached files but found nothing relevant.",
            "annotations": [],
            "images": [],
        }
    n = len(ctx.messages())
    value = "According to the attached files:"
    annotations = []
    for m, hit in enumerate(hits[:MAX_CITED]):
        value += f' "{_excerpt(hit.text)}"'
        marker = f"【{n}:{m}†source】"
        annotations.append(
            {
                "type": "file_citation",
                "text": marker,
                "start_index": len(value),
                "end_index": len(value) + len(marker),
                "file_citation": {"file_id": hit.file_id},
            }
        )
        value += marker
    return {"kind": "message", "text": value, "annotations": annotations, "images": []}
