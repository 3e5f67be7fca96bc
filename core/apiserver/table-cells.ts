/** Cell formatting for built-in kinds, following kubectl's printers (pkg/printers/internalversion). */
import type { KubeObject } from '../api/index.js';
import { since } from './age.js';
import { formatLabelSelector } from './selectors.js';

type Rec = Record<string, unknown>;

export function rec(v: unknown): Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {};
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
const spec = (o: KubeObject): Rec => rec(o.spec);
const status = (o: KubeObject): Rec => rec(o.status);

export function podReady(o: KubeObject): string {
  const cs = arr(status(o).containerStatuses).map(rec);
  const total = arr(spec(o).containers).length;
  return `${cs.filter((c) => c.ready === true).length}/${total}`;
}

export function podStatus(o: KubeObject): string {
  const st = status(o);
  let reason = str(st.reason) || str(st.phase) || 'Pending';
  for (const c of arr(st.containerStatuses).map(rec)) {
    const state = rec(c.state);
    const waiting = rec(state.waiting);
    const term = rec(state.terminated);
    if (str(waiting.reason)) reason = str(waiting.reason);
    else if (str(term.reason)) reason = str(term.reason);
    else if (state.terminated !== undefined) reason = num(term.signal) ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
  }
  if (o.metadata.deletionTimestamp) return st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function podRestarts(o: KubeObject, now: number): string {
  let total = 0;
  let last = '';
  for (const c of arr(status(o).containerStatuses).map(rec)) {
    total += num(c.restartCount);
    const finished = str(rec(rec(c.lastState).terminated).finishedAt);
    if (finished && finished > last) last = finished;
  }
  return total > 0 && last ? `${total} (${since(last, now)} ago)` : String(total);
}

export function containersOf(tmpl: Rec): { names: string; images: string } {
  const cs = arr(rec(tmpl.spec).containers).map(rec);
  return { names: cs.map((c) => str(c.name)).join(','), images: cs.map((c) => str(c.image)).join(',') };
}

export function selectorString(sel: unknown): string {
  const s = formatLabelSelector(sel);
  return s === '' ? '<none>' : s;
}

export function serviceExternalIp(o: KubeObject): string {
  const sp = spec(o);
  const external = arr(sp.externalIPs).map((x) => str(x));
  const type = str(sp.type, 'ClusterIP');
  if (type === 'LoadBalancer') {
    const ing = arr(rec(status(o).loadBalancer).ingress).map(rec).map((i) => str(i.ip) || str(i.hostname)).filter((x) => x !== '');
    const all = [...ing, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  if (type === 'ExternalName') return str(sp.externalName);
  return external.length > 0 ? external.join(',') : '<none>';
}

export function servicePorts(o: KubeObject): string {
  const ports = arr(spec(o).ports).map(rec);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => {
    const proto = str(p.protocol, 'TCP');
    return p.nodePort ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
  }).join(',');
}

export function ingressHosts(o: KubeObject): string {
  const hosts = arr(spec(o).rules).map(rec).map((r) => str(r.host)).filter((h) => h !== '');
  return hosts.length > 0 ? hosts.join(',') : '*';
}

export function lbAddresses(o: KubeObject): string {
  return arr(rec(status(o).loadBalancer).ingress).map(rec).map((i) => str(i.ip) || str(i.hostname)).filter((x) => x !== '').join(',');
}

/** HPA TARGETS: `cpu: 45%/50%`, `cpu: <unknown>/50%`, `memory: 100Mi/200Mi`, `7263m/50` (Pods). */
export function hpaTargets(o: KubeObject): string {
  const metrics = arr(spec(o).metrics).map(rec);
  const current = arr(status(o).currentMetrics).map(rec);
  if (metrics.length === 0) return '<none>';
  return metrics.map((m, i) => {
    if (m.type === 'Resource' || m.type === 'ContainerResource') {
      const key = m.type === 'Resource' ? 'resource' : 'containerResource';
      const r = rec(m[key]);
      const name = str(r.name);
      const target = rec(r.target);
      const cur = rec(current.map((c) => rec(c[key])).find((c) => str(c.name) === name)?.current);
      if (target.averageUtilization !== undefined) {
        const c = cur.averageUtilization !== undefined ? `${num(cur.averageUtilization)}%` : '<unknown>';
        return `${name}: ${c}/${num(target.averageUtilization)}%`;
      }
      const want = str(target.averageValue) || str(target.value);
      return `${name}: ${str(cur.averageValue) || str(cur.value) || '<unknown>'}/${want}`;
    }
    return otherMetricCell(m, current[i]);
  }).join(', ');
}

/**
 * A Pods, Object or External metric's cell, as kubectl prints it: the current value from the status entry
 * at the same position (`7263m/50`), `(avg)` after an Object/External AverageValue target, `<unknown>`
 * while the status has none.
 */
function otherMetricCell(m: Record<string, unknown>, cur: unknown): string {
  const t = str(m.type);
  const key = t.charAt(0).toLowerCase() + t.slice(1);
  const target = rec(rec(m[key]).target);
  const c = rec(rec(rec(cur)[key]).current);
  if (t === 'Pods') return `${str(c.averageValue) || '<unknown>'}/${str(target.averageValue)}`;
  if (t === 'Object' || t === 'External') {
    if (str(target.averageValue)) return `${str(c.averageValue) || '<unknown>'}/${str(target.averageValue)} (avg)`;
    return `${str(c.value) || '<unknown>'}/${str(target.value)}`;
  }
  return `<unknown>/${str(target.averageValue) || str(target.value) || (target.averageUtilization !== undefined ? `${num(target.averageUtilization)}%` : '')}`;
}

export function nodeStatus(o: KubeObject): string {
  const ready = arr(status(o).conditions).map(rec).find((c) => c.type === 'Ready');
  let s = ready ? (ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown') : 'Unknown';
  if (spec(o).unschedulable === true) s += ',SchedulingDisabled';
  return s;
}

export function nodeRoles(o: KubeObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  return roles.length > 0 ? roles.sort().join(',') : '<none>';
}

export function nodeAddress(o: KubeObject, type: string): string {
  const a = arr(status(o).addresses).map(rec).find((x) => x.type === type);
  return a ? str(a.address) : '<none>';
}

export function endpointsList(o: KubeObject): string {
  const out: string[] = [];
  for (const s of arr(o.subsets).map(rec)) {
    const ports = arr(s.ports).map(rec);
    for (const a of arr(s.addresses).map(rec)) {
      if (ports.length === 0) out.push(str(a.ip));
      for (const p of ports) out.push(`${str(a.ip)}:${num(p.port)}`);
    }
  }
  if (out.length === 0) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

export function eventObject(o: KubeObject): string {
  const io = rec(o.involvedObject);
  return `${str(io.kind).toLowerCase()}/${str(io.name)}`;
}

export function eventLastSeen(o: KubeObject, now: number): string {
  const ts = str(o.lastTimestamp) || str(rec(o.series).lastObservedTime) || str(o.eventTime) || o.metadata.creationTimestamp;
  return since(ts, now);
}

export function accessModes(modes: unknown): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return arr(modes).map((m) => short[str(m)] ?? str(m)).join(',');
}
