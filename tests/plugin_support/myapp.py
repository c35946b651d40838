from openai import OpenAI


def ask(question: str) -> str:
    client = OpenAI()  # reads OPENAI_BASE_URL and OPENAI_API_KEY
    assistant = client.beta.assistants.create(model="gpt-4o", name="helper")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": question}])
    client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    return client.beta.threads.messages.list(thread.id).data[0].content[0].text.value
