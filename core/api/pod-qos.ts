/** A pod's QoS class, computed as Kubernetes' `ComputePodQOS` does. Pure. */
import type { Pod, PodStatus } from './kinds/core.js';
import { compareQuantities, isValidQuantity, parseQuantity } from './quantity.js';
import type { Quantity } from './quantity.js';

export type QOSClass = NonNullable<PodStatus['qosClass']>;

const QOS_RESOURCES = ['cpu', 'memory'];

/** The positive cpu/memory quantities of `list` (others, zero and malformed ones are ignored: validation reports those). */
function positive(list: Readonly<Record<string, string | number>> | undefined): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, v] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.includes(name) || !isValidQuantity(v)) continue;
    const q = parseQuantity(v);
    if (q.nanos > 0n) out.set(name, q);
  }
  return out;
}

function addInto(sum: Map<string, Quantity>, add: Map<string, Quantity>): void {
  for (const [name, q] of add) {
    const prev = sum.get(name);
    sum.set(name, prev ? { nanos: prev.nanos + q.nanos, format: prev.format } : q);
  }
}

/**
 * BestEffort when no container (init or regular) has a cpu or memory request or limit;
 * Guaranteed when every container limits both cpu and memory and the pod's summed requests
 * equal its summed limits; Burstable otherwise.
 */
export function podQOSClass(pod: Pick<Pod, 'spec'>): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    addInto(requests, positive(c.resources?.requests));
    const lim = positive(c.resources?.limits);
    addInto(limits, lim);
    if (!lim.has('cpu') || !lim.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
