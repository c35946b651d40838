"""What a scenario document may hold (format version 1) and its canonical form.

The engine (``mockserver.engine.scripted``) and the fault layer (``mockserver.faults``) only
ever see the canonical form returned by :func:`check_document`: shorthands expanded, defaults
filled, argument objects already JSON-encoded. The README's "Scenarios" section documents
every key; this module is the source of truth for it.
"""

from __future__ import annotations

import json
from typing import Any

# the policies a scenario may switch its sandbox to are the server's (one list of them)
from .. import errors
from ..progression import PROGRESSIONS
from .schema import (
    DELETE_SCOPES,
    END_STATUSES,
    FAILED_CODES,
    INCOMPLETE_REASONS,
    INGESTION_ERROR_CODES,
    METHODS,
    VERSIONS,
    Obj,
    ScenarioError,
    any_json,
    boolean,
    either,
    fail,
    integer,
    list_of,
    map_of,
    nonempty_string,
    number,
    one_of,
    regex,
    string,
    template,
)

#: a failed ending's last_error unless the scenario says: the engine's own (one text for both)
DEFAULT_FAILURE = errors.run_failed()

# -- runs ---------------------------------------------------------------------------------------

MATCH = Obj({
    "api": one_of("assistants", "responses"),  # which API's work the rule scripts
    "assistant_id": nonempty_string,
    "assistant_name": string,
    "model": nonempty_string,
    "thread_metadata": map_of(string, string),
    "message_contains": string,
    "message_regex": regex,
})


def _arguments(value: Any, place: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return json.dumps(any_json(value, place))
    raise fail(place, f"expected a mapping or a JSON string, got {type(value).__name__}")


FUNCTION_CALL = Obj({"name": nonempty_string, "arguments": _arguments}, required=("name",))


def _image(value: Any, place: str) -> dict[str, Any] | None:
    if value is False:
        return None
    if value is True:
        return {"values": [1, 2, 3]}
    return Obj({"values": list_of(number(-1e12, 1e12), min_items=1)}, required=("values",),
               defaults={"values": [1, 2, 3]})(value, place)


CODE_INTERPRETER = Obj(
    {"input": string, "logs": string, "image": either((bool, _image), (dict, _image),
                                                        expected="true or a mapping with 'values'")},
    required=("input",),
)
FILE_SEARCH = Obj({"query": string})
MESSAGE = Obj({"text": template})

STEP_KINDS = ("function_call", "code_interpreter", "file_search", "message")
STEP = Obj(
    {
        "function_call": either((dict, FUNCTION_CALL), (list, list_of(FUNCTION_CALL, min_items=1)),
                                expected="a mapping with 'name' (and 'arguments') or a list of them"),
        "code_interpreter": CODE_INTERPRETER,
        "file_search": either((type(None), lambda v, p: {}), (dict, FILE_SEARCH),
                              expected="a mapping with an optional 'query'"),
        "message": either((str, lambda v, p: {"text": template(v, p)}), (type(None), lambda v, p: {}),
                          (dict, MESSAGE), expected="a string or a mapping with 'text'"),
        "delay": integer(0, 86_400),
    },
    exactly_one=STEP_KINDS,
)


def _step(value: Any, place: str) -> dict[str, Any]:
    raw = STEP(value, place)
    delay = raw.pop("delay", 0)
    (kind, body), = raw.items()
    if kind == "function_call":
        calls = body if isinstance(body, list) else [body]
        return {"kind": "function_calls", "delay": delay,
                "calls": [{"name": c["name"], "arguments": c.get("arguments")} for c in calls]}
    if kind == "code_interpreter":
        outputs: list[dict[str, Any]] = []
        if "logs" in body:
            outputs.append({"logs": body["logs"]})
        if body.get("image") is not None:
            outputs.append({"image": body["image"]})
        return {"kind": "code_interpreter", "delay": delay, "input": body["input"], "outputs": outputs}
    if kind == "file_search":
        return {"kind": "file_search", "delay": delay, "query": body.get("query")}
    return {"kind": "message", "delay": delay, "text": body.get("text")}


END = Obj({"status": one_of(*END_STATUSES), "code": one_of(*FAILED_CODES), "message": string,
           "reason": one_of(*INCOMPLETE_REASONS)}, required=("status",))


def _end(value: Any, place: str) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"status": value}
    end = END(value, place)
    status = end["status"]
    if status != "failed" and ("code" in end or "message" in end):
        raise fail(place, "'code' and 'message' belong to status 'failed' only")
    if status != "incomplete" and "reason" in end:
        raise fail(place, "'reason' belongs to status 'incomplete' only")
    if status == "failed":
        return {"status": status, "last_error": {"code": end.get("code", DEFAULT_FAILURE["code"]),
                                                 "message": end.get("message", DEFAULT_FAILURE["message"])}}
    if status == "incomplete":
        return {"status": status, "reason": end.get("reason", "max_completion_tokens")}
    return {"status": status}


