// A small stacked bar chart in inline SVG, drawn with DOM calls (no inline styles: the
// page's CSP allows none), with a text summary for screen readers.
const NS = "http://www.w3.org/2000/svg";

export function drawChart(box, rows) {
  const w = 300, h = 80, bw = w / rows.length;
  const top = Math.max(1, ...rows.map((r) => r.ok + r.bad));
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("class", "chart-svg");
  svg.setAttribute("aria-hidden", "true");
  rows.forEach((r, i) => {
    let y = h;
    for (const [n, cls] of [[r.ok, "bar-ok"], [r.bad, "bar-bad"]]) {
      if (!n) continue;
      const bh = (n / top) * (h - 4);
      y -= bh;
      const rect = document.createElementNS(NS, "rect");
      rect.setAttribute("x", String(i * bw + 1));
      rect.setAttribute("y", String(y));
      rect.setAttribute("width", String(Math.max(1, bw - 2)));
      rect.setAttribute("height", String(bh));
      rect.setAttribute("class", cls);
      svg.append(rect);
    }
  });
  const axis = document.createElementNS(NS, "line");
  for (const [k, v] of [["x1", 0], ["y1", h - 0.5], ["x2", w], ["y2", h - 0.5]]) axis.setAttribute(k, String(v));
  axis.setAttribute("class", "axis");
  svg.append(axis);
  const last = rows[rows.length - 1];
  const total = rows.reduce((a, r) => ({ ok: a.ok + r.ok, bad: a.bad + r.bad }), { ok: 0, bad: 0 });
  const summary = document.createElement("p");
  summary.className = "chart-summary";
  summary.textContent = `Last minute: ${last.ok} succeeded, ${last.bad} failed. Last 30 min: ${total.ok} succeeded, ${total.bad} failed (max ${top}/min).`;
  box.replaceChildren(svg, summary);
}
