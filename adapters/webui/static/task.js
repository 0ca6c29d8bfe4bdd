// A task page: progress, worker and the attempts timeline from the API, the status kept
// current live (the server re-renders the page's data), and cancel/retry/delete.
import { api, watch, refreshRegion, liveNote, errorText, confirmAction } from "./api.js";

const POLL_MS = 2000;

const region = () => document.getElementById("task-live");
const taskId = () => region().dataset.taskId;

export function start() {
  document.addEventListener("click", onAction);
  details();
  attempts();
  let polling = null;
  const refresh = async () => {
    const before = region().dataset.status;
    if (await refreshRegion("task-live")) {
      details();
      if (region().dataset.status !== before) attempts();
      if (region().dataset.final === "true" && polling) { clearInterval(polling); polling = null; }
    }
  };
  watch({ task_id: taskId() }, (t) => { if (t.id === taskId() && t.status !== region().dataset.status) refresh(); }, (why) => {
    liveNote(`Live updates: refreshing every ${POLL_MS / 1000} s while the task runs (${why}).`);
    if (region().dataset.final !== "true") polling = setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
  });
  liveNote("Live updates: on (/events).");
}

// details fills what the server's task record on this branch may not carry yet.
async function details() {
  const r = await api("GET", "/tasks/" + encodeURIComponent(taskId()));
  if (!r.ok || !r.data) return;
  const t = r.data;
  const box = document.getElementById("task-progress");
  if (t.progress && typeof t.progress === "object") {
    const { done, total, message } = t.progress;
    const bar = document.getElementById("progress-bar");
    if (typeof total === "number" && total > 0) { bar.max = total; bar.value = Math.min(done || 0, total); } else bar.removeAttribute("value");
    document.getElementById("progress-text").textContent = [total ? `${done || 0} / ${total}` : "", message || ""].filter(Boolean).join(" · ");
    box.hidden = false;
  }
  if (t.worker) document.getElementById("task-worker").textContent = typeof t.worker === "string" ? t.worker : JSON.stringify(t.worker);
  if (t.retry_of) {
    const dd = document.getElementById("task-retry-of"), a = document.createElement("a");
    a.href = "/ui/tasks/" + encodeURIComponent(t.retry_of);
    a.textContent = t.retry_of;
    dd.replaceChildren(a);
  }
}

async function attempts() {
  const list = document.getElementById("attempts");
  const r = await api("GET", `/tasks/${encodeURIComponent(taskId())}/attempts`);
  const item = (text, cls) => { const li = document.createElement("li"); li.textContent = text; if (cls) li.className = cls; return li; };
  if (!r.ok || !r.data || !Array.isArray(r.data.attempts)) {
    list.replaceChildren(item(`The attempts are not available from this server (GET /tasks/{id}/attempts: ${errorText(r)}).`, "empty"));
    return;
  }
  if (!r.data.attempts.length) { list.replaceChildren(item("No attempt yet.", "empty")); return; }
  list.replaceChildren(...r.data.attempts.map((a) => {
    const err = a.error ? ` · ${typeof a.error === "object" ? a.error.code || JSON.stringify(a.error) : a.error}` : "";
    const worker = a.worker ? ` · ${typeof a.worker === "string" ? a.worker : JSON.stringify(a.worker)}` : "";
    return item(`#${a.attempt ?? "?"} ${a.outcome || "running"} · ${a.started_at || "?"} → ${a.finished_at || "…"}${worker}${err}`, "outcome-" + (a.outcome || "running"));
  }));
}

async function onAction(ev) {
  const btn = ev.target.closest("button[data-action]");
  if (!btn || !region().contains(btn)) return;
  const action = btn.dataset.action;
  if (!(await confirmAction(btn.dataset.confirm))) return;
  const out = document.getElementById("action-result");
  const id = encodeURIComponent(taskId());
  btn.disabled = true;
  let r;
  if (action === "cancel") r = await api("POST", `/tasks/${id}/cancel`);
  else if (action === "retry") r = await api("POST", `/tasks/${id}/retry`);
  else if (action === "delete") r = await api("DELETE", `/tasks/${id}`);
  btn.disabled = false;
  if (!r.ok) {
    const missing = r.status === 404 || r.status === 405 ? (r.data && r.data.error && r.data.error.code === "task_not_found" ? "" : " This server has no such endpoint yet.") : "";
    out.textContent = `${action} failed: ${errorText(r)}.${missing}`;
    out.className = "error-box";
    return;
  }
  if (action === "retry" && r.data && r.data.id) { location.assign("/ui/tasks/" + encodeURIComponent(r.data.id)); return; }
  if (action === "delete") { location.assign("/ui"); return; }
  out.textContent = `${action}: done.`;
  out.className = "";
  await refreshRegion("task-live");
}