RULE = Obj({"match": MATCH, "steps": list_of(_step), "end": _end})


def _rule(value: Any, place: str) -> dict[str, Any]:
    rule = RULE(value, place)
    return {
        "match": rule.get("match"),
        # no steps at all: the default answer (as the mock gives without a scenario)
        "steps": rule.get("steps", [{"kind": "message", "delay": 0, "text": None}]),
        "end": rule.get("end", {"status": "completed"}),
    }


# -- injected HTTP errors ---------------------------------------------------------------------

CALLS = Obj(
    {"nth": integer(1), "every": integer(1), "first": integer(1),
     "probability": number(0.0, 1.0), "seed": integer(0)},
    exactly_one=("nth", "every", "first", "probability"),
)
ERROR = Obj({"message": string, "type": string, "param": either(
    (str, string), (type(None), lambda v, p: None), expected="a string or null"),
    "code": either((str, string), (type(None), lambda v, p: None), expected="a string or null")})
#: a dropped stream's error event unless the scenario says: the API's 500, as an event
STREAM_ERROR = {**errors.internal_error().body()["error"], "code": "server_error"}
HEADER_VALUE = either((str, string), (int, integer(0)), expected="a string or an integer")
HTTP = Obj(
    {"method": either((str, lambda v, p: one_of(*METHODS)(v.upper(), p)), expected="a string"),
     "path": nonempty_string, "calls": CALLS, "status": integer(400, 599), "error": ERROR,
     "headers": map_of(string, HEADER_VALUE), "drop_stream": Obj({"after_events": integer(0), "error": ERROR},
                                                                 required=("after_events",))},
    required=("path",), exactly_one=("status", "drop_stream"),
)


def _http(value: Any, place: str) -> dict[str, Any]:
    rule = HTTP(value, place)
    if not rule["path"].startswith("/"):
        raise fail(f"{place}.path", "expected a path starting with '/'", f", got {rule['path']!r}")
    if "drop_stream" in rule and ({"error", "headers"} & set(rule)):
        raise fail(place, "'error' and 'headers' belong to a 'status' rule, not to 'drop_stream'")
    calls = rule.get("calls", {"every": 1})
    if "seed" in calls and "probability" not in calls:
        raise fail(f"{place}.calls", "'seed' belongs with 'probability' only")
    out: dict[str, Any] = {"method": rule.get("method", "*"), "path": rule["path"],
                           "calls": {"seed": 0, **calls} if "probability" in calls else calls}
    if "drop_stream" in rule:
        out["drop_stream_after"] = rule["drop_stream"]["after_events"]
        if "error" in rule["drop_stream"]:  # an `event: error` frame instead of a silent cut
            out["drop_stream_error"] = {**STREAM_ERROR, **rule["drop_stream"]["error"]}
    else:
        out["status"] = rule["status"]
        out["error"] = rule.get("error") or {}
        out["headers"] = {k.lower(): str(v) for k, v in (rule.get("headers") or {}).items()}
    return out


# -- vector store ingestion -------------------------------------------------------------------

FAILURE = Obj({"code": one_of(*INGESTION_ERROR_CODES), "message": string})
INGESTION = Obj({"seconds": integer(0, 86_400 * 365), "reads": integer(0, 1_000), "fail": map_of(nonempty_string, either(
    (type(None), lambda v, p: {}), (dict, FAILURE), expected="a mapping with 'code' and 'message'"))})

DOCUMENT = Obj(
    {
        "version": one_of(*VERSIONS),
        "name": nonempty_string,
        "description": string,
        "runs": list_of(_rule),
        "http": list_of(_http),
        "ingestion": INGESTION,
        "vector_store_file_delete": one_of(*DELETE_SCOPES),
        "progression": one_of(*PROGRESSIONS),
        # documentation of a case whose behaviour is the mock's default (no switch needed)
        "default_behaviour": boolean,
    },
    required=("version",),
)


def check_document(value: Any) -> dict[str, Any]:
    """The canonical form of a scenario document, or :class:`ScenarioError`."""
    doc = DOCUMENT(value, "")
    return {
        "name": doc.get("name"),
        "description": doc.get("description", ""),
        "runs": doc.get("runs", []),
        "http": doc.get("http", []),
        "ingestion": doc.get("ingestion"),
        "vector_store_file_delete": doc.get("vector_store_file_delete"),
        "progression": doc.get("progression"),
    }


__all__ = ["ScenarioError", "check_document"]
