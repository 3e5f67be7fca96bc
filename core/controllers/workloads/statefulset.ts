/** StatefulSetController: ordered pods with stable names and claims, revision history and rolling updates (Kubernetes' stateful_set.go). */
import { deepEqual, isAlreadyExists, isNotFound, objectKeyOf } from '../../api/index.js';
import type { ControllerRevision, KubeObject, LabelSelector, OwnerReference, PersistentVolumeClaim, Pod, StatefulSet } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { claimAction, controllerRevisionsTarget, inNamespace, messageOf, patchOwnerRefs, podsTarget } from './common.js';
import { revisionsToTruncate, sortRevisions } from './history.js';
import { nextAvailableInMs } from './replicaset-decide.js';
import { currentRevisionOf, planPods, planUpdateRevision, revisionFor, splitPods } from './statefulset-decide.js';
import type { PodAction } from './statefulset-decide.js';
import { claimsFor, identityMatches, isMemberOf, newStatefulPod, ordinalOf, podIndexLabel, podNameLabel, podRevision, setRef, templateOfRevision } from './statefulset-identity.js';
import { claimOwnerRefs, computeStatefulSetStatus } from './statefulset-status.js';

export const statefulSetsTarget: ResourceTarget = { apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true };
const pvcsTarget: ResourceTarget = { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true };

