/** Pure: what the fake cloud must change to turn `current` into `want`, and the desired shape of a Service's balancer. */
import { CloudError, LABEL_EXCLUDE_LB } from '../../core/cloud/index.js';
import type { PlannedChange } from '../../core/cloud/index.js';
import type { Node, Service } from '../../core/api/index.js';
import type { DesiredLb, Scheme } from './lb-model.js';
import { instanceName } from './instances.js';

/** Service annotation choosing an internal balancer (`internal`) or the default internet-facing one. */
export const SCHEME_ANNOTATION = 'fake.skiff.dev/load-balancer-scheme';

export function desiredLb(svc: Service, nodes: readonly Node[]): DesiredLb {
  const scheme: Scheme = svc.metadata.annotations?.[SCHEME_ANNOTATION] === 'internal' ? 'internal' : 'internet-facing';
  const listeners = (svc.spec?.ports ?? []).map((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') throw new CloudError('InvalidArgument', `fake load balancers support TCP only, port ${p.port} is ${p.protocol ?? ''}`);
    if (!p.nodePort) throw new CloudError('InvalidArgument', `port ${p.port} has no nodePort`);
    return { port: p.port, nodePort: p.nodePort };
  });
  const targets = nodes
    .filter((n) => n.metadata.labels?.[LABEL_EXCLUDE_LB] === undefined)
    .map((n) => n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? instanceName(n))
    .sort();
  return { scheme, listeners: listeners.sort((a, b) => a.port - b.port), targets: [...new Set(targets)] };
}

export function planLb(name: string, current: DesiredLb | undefined, want: DesiredLb): PlannedChange[] {
  const out: PlannedChange[] = [];
  let cur = current;
  if (cur && cur.scheme !== want.scheme) {
    out.push({ action: 'delete', resource: 'load-balancer', name, detail: `scheme ${cur.scheme} → ${want.scheme}` });
    cur = undefined;
  }
  if (!cur) {
    out.push({ action: 'create', resource: 'load-balancer', name, detail: want.scheme });
    cur = { scheme: want.scheme, listeners: [], targets: [] };
  }
  const have = new Map(cur.listeners.map((l) => [l.port, l.nodePort]));
  for (const [port, nodePort] of have) {
    const w = want.listeners.find((l) => l.port === port);
    if (!w || w.nodePort !== nodePort) out.push({ action: 'delete', resource: 'listener', name: `${name}:${port}` });
  }
  for (const l of want.listeners) {
    if (have.get(l.port) !== l.nodePort) out.push({ action: 'create', resource: 'listener', name: `${name}:${l.port}`, detail: `→ nodePort ${l.nodePort}` });
  }
  if (cur.targets.join(',') !== want.targets.join(',')) {
    out.push({ action: 'update', resource: 'targets', name, detail: want.targets.join(',') || '(none)' });
  }
  return out;
}
