// The inspector's shell: sign-in, hash routing, and live updates through the change stream.
//
// A page loads its data once, then reloads it only when the server says something it shows
// has changed (no polling). The stream is open only while a page is open in a signed-in tab.

import { ApiError, credential, follow, forget, get, remember } from "./api.js";
import { h } from "./dom.js";
import { crumbs, route } from "./views.js";

const main = document.getElementById("main");
const trail = document.getElementById("crumbs");
const who = document.getElementById("who");
const signOut = document.getElementById("sign-out");
const liveStatus = document.getElementById("live-status");
const announcer = document.getElementById("announcer");

/** What is on screen: the page, its parameters, its data, its stream. */
const current = { hash: null, page: null, params: null, data: null, stop: null, streamFor: undefined };
/**
 * A burst of changes (a streamed run sends dozens) makes one reload, not one each: a page
 * reloads at most once every MIN_GAP_MS, the last change of a burst always shown. The server
 * answers the API first; a page that reloaded on every notice slowed it down.
 */
const MIN_GAP_MS = 250;
let loading = null; // the reload in flight
let lastLoad = -Infinity; // when the last reload started (performance.now())
let timer = null; // the reload scheduled for changes that arrived meanwhile
let pending = null; // the latest of those changes

signOut.addEventListener("click", () => {
  forget();
  closeStream();
  show();
});
document.getElementById("skip").addEventListener("click", (event) => {
  event.preventDefault(); // the hash is the router's: focus the content instead of following
  main.focus();
});
window.addEventListener("hashchange", show);
show();

function closeStream() {
  if (current.stop) current.stop();
  current.stop = null;
  current.streamFor = undefined;
  liveStatus.textContent = "";
}

// -- signing in --------------------------------------------------------------------------------

function signInForm(message) {
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title", tabindex: "-1" }, "Sign in to the inspector"),
    h(
      "p",
      {},
      "The inspector shows what the mock's sandboxes hold. An API key shows its own sandbox; ",
      "the operator token shows every sandbox. It is kept for this tab only and sent in a ",
      "header, never in a URL.",
    ),
    message ? h("p", { class: "error-message", role: "alert" }, message) : null,
    h(
      "fieldset",
      {},
      h("legend", {}, "Credential"),
      h(
        "div",
        { class: "choice" },
        h("input", { type: "radio", id: "kind-key", name: "kind", value: "key", checked: true }),
        h("label", { for: "kind-key" }, "API key (one sandbox)"),
      ),
      h(
        "div",
        { class: "choice" },
        h("input", { type: "radio", id: "kind-operator", name: "kind", value: "operator" }),
        h("label", { for: "kind-operator" }, "Operator token (every sandbox)"),
      ),
    ),
    h("label", { for: "secret" }, "Key or token"),
    h("input", {
      type: "password",
      id: "secret",
      name: "secret",
      required: true,
      autocomplete: "off",
      spellcheck: "false",
    }),
    h("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const cred = { kind: String(data.get("kind")), value: String(data.get("secret")).trim() };
    try {
      await get("/sandboxes", cred); // refused credentials are not kept
    } catch (error) {
      replace([signInForm(error instanceof ApiError ? error.message : String(error))]);
      focusHeading();
      return;
    }
    remember(cred.kind, cred.value);
    current.hash = null;
    show();
  });
  return form;
}

// -- routing and loading -------------------------------------------------------------------------

async function show() {
  const cred = credential();
  who.textContent = cred
    ? cred.kind === "operator"
      ? "Signed in with the operator token"
      : "Signed in with an API key"
    : "";
  signOut.hidden = !cred;
  if (!cred) {
    closeStream();
    trail.replaceChildren();
    document.title = "Sign in · assistants-mock inspector";
    current.hash = null;
    replace([signInForm()]);
    focusHeading();
    return;
  }
  const found = route(location.hash || "#/sandboxes");
  if (!found) {
    closeStream();
    setPage(null, {}, null);
    drawCrumbs({}, null);
    replace([h("h1", { tabindex: "-1" }, "No such page"), h("p", {}, h("a", { href: "#/sandboxes" }, "All sandboxes"))]);
    focusHeading();
    return;
  }
  current.hash = location.hash;
  setPage(found.page, found.params, null);
  // the stream follows the page's sandbox: kept across pages of one sandbox, else reopened
  const streamFor = found.page.stream(found.params);
  if (streamFor !== current.streamFor || !current.stop) {
    closeStream();
    if (found.page.live !== false) openStream(streamFor);
  }
  await reload({ navigated: true });
}

function setPage(page, params, data) {
  current.page = page;
  current.params = params;
  current.data = data;
}

