"""The shared vocabulary: the JSON object, the phases a planner returns, and the records the
engine and the resources keep beside the wire objects (``Sandbox.internal``).

All of it is plain JSON at run time (a TypedDict is a dict), so a sandbox still dumps, saves
and loads as JSON; the names are for readers and type checkers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:
    from .tables import Collection

#: an object as the API shows it (an assistant, a run, a message...), or any JSON object
JSONObject = dict[str, Any]

#: which objects of a collection a list shows
Filter = Callable[[JSONObject], bool]

#: one page of a collection as a list endpoint answers it, in the envelope; the edge makes it
#: from the request's ``limit``, ``order``, ``after`` and ``before`` (``ListParams.page``), and
#: the operation that lists says which collection and which of its objects
Pager = Callable[["Collection", "Filter | None"], JSONObject]


# -- what a run does next: the phases a planner returns ----------------------------------------
# The default assistant (``engine/planner.py``) and scenarios (``engine/scripted.py``) produce
# them; the runner (``engine/runner.py``) carries them out.


class FunctionCall(TypedDict):
    name: str
    arguments: str  # JSON text, as the API shows it


class FunctionCallsPhase(TypedDict):
    """Calls of the client's functions: the run stops at ``requires_action``."""

    kind: Literal["function_calls"]
    calls: list[FunctionCall]


class ToolPhase(TypedDict):
    """Tool calls the server carries out itself (code_interpreter, file_search): a completed
    ``tool_calls`` step; ``calls`` are the tool call objects without their ids."""

    kind: Literal["tool"]
    calls: list[JSONObject]


class _MessagePhaseRequired(TypedDict):
    kind: Literal["message"]
    text: str


class MessagePhase(_MessagePhaseRequired, total=False):
    """The assistant's message: a ``message_creation`` step."""

    annotations: list[JSONObject]  # file citations, with their indices in ``text``
    images: list[str]  # ids of image files shown before the text
    cut: bool  # a script ending incomplete: the answer stops halfway


class _EndPhaseRequired(TypedDict):
    kind: Literal["end"]
    status: str  # completed | incomplete | failed | cancelled | expired


class EndPhase(_EndPhaseRequired, total=False):
    """The run ends with ``status``."""

    reason: str  # incomplete_details.reason of an incomplete run
    last_error: JSONObject  # of a failed run


Phase = FunctionCallsPhase | ToolPhase | MessagePhase | EndPhase


# -- bookkeeping beside the wire objects (``Sandbox.aux(kind)[id]``) ---------------------------


class ScriptRecord(TypedDict):
    """The scenario rule a run matched at creation, copied, and how far it has been played."""

    scenario: str
    rule_index: int
    rule: JSONObject
    position: int  # the next step of ``rule["steps"]`` to play
    images: list[str]  # image files made by code_interpreter steps, shown by the next message


class _RunRecordRequired(TypedDict):
    done: list[str]  # the kinds of the phases carried out so far
    usage: list[int]  # [prompt tokens, completion tokens] so far
    include: list[str]  # the ``include[]`` the run was created with (what its events show)
    tool_results: list[list[str]]  # [tool name, output] of every tool call so far, in order
    tool_step: str | None  # the step whose function calls wait for outputs


class NearMiss(TypedDict):
    """The scenario rule that came closest to matching a run none matched, and why it did not."""

    scenario: str
    rule_index: int
    rule: JSONObject  # a copy, as it was when the run was created
    why: str


class Explanation(TypedDict):
    """Why a run did what it did, written down where each decision is made (the inspector
    shows it; nothing recomputes it later)."""

    source: Literal["scenario", "default"]  # a scenario's rule drove it, or the default assistant
    scenario: str | None
    rule_index: int | None
    reasons: list[str]  # one sentence a decision, in order
    near_miss: NearMiss | None


class RunRecord(_RunRecordRequired, total=False):
    """What the engine remembers about a run beyond the run object (``aux("runs")``).

    Records saved before a field existed lack it: readers use ``.get``."""

    script: ScriptRecord  # a scenario scripts the run
    reply: MessagePhase  # the answer that follows a server tool step
    truncated: bool  # the last message hit max_completion_tokens: the run ends incomplete
    timeline: list[list[Any]]  # [status, virtual time] of every status the run took, in order
    explanation: Explanation
    streams: list[list[str]]  # the frames of each SSE stream of the run, exactly as sent


class BatchRecord(TypedDict):
    """A file batch's members (the counts and status derive from them) and whether it was
    cancelled (``aux("file_batches")``)."""

    file_ids: list[str]
    cancelled: bool


class UploadRecord(TypedDict):
    """An upload's parts: part id -> size in bytes (``aux("uploads")``)."""

    parts: dict[str, int]
    mime_type: str


class _IngestionRecordRequired(TypedDict):
    ready_at: int  # the virtual instant from which the file is due


class IngestionRecord(_IngestionRecordRequired, total=False):
    """A vector store file being ingested (``aux("ingestion")``, keyed ``store_id/file_id``)."""

    reads_left: int  # the ``reads`` knob: client reads still to go
