/* global document */
// Small SVG line charts for the snapshot's series ({ stepMs, endMs, values }).
const NS = 'http://www.w3.org/2000/svg';
const W = 300;
const H = 90;
const PAD = { left: 34, right: 6, top: 6, bottom: 14 };
const MAX_WINDOW = 600; // at most 10 minutes at 1 s
const MIN_WINDOW = 60; // the x axis grows from 1 minute as samples arrive

function svg(tag, attrs) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v) {
  return v >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
}

/** Draws `series` into the element with id `id`; the svg carries data-last (latest value) for tests and tools. */
export function drawChart(id, series) {
  const host = document.getElementById(id);
  if (!host) return;
  const values = series.values.slice(-MAX_WINDOW);
  const window = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, values.length));
  const max = niceMax(Math.max(0, ...values));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + iw - ((values.length - 1 - i) / (window - 1)) * iw;
  const y = (v) => PAD.top + ih - (v / max) * ih;
  const last = values.length > 0 ? values[values.length - 1] : 0;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'data-last': last, 'data-points': values.length });
  root.append(svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top + ih, x2: W - PAD.right, y2: PAD.top + ih }));
  root.append(svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + ih }));
  const top = svg('text', { x: 2, y: PAD.top + 8 });
  top.textContent = fmt(max);
  const zero = svg('text', { x: 2, y: PAD.top + ih });
  zero.textContent = '0';
  const ago = svg('text', { x: PAD.left, y: H - 2 });
  const seconds = Math.round((window * series.stepMs) / 1000);
  ago.textContent = seconds >= 120 ? `−${Math.round(seconds / 60)} min` : `−${seconds} s`;
  const now = svg('text', { x: W - PAD.right - 22, y: H - 2 });
  now.textContent = 'now';
  root.append(top, zero, ago, now);
  if (values.length > 1) {
    const pts = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const first = x(0).toFixed(1);
    const end = x(values.length - 1).toFixed(1);
    const base = (PAD.top + ih).toFixed(1);
    root.append(svg('path', { class: 'area', d: `M${first},${base} L${pts.join(' L')} L${end},${base} Z` }));
    root.append(svg('path', { class: 'line', d: `M${pts.join(' L')}` }));
  }
  const caption = host.parentElement?.querySelector('figcaption');
  if (caption) {
    let cur = caption.querySelector('.cur');
    if (!cur) {
      cur = document.createElement('strong');
      cur.className = 'cur';
      caption.append(cur);
    }
    cur.textContent = fmt(last);
  }
  host.replaceChildren(root);
}
