/** Pure: the ordered actions that turn the observed balancer into the desired one; an empty list is steady state. */
import type { PlannedChange } from '../../core/cloud/index.js';
import type { DesiredLb, DesiredTg, HealthCheck, Rule, Scheme } from './lb-model.js';
import type { TagMap } from './mapping.js';

export interface ActualLb {
  arn: string;
  name: string;
  scheme: Scheme;
  dnsName: string;
  subnets: string[];
  tags: TagMap;
}
export interface ActualTg {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  healthCheck: HealthCheck;
  tags: TagMap;
  targets: string[];
}
export interface ActualListener {
  arn: string;
  port: number;
  protocol: string;
  tgArn: string;
}
export interface ActualRule extends Rule {
  id: string;
}
export interface Observed {
  lbs: ActualLb[];
  tgs: ActualTg[];
  listeners: ActualListener[];
  rules: ActualRule[];
}

export type Action =
  | { kind: 'deleteLb'; arn: string; name: string; why: string }
  | { kind: 'createLb' }
  | { kind: 'setSubnets'; subnets: string[] }
  | { kind: 'tagLb'; tags: TagMap }
  | { kind: 'createTg'; tg: DesiredTg }
  | { kind: 'modifyTg'; arn: string; name: string; healthCheck: HealthCheck }
  | { kind: 'tagTg'; arn: string; name: string; tags: TagMap }
  | { kind: 'register'; tgName: string; port: number; ids: string[] }
  | { kind: 'deregister'; arn: string; name: string; ids: string[] }
  | { kind: 'deleteListener'; arn: string; port: number }
  | { kind: 'createListener'; port: number; protocol: string; tgName: string }
  | { kind: 'modifyListener'; arn: string; port: number; tgName: string }
  | { kind: 'deleteTg'; arn: string; name: string }
  | { kind: 'authorize'; rule: Rule }
  | { kind: 'revoke'; rule: ActualRule };

const ruleKey = (r: Rule): string => `${r.groupId}/${r.protocol}/${r.port}/${r.cidr}`;

function missingTags(want: TagMap, have: TagMap): TagMap | undefined {
  const d = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  return Object.keys(d).length ? d : undefined;
}

export function sameHealthCheck(a: HealthCheck, b: HealthCheck): boolean {
  return a.protocol === b.protocol && a.port === b.port && (a.protocol === 'TCP' || a.path === b.path) && a.intervalSeconds === b.intervalSeconds
    && a.timeoutSeconds === b.timeoutSeconds && a.healthyThreshold === b.healthyThreshold && a.unhealthyThreshold === b.unhealthyThreshold;
}

function planLbItself(want: DesiredLb, lbs: readonly ActualLb[], out: Action[]): ActualLb | undefined {
  let keep: ActualLb | undefined;
  for (const lb of lbs) {
    if (!keep && lb.name === want.name && lb.scheme === want.scheme) keep = lb;
    else out.push({ kind: 'deleteLb', arn: lb.arn, name: lb.name, why: lb.name !== want.name ? 'duplicate' : `scheme ${lb.scheme} → ${want.scheme}` });
  }
  if (!keep) {
    out.push({ kind: 'createLb' });
    return undefined;
  }
  if ([...keep.subnets].sort().join(',') !== want.subnets.join(',')) out.push({ kind: 'setSubnets', subnets: want.subnets });
  const tags = missingTags(want.tags, keep.tags);
  if (tags) out.push({ kind: 'tagLb', tags });
  return keep;
}

function planTgs(want: DesiredLb, obs: Observed, out: Action[]): void {
  for (const d of want.tgs) {
    const a = obs.tgs.find((t) => t.name === d.name);
    if (!a) {
      out.push({ kind: 'createTg', tg: d });
      if (want.targets.length) out.push({ kind: 'register', tgName: d.name, port: d.nodePort, ids: want.targets });
      continue;
    }
    if (!sameHealthCheck(a.healthCheck, d.healthCheck)) out.push({ kind: 'modifyTg', arn: a.arn, name: a.name, healthCheck: d.healthCheck });
    const tags = missingTags(want.tags, a.tags);
    if (tags) out.push({ kind: 'tagTg', arn: a.arn, name: a.name, tags });
    const add = want.targets.filter((t) => !a.targets.includes(t));
    const remove = a.targets.filter((t) => !want.targets.includes(t));
    if (add.length) out.push({ kind: 'register', tgName: d.name, port: d.nodePort, ids: add });
    if (remove.length) out.push({ kind: 'deregister', arn: a.arn, name: a.name, ids: remove });
  }
}

