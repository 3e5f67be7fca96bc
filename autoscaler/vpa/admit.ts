/**
 * VPA admission (pure): a new pod of a VPA's target gets the recommended requests, in modes Initial, Auto,
 * Recreate and InPlaceOrRecreate. The integrator calls `vpaAdmit` from the API server's pod create path.
 */
import { deepCopy, matchesLabels, quantityToMilli } from '../../core/api/index.js';
import type { LabelSelector, Pod, VerticalPodAutoscaler } from '../../core/api/index.js';
import { containerPolicy } from './policy.js';
import { formatCpu, formatMemory } from './quantity.js';

export interface VpaAdmitOptions {
  /**
   * The target's pod selector (e.g. its scale subresource's `status.selector`), when the caller knows it.
   * Without it, a pod matches a VPA whose target is the pod's controller, or the Deployment owning the
   * pod's ReplicaSet (`<deployment>-<pod-template-hash>`).
   */
  selectorOf?: (vpa: VerticalPodAutoscaler) => string | LabelSelector | undefined;
}

const APPLYING_MODES = new Set(['Initial', 'Auto', 'Recreate', 'InPlaceOrRecreate']);

function ownedByTarget(pod: Pod, vpa: VerticalPodAutoscaler): boolean {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return false;
  const ref = vpa.spec.targetRef;
  if (owner.kind === ref.kind && owner.name === ref.name) return true;
  const hash = pod.metadata.labels?.['pod-template-hash'];
  return ref.kind === 'Deployment' && owner.kind === 'ReplicaSet' && hash !== undefined && owner.name === `${ref.name}-${hash}`;
}

function matches(pod: Pod, vpa: VerticalPodAutoscaler, o: VpaAdmitOptions): boolean {
  if ((vpa.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return false;
  const sel = o.selectorOf?.(vpa);
  if (sel !== undefined && sel !== '') return matchesLabels(sel, pod.metadata.labels ?? {});
  return ownedByTarget(pod, vpa);
}

const fmt = (resource: string, milli: number): string => (resource === 'cpu' ? formatCpu(milli) : formatMemory(Math.ceil(milli / 1000)));

/**
 * The pod with recommended requests applied (limits scaled in proportion unless `controlledValues` is
 * RequestsOnly) and a `vpaUpdates` annotation, or undefined when no VPA applies or nothing changes.
 * Of several matching VPAs the first by name wins. Never mutates its inputs.
 */
export function vpaAdmit(pod: Pod, vpas: readonly VerticalPodAutoscaler[], opts: VpaAdmitOptions = {}): Pod | undefined {
  const vpa = [...vpas]
    .filter((v) => APPLYING_MODES.has(v.spec.updatePolicy?.updateMode ?? 'Auto') && matches(pod, v, opts))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
  const recs = vpa?.status?.recommendation?.containerRecommendations;
  if (!vpa || !recs?.length) return undefined;
  const out = deepCopy(pod);
  const changes: string[] = [];
  out.spec.containers.forEach((c, i) => {
    const rec = recs.find((r) => r.containerName === c.name);
    const policy = containerPolicy(vpa, c.name);
    if (!rec || policy?.mode === 'Off') return;
    const parts: string[] = [];
    for (const [resource, target] of Object.entries(rec.target)) {
      const old = c.resources?.requests?.[resource];
      if (old !== undefined && quantityToMilli(old) === quantityToMilli(target)) continue;
      const resources = (c.resources ??= {});
      (resources.requests ??= {})[resource] = target;
      parts.push(`${resource} request`);
      const limit = resources.limits?.[resource];
      if (limit !== undefined && old !== undefined && policy?.controlledValues !== 'RequestsOnly' && quantityToMilli(old) > 0 && resources.limits) {
        resources.limits[resource] = fmt(resource, Math.ceil(quantityToMilli(limit) * quantityToMilli(target) / quantityToMilli(old)));
        parts.push(`${resource} limit`);
      }
    }
    if (parts.length) changes.push(`container ${i}: ${parts.join(', ')}`);
  });
  if (changes.length === 0) return undefined;
  out.metadata.annotations = { ...out.metadata.annotations, vpaUpdates: `Pod resources updated by ${vpa.metadata.name ?? ''}: ${changes.join('; ')}` };
  return out;
}
