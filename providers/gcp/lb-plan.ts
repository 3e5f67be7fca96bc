/** What `ensure` must do to turn the observed resources into the desired ones. Pure. */
import type { PlannedChange } from '../../core/cloud/index.js';
import type { DesiredResource } from './lb-desired.js';
import type { Ref, Resource } from './sdk.js';

export type Step =
  | { action: 'create'; d: DesiredResource }
  | { action: 'update'; d: DesiredResource }
  | { action: 'delete'; ref: Ref }
  | { action: 'add-members' | 'remove-members'; d: DesiredResource; members: string[] };

export interface Observed {
  /** By `refKey`; absent = missing. */
  resources: ReadonlyMap<string, Resource>;
  /** Current members by `refKey` (target pools, instance groups). */
  members: ReadonlyMap<string, readonly string[]>;
}

export const refKey = (r: Ref): string => `${JSON.stringify(r.scope)}/${r.collection}/${r.name}`;

/** Whether `observed` has every field of `desired` (arrays of primitives compared as sets; numbers as strings). */
export function matches(desired: unknown, observed: unknown): boolean {
  if (Array.isArray(desired)) {
    const obs = Array.isArray(observed) ? observed : [];
    if (obs.length !== desired.length) return false;
    if (desired.every((x) => typeof x !== 'object')) {
      const a = desired.map(String).sort();
      const b = obs.map(String).sort();
      return a.every((x, i) => x === b[i]);
    }
    return desired.every((x, i) => matches(x, obs[i]));
  }
  if (typeof desired === 'object' && desired !== null) {
    const o = (typeof observed === 'object' && observed !== null ? observed : {}) as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => matches(v, o[k]));
  }
  return String(desired ?? '') === String(observed ?? '');
}

const differs = (d: DesiredResource, o: Resource): boolean => d.compare.some((f) => !matches(d.body[f], o[f]));

/**
 * Steps in order: a forwarding rule that must change is deleted first (it references the rest), then the
 * other kind's resources go, then each desired resource is created, patched, replaced or has its members
 * adjusted, and the forwarding rule is created last.
 */
export function planSteps(desired: readonly DesiredResource[], stale: readonly Ref[], obs: Observed): Step[] {
  const rule = desired[desired.length - 1];
  const body = desired.slice(0, -1);
  const steps: Step[] = [];
  const replaced = body.filter((d) => { const o = obs.resources.get(refKey(d.ref)); return o !== undefined && !d.patchable && differs(d, o); });
  const ruleObs = rule ? obs.resources.get(refKey(rule.ref)) : undefined;
  const ruleGoes = rule !== undefined && ruleObs !== undefined && (differs(rule, ruleObs) || replaced.length > 0);
  if (rule && ruleGoes) steps.push({ action: 'delete', ref: rule.ref });
  for (const r of [...stale].reverse()) if (obs.resources.has(refKey(r))) steps.push({ action: 'delete', ref: r });
  for (const d of body) {
    const o = obs.resources.get(refKey(d.ref));
    if (o === undefined) { steps.push({ action: 'create', d }); continue; }
    if (differs(d, o)) {
      if (d.patchable) steps.push({ action: 'update', d });
      else steps.push({ action: 'delete', ref: d.ref }, { action: 'create', d });
      continue;
    }
    if (d.members) {
      const have = new Set(obs.members.get(refKey(d.ref)) ?? []);
      const want = new Set(d.members);
      const add = [...want].filter((m) => !have.has(m));
      const remove = [...have].filter((m) => !want.has(m));
      if (add.length) steps.push({ action: 'add-members', d, members: add });
      if (remove.length) steps.push({ action: 'remove-members', d, members: remove });
    }
  }
  if (rule && (ruleObs === undefined || ruleGoes)) steps.push({ action: 'create', d: rule });
  return steps;
}

const resourceName: Record<string, string> = {
  addresses: 'address', firewalls: 'firewall', httpHealthChecks: 'http-health-check', healthChecks: 'health-check', targetPools: 'target-pool',
  forwardingRules: 'forwarding-rule', instanceGroups: 'instance-group', backendServices: 'backend-service',
};

export function describeStep(s: Step): PlannedChange {
  const ref = s.action === 'delete' ? s.ref : s.d.ref;
  const resource = resourceName[ref.collection] ?? ref.collection;
  if (s.action === 'add-members' || s.action === 'remove-members') {
    return { action: 'update', resource, name: ref.name, detail: `${s.action === 'add-members' ? 'add' : 'remove'} ${s.members.map((m) => m.split('/').pop() ?? m).join(', ')}` };
  }
  return { action: s.action, resource, name: ref.name };
}