function planListeners(want: DesiredLb, obs: Observed, lb: ActualLb | undefined, out: Action[]): void {
  const listeners = lb ? obs.listeners : [];
  const tgNameOf = (arn: string): string | undefined => obs.tgs.find((t) => t.arn === arn)?.name;
  const seen = new Set<number>();
  for (const l of listeners) {
    const w = want.listeners.find((x) => x.port === l.port);
    // A second listener on a port (a retried create whose response was lost, on a cloud that allowed it) goes too.
    if (!w || w.protocol !== l.protocol || seen.has(l.port)) out.push({ kind: 'deleteListener', arn: l.arn, port: l.port });
    else seen.add(l.port);
  }
  for (const w of want.listeners) {
    const l = listeners.find((x) => x.port === w.port && x.protocol === w.protocol);
    if (!l) out.push({ kind: 'createListener', port: w.port, protocol: w.protocol, tgName: w.tgName });
    else if (tgNameOf(l.tgArn) !== w.tgName) out.push({ kind: 'modifyListener', arn: l.arn, port: w.port, tgName: w.tgName });
  }
}

/** The actions, in the order `apply` must run them (creates before listeners; listeners gone before their target groups). */
export function planActions(want: DesiredLb, obs: Observed): Action[] {
  const out: Action[] = [];
  const lb = planLbItself(want, obs.lbs, out);
  planTgs(want, obs, out);
  planListeners(want, obs, lb, out);
  const wanted = new Set(want.tgs.map((t) => t.name));
  for (const t of obs.tgs) if (!wanted.has(t.name)) out.push({ kind: 'deleteTg', arn: t.arn, name: t.name });
  const haveRules = new Set(obs.rules.map(ruleKey));
  const wantRules = new Set(want.rules.map(ruleKey));
  for (const r of want.rules) if (!haveRules.has(ruleKey(r))) out.push({ kind: 'authorize', rule: r });
  for (const r of obs.rules) if (!wantRules.has(ruleKey(r))) out.push({ kind: 'revoke', rule: r });
  return out;
}

/** The actions that delete everything observed. */
export function planDeletion(obs: Observed): Action[] {
  return [
    ...obs.listeners.map((l): Action => ({ kind: 'deleteListener', arn: l.arn, port: l.port })),
    ...obs.lbs.map((l): Action => ({ kind: 'deleteLb', arn: l.arn, name: l.name, why: 'service deleted' })),
    ...obs.tgs.map((t): Action => ({ kind: 'deleteTg', arn: t.arn, name: t.name })),
    ...obs.rules.map((r): Action => ({ kind: 'revoke', rule: r })),
  ];
}

const ruleText = (r: Rule): string => `${r.groupId} ${r.protocol}/${r.port} from ${r.cidr}`;

/** What `skiff plan` prints. */
export function describeAction(a: Action, lbName: string): PlannedChange {
  switch (a.kind) {
    case 'deleteLb': return { action: 'delete', resource: 'load-balancer', name: a.name, detail: a.why };
    case 'createLb': return { action: 'create', resource: 'load-balancer', name: lbName, detail: 'network' };
    case 'setSubnets': return { action: 'update', resource: 'load-balancer', name: lbName, detail: `subnets ${a.subnets.join(',')}` };
    case 'tagLb': return { action: 'update', resource: 'load-balancer', name: lbName, detail: `tags ${Object.keys(a.tags).join(',')}` };
    case 'createTg': return { action: 'create', resource: 'target-group', name: a.tg.name, detail: `${a.tg.protocol} nodePort ${a.tg.nodePort}` };
    case 'modifyTg': return { action: 'update', resource: 'target-group', name: a.name, detail: 'health check' };
    case 'tagTg': return { action: 'update', resource: 'target-group', name: a.name, detail: `tags ${Object.keys(a.tags).join(',')}` };
    case 'register': return { action: 'create', resource: 'target', name: a.tgName, detail: a.ids.join(',') };
    case 'deregister': return { action: 'delete', resource: 'target', name: a.name, detail: a.ids.join(',') };
    case 'deleteListener': return { action: 'delete', resource: 'listener', name: `${lbName}:${a.port}` };
    case 'createListener': return { action: 'create', resource: 'listener', name: `${lbName}:${a.port}`, detail: `${a.protocol} → ${a.tgName}` };
    case 'modifyListener': return { action: 'update', resource: 'listener', name: `${lbName}:${a.port}`, detail: `→ ${a.tgName}` };
    case 'deleteTg': return { action: 'delete', resource: 'target-group', name: a.name };
    case 'authorize': return { action: 'create', resource: 'security-group-rule', name: ruleText(a.rule) };
    case 'revoke': return { action: 'delete', resource: 'security-group-rule', name: ruleText(a.rule) };
  }
}
