/* global document, EventSource */
// The dashboard page: one EventSource on /api/events; each message is a full snapshot, rendered as
// tables and charts. Every value is inserted as text (see dom.js).
import { drawChart } from './chart.js';
import { badge, bar, fill, h, table } from './dom.js';

const cpu = (m) => (m >= 1000 ? `${Math.round(m / 100) / 10}` : `${Math.round(m)}m`);
const mem = (b) => {
  const units = ['B', 'Ki', 'Mi', 'Gi', 'Ti'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Math.round(v * 10) / 10}${units[i]}`;
};
const usage = (r, f) => (r.usage === null ? h('span', { class: 'muted' }, 'n/a') : h('span', {}, bar(r.usage, r.allocatable), ` ${f(r.usage)}`));

function cards(s) {
  const ready = s.nodes.filter((n) => n.ready).length;
  const running = s.pods.filter((p) => p.phase === 'Running').length;
  const last = (k) => { const v = s.series[k].values; return v.length ? v[v.length - 1] : 0; };
  const card = (value, label) => h('div', { class: 'card' }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
  document.getElementById('cards').replaceChildren(
    card(`${ready}/${s.nodes.length}`, 'nodes ready'),
    card(`${running}/${s.pods.length}`, 'pods running'),
    card(String(last('replicas')), 'ready replicas'),
    card(String(last('rps')), 'requests/s'),
    card(`${last('p99')} ms`, 'p99 latency'),
    card(String(s.hpas.length), 'HPAs'),
  );
}

function nodes(s) {
  fill('nodes', table(['Node', 'Status', 'Pods', 'CPU requested', 'CPU used', 'Memory requested', 'Memory used'], s.nodes.map((n) => [
    n.name,
    h('span', {}, badge(n.ready ? 'Ready' : 'NotReady', n.ready ? 'ok' : 'bad'), n.unschedulable ? badge('cordoned') : ''),
    n.pods,
    h('span', {}, bar(n.cpu.requested, n.cpu.allocatable), ` ${cpu(n.cpu.requested)} / ${cpu(n.cpu.allocatable)}`),
    usage(n.cpu, cpu),
    h('span', {}, bar(n.memory.requested, n.memory.allocatable), ` ${mem(n.memory.requested)} / ${mem(n.memory.allocatable)}`),
    usage(n.memory, mem),
  ]), 'no nodes'));
}

function pods(s) {
  const rows = [];
  let node;
  for (const p of s.pods) {
    if (p.node !== node) { node = p.node; rows.push({ group: node || '(unscheduled)' }); }
    const kind = p.phase === 'Running' ? 'ok' : p.phase === 'Failed' ? 'bad' : '';
    rows.push([p.namespace, p.name, badge(p.phase, kind), p.ready, p.restarts, p.ip]);
  }
  fill('pods', table(['Namespace', 'Pod', 'Phase', 'Ready', 'Restarts', 'IP'], rows, 'no pods'));
}

function rest(s) {
  fill('deployments', table(['Namespace', 'Deployment', 'Ready', 'Up-to-date', 'Available'],
    s.deployments.map((d) => [d.namespace, d.name, `${d.ready}/${d.desired}`, d.updated, d.available]), 'no deployments'));
  fill('services', table(['Namespace', 'Service', 'Type', 'Cluster IP', 'Ports', 'Ready endpoints', 'External'],
    s.services.map((v) => [v.namespace, v.name, v.type, v.clusterIP, v.ports, v.endpoints, v.external.join(', ') || '—']), 'no services'));
  fill('routes', table(['Host', 'Path', 'Path type', 'Backend', 'Ingress'],
    s.routes.map((r) => [r.host, r.path, r.pathType, r.backend, r.ingress]), 'no ingress rules'));
  fill('hpas', table(['Namespace', 'HPA', 'Target', 'Replicas (current → desired)', 'Min/Max', 'Metrics (current / target)', 'Last decision'],
    s.hpas.map((a) => [
      a.namespace, a.name, a.target, `${a.currentReplicas} → ${a.desiredReplicas}`, `${a.minReplicas}/${a.maxReplicas}`,
      h('span', {}, a.metrics.map((m) => h('div', {}, `${m.name}: ${m.current} / ${m.target}`))),
      { wrap: a.decision ? `${a.decision.time}: ${a.decision.explanation}` : (a.conditions.join('; ') || '—') },
    ]), 'no HPAs'));
  fill('vpas', table(['Namespace', 'VPA', 'Target', 'Mode', 'Recommendation (target · lower · upper)'],
    s.vpas.map((v) => [v.namespace, v.name, v.target, v.mode,
      h('span', {}, v.recommendations.map((r) => h('div', {}, `${r.container}: ${r.target} · ${r.lower} · ${r.upper}`)))]), 'no VPAs'));
  const groups = s.nodeGroups === null ? h('p', { class: 'empty' }, 'node groups not served') : table(['Node group', 'Min', 'Max', 'Desired', 'Target', 'Ready'],
    s.nodeGroups.map((g) => [g.name, g.min, g.max, g.desired ?? '—', g.target ?? '—', g.ready ?? '—']), 'no node groups');
  const ca = s.clusterAutoscaler;
  fill('nodegroups', groups, ca
    ? h('div', {}, h('h3', {}, 'Cluster autoscaler'), h('pre', {}, ca.status || '(no status yet)'),
      table(['Time', 'Kind', 'Decision'], ca.decisions.slice(-8).map((d) => [d.time, d.kind, { wrap: d.explanation }]), 'no decisions yet'))
    : h('p', { class: 'empty' }, 'cluster autoscaler not reporting'));
  fill('events', table(['Time', 'Type', 'Object', 'Reason', 'Message'],
    [...s.events].reverse().slice(0, 15).map((e) => [e.time, badge(e.type, e.type === 'Warning' ? 'bad' : ''), e.object, e.reason, { wrap: e.message }]), 'no events'));
}

function render(s) {
  cards(s);
  for (const k of ['rps', 'p99', 'replicas', 'nodes']) drawChart(`chart-${k}`, s.series[k]);
  nodes(s);
  pods(s);
  rest(s);
  document.getElementById('updated').textContent = `updated ${new Date(s.generatedAt).toLocaleTimeString()}`;
}

function connect() {
  const conn = document.getElementById('conn');
  const es = new EventSource('/api/events');
  es.addEventListener('open', () => { conn.textContent = 'live'; conn.className = 'badge ok'; });
  es.addEventListener('error', () => { conn.textContent = 'reconnecting…'; conn.className = 'badge off'; });
  es.addEventListener('snapshot', (ev) => render(JSON.parse(ev.data)));
}

connect();
