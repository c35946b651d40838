// The inspector's pages. Each page says which data it loads, how it reads, and which changes
// of the event stream concern it (those make it reload its data).

import { fileUrl, get } from "./api.js";
import { facts, h, pre, pretty, table, time } from "./dom.js";

const TABS = [
  ["threads", "Threads"],
  ["assistants", "Assistants"],
  ["files", "Files"],
  ["vector_stores", "Vector stores"],
  ["responses", "Responses"],
  ["conversations", "Conversations"],
  ["journal", "Journal"],
];

const enc = encodeURIComponent;
const sandboxHref = (sbx, tab) => `#/sandboxes/${enc(sbx)}${tab ? `/${tab}` : ""}`;
const threadHref = (sbx, id) => `#/sandboxes/${enc(sbx)}/threads/${enc(id)}`;
const runHref = (sbx, id) => `#/sandboxes/${enc(sbx)}/runs/${enc(id)}`;
const responseHref = (sbx, id) => `#/sandboxes/${enc(sbx)}/responses/${enc(id)}`;
const conversationHref = (sbx, id) => `#/sandboxes/${enc(sbx)}/conversations/${enc(id)}`;
const requestHref = (sbx, id) => `#/sandboxes/${enc(sbx)}/journal/${enc(id)}`;

const link = (href, text) => h("a", { href }, text);
const code = (text) => h("code", {}, text);
export const status = (value) =>
  value ? h("span", { class: `status status-${value}` }, value) : "";

/**
 * A sandbox's image file, shown once its bytes arrive (see `fileUrl`), with its id below; if
 * they cannot be read, the reason instead of a broken image.
 */
function image(sbx, fileId, alt) {
  const img = h("img", { alt, class: "file-image", "data-file-id": fileId });
  const figure = h("figure", { class: "image" }, img, h("figcaption", {}, "File ", code(fileId)));
  fileUrl(sbx, fileId).then(
    (url) => img.setAttribute("src", url),
    (error) => img.replaceWith(h("p", { class: "error-message", role: "status" }, `Image not shown: ${error.message}`)),
  );
  return figure;
}

function section(title, ...body) {
  return h("section", { "aria-label": title }, h("h2", {}, title), ...body);
}

// -- the route table ---------------------------------------------------------------------------

/** The page a hash names, with its parameters, or null. */
export function route(hash) {
  const [path, search] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search || "");
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "sandboxes")) {
    return { page: sandboxesPage, params: {} };
  }
  if (parts[0] !== "sandboxes") return null;
  const sbx = parts[1];
  if (parts.length === 2) return { page: sandboxPage, params: { sbx, tab: "threads" } };
  if (parts.length === 3 && parts[2] === "journal") {
    return {
      page: journalPage,
      params: { sbx, status: query.get("status") || "", path: query.get("path") || "" },
    };
  }
  if (parts.length === 3 && TABS.some(([tab]) => tab === parts[2])) {
    return { page: sandboxPage, params: { sbx, tab: parts[2] } };
  }
  if (parts.length === 4 && parts[2] === "threads") {
    return { page: threadPage, params: { sbx, thread: parts[3] } };
  }
  if (parts.length === 4 && parts[2] === "runs") {
    return { page: runPage, params: { sbx, run: parts[3] } };
  }
  if (parts.length === 4 && parts[2] === "responses") {
    return { page: responsePage, params: { sbx, response: parts[3] } };
  }
  if (parts.length === 4 && parts[2] === "conversations") {
    return { page: conversationPage, params: { sbx, conversation: parts[3] } };
  }
  if (parts.length === 4 && parts[2] === "journal") {
    return { page: requestPage, params: { sbx, request: parts[3] } };
  }
  return null;
}

