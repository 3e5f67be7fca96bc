/** DeploymentController: rolls Deployments out through ReplicaSets (Kubernetes' deployment_controller.go). */
import { controllerOf, deepCopy, objectKeyOf } from '../../api/index.js';
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { claimAction, deploymentsTarget, inNamespace, podsTarget, replicaSetsTarget } from './common.js';
import { activeReplicaSets, isScalingEvent, planNewReplicaSet, planOldReplicaSets, planScale, replicaSetsToCleanUp } from './deployment-rollout.js';
import { calculateStatus, deploymentComplete, pausedConditions, rolloutStatus } from './deployment-status.js';
import { applyPlan, claimReplicaSets, syncRevision, writeStatus } from './deployment-sync.js';
import type { RolloutState, SyncDeps } from './deployment-sync.js';
import { replicasOf, revisionOf } from './deployment-util.js';

export interface DeploymentControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  log: Logger;
  workers?: number;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly runner: ControllerRunner;
  private readonly dInf: Informer<Deployment>;
  private readonly rsInf: Informer<ReplicaSet>;
  private readonly podInf: Informer<Pod>;
  private readonly deps: SyncDeps;

  constructor(private readonly o: DeploymentControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.dInf = o.informers.informerFor<Deployment>(deploymentsTarget);
    this.rsInf = o.informers.informerFor<ReplicaSet>(replicaSetsTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.deps = { client: o.client, recorder: o.recorder, clock: o.clock };
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (d: Deployment): void => this.runner.enqueue(objectKeyOf(d));
    this.dInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const forRS = (rs: ReplicaSet): void => this.enqueueForReplicaSet(rs);
    this.rsInf.addHandlers({ onAdd: forRS, onUpdate: (o, n) => { forRS(o); forRS(n); }, onDelete: forRS });
    // Recreate waits for old pods to be gone.
    this.podInf.addHandlers({ onDelete: (p) => this.enqueueForPod(p) });
    this.o.informers.start(signal);
    await Promise.all([this.dInf.waitForSync(signal), this.rsInf.waitForSync(signal), this.podInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  private enqueueForReplicaSet(rs: ReplicaSet): void {
    const ref = controllerOf(rs);
    for (const d of inNamespace(this.dInf.list(), rs.metadata.namespace)) {
      if (ref ? ref.uid === d.metadata.uid : claimAction(d, d.spec.selector, rs) === 'adopt') this.runner.enqueue(objectKeyOf(d));
    }
  }

  private enqueueForPod(pod: Pod): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.rsInf.get(`${pod.metadata.namespace ?? ''}/${ref.name}`);
    if (rs) this.enqueueForReplicaSet(rs);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = this.dInf.get(key);
    if (!cached) return;
    const d = deepCopy(cached);
    const rss = await claimReplicaSets(this.deps, d, inNamespace(this.rsInf.list(), d.metadata.namespace), signal);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(cached, d, rss, signal);
    const paused = pausedConditions(d, this.o.clock.now());
    if (paused) d.status = { ...d.status, conditions: paused };
    if (d.spec.paused) return this.sync(cached, d, rss, signal);
    const probe = await syncRevision(this.deps, d, rss, false, signal);
    if (isScalingEvent(d, probe.newRS ? [...probe.oldRSs, probe.newRS] : probe.oldRSs)) return this.sync(cached, d, rss, signal, probe);
    if (d.spec.strategy?.type === 'Recreate') return this.rolloutRecreate(cached, d, rss, signal, probe);
    return this.rolloutRolling(cached, d, rss, signal, probe);
  }

  private async syncStatusOnly(cached: Deployment, d: Deployment, rss: ReplicaSet[], signal: AbortSignal): Promise<ReconcileResult> {
    const st = await syncRevision(this.deps, d, rss, false, signal);
    await writeStatus(this.deps, cached, st.d, calculateStatus(st.d, all(st), st.newRS, this.o.clock.now()), signal);
  }

  /** Kubernetes' sync: scaling (proportional during a rollout) and, when paused, history cleanup. */
  private async sync(cached: Deployment, d: Deployment, rss: ReplicaSet[], signal: AbortSignal, probe?: RolloutState): Promise<ReconcileResult> {
    const st = probe ?? await syncRevision(this.deps, d, rss, false, signal);
    await applyPlan(this.deps, st, planScale(st.d, st.newRS, st.oldRSs), signal);
    if (st.d.spec.paused) await this.cleanup(st, signal);
    await writeStatus(this.deps, cached, st.d, calculateStatus(st.d, all(st), st.newRS, this.o.clock.now()), signal);
  }

  private async rolloutRolling(cached: Deployment, d: Deployment, rss: ReplicaSet[], signal: AbortSignal, probe: RolloutState): Promise<ReconcileResult> {
    // The probe already brought an existing new ReplicaSet up to date; only a missing one is created here.
    const st = probe.newRS ? probe : await syncRevision(this.deps, d, rss, true, signal);
    const newRS = st.newRS;
    if (newRS) {
      const size = planNewReplicaSet(st.d, all(st), newRS);
      if (size !== undefined && await applyPlan(this.deps, st, new Map([[newRS.metadata.name ?? '', size]]), signal)) return this.syncRolloutStatus(cached, st, signal);
    }
    if (await applyPlan(this.deps, st, planOldReplicaSets(st.d, st.oldRSs, st.newRS), signal)) return this.syncRolloutStatus(cached, st, signal);
    return this.finish(cached, st, signal);
  }

  private async rolloutRecreate(cached: Deployment, d: Deployment, rss: ReplicaSet[], signal: AbortSignal, probe: RolloutState): Promise<ReconcileResult> {
    let st = probe;
    const down = new Map(activeReplicaSets(st.oldRSs).map((rs) => [rs.metadata.name ?? '', 0] as const));
    if (await applyPlan(this.deps, st, down, signal)) return this.syncRolloutStatus(cached, st, signal);
    if (this.oldPodsRunning(st)) return this.syncRolloutStatus(cached, st, signal);
    if (!st.newRS) st = await syncRevision(this.deps, st.d, rss, true, signal);
    if (st.newRS) await applyPlan(this.deps, st, new Map([[st.newRS.metadata.name ?? '', replicasOf(st.d)]]), signal);
    return this.finish(cached, st, signal);
  }

  private async finish(cached: Deployment, st: RolloutState, signal: AbortSignal): Promise<ReconcileResult> {
    if (deploymentComplete(st.d, st.d.status ?? {})) await this.cleanup(st, signal);
    return this.syncRolloutStatus(cached, st, signal);
  }

  /** Kubernetes' oldPodsRunning: any old ReplicaSet still reports pods, or owns a pod not yet terminal. */
  private oldPodsRunning(st: RolloutState): boolean {
    if (st.oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const uids = new Set(st.oldRSs.map((rs) => rs.metadata.uid));
    return inNamespace(this.podInf.list(), st.d.metadata.namespace).some((p) => {
      const ref = controllerOf(p);
      return ref !== undefined && uids.has(ref.uid) && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
    });
  }

  private async cleanup(st: RolloutState, signal: AbortSignal): Promise<void> {
    for (const rs of replicaSetsToCleanUp(st.d, st.oldRSs, revisionOf)) {
      try {
        await this.o.client.delete(replicaSetsTarget, rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid }, propagationPolicy: 'Background', signal });
      } catch (e) {
        this.o.log.warn('cannot clean up old replica set', { replicaSet: rs.metadata.name, error: (e as Error).message });
      }
    }
  }

  private async syncRolloutStatus(cached: Deployment, st: RolloutState, signal: AbortSignal): Promise<ReconcileResult> {
    const { status, recheckMs } = rolloutStatus(st.d, all(st), st.newRS, this.o.clock.now());
    await writeStatus(this.deps, cached, st.d, status, signal);
    return recheckMs !== undefined ? { requeueAfterMs: recheckMs } : undefined;
  }
}

function all(st: RolloutState): ReplicaSet[] {
  return st.newRS ? [...st.oldRSs, st.newRS] : [...st.oldRSs];
}
