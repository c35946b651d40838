// Node SDK against the live mock: file batches, createAndPoll, search, and the client-side
// error of the wrong uploadAndPoll call. Usage: node vector_stores.mjs BASE_URL API_KEY
// Prints one JSON object with what it saw; the Python test asserts on it.
import OpenAI, { toFile } from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
const out = {};

const store = await client.vectorStores.create({ name: 'node' });
out.store = { id: store.id, name: store.name, status: store.status };

const texts = {
  'cats.txt': 'Cats purr and chase mice.',
  'rockets.md': 'Rockets burn kerosene and liquid oxygen.',
  'pasta.txt': 'Boil spaghetti in salted water.',
};
const files = await Promise.all(
  Object.entries(texts).map(([name, text]) => toFile(Buffer.from(text), name)),
);
const batch = await client.vectorStores.fileBatches.uploadAndPoll(store.id, { files });
out.batch = { id: batch.id, object: batch.object, status: batch.status, file_counts: batch.file_counts };

const listed = [];
for await (const f of client.vectorStores.fileBatches.listFiles(batch.id, { vector_store_id: store.id })) {
  listed.push(f.status);
}
out.batch_files = listed;

// issue 5 of the README: an array where {files: [...]} belongs fails in the client
try {
  await client.vectorStores.fileBatches.uploadAndPoll(store.id, files);
  out.wrong_call = null;
} catch (err) {
  out.wrong_call = err.message;
}

const extra = await client.files.create({ file: await toFile(Buffer.from('Tides follow the moon.'), 'tides.txt'), purpose: 'assistants' });
const vsFile = await client.vectorStores.files.createAndPoll(store.id, { file_id: extra.id });
out.vs_file = { id: vsFile.id, status: vsFile.status, is_file_id: vsFile.id === extra.id };

const hits = [];
for await (const hit of client.vectorStores.search(store.id, { query: 'liquid oxygen rocket' })) {
  hits.push({ filename: hit.filename, score: hit.score, text: hit.content[0].text });
}
out.search = hits;

// a vector store id where a batch id belongs (openai-node #1700)
try {
  await client.vectorStores.fileBatches.listFiles(store.id, { vector_store_id: store.id });
  out.batch_id_error = null;
} catch (err) {
  out.batch_id_error = { status: err.status, message: err.error?.message, param: err.param };
}

const done = await client.vectorStores.retrieve(store.id);
out.final = { status: done.status, file_counts: done.file_counts };
console.log(JSON.stringify(out));
