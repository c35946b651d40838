"""HTTP for runs, create-and-run, tool outputs and run steps; ``stream: true`` answers SSE."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import anyio.lowlevel
from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import engine, errors, faults
from ..events import DONE, EventLog, batches, error_frame
from ..inspect import recording
from ..parsing import list_params, query_list, read_json, sandbox_of
from ..responses import json_response
from ..schemas import runs as schema
from ..types import JSONObject

logger = logging.getLogger("mockserver")


def _include(request: Request) -> list[str]:
    include = query_list(request, "include")
    for value in include:
        if value not in schema.INCLUDE_VALUES:
            raise errors.invalid_value("include[]", value, schema.INCLUDE_VALUES)
    return include


#: frames go out in writes of about this size; between two writes the event loop takes a turn,
#: so a client that has left is noticed within one write and the rest is never sent
STREAM_WRITE_BYTES = 64 * 1024


def sent_frames(log: EventLog, cut: faults.StreamCut | None = None) -> list[bytes]:
    """The events of what just happened, then ``done``.

    ``cut`` (a scenario's dropped connection) ends them after that many events, without
    the terminal run event or ``[DONE]`` (after an ``error`` event if it says so); the run
    itself has finished server-side, as the real API's did. So has it when the client drops
    the stream: the run is whole whatever part of its stream was read."""
    if cut is None:
        return [*log.frames, DONE]
    frames = log.frames[: cut.after]
    if cut.error is not None:
        frames.append(error_frame(**cut.error))
    return frames


def stream_response(frames: list[bytes]) -> Response:
    """``frames`` as an SSE body; it closes after the last."""

    async def body() -> AsyncIterator[bytes]:
        events = size = 0  # written so far
        try:
            for chunk, count in batches(frames, STREAM_WRITE_BYTES):
                yield chunk
                events, size = events + count, size + len(chunk)
                # without a turn of the loop, a lost connection goes unnoticed and every write
                # after it fails again (and asyncio logs each failure)
                await anyio.lowlevel.checkpoint()
        finally:
            if events < len(frames):  # cancelled: the client went away
                total = sum(map(len, frames))
                message = "the client left a stream after %d of its %d events (%d of %d bytes)"
                logger.info(message, events, len(frames), size, total)

    return EventSourceResponse(body(), ping=0)


def _answer(request: Request, run: JSONObject, log: EventLog | None) -> Response:
    if log is None:
        return json_response(run)
    sandbox = sandbox_of(request)
    frames = sent_frames(log, faults.stream_cut(sandbox, request.method, request.url.path))
    recording.stream_sent(sandbox, run["id"], frames)  # the inspector shows them as sent
    return stream_response(frames)


async def create(request: Request) -> Response:
    include = _include(request)
    body = await read_json(request, schema.RUN_CREATE)
    run, log = engine.create_run(
        sandbox_of(request), request.path_params["thread_id"], body, include,
        stream=bool(body.get("stream")),
    )
    return _answer(request, run, log)


async def create_thread_and_run(request: Request) -> Response:
    include = _include(request)
    body = await read_json(request, schema.THREAD_AND_RUN_CREATE)
    run, log = engine.create_thread_and_run(
        sandbox_of(request), body, include, stream=bool(body.get("stream"))
    )
    return _answer(request, run, log)


async def list_(request: Request) -> Response:
    params = list_params(request)
    return json_response(
        engine.list_runs(sandbox_of(request), request.path_params["thread_id"], params.page)
    )


async def retrieve(request: Request) -> Response:
    p = request.path_params
    run = engine.retrieve_run(sandbox_of(request), p["thread_id"], p["run_id"])
    return json_response(run)


async def update(request: Request) -> Response:
    body = await read_json(request, schema.RUN_UPDATE, optional=True)
    p = request.path_params
    return json_response(engine.update_run(sandbox_of(request), p["thread_id"], p["run_id"], body))


async def cancel(request: Request) -> Response:
    p = request.path_params
    return json_response(engine.cancel(sandbox_of(request), p["thread_id"], p["run_id"]))


async def submit_tool_outputs(request: Request) -> Response:
    body = await read_json(request, schema.SUBMIT_TOOL_OUTPUTS)
    p = request.path_params
    run, log = engine.submit_tool_outputs(
        sandbox_of(request), p["thread_id"], p["run_id"], body["tool_outputs"],
        stream=bool(body.get("stream")),
    )
    return _answer(request, run, log)


async def list_steps(request: Request) -> Response:
    include = _include(request)
    params = list_params(request)
    p = request.path_params
    steps = engine.list_steps(sandbox_of(request), p["thread_id"], p["run_id"], include, params.page)
    return json_response(steps)


async def retrieve_step(request: Request) -> Response:
    include = _include(request)
    p = request.path_params
    step = engine.get_step(sandbox_of(request), p["thread_id"], p["run_id"], p["step_id"], include)
    return json_response(step)


ROUTES = [
    Route("/threads/runs", create_thread_and_run, methods=["POST"]),
    Route("/threads/{thread_id}/runs", create, methods=["POST"]),
    Route("/threads/{thread_id}/runs", list_, methods=["GET"]),
    Route("/threads/{thread_id}/runs/{run_id}", retrieve, methods=["GET"]),
    Route("/threads/{thread_id}/runs/{run_id}", update, methods=["POST"]),
    Route("/threads/{thread_id}/runs/{run_id}/cancel", cancel, methods=["POST"]),
    Route("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", submit_tool_outputs, methods=["POST"]),
    Route("/threads/{thread_id}/runs/{run_id}/steps", list_steps, methods=["GET"]),
    Route("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", retrieve_step, methods=["GET"]),
]