/** The breadcrumb trail of a page: [text, href] pairs, the last one the page itself. */
export function crumbs(params, data) {
  const trail = [["Sandboxes", "#/sandboxes"]];
  if (!params.sbx) return trail;
  trail.push([params.sbx, sandboxHref(params.sbx)]);
  if (params.thread) trail.push([params.thread, threadHref(params.sbx, params.thread)]);
  if (params.run) {
    const thread = data?.run?.thread_id;
    if (thread) trail.push([thread, threadHref(params.sbx, thread)]);
    trail.push([params.run, runHref(params.sbx, params.run)]);
  }
  if (params.conversation) {
    trail.push(["Conversations", sandboxHref(params.sbx, "conversations")]);
    trail.push([params.conversation, conversationHref(params.sbx, params.conversation)]);
  }
  if (params.response) {
    const conversation = data?.response?.conversation?.id;
    if (conversation) trail.push([conversation, conversationHref(params.sbx, conversation)]);
    else trail.push(["Responses", sandboxHref(params.sbx, "responses")]);
    trail.push([params.response, responseHref(params.sbx, params.response)]);
  }
  if (params.request !== undefined || params.tab === "journal" || params.status !== undefined) {
    trail.push(["Journal", sandboxHref(params.sbx, "journal")]);
  }
  if (params.request !== undefined) {
    trail.push([params.request, requestHref(params.sbx, params.request)]);
  }
  return trail;
}

// -- sandboxes -------------------------------------------------------------------------------

const sandboxesPage = {
  title: () => "Sandboxes",
  stream: () => null, // every sandbox the viewer may see
  load: () => get("/sandboxes"),
  concerns: () => true,
  render(data) {
    const kinds = [...new Set(data.data.flatMap((s) => Object.keys(s.counts || {})))];
    return [
      h("h1", { tabindex: "-1" }, "Sandboxes"),
      h("p", {}, "One sandbox per API key; keys are shown masked, never whole."),
      table(
        "Sandboxes you can see",
        ["Sandbox", "Key", ...kinds.map(label)],
        data.data.map((s) => [
          link(sandboxHref(s.id), s.id),
          code(s.key),
          ...kinds.map((k) => String(s.counts?.[k] ?? 0)),
        ]),
        "No sandbox yet: one appears with the first request that uses its key.",
      ),
    ];
  },
};

