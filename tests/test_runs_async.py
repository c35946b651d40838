"""Runs through the async SDK client (strict): poll helpers, stream helpers, tool outputs,
cancel and the lock errors behave as with the sync client."""

from __future__ import annotations

import asyncio

import openai
import pytest
from openai import AsyncAssistantEventHandler
from typing_extensions import override

from .test_runs import WEATHER


class AsyncRecorder(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.text: list[str] = []
        self.arguments: list[str] = []

    @override
    async def on_event(self, event) -> None:
        self.events.append(event.event)

    @override
    async def on_text_delta(self, delta, snapshot) -> None:
        self.text.append(delta.value)

    @override
    async def on_tool_call_delta(self, delta, snapshot) -> None:
        if delta.type == "function" and delta.function.arguments:
            self.arguments.append(delta.function.arguments)


async def setup(client, text: str):
    assistant = await client.beta.assistants.create(model="gpt-4o", tools=[WEATHER])
    thread = await client.beta.threads.create(messages=[{"role": "user", "content": text}])
    return assistant, thread


def test_async_create_and_poll_and_tool_outputs(async_client):
    async def scenario():
        async with async_client as client:
            assistant, thread = await setup(client, "weather in Nairobi?")
            run = await client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
            assert run.status == "requires_action"
            [call] = run.required_action.submit_tool_outputs.tool_calls
            assert call.function.arguments == '{"city": "Nairobi"}'
            done = await client.beta.threads.runs.submit_tool_outputs_and_poll(
                run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": call.id, "output": "warm"}]
            )
            assert done.status == "completed"
            messages = await client.beta.threads.messages.list(thread.id)
            assert "get_weather returned: warm." in messages.data[0].content[0].text.value

    asyncio.run(scenario())


def test_async_stream_text_then_tool_flow(async_client):
    async def scenario():
        async with async_client as client:
            assistant, thread = await setup(client, "weather in Lagos?")
            handler = AsyncRecorder()
            async with client.beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
            ) as stream:
                await stream.until_done()
                run = await stream.get_final_run()
            assert run.status == "requires_action" and handler.events[-1] == "thread.run.requires_action"
            [call] = run.required_action.submit_tool_outputs.tool_calls
            assert "".join(handler.arguments) == call.function.arguments

            after = AsyncRecorder()
            async with client.beta.threads.runs.submit_tool_outputs_stream(
                thread_id=thread.id, run_id=run.id, event_handler=after,
                tool_outputs=[{"tool_call_id": call.id, "output": "hot"}],
            ) as stream:
                await stream.until_done()
                final = await stream.get_final_run()
                [message] = await stream.get_final_messages()
            assert after.events[0] == "thread.run.step.completed" and after.events[-1] == "thread.run.completed"
            assert "".join(after.text) == message.content[0].text.value
            assert await client.beta.threads.runs.retrieve(run.id, thread_id=thread.id) == final

    asyncio.run(scenario())


def test_async_create_and_run_stream_and_poll(async_client):
    async def scenario():
        async with async_client as client:
            assistant = await client.beta.assistants.create(model="gpt-4o")
            handler = AsyncRecorder()
            async with client.beta.threads.create_and_run_stream(
                assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "hi"}]},
                event_handler=handler,
            ) as stream:
                await stream.until_done()
                run = await stream.get_final_run()
            assert handler.events[0] == "thread.created" and run.status == "completed"
            polled = await client.beta.threads.create_and_run_poll(
                assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "hi"}]}
            )
            assert polled.status == "completed" and polled.thread_id != run.thread_id

    asyncio.run(scenario())


def test_async_cancel_and_lock_errors(async_client):
    async def scenario():
        async with async_client as client:
            assistant, thread = await setup(client, "hello")
            run = await client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
            with pytest.raises(openai.BadRequestError) as info:
                await client.beta.threads.messages.create(thread.id, role="user", content="more")
            assert info.value.body["message"] == f"Can't add messages to {thread.id} while a run {run.id} is active."
            assert (await client.beta.threads.runs.cancel(run.id, thread_id=thread.id)).status == "cancelling"
            assert (await client.beta.threads.runs.poll(run.id, thread_id=thread.id)).status == "cancelled"
            with pytest.raises(openai.BadRequestError) as info:
                await client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
            assert info.value.body["message"] == "Cannot cancel run with status 'cancelled'."

    asyncio.run(scenario())


def test_async_concurrent_runs_on_separate_threads(async_client):
    async def scenario():
        async with async_client as client:
            assistant = await client.beta.assistants.create(model="gpt-4o")
            threads = [
                await client.beta.threads.create(messages=[{"role": "user", "content": f"question {i}"}])
                for i in range(5)
            ]
            runs = await asyncio.gather(*[
                client.beta.threads.runs.create_and_poll(thread_id=t.id, assistant_id=assistant.id) for t in threads
            ])
            assert [r.status for r in runs] == ["completed"] * 5
            for i, thread in enumerate(threads):
                reply = (await client.beta.threads.messages.list(thread.id)).data[0]
                assert f'"question {i}"' in reply.content[0].text.value

    asyncio.run(scenario())
