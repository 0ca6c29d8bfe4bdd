// Talking to the REST API from the pages: the tab's bearer token, JSON requests, and the
// event stream. EventSource cannot send an Authorization header, so the stream is read
// with fetch and parsed here (the SSE format: "event:" and "data:" lines, blank-line ends).
const KEY = "taskrunner.token";

export const authOn = document.body.dataset.auth === "on";
export const token = () => sessionStorage.getItem(KEY) || "";
export const setToken = (t) => sessionStorage.setItem(KEY, t);
export const forgetToken = () => sessionStorage.removeItem(KEY);

function headers(extra) {
  const h = Object.assign({ Accept: "application/json" }, extra || {});
  if (authOn && token()) h.Authorization = "Bearer " + token();
  return h;
}

// goLogin ends the page's session and asks for the token again.
export async function goLogin() {
  forgetToken();
  try { await fetch("/ui/logout", { method: "POST", credentials: "same-origin", redirect: "manual" }); } catch (_) { /* going anyway */ }
  location.assign("/ui/login?next=" + encodeURIComponent(location.pathname + location.search));
}

// api sends one request and answers {status, ok, data}; it never throws for an HTTP
// status, only {status: 0} when the server cannot be reached.
export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try { res = await fetch(path, init); } catch (_) { return { status: 0, ok: false, data: null }; }
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch (_) { data = null; } }
  if (res.status === 401 && authOn) goLogin();
  return { status: res.status, ok: res.ok, data };
}

// errorText says what went wrong in the API's words.
export function errorText(r) {
  const e = r.data && r.data.error;
  if (e) {
    const field = e.details && e.details.field ? ` (field ${e.details.field})` : "";
    return `${e.code}: ${e.message}${field}`;
  }
  return r.status === 0 ? "the server could not be reached" : `HTTP ${r.status}`;
}

// watch reads GET /events with the given filters and calls onTask with each task; onFail
// gets a reason when the stream cannot start or ends. It returns a function that stops it.
export function watch(filters, onTask, onFail) {
  const ctrl = new AbortController();
  const qs = new URLSearchParams(filters || {}).toString();
  (async () => {
    let res;
    try {
      res = await fetch("/events" + (qs ? "?" + qs : ""), { headers: headers({ Accept: "text/event-stream" }), signal: ctrl.signal, credentials: "same-origin" });
    } catch (_) { if (!ctrl.signal.aborted) onFail("unreachable"); return; }
    if (!res.ok || !res.body) { onFail(`GET /events answered HTTP ${res.status}`); return; }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value.replace(/\r\n?/g, "\n");
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          dispatch(buf.slice(0, end), onTask);
          buf = buf.slice(end + 2);
        }
      }
    } catch (_) { /* aborted or dropped */ }
    if (!ctrl.signal.aborted) onFail("the event stream ended");
  })();
  return () => ctrl.abort();
}

function dispatch(block, onTask) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (event !== "task" || data.length === 0) return;
  try { onTask(JSON.parse(data.join("\n"))); } catch (_) { /* not a task */ }
}

// refreshRegion fetches the page again and swaps the element with the given id for the
// server's fresh rendering of it: the server stays the only renderer of task data.
export async function refreshRegion(id) {
  let res;
  try { res = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } }); } catch (_) { return false; }
  if (res.redirected && new URL(res.url).pathname.startsWith("/ui/login")) { goLogin(); return false; }
  if (!res.ok) return false;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.getElementById(id);
  const old = document.getElementById(id);
  if (!fresh || !old) return false;
  old.replaceWith(document.importNode(fresh, true));
  return true;
}

// liveNote tells how the page stays current.
export function liveNote(text) {
  const n = document.getElementById("live-note");
  if (n) n.textContent = text;
}

// confirmAction asks in the page's <dialog> and resolves true on "Yes".
export function confirmAction(text) {
  const d = document.getElementById("confirm");
  if (!d || typeof d.showModal !== "function") return Promise.resolve(window.confirm(text));
  document.getElementById("confirm-text").textContent = text;
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.returnValue = "";
    d.showModal();
  });
}
