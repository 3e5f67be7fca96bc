/**
 * Node provisioning tracking: instances that never register as Nodes within `maxNodeProvisionTime`, or
 * that the provider reports failed, back their group off (5 min doubling to 30 min, reset after 3 h
 * quiet) and lower its target size for them, as cluster-autoscaler's cluster-state registry does. Pure.
 */
import type { NodeGroupInstance } from '../../core/cloud/index.js';
import { groupsOfNodes } from './template.js';
import { resolveOptions } from './types.js';
import type { ClusterAutoscalerOptions, GroupBackoff, ProvisioningInput, ProvisioningPlan } from './types.js';

/** The next back-off after one more failure at `now`. */
export function nextBackoff(prev: GroupBackoff | undefined, now: number, reason: string, o: Pick<ClusterAutoscalerOptions, 'initialBackoffMs' | 'maxBackoffMs'>): GroupBackoff {
  const failures = (prev?.failures ?? 0) + 1;
  const duration = Math.min(o.maxBackoffMs, o.initialBackoffMs * 2 ** (failures - 1));
  return { failures, until: now + duration, lastFailure: now, reason };
}

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} m`;
}

/** Back-offs that have been quiet for `backoffResetMs` are forgotten. */
function keptBackoffs(input: ProvisioningInput, o: ClusterAutoscalerOptions): Record<string, GroupBackoff> {
  const out: Record<string, GroupBackoff> = {};
  for (const [g, b] of Object.entries(input.backoff ?? {})) if (input.now - b.lastFailure < o.backoffResetMs) out[g] = b;
  return out;
}

export function planProvisioning(input: ProvisioningInput): ProvisioningPlan {
  const o = resolveOptions(input.options);
  const registered = new Set(groupsOfNodes(input.nodes, input.groups).keys());
  const firstSeen: Record<string, number> = {};
  const backoff = keptBackoffs(input, o);
  const decreases: ProvisioningPlan['decreases'] = [];
  const upcoming: Record<string, number> = {};
  const explanation: string[] = [];
  for (const g of input.groups) {
    const failed: NodeGroupInstance[] = [];
    let waiting = 0;
    for (const inst of g.instances) {
      if (registered.has(inst.name)) continue;
      const since = input.firstSeen?.[inst.name] ?? input.now;
      firstSeen[inst.name] = since;
      if (inst.error || input.now - since >= o.maxNodeProvisionTimeMs) failed.push(inst);
      else waiting++;
    }
    // Requested capacity the provider has not even listed as instances yet (e.g. an ASG still launching).
    const missing = Math.max(0, g.targetSize - g.instances.length);
    const missingKey = `${g.name}#missing`;
    let missingTimedOut = 0;
    if (missing > 0) {
      const since = input.firstSeen?.[missingKey] ?? input.now;
      if (input.now - since >= o.maxNodeProvisionTimeMs) missingTimedOut = missing;
      else {
        firstSeen[missingKey] = since;
        waiting += missing;
      }
    }
    upcoming[g.name] = waiting;
    if (failed.length === 0 && missingTimedOut === 0) continue;
    const errored = failed.filter((i) => i.error);
    const reason = errored[0]?.error
      ? `instance ${errored[0].name} failed: ${errored[0].error.class} ${errored[0].error.code}: ${errored[0].error.message}`
      : `${failed.length + missingTimedOut} node${failed.length + missingTimedOut === 1 ? '' : 's'} did not register within ${minutes(o.maxNodeProvisionTimeMs)}`;
    const b = nextBackoff(backoff[g.name], input.now, reason, o);
    backoff[g.name] = b;
    const delta = failed.length + missingTimedOut;
    decreases.push({ group: g.name, delta, instances: failed.map((i) => i.name), reason });
    for (const i of failed) delete firstSeen[i.name];
    explanation.push(`group ${g.name}: ${reason} → target ${g.targetSize} → ${g.targetSize - delta}, backed off for ${minutes(b.until - input.now)}`);
  }
  return { firstSeen, backoff, decreases, upcoming, explanation };
}
