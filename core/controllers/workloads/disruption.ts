/**
 * DisruptionController: keeps every PodDisruptionBudget's status (currentHealthy, desiredHealthy,
 * expectedPods, disruptionsAllowed, disruptedPods, DisruptionAllowed) in step with its pods, as
 * Kubernetes' disruption controller does. Expected pods come from the pods' controllers' scale: a
 * ReplicaSet's Deployment, else any owner through its `scale` subresource (StatefulSet,
 * ReplicationController, custom resources).
 */
import { deepEqual, isConflict, isNotFound, objectKeyOf, splitObjectKey } from '../../api/index.js';
import type { Deployment, OwnerReference, Pod, PodDisruptionBudget, ReplicaSet } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { deploymentsTarget, inNamespace, messageOf, podsTarget, replicaSetsTarget } from './common.js';
import { budgetStatus, failSafeStatus, needsScale, podsForBudget } from './disruption-decide.js';

export const pdbTarget: ResourceTarget = { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true };
const resyncMs = 30_000;

export interface DisruptionControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
}

interface OwnerScale { uid: string; replicas: number }

export class DisruptionController implements Controller {
  readonly name = 'disruption';
  private readonly runner: ControllerRunner;
  private readonly pdbInf: Informer<PodDisruptionBudget>;
  private readonly podInf: Informer<Pod>;
  private readonly rsInf: Informer<ReplicaSet>;
  private readonly deployInf: Informer<Deployment>;

  constructor(private readonly o: DisruptionControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 2, reconcile: (k, s) => this.reconcile(k, s) });
    this.pdbInf = o.informers.informerFor<PodDisruptionBudget>(pdbTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.rsInf = o.informers.informerFor<ReplicaSet>(replicaSetsTarget);
    this.deployInf = o.informers.informerFor<Deployment>(deploymentsTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (p: PodDisruptionBudget): void => this.runner.enqueue(objectKeyOf(p));
    this.pdbInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const onPod = (p: Pod): void => this.enqueueForPod(p);
    this.podInf.addHandlers({ onAdd: onPod, onUpdate: (old, p) => { onPod(p); if (!deepEqual(old.metadata.labels, p.metadata.labels)) onPod(old); }, onDelete: onPod });
    const onScale = (o: ReplicaSet | Deployment): void => this.enqueueNamespace(o.metadata.namespace);
    this.rsInf.addHandlers({ onUpdate: (_o, n) => onScale(n) });
    this.deployInf.addHandlers({ onUpdate: (_o, n) => onScale(n) });
    this.o.informers.start(signal);
    await Promise.all([this.pdbInf, this.podInf, this.rsInf, this.deployInf].map((i) => i.waitForSync(signal))).catch(() => undefined);
    await this.runner.run(signal);
  }

  private enqueueForPod(pod: Pod): void {
    for (const pdb of inNamespace(this.pdbInf.list(), pod.metadata.namespace)) {
      if (podsForBudget(pdb, [pod]).length > 0) this.runner.enqueue(objectKeyOf(pdb));
    }
  }

  private enqueueNamespace(namespace: string | undefined): void {
    for (const pdb of inNamespace(this.pdbInf.list(), namespace)) this.runner.enqueue(objectKeyOf(pdb));
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const pdb = this.pdbInf.get(key);
    if (!pdb) return;
    const now = this.o.clock.now();
    const pods = podsForBudget(pdb, inNamespace(this.podInf.list(), splitObjectKey(key).namespace));
    if (pods.length === 0) this.o.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let scale = 0;
    try {
      if (needsScale(pdb.spec)) scale = await this.expectedScale(pdb, pods, signal);
    } catch (e) {
      this.o.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${messageOf(e)}`);
      this.o.log.warn('pdb sync failed', { pdb: key, error: messageOf(e) });
      await this.writeStatus(pdb, failSafeStatus(pdb, messageOf(e), now), signal);
      return { requeueAfterMs: resyncMs };
    }
    const { status, expired, recheckAt } = budgetStatus({ pdb, pods, scale, now });
    for (const name of expired) {
      const pod = pods.find((p) => p.metadata.name === name);
      if (pod) this.o.recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'Warning', 'NotDeleted', `Pod was expected by PDB ${key} to be deleted but it wasn't`);
    }
    if (!deepEqual(pdb.status ?? {}, status)) await this.writeStatus(pdb, status, signal);
    return recheckAt !== undefined ? { requeueAfterMs: Math.max(1, recheckAt - now + 1) } : undefined;
  }

  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudget['status'], signal: AbortSignal): Promise<void> {
    try {
      await this.o.client.updateStatus<PodDisruptionBudget>(pdbTarget, { ...pdb, apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', ...(status ? { status } : {}) }, { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) throw new Error(`pdb ${objectKeyOf(pdb)} changed while syncing, retrying`, { cause: e });
      throw e;
    }
  }

  /** Sum of the covered pods' controllers' scale (getExpectedScale); pods without a controller are reported and left out. */
  private async expectedScale(pdb: PodDisruptionBudget, pods: readonly Pod[], signal: AbortSignal): Promise<number> {
    const scales = new Map<string, number>();
    const unmanaged: string[] = [];
    for (const pod of pods) {
      const ref = pod.metadata.ownerReferences?.find((r) => r.controller === true);
      if (!ref) {
        unmanaged.push(pod.metadata.name ?? '');
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = await this.ownerScale(ref, pod.metadata.namespace ?? 'default', signal);
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
      scales.set(found.uid, found.replicas);
    }
    if (unmanaged.length > 0) {
      this.o.recorder.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${JSON.stringify(pdb.spec.selector ?? {})}) were found to be unmanaged. `
        + 'As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
    }
    let sum = 0;
    for (const n of scales.values()) sum += n;
    return sum;
  }

  /** The scale of a pod's controller: a ReplicaSet's Deployment, or the owner's `scale` subresource; undefined when there is none. */
  private async ownerScale(ref: OwnerReference, namespace: string, signal: AbortSignal): Promise<OwnerScale | undefined> {
    if (ref.kind === 'ReplicaSet' && ref.apiVersion === 'apps/v1') {
      const rs = this.rsInf.get(`${namespace}/${ref.name}`);
      const owner = rs?.metadata.uid === ref.uid ? rs.metadata.ownerReferences?.find((r) => r.controller === true) : undefined;
      if (owner?.kind === 'Deployment' && owner.apiVersion === 'apps/v1') {
        const d = this.deployInf.get(`${namespace}/${owner.name}`);
        return d?.metadata.uid === owner.uid ? { uid: owner.uid, replicas: d.spec.replicas ?? 1 } : undefined;
      }
    }
    try {
      const info = await this.o.client.resourceFor(ref.apiVersion, ref.kind, { signal });
      const scale = await this.o.client.getScale(info, namespace, ref.name, { signal });
      return scale.metadata.uid === ref.uid ? { uid: ref.uid, replicas: scale.spec?.replicas ?? 0 } : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }
}
