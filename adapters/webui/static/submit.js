// Submit forms: one fieldset per task type; the request goes to POST /tasks and the page
// opens the new task.
import { api, errorText } from "./api.js";

export function start() {
  const form = document.getElementById("submit-form");
  const show = () => {
    for (const fs of form.querySelectorAll("fieldset[data-for]")) fs.hidden = fs.dataset.for !== form.type.value;
  };
  form.type.addEventListener("change", show);
  show();
  form.addEventListener("submit", (ev) => { ev.preventDefault(); submit(form); });
}

const val = (form, name) => { const el = form.elements.namedItem(name); return el ? el.value.trim() : ""; };
const checked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.value);
const numOr = (s) => (s === "" ? undefined : Number(s));

function paramsFor(form, type) {
  switch (type) {
    case "echo": return JSON.parse(val(form, "echo.params") || "{}");
    case "sleep": return { seconds: Number(val(form, "sleep.seconds")) };
    case "search": return clean({ query: val(form, "search.query"), sources: nonEmpty(checked(form, "search.sources")), recency_days: numOr(val(form, "search.recency_days")), max_results: numOr(val(form, "search.max_results")) });
    case "search_batch": return clean({ queries: val(form, "search_batch.queries").split("\n").map((q) => q.trim()).filter(Boolean), sources: nonEmpty(checked(form, "search_batch.sources")) });
    case "fetch_url": return clean({ url: val(form, "fetch_url.url"), formats: nonEmpty(checked(form, "fetch_url.formats")), reader_mode: form.querySelector('input[name="fetch_url.reader_mode"]').checked });
    case "research": return clean({ query: val(form, "research.query"), sources: nonEmpty(checked(form, "research.sources")), fetch_top: numOr(val(form, "research.fetch_top")) });
  }
  return {};
}

const nonEmpty = (a) => (a.length ? a : undefined);
function clean(o) { for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]; return o; }

async function submit(form) {
  const out = document.getElementById("submit-result");
  const type = form.type.value;
  let params;
  try { params = paramsFor(form, type); } catch (e) { out.textContent = "Params are not valid JSON: " + e.message; out.className = "error-box"; return; }
  const body = clean({ type, params, timeout_seconds: numOr(val(form, "timeout_seconds")), max_retries: numOr(val(form, "max_retries")),
    priority: numOr(val(form, "priority")), delay_seconds: numOr(val(form, "delay_seconds")) });
  const r = await api("POST", "/tasks", body);
  if (!r.ok || !r.data || !r.data.id) { out.textContent = "Not submitted: " + errorText(r); out.className = "error-box"; return; }
  location.assign("/ui/tasks/" + encodeURIComponent(r.data.id));
}
