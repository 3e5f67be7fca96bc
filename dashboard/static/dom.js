/* global document */
// Tiny DOM helpers: every string goes in through textContent or setAttribute, never as HTML.

/** Creates an element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A table; `rows` are arrays of cells (string, number or element); a row object `{ group }` is a full-width heading row. */
export function table(headers, rows, empty = 'none') {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  const head = h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x))));
  const body = h('tbody', {}, rows.map((r) => (Array.isArray(r)
    ? h('tr', {}, r.map((c) => (c && typeof c === 'object' && c.wrap !== undefined ? h('td', { class: 'wrap' }, c.wrap) : h('td', {}, c))))
    : h('tr', { class: 'group' }, h('td', { colspan: headers.length }, r.group)))));
  return h('table', {}, head, body);
}

/** Replaces the body of section `id`. */
export function fill(id, ...nodes) {
  const body = document.querySelector(`#${id} .body`);
  if (body) body.replaceChildren(...nodes);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? ''}` }, text);
}

export function bar(used, total) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const fillEl = h('span', { 'data-pct': pct });
  fillEl.style.width = `${pct}%`; // CSSOM, allowed by the CSP (inline style attributes are not)
  return h('span', {}, h('span', { class: 'bar' }, fillEl), `${pct}%`);
}
