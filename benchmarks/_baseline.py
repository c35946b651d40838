"""The in-process baseline the request benchmarks compare the mock with: a hand-written fake
of the assistants endpoints the benchmarks call (create, retrieve, list), on Starlette alone.
What any hand-written fake of them would at least do: keep objects per API key, echo the
fields the request gave, answer the list envelope."""

from __future__ import annotations

from typing import Any

from openai import OpenAI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

#: the mock's default start of virtual time, so both apps answer the same bytes
CREATED_AT = 1_767_225_600


def minimal_app() -> Starlette:
    state: dict[str, dict[str, dict[str, Any]]] = {}

    def table(request: Request) -> dict[str, dict[str, Any]]:
        return state.setdefault(request.headers.get("authorization", ""), {})

    async def create(request: Request) -> JSONResponse:
        body = await request.json()
        assistants = table(request)
        assistant = {
            "id": f"asst_{len(assistants):024d}",
            "object": "assistant",
            "created_at": CREATED_AT,
            "name": body.get("name"),
            "description": body.get("description"),
            "model": body["model"],
            "instructions": body.get("instructions"),
            "tools": body.get("tools") or [],
            "tool_resources": body.get("tool_resources") or {},
            "metadata": body.get("metadata") or {},
            "top_p": body.get("top_p", 1.0),
            "temperature": body.get("temperature", 1.0),
            "reasoning_effort": body.get("reasoning_effort"),
            "response_format": body.get("response_format") or "auto",
        }
        assistants[assistant["id"]] = assistant
        return JSONResponse(assistant)

    async def retrieve(request: Request) -> JSONResponse:
        return JSONResponse(table(request)[request.path_params["assistant_id"]])

    async def list_(request: Request) -> JSONResponse:
        limit = int(request.query_params.get("limit", 20))
        items = list(table(request).values())[::-1]
        data = items[:limit]
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
                "has_more": len(items) > limit,
            }
        )

    return Starlette(
        routes=[
            Route("/v1/assistants", create, methods=["POST"]),
            Route("/v1/assistants", list_, methods=["GET"]),
            Route("/v1/assistants/{assistant_id}", retrieve, methods=["GET"]),
        ]
    )


def strict(http_client: Any, base_url: str, api_key: str = "sk-bench") -> OpenAI:
    """The SDK client a comparison drives, the same for the mock and its baseline: strict
    validation, no retries (a retry would time two requests as one)."""
    return OpenAI(
        base_url=base_url,
        api_key=api_key,
        max_retries=0,
        _strict_response_validation=True,
        http_client=http_client,
    )
