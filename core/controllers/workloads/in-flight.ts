/**
 * In-flight creates and deletes per controller key (the job Kubernetes' "expectations" do): a pod
 * this controller created or deleted but its informer has not caught up with yet. Entries leave when
 * the informer reports the change, or after `ttlMs` (Kubernetes' ExpectationsTimeout, 5 minutes) so
 * a lost event cannot wedge a controller. Kept in memory only: after a restart the informer's first
 * list is the truth, so nothing is lost that matters.
 */
import { deepEqual } from '../../api/index.js';
import type { Pod } from '../../api/index.js';
import type { Clock } from '../../util/index.js';

interface Pending {
  creates: Map<string, { pod: Pod; at: number }>;
  deletes: Map<string, number>;
}

export class InFlight {
  private readonly byKey = new Map<string, Pending>();

  constructor(private readonly clock: Clock, private readonly ttlMs = 5 * 60_000) {}

  created(key: string, pod: Pod): void {
    if (pod.metadata.name) this.entry(key).creates.set(podKey(pod), { pod, at: this.clock.now() });
  }

  deleted(key: string, pod: Pod): void {
    this.entry(key).deletes.set(podKey(pod), this.clock.now());
  }

  /** The informer saw `pod` appear. */
  observedAdd(pod: Pod): void {
    const k = podKey(pod);
    for (const p of this.byKey.values()) p.creates.delete(k);
  }

  /** The informer saw `pod` go away. */
  observedDelete(pod: Pod): void {
    const k = podKey(pod);
    for (const p of this.byKey.values()) {
      p.creates.delete(k);
      p.deletes.delete(k);
    }
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }

  /**
   * The pods the controller should believe it has: `cached` (from the informer) plus creations not
   * yet seen, minus deletions not yet seen. Expired entries, and creates `inCache` reports the
   * informer already has, are dropped first.
   */
  reconcileView(key: string, cached: readonly Pod[], inCache: (namespace: string, name: string) => boolean = () => false): Pod[] {
    const p = this.byKey.get(key);
    if (!p) return [...cached];
    const cutoff = this.clock.now() - this.ttlMs;
    // A create the informer has already seen (even if the pod since left `cached`) is no longer in flight.
    for (const [n, c] of p.creates) if (c.at < cutoff || inCache(c.pod.metadata.namespace ?? '', c.pod.metadata.name ?? '')) p.creates.delete(n);
    for (const [n, at] of p.deletes) if (at < cutoff) p.deletes.delete(n);
    const names = new Set(cached.map(podKey));
    const out = cached.filter((x) => !p.deletes.has(podKey(x)));
    for (const [n, c] of p.creates) if (!names.has(n)) out.push(c.pod);
    if (p.creates.size === 0 && p.deletes.size === 0) this.byKey.delete(key);
    return out;
  }

  private entry(key: string): Pending {
    let p = this.byKey.get(key);
    if (!p) {
      p = { creates: new Map(), deletes: new Map() };
      this.byKey.set(key, p);
    }
    return p;
  }
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/**
 * Pod informer handlers for a controller that tracks its writes in `inFlight`: every change enqueues
 * the pod's controller (`enqueueForPod`), and the old pod's too when labels or owners changed.
 */
export function trackedPodHandlers(inFlight: InFlight, enqueueForPod: (p: Pod) => void): { onAdd(p: Pod): void; onUpdate(old: Pod, p: Pod): void; onDelete(p: Pod): void } {
  return {
    onAdd: (p) => {
      inFlight.observedAdd(p);
      enqueueForPod(p);
    },
    onUpdate: (old, p) => {
      enqueueForPod(p);
      if (!deepEqual(old.metadata.labels, p.metadata.labels) || !deepEqual(old.metadata.ownerReferences, p.metadata.ownerReferences)) enqueueForPod(old);
    },
    onDelete: (p) => {
      inFlight.observedDelete(p);
      enqueueForPod(p);
    },
  };
}
