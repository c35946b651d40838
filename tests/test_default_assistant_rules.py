"""What the README's "The default assistant" section states, checked word for word through the
strict SDK: the reply text and the token rule. Counts are written out by hand from the rule
("one token per word and per punctuation mark"), not computed by a copy of the code."""

from __future__ import annotations

import json
from pathlib import Path

#: the README's words, whitespace collapsed (a reflowed paragraph says the same)
README = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
CLOSING = "This is a simulated answer from the assistants mock."
PING = {
    "type": "function",
    "function": {"name": "ping", "parameters": {"type": "object", "properties": {}}},
}
CALL_PING = {"type": "function", "function": {"name": "ping"}}


def test_the_rules_checked_here_are_the_readmes() -> None:
    assert f"`{CLOSING}`" in README
    assert "A thread with no user message gets `Hello!` instead of the first sentence." in README
    assert "`<function name> returned: <output>.`" in README
    assert "one token per word and per punctuation mark" in README
    assert (
        "`max_completion_tokens` cuts the reply (message `incomplete`, reason `max_tokens`"
        in README
    )


def reply_of(client, thread_id: str):
    return client.beta.threads.messages.list(thread_id).data[0]


def test_the_reply_quotes_the_question_then_the_closing_sentence(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "What is 2 + 2?"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert (
        reply_of(client, thread.id).content[0].text.value
        == f'You asked: "What is 2 + 2?". {CLOSING}'
    )


def test_a_thread_without_a_user_message_gets_the_greeting(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create()
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert reply_of(client, thread.id).content[0].text.value == f"Hello! {CLOSING}"


def test_the_question_is_quoted_on_one_line_in_at_most_200_characters(client) -> None:
    question = "first line\nsecond   line\n" + "word " * 60
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": question}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    text = reply_of(client, thread.id).content[0].text.value
    assert text.startswith('You asked: "first line second line word word ') and text.endswith(
        f'". {CLOSING}'
    )
    quoted = text.removeprefix('You asked: "').removesuffix(f'". {CLOSING}')
    assert "\n" not in quoted and len(quoted) <= 200 and len(quoted) >= 190


def test_each_tool_output_is_a_sentence_between_the_question_and_the_closing(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[PING])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Is it up?"}])
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tool_choice=CALL_PING
    )
    [call] = run.required_action.submit_tool_outputs.tool_calls
    client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "pong"}],
    )
    text = reply_of(client, thread.id).content[0].text.value
    assert text == f'You asked: "Is it up?". ping returned: pong. {CLOSING}'


def test_json_object_wraps_the_reply(client) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o", response_format={"type": "json_object"}
    )
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    text = reply_of(client, thread.id).content[0].text.value
    assert json.loads(text) == {"answer": f'You asked: "Hi". {CLOSING}'}


def test_deltas_cut_the_reply_at_spaces_about_every_24_characters(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "Tell me about the sea and the sky"}]
    )
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        deltas = [
            e.data.delta.content[0].text.value for e in stream if e.event == "thread.message.delta"
        ]
    text = f'You asked: "Tell me about the sea and the sky". {CLOSING}'
    assert "".join(deltas) == text and len(deltas) >= len(text) // 25
    assert all(d.endswith(" ") and 12 <= len(d) <= 25 for d in deltas[:-1]), deltas


# -- tokens ------------------------------------------------------------------------------------


def test_prompt_tokens_are_instructions_and_messages_completion_tokens_the_reply(client) -> None:
    assistant = client.beta.assistants.create(
        model="gpt-4o", instructions="Be brief."
    )  # Be brief . = 3
    thread = client.beta.threads.create(
        messages=[
            {"role": "user", "content": "Hi, there!"},  # Hi , there ! = 4
            {"role": "assistant", "content": "Hello."},  # Hello . = 2
            {"role": "user", "content": "What is 2 + 2?"},  # What is 2 + 2 ? = 6
        ]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    # You asked : " What is 2 + 2 ? " . = 12, then This is a simulated answer from the assistants mock . = 10
    assert (run.usage.prompt_tokens, run.usage.completion_tokens, run.usage.total_tokens) == (
        15,
        22,
        37,
    )
    [step] = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id).data
    assert (step.usage.prompt_tokens, step.usage.completion_tokens) == (15, 22)


def test_the_truncation_strategy_decides_which_messages_count(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(
        messages=[
            {"role": "user", "content": "Hi, there!"},  # 4
            {"role": "user", "content": "What is 2 + 2?"},  # 6
        ]
    )
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        instructions="Be brief.",  # 3
        truncation_strategy={"type": "last_messages", "last_messages": 1},
    )
    assert run.usage.prompt_tokens == 3 + 6


def test_tool_outputs_count_as_prompt_and_arguments_as_completion(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[PING])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Is it up?"}])
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tool_choice=CALL_PING
    )
    [call] = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.arguments == "{}"
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[
            {"tool_call_id": call.id, "output": "22 degrees, sunny."}
        ],  # 22 degrees , sunny . = 5
    )
    calls_step, message_step = reversed(
        client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id).data
    )
    assert calls_step.usage.completion_tokens == 2  # { }
    assert message_step.usage.prompt_tokens - calls_step.usage.prompt_tokens == 5
    # You asked : " Is it up ? " . = 10; ping returned : 22 degrees , sunny . . = 9; the closing 10
    assert message_step.usage.completion_tokens == 29
    assert run.usage.completion_tokens == 2 + 29


def test_max_prompt_tokens_admits_a_prompt_of_exactly_that_many(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    for extra, status in (("", "completed"), (".", "incomplete")):
        thread = client.beta.threads.create(
            messages=[
                {"role": "user", "content": "Hi, there! " * 64 + extra}
            ]  # 4 tokens each: 256 (+1)
        )
        run = client.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id, max_prompt_tokens=256
        )
        assert run.status == status
        if status == "completed":
            assert run.usage.prompt_tokens == 256
        else:
            assert run.incomplete_details.reason == "max_prompt_tokens"


def test_max_completion_tokens_cuts_the_reply_at_exactly_that_many(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o", tools=[PING])
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "a." * 100}]
    )  # 200 tokens
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        tool_choice=CALL_PING,
        max_completion_tokens=256,
    )
    [call] = run.required_action.submit_tool_outputs.tool_calls  # arguments {}: 2 tokens
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        tool_outputs=[{"tool_call_id": call.id, "output": "b." * 100}],
    )
    assert run.status == "incomplete" and run.incomplete_details.reason == "max_completion_tokens"
    assert run.usage.completion_tokens == 256
    message = reply_of(client, thread.id)
    assert message.status == "incomplete" and message.incomplete_details.reason == "max_tokens"
    # 254 tokens are left for the reply: You asked : " (4) + a . x100 (200) + " . (2)
    # + ping returned : (3) = 209, then 45 tokens of the output: b . x22 and b
    expected = 'You asked: "' + "a." * 100 + '". ping returned: ' + "b." * 22 + "b"
    assert message.content[0].text.value == expected


def test_accented_words_count_one_each(client) -> None:
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "naïve café, déjà vu!"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.usage.prompt_tokens == 6  # naïve café , déjà vu !
