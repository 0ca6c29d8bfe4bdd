// Schedules: the cron field checked as it is typed (the server's 422, and the next due
// times), create, enable/disable and delete through the API.
import { api, errorText, confirmAction } from "./api.js";

export function start() {
  const form = document.getElementById("schedule-form");
  let timer = null;
  const check = () => { clearTimeout(timer); timer = setTimeout(preview, 250); };
  form.cron.addEventListener("input", check);
  form.timezone.addEventListener("input", check);
  form.addEventListener("submit", (ev) => { ev.preventDefault(); create(form); });
  document.getElementById("schedules-table").addEventListener("click", onRowAction);
}

async function preview() {
  const form = document.getElementById("schedule-form");
  const box = document.getElementById("cron-check");
  form.cron.removeAttribute("aria-invalid");
  form.timezone.removeAttribute("aria-invalid");
  if (!form.cron.value.trim()) { box.replaceChildren(); return; }
  const qs = new URLSearchParams({ cron: form.cron.value, timezone: form.timezone.value });
  const r = await api("GET", "/ui/schedules/preview?" + qs);
  if (!r.ok) {
    const field = r.data && r.data.error && r.data.error.details && r.data.error.details.field;
    if (field === "cron" || field === "timezone") form[field].setAttribute("aria-invalid", "true");
    const p = document.createElement("p");
    p.className = "error-box";
    p.textContent = errorText(r);
    box.replaceChildren(p);
    return;
  }
  const p = document.createElement("p");
  p.textContent = "Next runs (UTC):";
  const ul = document.createElement("ul");
  ul.className = "next-runs";
  for (const t of r.data.next_runs) { const li = document.createElement("li"); li.textContent = t; ul.append(li); }
  box.replaceChildren(p, ul);
}

async function create(form) {
  const out = document.getElementById("schedule-result");
  let params;
  try { params = JSON.parse(form.params.value || "{}"); } catch (e) { out.textContent = "Params are not valid JSON: " + e.message; out.className = "error-box"; return; }
  const task = { type: form.type.value, params };
  if (form.priority.value) task.priority = Number(form.priority.value);
  const body = { name: form.name.value, cron: form.cron.value, timezone: form.timezone.value || "UTC", enabled: form.enabled.checked, task };
  const r = await api("POST", "/schedules", body);
  if (!r.ok) { out.textContent = "Not created: " + errorText(r); out.className = "error-box"; return; }
  location.reload();
}

async function onRowAction(ev) {
  const btn = ev.target.closest("button[data-action]");
  if (!btn) return;
  const row = btn.closest("tr[data-schedule-id]");
  const id = encodeURIComponent(row.dataset.scheduleId);
  const out = document.getElementById("schedule-result");
  let r;
  if (btn.dataset.action === "toggle") {
    r = await api("PATCH", "/schedules/" + id, { enabled: row.dataset.enabled !== "true" });
  } else {
    if (!(await confirmAction("Delete this schedule? Tasks it fired stay."))) return;
    r = await api("DELETE", "/schedules/" + id);
  }
  if (!r.ok) { out.textContent = errorText(r); out.className = "error-box"; return; }
  location.reload();
}
