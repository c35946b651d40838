// Node's AzureOpenAI against the live mock, unchanged: a function-call run, a streamed run,
// files and vector stores, an Entra ID token provider, errors, and a server started with
// --api-key. Usage: node azure.mjs ENDPOINT API_KEY API_VERSION LOCKED_ENDPOINT LOCKED_KEY
// (ENDPOINT is the server root: the client adds /openai). Prints one JSON object.
import { AzureOpenAI, toFile } from 'openai';

const [endpoint, apiKey, apiVersion, lockedEndpoint, lockedKey] = process.argv.slice(2);
const client = new AzureOpenAI({ endpoint, apiKey, apiVersion, maxRetries: 0 });
const out = {};

function describe(err) {
  return { name: err.constructor.name, status: err.status, message: err.message, error: err.error ?? null };
}

// a function call, answered with submitToolOutputsAndPoll
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const assistant = await client.beta.assistants.create({ model: 'gpt-4o', tools: [weather] });
const thread = await client.beta.threads.create();
await client.beta.threads.messages.create(thread.id, { role: 'user', content: "What's the weather in Paris?" });
let run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
const call = run.required_action.submit_tool_outputs.tool_calls[0];
out.functionCall = { status: run.status, name: call.function.name, arguments: call.function.arguments };
run = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
  thread_id: thread.id,
  tool_outputs: [{ tool_call_id: call.id, output: '22C' }],
});
const reply = (await client.beta.threads.messages.list(thread.id)).data[0];
out.functionCall.final = { status: run.status, reply: reply.content[0].text.value };

// a streamed run
const plain = await client.beta.assistants.create({ model: 'gpt-4o' });
const storyThread = await client.beta.threads.create({
  messages: [{ role: 'user', content: 'Why is the sky blue?' }],
});
const events = [];
let deltas = '';
const stream = client.beta.threads.runs
  .stream(storyThread.id, { assistant_id: plain.id })
  .on('event', (event) => events.push(event.event))
  .on('textDelta', (delta) => {
    deltas += delta.value;
  });
const finalRun = await stream.finalRun();
const retrieved = await client.beta.threads.runs.retrieve(finalRun.id, { thread_id: storyThread.id });
const stored = (await client.beta.threads.messages.list(storyThread.id)).data[0].content[0].text.value;
out.stream = {
  events,
  status: finalRun.status,
  retrievedEqualsFinal: JSON.stringify(retrieved) === JSON.stringify(finalRun),
  deltasEqualStored: deltas === stored,
};

// files, a vector store and a search
const store = await client.vectorStores.create({ name: 'azure-node' });
const files = [
  await toFile(Buffer.from('Rockets burn kerosene and liquid oxygen.'), 'rockets.md'),
  await toFile(Buffer.from('Cats purr and chase mice.'), 'cats.txt'),
];
const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files });
const hits = [];
for await (const hit of client.vectorStores.search(store.id, { query: 'liquid oxygen rocket' })) {
  hits.push(hit.filename);
}
out.files = { batch: batch.status, completed: batch.file_counts.completed, hits };

// an Entra ID token names the same sandbox
const byToken = new AzureOpenAI({ endpoint, apiVersion, azureADTokenProvider: async () => apiKey, maxRetries: 0 });
out.token = { sameAssistant: (await byToken.beta.assistants.retrieve(plain.id)).id === plain.id };

// errors: the API's own, and Azure's gateway
try {
  await client.beta.assistants.retrieve('asst_nope');
} catch (err) {
  out.notFound = describe(err);
}
try {
  await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
} catch (err) {
  out.unserved = describe(err);
}

// a server started with --api-key
const wrongKey = new AzureOpenAI({ endpoint: lockedEndpoint, apiKey: 'sk-wrong', apiVersion, maxRetries: 0 });
try {
  await wrongKey.beta.assistants.list();
} catch (err) {
  out.wrongKey = describe(err);
}
const wrongToken = new AzureOpenAI({
  endpoint: lockedEndpoint, apiVersion, azureADTokenProvider: async () => 'not-the-key', maxRetries: 0,
});
try {
  await wrongToken.beta.assistants.list();
} catch (err) {
  out.wrongToken = describe(err);
}
const rightKey = new AzureOpenAI({ endpoint: lockedEndpoint, apiKey: lockedKey, apiVersion, maxRetries: 0 });
out.rightKey = (await rightKey.beta.assistants.list()).data.length;

console.log(JSON.stringify(out));
