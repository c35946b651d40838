"""The event kinds a Responses stream sends, in order, per part of the stream: what the
Python, Node and cross-SDK streaming tests expect (``kind*`` = one or more, see
``collapse`` in tests/test_runs_streaming.py)."""

from __future__ import annotations

LIFECYCLE = ["response.created", "response.in_progress"]
MESSAGE = [
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta*",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
]
#: a message whose text cites a file: the citation is announced after the text deltas, before
#: the text is done
CITED_MESSAGE = [*MESSAGE[:3], "response.output_text.annotation.added", *MESSAGE[3:]]
FILE_SEARCH = [
    "response.output_item.added",
    "response.file_search_call.in_progress",
    "response.file_search_call.searching",
    "response.file_search_call.completed",
    "response.output_item.done",
]
CODE_INTERPRETER = [
    "response.output_item.added",
    "response.code_interpreter_call.in_progress",
    "response.code_interpreter_call_code.delta*",
    "response.code_interpreter_call_code.done",
    "response.code_interpreter_call.interpreting",
    "response.code_interpreter_call.completed",
    "response.output_item.done",
]
FUNCTION_CALL = [
    "response.output_item.added",
    "response.function_call_arguments.delta*",
    "response.function_call_arguments.done",
    "response.output_item.done",
]
