// A tiny DOM builder. Every string goes into the page as text, never as HTML: message text,
// file names and tool arguments come from the code under test, and none of it may run here.

/**
 * h("a", {href: "#/x", class: "tab"}, "text", child, [more, children])
 * Attributes: `class`, `for`, `data-*`, `aria-*`, booleans (true sets, false/null omits),
 * `onclick`-style listeners (functions).
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === "function") {
      node.addEventListener(name.replace(/^on/, ""), value);
    } else if (value === true) {
      node.setAttribute(name, "");
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Rows a table lays out at most: laying out every row of a 10,000-request journal (or of 5,000
 * assistants) kept the page blank for seconds. The newest are kept: every list is oldest first.
 */
export const MAX_ROWS = 500;

/**
 * A table with a caption and column headers; `rows` are arrays of cells (nodes or text). Past
 * MAX_ROWS, the last MAX_ROWS rows, with a line saying how many there are.
 */
export function table(caption, headers, rows, empty = "None.") {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  const total = rows.length;
  if (total > MAX_ROWS) rows = rows.slice(-MAX_ROWS);
  return h(
    "div",
    { class: "table-wrap" },
    total > MAX_ROWS
      ? h("p", { class: "help" }, `Showing the last ${MAX_ROWS} of ${total} rows.`)
      : null,
    h(
      "table",
      {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, headers.map((name) => h("th", { scope: "col" }, name)))),
      h(
        "tbody",
        {},
        rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell ?? "")))),
      ),
    ),
  );
}

/** A definition list of [term, value] pairs; pairs whose value is null are left out. */
export function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))),
  );
}

/** Preformatted text that may scroll: focusable, so the keyboard can scroll it too. */
export function pre(text, label) {
  return h("pre", { tabindex: "0", "aria-label": label || null }, text);
}

/** A virtual timestamp (epoch seconds) as `2026-01-01 00:00:05Z`. */
export function time(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const iso = new Date(seconds * 1000).toISOString().replace(".000Z", "Z").replace("T", " ");
  return h("time", { datetime: new Date(seconds * 1000).toISOString() }, iso);
}

/** JSON as it reads best: a string that holds JSON is shown indented, anything else as is. */
export function pretty(value) {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
