// Node SDK (openai@6.16.0) against the live mock: the documented problems that live in Node.
// Usage: node documented_cases.mjs BASE_URL KEY_PREFIX
// Each case uses its own sandbox (API key `${KEY_PREFIX}-${case}`), into which the Python test
// has installed the case's scenario. Prints one JSON object with what it saw.
import OpenAI, { toFile } from 'openai';

const [baseURL, prefix] = process.argv.slice(2);
const clientFor = (n) => new OpenAI({ baseURL, apiKey: `${prefix}-${n}`, maxRetries: 0 });
const out = {};
const caught = async (fn) => {
  try {
    await fn();
    return null;
  } catch (err) {
    return { name: err.constructor.name, message: err.message, status: err.status ?? null, param: err.param ?? null };
  }
};

// 1. thread already has an active run
{
  const client = clientFor(1);
  const assistant = await client.beta.assistants.create({
    model: 'gpt-4o',
    tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } } }],
  });
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Where is my order?' }] });
  const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
  out.case1 = {
    thread: thread.id,
    run: run.id,
    status: run.status,
    message: await caught(() => client.beta.threads.messages.create(thread.id, { role: 'user', content: 'Hello?' })),
    run_create: await caught(() => client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id })),
  };
}

// 2. a stream cut before its terminal event, then a run that ends incomplete
{
  const client = clientFor(2);
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Explain everything' }] });
  const stream = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id });
  let runId = null;
  stream.on('event', (event) => {
    if (event.event === 'thread.run.created') runId = event.data.id;
  });
  const cut = await caught(() => stream.finalRun());
  // the documented handling: retrieve the run and look at its status
  const retrieved = await client.beta.threads.runs.retrieve(runId, { thread_id: thread.id });
  const whole = client.beta.threads.runs.stream(thread.id, { assistant_id: assistant.id, max_completion_tokens: 256 });
  const final = await whole.finalRun();
  out.case2 = {
    cut,
    retrieved: { status: retrieved.status, reason: retrieved.incomplete_details?.reason ?? null },
    final: { status: final.status, reason: final.incomplete_details?.reason ?? null },
  };
}

// 5. uploadAndPoll without {files: [...]}, and an empty batch
{
  const client = clientFor(5);
  const store = await client.vectorStores.create({ name: 'empty' });
  const files = [await toFile(Buffer.from('alpha'), 'a.txt')];
  out.case5 = {
    wrong_call: await caught(() => client.vectorStores.fileBatches.uploadAndPoll(store.id, files)),
    empty: await caught(() => client.vectorStores.fileBatches.create(store.id, { file_ids: [] })),
    fixed: (await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files })).status,
  };
}

// 6. reasoning models and temperature
{
  const client = clientFor(6);
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o', temperature: 0.2 });
  out.case6 = {
    refused: await caught(() => client.beta.assistants.update(assistant.id, { model: 'o3-mini' })),
    fixed: (await client.beta.assistants.update(assistant.id, { model: 'o3-mini', temperature: null, top_p: null })).model,
  };
}

// 7. a vector store id where a batch id belongs
{
  const client = clientFor(7);
  const store = await client.vectorStores.create({ name: 'mixup' });
  out.case7 = {
    store: store.id,
    error: await caught(async () => {
      for await (const f of client.vectorStores.fileBatches.listFiles(store.id, { vector_store_id: store.id })) void f;
    }),
  };
}

// 10. the cancel race and the seed's safe create-run pattern
async function createRunSafely(client, threadId, assistantId) {
  const runs = await client.beta.threads.runs.list(threadId, { limit: 1 });
  const activeRun = runs.data.find((r) => ['queued', 'in_progress', 'requires_action'].includes(r.status));
  if (activeRun) {
    try {
      await client.beta.threads.runs.cancel(activeRun.id, { thread_id: threadId });
      let run = await client.beta.threads.runs.retrieve(activeRun.id, { thread_id: threadId });
      while (run.status === 'cancelling') {
        run = await client.beta.threads.runs.retrieve(activeRun.id, { thread_id: threadId });
      }
    } catch (error) {
      if (!error.message?.includes('completed')) throw error;
      out.case10.ignored = error.message;
    }
  }
  return client.beta.threads.runs.create(threadId, { assistant_id: assistantId });
}
{
  const client = clientFor(10);
  out.case10 = {};
  const assistant = await client.beta.assistants.create({ model: 'gpt-4o' });
  const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'hi' }] });
  const first = await client.beta.threads.runs.create(thread.id, { assistant_id: assistant.id });
  const next = await createRunSafely(client, thread.id, assistant.id);
  out.case10.first = (await client.beta.threads.runs.retrieve(first.id, { thread_id: thread.id })).status;
  out.case10.created = next.id !== first.id && next.id.startsWith('run_');
}

console.log(JSON.stringify(out));
