// Responses streams and function calls through the Node SDK named by the first argument
// ('openai' is 6.x, 'openai7' is 7.x; see package.json), against the mock server named by
// OPENAI_BASE_URL / OPENAI_API_KEY. The sandbox has the failing-runs scenario installed.
// Prints one JSON object describing what the SDK saw; tests/test_responses_stream_node.py
// asserts on it. Any exception is printed as {"fatal": ...} with exit code 1.
const { default: OpenAI } = await import(process.argv[2] ?? 'openai');

const client = new OpenAI({ maxRetries: 0, timeout: 20_000 });
const MODEL = 'gpt-4o';

const WEATHER = {
  type: 'function',
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

function record(stream) {
  const seen = { events: [], sequence: [], text: '', textSnapshot: '', argumentDeltas: '', argumentSnapshot: '' };
  stream.on('event', (e) => {
    seen.events.push(e.type);
    seen.sequence.push(e.sequence_number);
  });
  stream.on('response.output_text.delta', (e) => {
    seen.text += e.delta;
    seen.textSnapshot = e.snapshot;
  });
  stream.on('response.function_call_arguments.delta', (e) => {
    seen.argumentDeltas += e.delta;
    seen.argumentSnapshot = e.snapshot;
  });
  return seen;
}

// the response as sent: output_text (both helpers), output_parsed and the parts' parsed (the
// stream helper) are added client-side
function wire({ output_text, output_parsed, ...response }) {
  const output = response.output.map((item) =>
    item.content ? { ...item, content: item.content.map(({ parsed, ...part }) => part) } : item,
  );
  return JSON.stringify({ ...response, output });
}

// the text of the message items (output_text is only set by some helpers of some versions)
function textOf(response) {
  return response.output
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content.filter((part) => part.type === 'output_text').map((part) => part.text))
    .join('');
}

function same(a, b) {
  return wire(a) === wire(b);
}

async function textStream() {
  const stream = client.responses.stream({ model: MODEL, input: 'Why is the sky blue?' });
  const seen = record(stream);
  const final = await stream.finalResponse();
  const retrieved = await client.responses.retrieve(final.id);
  return {
    ...seen,
    status: final.status,
    finalText: textOf(final),
    retrievedEqualsFinal: same(retrieved, final),
  };
}

async function functionFlow() {
  const first = client.responses.stream({ model: MODEL, input: "What's the weather in Paris?", tools: [WEATHER] });
  const firstSeen = record(first);
  const response = await first.finalResponse();
  const calls = response.output.filter((item) => item.type === 'function_call');
  const second = client.responses.stream({
    model: MODEL,
    previous_response_id: response.id,
    tools: [WEATHER],
    input: calls.map((c) => ({ type: 'function_call_output', call_id: c.call_id, output: '22C and clear' })),
  });
  const secondSeen = record(second);
  const final = await second.finalResponse();
  return {
    first: { ...firstSeen, status: response.status, calls: calls.map((c) => [c.name, c.arguments]) },
    second: { ...secondSeen, status: final.status, finalText: textOf(final) },
  };
}

async function builtInTools() {
  const file = await client.files.create({
    file: new File(['# Rockets\n\nRockets burn fuel and push exhaust down to fly up.\n'], 'rockets.md'),
    purpose: 'assistants',
  });
  let store = await client.vectorStores.create({ name: 'facts', file_ids: [file.id] });
  while (store.status !== 'completed') store = await client.vectorStores.retrieve(store.id);
  const search = client.responses.stream({
    model: MODEL,
    input: 'How do rockets fly?',
    tools: [{ type: 'file_search', vector_store_ids: [store.id] }],
  });
  const searchSeen = record(search);
  const annotations = [];
  search.on('response.output_text.annotation.added', (e) => annotations.push([e.annotation_index, e.annotation]));
  const searched = await search.finalResponse();
  const chart = client.responses.stream({
    model: MODEL,
    input: 'Draw a chart',
    tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
  });
  const chartSeen = record(chart);
  let code = '';
  chart.on('response.code_interpreter_call_code.delta', (e) => { code += e.delta; });
  const charted = await chart.finalResponse();
  return {
    search: {
      ...searchSeen,
      annotations,
      finalAnnotations: searched.output.at(-1).content[0].annotations,
      retrievedEqualsFinal: same(await client.responses.retrieve(searched.id), searched),
    },
    chart: {
      ...chartSeen,
      code,
      finalCode: charted.output[0].code,
      retrievedEqualsFinal: same(await client.responses.retrieve(charted.id), charted),
    },
  };
}

async function rawStream() {
  const stream = await client.responses.create({ model: MODEL, input: 'Say hi', stream: true });
  const events = [];
  for await (const event of stream) events.push([event.type, event.sequence_number]);
  return { events };
}

async function failed() {
  const out = { events: [] };
  try {
    const stream = client.responses.stream({ model: MODEL, input: 'this one should fail' });
    stream.on('event', (e) => out.events.push(e.type));
    await stream.finalResponse();
    out.error = null;
  } catch (err) {
    out.error = { name: err.constructor.name, message: err.message };
  }
  return out;
}

async function resumed() {
  const created = await client.responses.create({ model: MODEL, input: 'Say hi', background: true });
  const stream = client.responses.stream({ response_id: created.id, starting_after: 2 });
  const seen = record(stream);
  const final = await stream.finalResponse();
  const retrieved = await client.responses.retrieve(created.id);
  return { ...seen, status: final.status, retrievedEqualsFinal: same(retrieved, final) };
}

try {
  const result = {
    text: await textStream(),
    function: await functionFlow(),
    tools: await builtInTools(),
    raw: await rawStream(),
    failed: await failed(),
    resumed: await resumed(),
  };
  process.stdout.write(JSON.stringify(result));
} catch (err) {
  process.stdout.write(JSON.stringify({ fatal: String(err?.stack ?? err) }));
  process.exit(1);
}