function openStream(sandbox) {
  current.streamFor = sandbox;
  current.stop = follow(
    sandbox,
    (change) => {
      if (current.page && current.page.concerns(change, current.params, current.data)) {
        changed(change);
      }
    },
    (state, error) => {
      liveStatus.textContent =
        state === "live" ? "Live" : state === "reconnecting" ? "Reconnecting…" : "Not live";
      liveStatus.className = `live live-${state}`;
      // catch up on what happened while the stream was not open (before it, or while away)
      if (state === "live") changed(null);
      if (state === "closed" && error) liveStatus.title = error.message;
    },
  );
}

/** A change concerns the page: reload it, once for a whole burst of changes. */
function changed(change) {
  pending = change || pending || {};
  if (timer !== null || loading) return; // a reload is coming: it will show this change too
  const wait = Math.max(0, lastLoad + MIN_GAP_MS - performance.now());
  timer = setTimeout(() => {
    timer = null;
    const latest = pending;
    pending = null;
    reload({ change: latest });
  }, wait);
}

/** Load the page's data and draw it; changes arriving meanwhile make one more reload. */
async function reload({ navigated = false, change = null }) {
  if (loading && !navigated) {
    pending = pending || change || {};
    return;
  }
  lastLoad = performance.now();
  const page = current.page;
  const params = current.params;
  const hash = current.hash;
  const task = (async () => {
    try {
      const data = await page.load(params);
      if (hash !== current.hash) return; // the viewer moved on meanwhile
      current.data = data;
      draw(page, params, data, navigated);
      if (change) announce(change);
    } catch (error) {
      if (hash !== current.hash) return;
      if (error instanceof ApiError && error.status === 401) {
        forget();
        closeStream();
        replace([signInForm(error.message)]);
        focusHeading();
        return;
      }
      drawError(error, navigated);
    }
  })();
  loading = task;
  await task;
  if (loading === task) loading = null;
  if (pending && !loading) changed(pending); // what arrived while loading
}

function draw(page, params, data, navigated) {
  document.title = `${page.title(params, data)} · assistants-mock inspector`;
  drawCrumbs(params, data);
  replace(page.render(data, params));
  main.dataset.drawn = current.hash; // what is on screen (the browser tests wait for it)
  if (navigated) focusHeading();
}

/** The breadcrumb trail of the page on screen (a refused page's too: it says where one is). */
function drawCrumbs(params, data) {
  trail.replaceChildren(
    h(
      "ol",
      {},
      crumbs(params, data).map(([text, href], i, all) =>
        h("li", {}, h("a", { href, "aria-current": i === all.length - 1 ? "page" : null }, text)),
      ),
    ),
  );
}

function drawError(error, navigated) {
  const forbidden = error instanceof ApiError && error.status === 403;
  const missing = error instanceof ApiError && error.status === 404;
  const title = forbidden ? "Not allowed" : missing ? "Not found" : "Could not load this page";
  document.title = `${title} · assistants-mock inspector`;
  drawCrumbs(current.params, null);
  replace([
    h("h1", { tabindex: "-1" }, title),
    h("p", { class: "error-message", role: "alert" }, error.message || String(error)),
    forbidden
      ? h("p", {}, "An API key shows its own sandbox only; the operator token shows them all.")
      : null,
    h("p", {}, h("a", { href: "#/sandboxes" }, "The sandboxes you can see")),
  ]);
  main.dataset.drawn = current.hash;
  if (navigated) focusHeading();
}

/**
 * Swap the page's content, keeping what the viewer was doing: the focused control (by id,
 * or a link by its href), open <details>, and what they typed into a field.
 */
function replace(nodes) {
  const active = document.activeElement;
  const focusKey = active && main.contains(active) ? keyOf(active) : null;
  const typed = [...main.querySelectorAll("input[id]:not([type=password])")].map((i) => [i.id, i.value]);
  const open = new Set([...main.querySelectorAll("details[id][open]")].map((d) => d.id));
  main.replaceChildren(...nodes);
  for (const [id, value] of typed) {
    const input = document.getElementById(id);
    if (input && focusKey === `#${id}`) input.value = value;
  }
  for (const id of open) document.getElementById(id)?.setAttribute("open", "");
  if (focusKey) {
    const target = [...main.querySelectorAll("a, button, input, select, textarea, pre, summary")].find(
      (el) => keyOf(el) === focusKey,
    );
    target?.focus({ preventScroll: true });
  }
}

function keyOf(el) {
  if (el.id) return `#${el.id}`;
  if (el.tagName === "A") return `a${el.getAttribute("href")}|${el.textContent}`;
  return `${el.tagName}|${el.getAttribute("aria-label") || el.textContent.slice(0, 40)}`;
}

function focusHeading() {
  main.querySelector("h1")?.focus();
}

function announce(change) {
  if (!change.kind) return; // a catch-up, not a change to tell about
  const what = [change.kind, change.id, change.status].filter(Boolean).join(" ");
  announcer.textContent = what ? `Updated: ${what}` : "Updated";
}
