// Runs through the Node SDK (openai 6.x) against the mock server named by OPENAI_BASE_URL /
// OPENAI_API_KEY. Prints one JSON object describing what the SDK saw; tests/test_node_runs.py
// asserts on it. Any exception is printed as {"fatal": ...} with exit code 1.
import OpenAI from 'openai';

const client = new OpenAI({ maxRetries: 0, timeout: 20_000 });

const WEATHER = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function record(stream) {
  const seen = { events: [], text: '', argumentDeltas: '', toolCallsCreated: [] };
  stream.on('event', (e) => seen.events.push(e.event));
  stream.on('textDelta', (delta) => { seen.text += delta.value ?? ''; });
  stream.on('toolCallCreated', (call) => seen.toolCallsCreated.push(call.function?.name ?? call.type));
  stream.on('toolCallDelta', (delta) => { seen.argumentDeltas += delta.function?.arguments ?? ''; });
  return seen;
}

async function textStream(assistant) {
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Why is the sky blue?' }] });
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
  const seen = record(stream);
  const run = await stream.finalRun();
  const messages = await stream.finalMessages();
  const retrieved = await client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id });
  return {
    ...seen,
    status: run.status,
    finalText: messages.map((m) => m.content[0].text.value),
    retrievedEqualsFinal: JSON.stringify(retrieved) === JSON.stringify(run),
  };
}

async function functionFlow(assistant) {
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: "What's the weather in Paris?" }] });
  const first = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
  const firstSeen = record(first);
  const run = await first.finalRun();
  const calls = run.required_action.submit_tool_outputs.tool_calls;
  const second = client.beta.threads.runs.submitToolOutputsStream(run.id, {
    thread_id: thread.id,
    tool_outputs: calls.map((c) => ({ tool_call_id: c.id, output: '22C and clear' })),
  });
  const secondSeen = record(second);
  const final = await second.finalRun();
  const messages = await second.finalMessages();
  return {
    first: { ...firstSeen, status: run.status, calls: calls.map((c) => [c.function.name, c.function.arguments]) },
    second: { ...secondSeen, status: final.status, finalText: messages.map((m) => m.content[0].text.value) },
  };
}

async function createAndPoll(assistant) {
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'hello' }] });
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  const list = await client.beta.threads.messages.list(thread.id);
  return { status: run.status, usage: run.usage, reply: list.data[0].content[0].text.value };
}

async function threadLock(assistant) {
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'hello' }] });
  const run = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  const out = { threadId: thread.id, runId: run.id };
  for (const [name, call] of [
    ['message', () => client.beta.threads.messages.create(thread.id, { role: 'user', content: 'more' })],
    ['run', () => client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id })],
  ]) {
    try {
      await call();
      out[name] = null;
    } catch (err) {
      out[name] = { name: err.constructor.name, status: err.status, message: err.message, error: err.error };
    }
  }
  return out;
}

async function incompleteStream(assistant) {
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'many words '.repeat(150) }] });
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, max_prompt_tokens: 256 });
  const seen = record(stream);
  const run = await stream.finalRun(); // 6.x treats thread.run.incomplete as final
  return { events: seen.events, status: run.status, reason: run.incomplete_details?.reason };
}

async function main() {
  const plain = await client.beta.assistants.create({ model: 'gpt-4o', instructions: 'Be brief.' });
  const tooled = await client.beta.assistants.create({ model: 'gpt-4o', tools: [WEATHER] });
  return {
    text: await textStream(plain),
    function: await functionFlow(tooled),
    createAndPoll: await createAndPoll(plain),
    lock: await threadLock(plain),
    incomplete: await incompleteStream(plain),
  };
}

try {
  console.log(JSON.stringify(await main()));
} catch (err) {
  console.log(JSON.stringify({ fatal: String(err?.stack ?? err) }));
  process.exitCode = 1;
}