export interface StatefulSetControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
}

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  private readonly runner: ControllerRunner;
  private readonly setInf: Informer<StatefulSet>;
  private readonly podInf: Informer<Pod>;
  private readonly revInf: Informer<ControllerRevision>;
  private readonly pvcInf: Informer<PersistentVolumeClaim>;

  constructor(private readonly o: StatefulSetControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.setInf = o.informers.informerFor<StatefulSet>(statefulSetsTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.revInf = o.informers.informerFor<ControllerRevision>(controllerRevisionsTarget);
    this.pvcInf = o.informers.informerFor<PersistentVolumeClaim>(pvcsTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (s: StatefulSet): void => this.runner.enqueue(objectKeyOf(s));
    this.setInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const forObject = (o: KubeObject): void => this.enqueueFor(o);
    this.podInf.addHandlers({ onAdd: forObject, onUpdate: (old, p) => { forObject(p); if (!deepEqual(old.metadata.labels, p.metadata.labels)) forObject(old); }, onDelete: forObject });
    this.revInf.addHandlers({ onAdd: forObject, onUpdate: (_o, r) => forObject(r), onDelete: forObject });
    this.o.informers.start(signal);
    await Promise.all([this.setInf, this.podInf, this.revInf, this.pvcInf].map((i) => i.waitForSync(signal))).catch(() => undefined);
    await this.runner.run(signal);
  }

  /** Enqueues the object's StatefulSet controller, or every set whose selector could adopt it. */
  private enqueueFor(obj: KubeObject): void {
    for (const set of inNamespace(this.setInf.list(), obj.metadata.namespace)) {
      if (claimAction(set, set.spec.selector, obj) !== 'ignore') this.runner.enqueue(objectKeyOf(set));
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const set = this.setInf.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    const pods = (await this.claim(set, podsTarget, this.podInf.list(), signal)).filter((p) => isMemberOf(set, p));
    const revisions = await this.claim(set, controllerRevisionsTarget, this.revInf.list(), signal);
    const { update, collisionCount } = await this.ensureUpdateRevision(set, revisions, signal);
    const current = currentRevisionOf(set, revisions, update);
    const split = splitPods(set, pods);
    await this.maintainPods(set, pods, signal);
    const now = this.o.clock.now();
    const plan = planPods({ set, split, updateRevision: update.metadata.name ?? '', now });
    if (plan.waiting) this.o.log.debug('statefulset waiting', { key, reason: plan.waiting });
    let actionErr: unknown;
    for (const action of plan.actions) {
      try {
        await this.act(set, action, action.kind === 'create' && action.revision === 'current' ? current : update, signal);
      } catch (e) {
        actionErr = e;
        break;
      }
    }
    const status = computeStatefulSetStatus({ set, pods, currentRevision: current.metadata.name ?? '', updateRevision: update.metadata.name ?? '', collisionCount, now });
    if (!deepEqual(status, set.status)) {
      try {
        await this.o.client.patch<StatefulSet>(statefulSetsTarget, set.metadata.namespace, set.metadata.name ?? '', { status }, 'merge', { subresource: 'status', signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    await this.truncateHistory(set, pods, [...revisions.filter((r) => r.metadata.uid !== update.metadata.uid), update], new Set([status.currentRevision ?? '', status.updateRevision ?? '']), signal);
    if (actionErr) throw actionErr;
    const wait = nextAvailableInMs(pods, set.spec.minReadySeconds ?? 0, now);
    return wait !== undefined ? { requeueAfterMs: wait } : undefined;
  }

  /** Adopts matching orphans and releases owned objects that stopped matching (Kubernetes' ControllerRefManager). */
  private async claim<T extends KubeObject>(set: StatefulSet, target: ResourceTarget, items: readonly T[], signal: AbortSignal): Promise<T[]> {
    const owned: T[] = [];
    const selector: LabelSelector = set.spec.selector;
    for (const obj of inNamespace(items, set.metadata.namespace)) {
      let action = claimAction(set, selector, obj);
      if (target === podsTarget && !isMemberOf(set, obj as unknown as Pod)) action = action === 'own' ? 'release' : action === 'adopt' ? 'ignore' : action;
      if (action === 'own') owned.push(obj);
      else if (action === 'adopt') {
        const adopted = await this.patchOwners(target, obj, [...(obj.metadata.ownerReferences ?? []), setRef(set)], signal);
        if (adopted) owned.push(adopted);
      } else if (action === 'release') {
        await this.patchOwners(target, obj, (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid), signal);
      }
    }
    return owned;
  }

  private patchOwners<T extends KubeObject>(target: ResourceTarget, obj: T, refs: OwnerReference[], signal: AbortSignal): Promise<T | undefined> {
    return patchOwnerRefs(this.o.client, target, obj, refs, signal);
  }

  /** Finds, renumbers or creates the revision of the current template; on a name collision with other data, bumps collisionCount. */
  private async ensureUpdateRevision(set: StatefulSet, revisions: readonly ControllerRevision[], signal: AbortSignal): Promise<{ update: ControllerRevision; collisionCount: number }> {
    let collisionCount = set.status?.collisionCount ?? 0;
    const plan = planUpdateRevision(set, revisions);
    if (plan.action === 'none') return { update: plan.update, collisionCount };
    if (plan.action === 'renumber') {
      const update = await this.o.client.patch<ControllerRevision>(controllerRevisionsTarget, set.metadata.namespace, plan.update.metadata.name ?? '', { revision: plan.to }, 'merge', { signal });
      return { update, collisionCount };
    }
    for (;;) {
      const candidate = revisionFor(set, revisions, collisionCount);
      try {
        return { update: await this.o.client.create<ControllerRevision>(controllerRevisionsTarget, candidate, { signal }), collisionCount };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const existing = await this.o.client.get<ControllerRevision>(controllerRevisionsTarget, set.metadata.namespace, candidate.metadata.name ?? '', { signal });
        if (deepEqual(existing.data, candidate.data)) return { update: existing, collisionCount };
        collisionCount++;
      }
    }
  }

  /** Claim owner references per the retention policy, missing claims of pending pods, and identity labels. */
  private async maintainPods(set: StatefulSet, pods: readonly Pod[], signal: AbortSignal): Promise<void> {
    for (const pod of pods) {
      const ordinal = ordinalOf(set, pod);
      if (ordinal === undefined) continue;
      for (const claim of claimsFor(set, ordinal)) {
        const have = this.pvcInf.get(`${set.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`);
        if (!have) {
          if ((pod.status?.phase ?? 'Pending') === 'Pending') await this.createClaim(set, pod.metadata.name ?? '', claim, signal);
          continue;
        }
        const refs = claimOwnerRefs(set, pod, have);
        if (refs) await this.patchOwners(pvcsTarget, have, refs, signal);
      }
      if (!identityMatches(set, pod) && !pod.metadata.deletionTimestamp) {
        const labels = { [podNameLabel]: pod.metadata.name ?? '', [podIndexLabel]: String(ordinal) };
        await this.o.client.patch<Pod>(podsTarget, pod.metadata.namespace, pod.metadata.name ?? '', { metadata: { labels } }, 'merge', { signal }).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      }
    }
  }

  private async createClaim(set: StatefulSet, podName: string, claim: PersistentVolumeClaim, signal: AbortSignal): Promise<void> {
    const name = claim.metadata.name ?? '';
    try {
      await this.o.client.create(pvcsTarget, claim, { signal });
      this.o.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata.name ?? ''} success`);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      if (!signal.aborted) this.o.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata.name ?? ''} failed error: ${messageOf(e)}`);
      throw e;
    }
  }

  private async act(set: StatefulSet, action: PodAction, revision: ControllerRevision, signal: AbortSignal): Promise<void> {
    const setName = set.metadata.name ?? '';
    if (action.kind === 'create') {
      const template = templateOfRevision(revision) ?? set.spec.template;
      const pod = newStatefulPod(set, template, revision.metadata.name ?? '', action.ordinal);
      const name = pod.metadata.name ?? '';
      for (const claim of claimsFor(set, action.ordinal)) {
        const have = this.pvcInf.get(`${set.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`);
        if (have?.metadata.deletionTimestamp) throw new Error(`pvc ${claim.metadata.name ?? ''} is being deleted`);
        if (!have) await this.createClaim(set, name, claim, signal);
      }
      try {
        await this.o.client.create<Pod>(podsTarget, pod, { signal });
        this.o.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`);
      } catch (e) {
        if (isAlreadyExists(e)) return;
        if (!signal.aborted) this.o.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${messageOf(e)}`);
        throw e;
      }
      return;
    }
    const name = action.pod.metadata.name ?? '';
    try {
      await this.o.client.delete(podsTarget, action.pod.metadata.namespace, name, { preconditions: { uid: action.pod.metadata.uid }, signal });
      this.o.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${setName} successful`);
    } catch (e) {
      if (isNotFound(e)) return;
      if (!signal.aborted) this.o.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${setName} failed error: ${messageOf(e)}`);
      throw e;
    }
  }

  /** Deletes old revisions beyond `revisionHistoryLimit`, never the current, update or any pod's revision. */
  private async truncateHistory(set: StatefulSet, pods: readonly Pod[], revisions: readonly ControllerRevision[], live: Set<string>, signal: AbortSignal): Promise<void> {
    for (const p of pods) {
      const r = podRevision(p);
      if (r) live.add(r);
    }
    for (const r of revisionsToTruncate(sortRevisions(revisions), live, set.spec.revisionHistoryLimit ?? 10)) {
      await this.o.client.delete(controllerRevisionsTarget, r.metadata.namespace, r.metadata.name ?? '', { signal }).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    }
  }
}
