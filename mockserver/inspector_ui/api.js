// Talking to /__mock__/inspect: the viewer's credential, JSON reads, the change stream.
//
// The credential lives in sessionStorage (this tab only, gone when it closes) and travels in a
// header, never in a URL: URLs end up in history, logs and screenshots.

const STORAGE = "assistants-mock-inspector-credential";
const OPERATOR_HEADER = "X-Mock-Operator-Token";
/** The inspect API beside this page: /__mock__/ui/ -> /__mock__/inspect */
const BASE = new URL("../inspect", document.baseURI).pathname;

/** {kind: "key" | "operator", value} or null. */
export function credential() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE));
    return saved && saved.value ? saved : null;
  } catch {
    return null;
  }
}

export function remember(kind, value) {
  sessionStorage.setItem(STORAGE, JSON.stringify({ kind, value }));
}

export function forget() {
  sessionStorage.removeItem(STORAGE);
  for (const url of images.values()) url.then(URL.revokeObjectURL, () => {});
  images.clear();
}

function headers(cred) {
  if (!cred) return {};
  return cred.kind === "operator"
    ? { [OPERATOR_HEADER]: cred.value }
    : { Authorization: `Bearer ${cred.value}` };
}

/** A refusal of the inspect API, with the server's own message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function refusal(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    message = body?.error?.message || body?.message || message;
  } catch {
    // not JSON: the status line says it
  }
  return new ApiError(response.status, message);
}

/** GET a path of the inspect API (`/sandboxes/sbx_…`) as JSON; refusals throw ApiError. */
export async function get(path, cred = credential()) {
  const response = await fetch(BASE + path, { headers: headers(cred), cache: "no-store" });
  if (!response.ok) throw await refusal(response);
  return response.json();
}

/**
 * Object URLs of files' bytes by `sandbox/file`, read once each: a file's bytes never change,
 * and a page that re-renders on every change should not fetch its images again (nor flicker).
 * Emptied (and the URLs revoked) when the viewer signs out.
 */
const images = new Map();

/**
 * A `blob:` URL for a file of a sandbox (a code interpreter's chart), for an <img>: an <img
 * src> cannot send the credential header, so the bytes are fetched here. Refusals reject with
 * ApiError.
 */
export function fileUrl(sandbox, fileId, cred = credential()) {
  const name = `${sandbox}/${fileId}`;
  if (!images.has(name)) {
    const path = `/sandboxes/${encodeURIComponent(sandbox)}/files/${encodeURIComponent(fileId)}/content`;
    const url = fetch(BASE + path, { headers: headers(cred), cache: "no-store" }).then(
      async (response) => {
        if (!response.ok) throw await refusal(response);
        return URL.createObjectURL(await response.blob());
      },
    );
    url.catch(() => images.delete(name)); // a refusal is not kept: the next render asks again
    images.set(name, url);
  }
  return images.get(name);
}

/**
 * Follow the change stream (`/events`, one sandbox's or all the caller may see). fetch()
 * rather than EventSource, which cannot send the credential header. `onChange(change)` gets
 * each `change` event's data; `onStatus("live" | "reconnecting" | "closed", error?)` is called
 * as the connection comes and goes: a page refetches on "live", since it may have missed
 * changes while it was away. Returns a function that closes the stream for good.
 */
export function follow(sandbox, onChange, onStatus) {
  const abort = new AbortController();
  const query = sandbox ? `?sandbox=${encodeURIComponent(sandbox)}` : "";
  let delay = 500;

  async function connect() {
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`${BASE}/events${query}`, {
          headers: { ...headers(credential()), Accept: "text/event-stream" },
          cache: "no-store",
          signal: abort.signal,
        });
        if (!response.ok) {
          const error = await refusal(response);
          if (response.status === 401 || response.status === 403) {
            onStatus("closed", error); // no retry can fix a refused credential
            return;
          }
          throw error;
        }
        delay = 500;
        onStatus("live");
        await read(response.body, onChange);
      } catch (error) {
        if (abort.signal.aborted) return;
      }
      if (abort.signal.aborted) return;
      onStatus("reconnecting");
      await sleep(delay, abort.signal);
      delay = Math.min(delay * 2, 10000);
    }
  }

  connect();
  return () => abort.abort();
}

/** Server-sent events off a byte stream: `change` events to `onChange`, the rest ignored. */
async function read(body, onChange) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parse(block);
      if (event.name === "change" && event.data) {
        try {
          onChange(JSON.parse(event.data));
        } catch {
          // a frame that is not JSON is not a change we can act on
        }
      }
    }
  }
}

function parse(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // a comment: keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  return { name, data: data.join("\n") };
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
