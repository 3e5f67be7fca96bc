/**
 * NodeLifecycleController: marks nodes whose kubelet went quiet Unknown, keeps the not-ready and
 * unreachable taints in line with the Ready condition, and evicts pods from NoExecute-tainted nodes
 * once their tolerations run out (Kubernetes' node_lifecycle_controller.go and taint manager).
 */
import { getCondition, isNotFound } from '../../api/index.js';
import type { Lease, Node, Pod } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, EventRecorder, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import { rfc3339 } from '../../util/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { leasesTarget, nodesTarget, podsTarget, timeOf } from './common.js';
import { defaultTolerationSeconds, desiredTaints, evictionFor, readyStatus, unknownConditions } from './node-lifecycle-decide.js';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder?: EventRecorder;
  clock: Clock;
  log: Logger;
  /** How long a node may go without renewing its Lease or posting status; default 40 000 ms. */
  nodeMonitorGracePeriodMs?: number;
  /** tolerationSeconds assumed for pods without a not-ready/unreachable toleration; default 300. */
  podEvictionTimeoutSeconds?: number;
  workers?: number;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private readonly runner: ControllerRunner;
  private readonly nodeInf: Informer<Node>;
  private readonly leaseInf: Informer<Lease>;
  private readonly podInf: Informer<Pod>;
  /** Per node: the last heartbeat seen (lease renewTime + Ready heartbeat) and when, on our clock, it changed. */
  private readonly heard = new Map<string, { beat: string; at: number }>();
  private readonly graceMs: number;
  private readonly evictSeconds: number;

  constructor(private readonly o: NodeLifecycleControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 2, reconcile: (k, s) => this.reconcile(k, s) });
    this.nodeInf = o.informers.informerFor<Node>(nodesTarget);
    this.leaseInf = o.informers.informerFor<Lease>(leasesTarget, { namespace: nodeLeaseNamespace });
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.graceMs = o.nodeMonitorGracePeriodMs ?? 40_000;
    this.evictSeconds = o.podEvictionTimeoutSeconds ?? defaultTolerationSeconds;
  }

  async start(signal: AbortSignal): Promise<void> {
    const byName = (o: { metadata: { name?: string } }): void => {
      if (o.metadata.name) this.runner.enqueue(o.metadata.name);
    };
    this.nodeInf.addHandlers({ onAdd: byName, onUpdate: (_o, n) => byName(n), onDelete: byName });
    this.leaseInf.addHandlers({ onAdd: byName, onUpdate: (_o, n) => byName(n) });
    const byNode = (p: Pod): void => {
      if (p.spec.nodeName) this.runner.enqueue(p.spec.nodeName);
    };
    this.podInf.addHandlers({ onAdd: byNode, onUpdate: (_o, n) => byNode(n) });
    this.o.informers.start(signal);
    await Promise.all([this.nodeInf.waitForSync(signal), this.leaseInf.waitForSync(signal), this.podInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    let node = this.nodeInf.get(name);
    if (!node) {
      this.heard.delete(name);
      return;
    }
    const now = this.o.clock.now();
    const lastHeard = this.observe(node, now);
    const silentFor = now - lastHeard;
    if (silentFor > this.graceMs) node = await this.markUnknown(node, now, signal);
    const taints = desiredTaints(node, now);
    if (taints) node = await this.o.client.update<Node>(nodesTarget, { ...node, spec: { ...node.spec, taints } }, { signal });
    const nextEviction = await this.evictPods(node, now, signal);
    const waits = [nextEviction, silentFor <= this.graceMs ? this.graceMs - silentFor + 1 : undefined].filter((x): x is number => x !== undefined);
    return waits.length > 0 ? { requeueAfterMs: Math.max(1, Math.min(...waits)) } : undefined;
  }

  /** When, on our clock, the node was last heard from: a new heartbeat (or a first sighting) counts as now. */
  private observe(node: Node, now: number): number {
    const name = node.metadata.name ?? '';
    const lease = this.leaseInf.get(`${nodeLeaseNamespace}/${name}`);
    const beat = `${lease?.spec?.renewTime ?? ''}|${getCondition(node.status?.conditions, 'Ready')?.lastHeartbeatTime ?? ''}`;
    const prev = this.heard.get(name);
    if (prev && prev.beat === beat) return prev.at;
    this.heard.set(name, { beat, at: now });
    return now;
  }

  private async markUnknown(node: Node, now: number, signal: AbortSignal): Promise<Node> {
    const conditions = unknownConditions(node, now);
    if (!conditions) return node;
    const wasReady = readyStatus(node) === 'True';
    const out = await this.o.client.updateStatus<Node>(nodesTarget, { ...node, status: { ...node.status, conditions } }, { signal });
    this.o.log.info('node stopped posting status', { node: node.metadata.name });
    if (wasReady) this.o.recorder?.event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name ?? ''} status is now: NodeNotReady`);
    await this.markPodsNotReady(out, now, signal);
    return out;
  }

  /** Kubernetes' MarkPodsNotReady: the pods on a node gone Unknown lose their Ready condition. */
  private async markPodsNotReady(node: Node, now: number, signal: AbortSignal): Promise<void> {
    for (const pod of this.podsOn(node)) {
      const conds = pod.status?.conditions ?? [];
      if (!conds.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const next = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' as const, lastTransitionTime: rfc3339(now) } : c));
      try {
        await this.o.client.updateStatus<Pod>(podsTarget, { ...pod, status: { ...pod.status, conditions: next } }, { signal });
      } catch (e) {
        if (!isNotFound(e)) this.o.log.warn('cannot mark pod not ready', { pod: pod.metadata.name, error: (e as Error).message });
      }
    }
  }

  /** Evicts pods whose tolerations ran out and force-deletes pods stuck terminating on an unreachable node; returns ms to the next eviction. */
  private async evictPods(node: Node, now: number, signal: AbortSignal): Promise<number | undefined> {
    const taints = node.spec?.taints ?? [];
    const unreachable = readyStatus(node) === 'Unknown';
    let next: number | undefined;
    for (const pod of this.podsOn(node)) {
      if (pod.metadata.deletionTimestamp) {
        if (unreachable && timeOf(pod.metadata.deletionTimestamp) <= now) await this.deletePod(pod, true, signal);
        else if (unreachable) next = min(next, timeOf(pod.metadata.deletionTimestamp) - now + 1);
        continue;
      }
      const ev = evictionFor(pod, taints, this.evictSeconds);
      if (ev.at === 'never') continue;
      if (ev.at === 'now' || ev.at <= now) await this.deletePod(pod, false, signal);
      else next = min(next, ev.at - now);
    }
    return next;
  }

  private async deletePod(pod: Pod, force: boolean, signal: AbortSignal): Promise<void> {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    try {
      await this.o.client.delete(podsTarget, ns, name, { preconditions: { uid: pod.metadata.uid }, ...(force ? { gracePeriodSeconds: 0 } : {}), signal });
      this.o.recorder?.event(pod, 'Normal', 'TaintManagerEviction', force ? `Force deleting Pod ${ns}/${name}` : `Marking for deletion Pod ${ns}/${name}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private podsOn(node: Node): Pod[] {
    return this.podInf.list().filter((p) => p.spec.nodeName === node.metadata.name);
  }
}

function min(a: number | undefined, b: number): number {
  return a === undefined ? b : Math.min(a, b);
}
