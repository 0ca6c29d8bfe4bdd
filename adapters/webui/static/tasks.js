// /ui: the overview (from /stats, or from the task lists while /stats is missing) and the
// task table kept current from /events, or by refreshing every few seconds without them.
import { api, watch, refreshRegion, liveNote } from "./api.js";
import { drawChart } from "./chart.js";

const STATUSES = ["scheduled", "queued", "running", "succeeded", "failed", "cancelled"];
const POLL_MS = 3000;
const OVERVIEW_MS = 10000;

export function start() {
  overview();
  setInterval(() => { if (!document.hidden) overview(); }, OVERVIEW_MS);
  live();
}

function live() {
  const firstPage = !new URLSearchParams(location.search).has("after");
  let pending = null;
  const refreshSoon = () => { if (!pending) pending = setTimeout(() => { pending = null; refreshRegion("tasks-live"); }, 300); };
  watch({}, (task) => {
    const row = document.querySelector(`#tasks-table tr[data-task-id="${CSS.escape(task.id)}"]`);
    if (row) setBadge(row.querySelector('[data-field="status"]'), task.status);
    if (row || firstPage) refreshSoon();
  }, (why) => {
    liveNote(`Live updates: refreshing every ${POLL_MS / 1000} s (${why}).`);
    setInterval(() => { if (!document.hidden) refreshRegion("tasks-live"); }, POLL_MS);
  });
  liveNote("Live updates: on (/events).");
}

export function setBadge(el, status) {
  if (!el || el.textContent === status) return;
  el.textContent = status;
  el.className = "badge s-" + status;
}

function pick(o, ...paths) {
  for (const p of paths) {
    let v = o;
    for (const k of p.split(".")) v = v == null ? undefined : v[k];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function num(v) {
  if (typeof v === "number") return v;
  if (v && typeof v === "object") return pick(v, "count", "total", "tasks");
  return undefined;
}

async function overview() {
  const lists = await recentLists();
  let counts;
  const note = document.getElementById("ov-note");
  const stats = await api("GET", "/stats");
  if (stats.ok && stats.data) {
    const s = stats.data;
    counts = {
      // GET /stats as the OpenAPI document's Stats schema describes it; it reports no
      // worker count, so the overview shows "unknown" there.
      byStatus: s.by_status || {},
      byType: s.by_type || {},
      oldest: s.oldest_queued_age_seconds,
      workers: null,
    };
    note.textContent = "";
  } else {
    counts = countsFromLists(lists);
    note.textContent = `Counts computed from the newest ${lists.cap} tasks of each status (GET /stats answered ${stats.status || "nothing"}).`;
  }
  fill("ov-status", counts.byStatus);
  fill("ov-type", counts.byType);
  document.getElementById("ov-oldest").textContent = counts.oldest == null ? "none queued" : age(counts.oldest) + (counts.oldestAtLeast ? "+" : "");
  document.getElementById("ov-workers").textContent = counts.workers == null ? "unknown" : String(counts.workers);
  drawChart(document.getElementById("ov-chart"), perMinute(lists.byStatus.succeeded || [], lists.byStatus.failed || []));
}

// recentLists reads the newest tasks of each status: the chart's source, and the counts'
// while /stats is missing.
async function recentLists() {
  const cap = 500;
  const out = { cap, byStatus: {}, more: {} };
  await Promise.all(STATUSES.map(async (st) => {
    const r = await api("GET", `/tasks?status=${st}&limit=${cap}`);
    out.byStatus[st] = r.ok && r.data ? r.data.tasks : [];
    out.more[st] = !!(r.ok && r.data && r.data.next_cursor);
  }));
  return out;
}

function countsFromLists(lists) {
  const byStatus = {}, byType = {};
  const workers = new Set();
  for (const st of STATUSES) {
    const tasks = lists.byStatus[st];
    byStatus[st] = tasks.length + (lists.more[st] ? "+" : "");
    for (const t of tasks) byType[t.type] = (byType[t.type] || 0) + 1;
    if (st === "running") for (const t of tasks) if (t.worker) workers.add(JSON.stringify(t.worker));
  }
  const queued = lists.byStatus.queued;
  const oldest = queued.length ? (Date.now() - Date.parse(queued[queued.length - 1].created_at)) / 1000 : null;
  return { byStatus, byType, oldest, oldestAtLeast: lists.more.queued, workers: workers.size ? workers.size : null };
}

function fill(id, counts) {
  const dl = document.getElementById(id);
  dl.replaceChildren();
  const keys = Object.keys(counts);
  if (!keys.length) { const dt = document.createElement("dt"); dt.textContent = "no tasks"; dl.append(dt, document.createElement("dd")); return; }
  for (const k of keys) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = k;
    const v = counts[k];
    dd.textContent = typeof v === "object" && v !== null ? String(num(v) ?? "") : String(v);
    dl.append(dt, dd);
  }
}

function age(sec) {
  if (sec < 60) return Math.round(sec) + " s";
  if (sec < 3600) return Math.round(sec / 60) + " min";
  return (sec / 3600).toFixed(1) + " h";
}

// perMinute buckets finish times over the last 30 minutes, oldest first.
function perMinute(ok, bad) {
  const now = Math.floor(Date.now() / 60000);
  const rows = Array.from({ length: 30 }, (_, i) => ({ minute: now - 29 + i, ok: 0, bad: 0 }));
  const add = (tasks, key) => {
    for (const t of tasks) {
      if (!t.finished_at) continue;
      const i = Math.floor(Date.parse(t.finished_at) / 60000) - (now - 29);
      if (i >= 0 && i < 30) rows[i][key]++;
    }
  };
  add(ok, "ok");
  add(bad, "bad");
  return rows;
}