function label(kind) {
  const text = kind.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// -- one sandbox: its objects by tab, its journal ------------------------------------------------

function sandboxHeader(data, current) {
  return [
    h("h1", { tabindex: "-1" }, "Sandbox ", code(data.id)),
    facts([
      ["Key", code(data.key)],
      ["Virtual clock", time(data.now)],
    ]),
    h(
      "nav",
      { class: "tabs", "aria-label": "Sandbox sections" },
      h(
        "ul",
        {},
        TABS.map(([tab, name]) => {
          const count = Array.isArray(data[tab]) ? ` (${data[tab].length})` : "";
          return h(
            "li",
            {},
            h(
              "a",
              { href: sandboxHref(data.id, tab), "aria-current": tab === current ? "page" : null },
              name + count,
            ),
          );
        }),
      ),
    ),
  ];
}

/**
 * Each tab's table: its caption, its columns ([header, the cell of a row]), and what it says
 * when empty. A cell is given the row and the sandbox's handle (for links).
 */
const TAB_TABLES = {
  threads: {
    caption: "Threads, oldest first",
    columns: [
      ["Thread", (t, sbx) => link(threadHref(sbx, t.id), t.id)],
      ["Created", (t) => time(t.created_at)],
      ["Messages", (t) => String(t.message_count ?? "")],
      ["Runs", (t) => String(t.run_count ?? "")],
      ["Last run", (t) => status(t.last_run_status)],
    ],
    empty: "No thread yet.",
  },
  assistants: {
    caption: "Assistants",
    columns: [
      ["Assistant", (a) => code(a.id)],
      ["Name", (a) => a.name ?? ""],
      ["Model", (a) => a.model],
      ["Tools", (a) => (a.tools || []).map((t) => (t.type === "function" ? t.function.name : t.type)).join(", ")],
      ["Created", (a) => time(a.created_at)],
    ],
    empty: "No assistant yet.",
  },
  files: {
    caption: "Files",
    columns: [
      ["File", (f) => code(f.id)],
      ["Name", (f) => f.filename],
      ["Purpose", (f) => f.purpose],
      ["Bytes", (f) => String(f.bytes ?? "")],
      ["Status", (f) => status(f.status)],
      ["Created", (f) => time(f.created_at)],
    ],
    empty: "No file yet.",
  },
  responses: {
    caption: "Stored responses, oldest first",
    columns: [
      ["Response", (r, sbx) => link(responseHref(sbx, r.id), r.id)],
      ["Status", (r) => status(r.status)],
      ["Model", (r) => r.model],
      [
        "Output",
        (r) => (r.output || []).map((item) => (item.type === "function_call" ? `function_call ${item.name}` : item.type)).join(", "),
      ],
      ["Conversation", (r, sbx) => (r.conversation?.id ? link(conversationHref(sbx, r.conversation.id), r.conversation.id) : "")],
      ["Created", (r) => time(r.created_at)],
    ],
    empty: "No stored response yet.",
  },
  conversations: {
    caption: "Conversations, oldest first",
    columns: [
      ["Conversation", (c, sbx) => link(conversationHref(sbx, c.id), c.id)],
      ["Items", (c) => String(c.item_count ?? "")],
      ["Created", (c) => time(c.created_at)],
    ],
    empty: "No conversation yet.",
  },
  vector_stores: {
    caption: "Vector stores",
    columns: [
      ["Vector store", (v) => code(v.id)],
      ["Name", (v) => v.name ?? ""],
      ["Status", (v) => status(v.status)],
      ["Files done / all", (v) => (v.file_counts ? `${v.file_counts.completed} / ${v.file_counts.total}` : "")],
      ["Bytes", (v) => String(v.usage_bytes ?? "")],
      ["Created", (v) => time(v.created_at)],
    ],
    empty: "No vector store yet.",
  },
};

function tabTable(tab, sbx, rows) {
  const { caption, columns, empty } = TAB_TABLES[tab];
  return table(
    caption,
    columns.map(([header]) => header),
    rows.map((row) => columns.map(([, cell]) => cell(row, sbx))),
    empty,
  );
}

const sandboxPage = {
  title: (params) => `Sandbox ${params.sbx}`,
  stream: (params) => params.sbx,
  load: (params) => get(`/sandboxes/${enc(params.sbx)}`),
  // its objects change with the notices of their kinds; a request notice alone changes nothing,
  // but for responses and conversations, which send no notice of their own
  concerns: (change, params) =>
    change.sandbox === params.sbx &&
    (change.kind !== "request" || params.tab === "responses" || params.tab === "conversations"),
  render(data, params) {
    const name = TABS.find(([tab]) => tab === params.tab)[1];
    return [
      ...sandboxHeader(data, params.tab),
      section(name, tabTable(params.tab, data.id, data[params.tab] || [])),
    ];
  },
};

const journalPage = {
  title: (params) => `Journal of ${params.sbx}`,
  stream: (params) => params.sbx,
  async load(params) {
    const query = new URLSearchParams();
    if (params.status) query.set("status", params.status);
    if (params.path) query.set("path", params.path);
    const [sandbox, requests] = await Promise.all([
      get(`/sandboxes/${enc(params.sbx)}`),
      get(`/sandboxes/${enc(params.sbx)}/requests${query.size ? `?${query}` : ""}`),
    ]);
    return { sandbox, requests: requests.data };
  },
  // a new entry comes with a request notice (the header's clock moves with requests too)
  concerns: (change, params) => change.sandbox === params.sbx && change.kind === "request",
  render(data, params) {
    const sbx = data.sandbox.id;
    const filter = h(
      "form",
      {
        class: "filter",
        role: "search",
        "aria-label": "Filter the journal",
        onsubmit(event) {
          event.preventDefault();
          const form = new FormData(event.target);
          const query = new URLSearchParams();
          for (const key of ["status", "path"]) {
            const value = String(form.get(key) || "").trim();
            if (value) query.set(key, value);
          }
          location.hash = sandboxHref(sbx, "journal") + (query.size ? `?${query}` : "");
        },
      },
      h("label", { for: "filter-status" }, "Status"),
      h("input", {
        id: "filter-status",
        name: "status",
        value: params.status,
        placeholder: "e.g. 404 or 4xx",
        size: "10",
        "aria-describedby": "filter-help",
      }),
      h("label", { for: "filter-path" }, "Path contains"),
      h("input", {
        id: "filter-path",
        name: "path",
        value: params.path,
        placeholder: "/v1/threads",
        size: "24",
      }),
      h("button", { type: "submit" }, "Filter"),
      params.status || params.path ? link(sandboxHref(sbx, "journal"), "Show all") : null,
      h(
        "p",
        { id: "filter-help", class: "help" },
        "Status: one code (404) or a class (4xx). Refused requests link to their error.",
      ),
    );
    return [
      ...sandboxHeader(data.sandbox, "journal"),
      section(
        "Journal",
        filter,
        table(
          `Requests, oldest first (${data.requests.length})`,
          ["Virtual time", "Virtual s", "Real ms", "Method", "Path", "Status", "Error"],
          data.requests.map((r) => {
            const message = r.error || ""; // the refusal's message, as the journal kept it
            return [
              time(r.virtual_at),
              r.virtual_seconds === undefined ? "" : `+${r.virtual_seconds}`,
              r.duration_ms === null || r.duration_ms === undefined
                ? ""
                : Number(r.duration_ms).toFixed(1),
              r.method,
              code(r.path + (r.query ? `?${r.query}` : "")),
              r.status >= 400 && r.id
                ? h("a", { href: requestHref(sbx, r.id), class: "nowrap" }, `${r.status} refused`)
                : status(String(r.status)),
              message && r.id ? link(requestHref(sbx, r.id), shorten(message, 90)) : message,
            ];
          }),
          params.status || params.path
            ? "No request matches this filter."
            : "No request yet.",
        ),
      ),
    ];
  },
};

function shorten(text, size) {
  return text.length > size ? `${text.slice(0, size - 1)}…` : text;
}

const requestPage = {
  title: (params) => `Request ${params.request}`,
  live: false, // a journal entry never changes once written
  stream: () => null,
  concerns: () => false,
  async load(params) {
    const requests = await get(`/sandboxes/${enc(params.sbx)}/requests`);
    return { entry: requests.data.find((r) => r.id === params.request) || null };
  },
  render(data, params) {
    const r = data.entry;
    if (!r) {
      return [
        h("h1", { tabindex: "-1" }, "Request not found"),
        h("p", {}, `No request ${params.request} in this sandbox's journal (it may have been reset).`),
      ];
    }
    return [
      h("h1", { tabindex: "-1" }, "Request ", code(r.id)),
      facts([
        ["Method", r.method],
        ["Path", code(r.path)],
        ["Query", r.query ? code(r.query) : null],
        ["Status", String(r.status)],
        ["Virtual time", time(r.virtual_at)],
        ["Virtual duration", r.virtual_seconds === undefined ? null : `${r.virtual_seconds} s`],
        ["Real duration", r.duration_ms == null ? null : `${Number(r.duration_ms).toFixed(1)} ms`],
        ["Sandbox key", r.sandbox ? code(r.sandbox) : null],
      ]),
      r.error
        ? section(
            "Error message",
            h("p", { class: "error-message", id: "error-message" }, r.error),
          )
        : h("p", {}, r.status >= 400 ? "No error message was recorded." : "Not refused."),
      h("p", {}, link(sandboxHref(params.sbx, "journal"), "Back to the journal")),
    ];
  },
};

// -- a thread ----------------------------------------------------------------------------------

function messageContent(sbx, part) {
  if (part.type === "text") {
    const notes = (part.text.annotations || []).map((a) =>
      h(
        "li",
        {},
        code(a.text),
        " ",
        a.type === "file_citation"
          ? ["cites ", code(a.file_citation?.file_id), a.file_citation?.quote ? ` “${a.file_citation.quote}”` : ""]
          : a.type === "file_path"
            ? ["file ", code(a.file_path?.file_id)]
            : a.type,
      ),
    );
    return [
      h("div", { class: "text" }, part.text.value),
      notes.length ? h("ul", { class: "annotations", "aria-label": "Annotations" }, notes) : null,
    ];
  }
  if (part.type === "image_file") {
    return image(sbx, part.image_file.file_id, "An image of the message (from the code interpreter, if the assistant wrote it)");
  }
  if (part.type === "image_url") return h("p", {}, "Image ", code(part.image_url.url));
  return pre(pretty(part), part.type);
}

const threadPage = {
  title: (params) => `Thread ${params.thread}`,
  stream: (params) => params.sbx,
  load: (params) => get(`/sandboxes/${enc(params.sbx)}/threads/${enc(params.thread)}`),
  concerns: (change, params) =>
    change.sandbox === params.sbx &&
    (change.thread_id === params.thread || change.id === params.thread),
  render(data, params) {
    const { thread, messages, runs } = data;
    return [
      h("h1", { tabindex: "-1" }, "Thread ", code(thread.id)),
      facts([
        ["Created", time(thread.created_at)],
        [
          "Metadata",
          thread.metadata && Object.keys(thread.metadata).length
            ? code(JSON.stringify(thread.metadata))
            : null,
        ],
      ]),
      section(
        `Messages (${messages.length})`,
        messages.length
          ? h(
              "ol",
              { class: "conversation" },
              messages.map((m) =>
                h(
                  "li",
                  { class: `message role-${m.role}`, id: m.id },
                  h(
                    "p",
                    { class: "meta" },
                    h("strong", {}, m.role),
                    " · ",
                    time(m.created_at),
                    " · ",
                    code(m.id),
                    m.run_id ? [" · from ", link(runHref(params.sbx, m.run_id), m.run_id)] : "",
                    m.status && m.status !== "completed" ? [" · ", status(m.status)] : "",
                  ),
                  (m.content || []).map((part) => messageContent(params.sbx, part)),
                  (m.attachments || []).length
                    ? h(
                        "p",
                        { class: "meta" },
                        "Attachments: ",
                        m.attachments.map((a) => code(a.file_id)),
                      )
                    : null,
                ),
              ),
            )
          : h("p", { class: "empty" }, "No message yet."),
      ),
      section(
        `Runs (${runs.length})`,
        table(
          "Runs, oldest first",
          ["Run", "Status", "Assistant", "Created", "Ended", "Tokens"],
          runs.map((r) => [
            link(runHref(params.sbx, r.id), r.id),
            status(r.status),
            code(r.assistant_id),
            time(r.created_at),
            time(r.completed_at ?? r.failed_at ?? r.cancelled_at ?? null),
            r.usage ? String(r.usage.total_tokens) : "",
          ]),
          "No run yet.",
        ),
      ),
    ];
  },
};

// -- a run -------------------------------------------------------------------------------------

function explanation(why) {
  if (!why) return h("p", { class: "empty" }, "No explanation recorded for this run.");
  const source =
    why.source === "scenario"
      ? ["Scenario ", code(why.scenario ?? "?"), why.rule_index != null ? `, rule ${why.rule_index}` : ""]
      : ["The default assistant", why.rule_index != null ? `, rule ${why.rule_index}` : ""];
  const nearMiss = why.near_miss;
  return h(
    "div",
    { class: "why" },
    h("p", {}, h("strong", {}, "Driven by: "), source),
    why.rule ? h("div", {}, h("h3", {}, "Rule"), pre(pretty(why.rule), "The rule")) : null,
    (why.reasons || []).length
      ? h("div", {}, h("h3", {}, "Reasons"), h("ul", { class: "reasons" }, why.reasons.map((r) => h("li", {}, r))))
      : null,
    nearMiss
      ? h(
          "div",
          { class: "near-miss" },
          h("h3", {}, "Near miss: the closest rule that did not match"),
          h(
            "p",
            {},
            "Scenario ",
            code(nearMiss.scenario ?? "?"),
            nearMiss.rule_index != null ? `, rule ${nearMiss.rule_index}` : "",
            ": ",
            nearMiss.why,
          ),
          nearMiss.rule ? pre(pretty(nearMiss.rule), "The closest rule") : null,
        )
      : null,
  );
}

function toolCall(sbx, call, index) {
  const id = call.id ? [" ", code(call.id)] : "";
  const step = call.step_id ? h("p", { class: "meta" }, "Step ", code(call.step_id)) : null;
  if (call.type === "function") {
    const fn = call.function || {};
    return h(
      "article",
      { class: "tool-call" },
      h("h3", {}, `${index + 1}. Function `, code(fn.name), id),
      step,
      h("h4", {}, "Arguments"),
      pre(pretty(fn.arguments ?? ""), `Arguments of ${fn.name}`),
      h("h4", {}, "Output"),
      fn.output === null || fn.output === undefined
        ? h("p", { class: "empty" }, "No output submitted yet.")
        : pre(fn.output, `Output of ${fn.name}`),
    );
  }
  if (call.type === "code_interpreter") {
    const ci = call.code_interpreter || {};
    const outputs = ci.outputs || [];
    return h(
      "article",
      { class: "tool-call" },
      h("h3", {}, `${index + 1}. Code interpreter`, id),
      step,
      h("h4", {}, "Input"),
      pre(ci.input ?? "", "Code interpreter input"),
      h("h4", {}, "Outputs"),
      outputs.length
        ? outputs.map((out) =>
            out.type === "logs"
              ? h("div", {}, h("h5", {}, "Logs"), pre(out.logs, "Logs"))
              : out.type === "image"
                ? h(
                    "div",
                    {},
                    h("h5", {}, "Image"),
                    image(sbx, out.image?.file_id, `The image the code interpreter drew in tool call ${index + 1} (a chart)`),
                  )
                : pre(pretty(out), out.type),
          )
        : h("p", { class: "empty" }, "No output."),
    );
  }
  if (call.type === "file_search") {
    const fs = call.file_search || {};
    const results = fs.results || [];
    return h(
      "article",
      { class: "tool-call" },
      h("h3", {}, `${index + 1}. File search`, id),
      step,
      table(
        "Results, best first",
        ["File", "Score", "Chunk"],
        results.map((r) => [
          [r.file_name ? `${r.file_name} ` : "", code(r.file_id)],
          typeof r.score === "number" ? r.score.toFixed(4) : String(r.score ?? ""),
          h(
            "div",
            { class: "chunk" },
            (r.content || []).map((c) => (c.type === "text" ? c.text : pretty(c))).join("\n"),
          ),
        ]),
        "No result.",
      ),
    );
  }
  return h("article", { class: "tool-call" }, h("h3", {}, `${index + 1}. ${call.type}`), pre(pretty(call)));
}

function stepDetails(step) {
  const details = step.step_details || {};
  if (details.type === "message_creation") {
    return ["Message ", code(details.message_creation?.message_id)];
  }
  if (details.type === "tool_calls") {
    return `${(details.tool_calls || []).length} tool call(s)`;
  }
  return details.type || "";
}

/** An SSE frame as it went over the wire. */
function frame(event) {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  return `event: ${event.event}\ndata: ${data}\n`;
}

// -- Responses API: a response, a conversation -------------------------------------------------------

/** The text of a message item's parts (input_text, output_text, refusal...). */
function itemText(it) {
  return (it.content || [])
    .map((part) => part.text ?? part.refusal ?? (part.type === "input_image" ? "[image]" : pretty(part)))
    .join("\n");
}

/** One item of a response's input or output, or of a conversation. */
function item(it, index) {
  const heading = (what) => h("h3", {}, `${index + 1}. `, what, " ", code(it.id ?? ""));
  if (it.type === "message") {
    return h(
      "article",
      { class: `tool-call message role-${it.role}` },
      heading(`Message (${it.role})`),
      h("div", { class: "text" }, itemText(it)),
    );
  }
  if (it.type === "function_call") {
    return h(
      "article",
      { class: "tool-call" },
      heading(["Function ", code(it.name)]),
      h("p", { class: "meta" }, "Call ", code(it.call_id)),
      h("h4", {}, "Arguments"),
      pre(pretty(it.arguments ?? ""), `Arguments of ${it.name}`),
    );
  }
  if (it.type === "function_call_output") {
    return h(
      "article",
      { class: "tool-call" },
      heading("Function output"),
      h("p", { class: "meta" }, "For call ", code(it.call_id)),
      pre(typeof it.output === "string" ? it.output : pretty(it.output), `Output for ${it.call_id}`),
    );
  }
  if (it.type === "code_interpreter_call") {
    return h(
      "article",
      { class: "tool-call" },
      heading("Code interpreter"),
      it.container_id ? h("p", { class: "meta" }, "Container ", code(it.container_id)) : null,
      h("h4", {}, "Code"),
      pre(it.code ?? "", "Code interpreter code"),
      h("h4", {}, "Outputs"),
      (it.outputs || []).length
        ? it.outputs.map((out) =>
            out.type === "logs"
              ? pre(out.logs, "Logs")
              : h("p", {}, `${out.type}: `, code(out.url ?? pretty(out))),
          )
        : h("p", { class: "empty" }, "No output."),
    );
  }
  if (it.type === "file_search_call") {
    return h(
      "article",
      { class: "tool-call" },
      heading("File search"),
      h("p", {}, "Queries: ", (it.queries || []).map((q) => code(q))),
      table(
        "Results, best first",
        ["File", "Score", "Text"],
        (it.results || []).map((r) => [
          [r.filename ? `${r.filename} ` : "", code(r.file_id)],
          typeof r.score === "number" ? r.score.toFixed(4) : String(r.score ?? ""),
          h("div", { class: "chunk" }, r.text ?? ""),
        ]),
        "No result (ask for them with include[]: file_search_call.results).",
      ),
    );
  }
  return h("article", { class: "tool-call" }, heading(it.type), pre(pretty(it), it.type));
}

function items(list, empty) {
  return list.length ? list.map((it, index) => item(it, index)) : h("p", { class: "empty" }, empty);
}

const responsePage = {
  title: (params) => `Response ${params.response}`,
  stream: (params) => params.sbx,
  load: (params) => get(`/sandboxes/${enc(params.sbx)}/responses/${enc(params.response)}`),
  // responses send no notice of their own: any request of the sandbox may have moved it on
  concerns: (change, params) => change.sandbox === params.sbx && change.kind === "request",
  render(data, params) {
    const r = data.response;
    const usage = r.usage;
    const timeline = data.timeline || [];
    return [
      h("h1", { tabindex: "-1" }, "Response ", code(r.id), " ", status(r.status)),
      facts([
        ["Conversation", r.conversation?.id ? link(conversationHref(params.sbx, r.conversation.id), r.conversation.id) : null],
        ["Previous response", r.previous_response_id ? link(responseHref(params.sbx, r.previous_response_id), r.previous_response_id) : null],
        ["Model", r.model],
        ["Status", status(r.status)],
        ["Background", r.background ? "yes" : null],
        ["Created", time(r.created_at)],
        ["Completed", time(r.completed_at ?? null)],
        ["Instructions", r.instructions],
        ["Error", r.error ? `${r.error.code}: ${r.error.message}` : null],
        ["Incomplete", r.incomplete_details ? r.incomplete_details.reason : null],
      ]),
      section("Why it did this", explanation(data.explanation)),
      // (the page's top level takes nodes only: no null here)
      ...(timeline.length
        ? [
            section(
              "Timeline",
              table(
                "Every status with its virtual time",
                ["Status", "Virtual time", "Seconds since created"],
                timeline.map((t) => [status(t.status), time(t.at), String(t.at - r.created_at)]),
              ),
            ),
          ]
        : []),
      section(`Input items (${(data.input_items || []).length})`, items(data.input_items || [], "No input item.")),
      section(`Output items (${(r.output || []).length})`, items(r.output || [], "No output yet.")),
      section(
        "Usage",
        usage
          ? table(
              "Tokens",
              ["Input", "Output", "Total"],
              [[String(usage.input_tokens), String(usage.output_tokens), String(usage.total_tokens)]],
            )
          : h("p", { class: "empty" }, "No usage yet (the response has not ended)."),
      ),
    ];
  },
};

const conversationPage = {
  title: (params) => `Conversation ${params.conversation}`,
  stream: (params) => params.sbx,
  load: (params) => get(`/sandboxes/${enc(params.sbx)}/conversations/${enc(params.conversation)}`),
  concerns: (change, params) => change.sandbox === params.sbx && change.kind === "request",
  render(data, params) {
    const c = data.conversation;
    return [
      h("h1", { tabindex: "-1" }, "Conversation ", code(c.id)),
      facts([
        ["Created", time(c.created_at)],
        ["Metadata", Object.keys(c.metadata || {}).length ? pretty(c.metadata) : null],
      ]),
      section(`Items (${data.items.length})`, items(data.items, "No item yet.")),
      section(
        `Responses (${data.responses.length})`,
        table(
          "Stored responses in this conversation, oldest first",
          ["Response", "Status", "Created"],
          data.responses.map((r) => [link(responseHref(params.sbx, r.id), r.id), status(r.status), time(r.created_at)]),
          "No stored response yet.",
        ),
      ),
    ];
  },
};

const runPage = {
  title: (params) => `Run ${params.run}`,
  stream: (params) => params.sbx,
  load: (params) => get(`/sandboxes/${enc(params.sbx)}/runs/${enc(params.run)}`),
  concerns: (change, params, data) =>
    change.sandbox === params.sbx &&
    (change.id === params.run ||
      (data?.run?.thread_id !== undefined && change.thread_id === data.run.thread_id)),
  render(data, params) {
    const { run } = data;
    const events = data.events || [];
    const usage = data.usage || run.usage;
    return [
      h("h1", { tabindex: "-1" }, "Run ", code(run.id), " ", status(run.status)),
      facts([
        ["Thread", link(threadHref(params.sbx, run.thread_id), run.thread_id)],
        ["Assistant", code(run.assistant_id)],
        ["Model", run.model],
        ["Status", status(run.status)],
        ["Created", time(run.created_at)],
        ["Expires", time(run.expires_at)],
        ["Last error", run.last_error ? `${run.last_error.code}: ${run.last_error.message}` : null],
        ["Incomplete", run.incomplete_details ? run.incomplete_details.reason : null],
      ]),
      section("Why it did this", explanation(data.explanation)),
      section(
        "Timeline",
        table(
          "Every status with its virtual time",
          ["Status", "Virtual time", "Seconds since created"],
          (data.timeline || []).map((t) => [
            status(t.status),
            time(t.at),
            String(t.at - run.created_at),
          ]),
        ),
      ),
      section(
        "Steps",
        table(
          "Run steps, oldest first",
          ["Step", "Type", "Status", "Created", "Ended", "Details"],
          (data.steps || []).map((s) => [
            code(s.id),
            s.type,
            status(s.status),
            time(s.created_at),
            time(s.completed_at ?? s.failed_at ?? s.cancelled_at ?? s.expired_at ?? null),
            stepDetails(s),
          ]),
          "No step yet.",
        ),
      ),
      section(
        "Tool calls",
        (data.tool_calls || []).length
          ? data.tool_calls.map((call, index) => toolCall(params.sbx, call, index))
          : h("p", { class: "empty" }, "No tool call."),
      ),
      section(
        "Usage",
        usage
          ? table(
              "Tokens",
              ["Prompt", "Completion", "Total"],
              [[String(usage.prompt_tokens), String(usage.completion_tokens), String(usage.total_tokens)]],
            )
          : h("p", { class: "empty" }, "No usage yet (the run has not ended)."),
      ),
      section(
        `Stream events as sent (${events.length})`,
        events.length
          ? pre(events.map(frame).join("\n"), "Server-sent events")
          : h("p", { class: "empty" }, "This run was not streamed."),
      ),
    ];
  },
};
