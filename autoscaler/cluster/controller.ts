/**
 * The cluster autoscaler's loop: every scan interval, read pods, nodes and node groups (the provider's
 * `nodeGroups.list`, with price and priority from `skiff.dev/v1alpha1` NodeGroup objects), run the pure
 * plans (provisioning, scale-up, scale-down), act through the provider and the API, record events and
 * write `kube-system/cluster-autoscaler-status`.
 */
import { isNotFound } from '../../core/api/index.js';
import type { ConfigMap, DaemonSet, Node, NodeGroup, Pod, PodDisruptionBudget } from '../../core/api/index.js';
import type { EventRecorder, Informer, KubeClient, ResourceTarget, SharedInformerFactory } from '../../core/client/index.js';
import type { CloudProvider, NodeGroups } from '../../core/cloud/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import { daemonSetTarget, nodeTarget, podTarget } from './actuate.js';
import { Drainer } from './drain.js';
import { parsePriorities } from './expander.js';
import { keptByBudgets, pdbTarget } from './pdb.js';
import { nextBackoff, planProvisioning } from './provisioning.js';
import { planScaleDown } from './scale-down.js';
import { planScaleUp, triggeredMessage } from './scale-up.js';
import { DECISIONS_KEY, LAST_UPDATED_ANNOTATION, STATUS_CONFIGMAP, STATUS_NAMESPACE, statusText, type Transitions } from './status.js';
import { resolveOptions } from './types.js';
import type { ClusterAutoscalerOptions, GroupBackoff, ScaleDownPlan, ScaleGroup, ScaleUpPlan } from './types.js';

export const nodeGroupTarget: ResourceTarget = { apiVersion: 'skiff.dev/v1alpha1', plural: 'nodegroups', namespaced: false };
const configMapTarget: ResourceTarget = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };
export const PRIORITY_CONFIGMAP = 'cluster-autoscaler-priority-expander';
const DECISION_LOG_SIZE = 50;

export interface ClusterAutoscalerDeps {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  provider: CloudProvider;
  clock: Clock;
  log: Logger;
  options?: Partial<ClusterAutoscalerOptions>;
  /** Randomness for the `random` expander and ties; default: the first by name. */
  rand?: () => number;
}

/** One entry of the decision log kept in the status ConfigMap. */
export interface Decision { time: string; kind: 'scale-up' | 'scale-down' | 'provisioning' | 'error'; explanation: string }

export interface LoopResult { scaleUp?: ScaleUpPlan; scaleDown?: ScaleDownPlan; decisions: Decision[] }

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ClusterAutoscaler {
  readonly name = 'cluster-autoscaler';
  readonly options: ClusterAutoscalerOptions;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly nodeGroupObjects: Informer<NodeGroup>;
  private readonly pdbs: Informer<PodDisruptionBudget>;
  private readonly daemonSets: Informer<DaemonSet>;
  /** Node → the budget reason last noted for it, so a node kept by a budget is logged once per reason. */
  private readonly keptByBudget = new Map<string, string>();
  private readonly drainer: Drainer | undefined;
  private unneededSince: Record<string, number> = {};
  private firstSeen: Record<string, number> = {};
  private backoff: Record<string, GroupBackoff> = {};
  private transitions: Transitions = {};
  private lastScaleUpTime: number | undefined;
  private lastDeleteTime: number | undefined;
  private lastFailTime: number | undefined;
  private readonly explained = new Map<string, string>();
  private readonly log: Decision[] = [];

  constructor(private readonly d: ClusterAutoscalerDeps) {
    this.options = resolveOptions(d.options);
    this.pods = d.informers.informerFor<Pod>(podTarget);
    this.nodes = d.informers.informerFor<Node>(nodeTarget);
    this.nodeGroupObjects = d.informers.informerFor<NodeGroup>(nodeGroupTarget);
    this.pdbs = d.informers.informerFor<PodDisruptionBudget>(pdbTarget);
    this.daemonSets = d.informers.informerFor<DaemonSet>(daemonSetTarget);
    const ng = d.provider.nodeGroups;
    this.drainer = ng ? new Drainer({ client: d.client, nodeGroups: ng, recorder: d.recorder, log: d.log, maxPodEvictionTimeMs: this.options.maxPodEvictionTimeMs }) : undefined;
  }

  /** Runs a scan every scan interval until `signal` aborts; errors of one scan are logged. */
  async run(signal: AbortSignal): Promise<void> {
    await this.d.informers.waitForSync(signal);
    while (!signal.aborted) {
      try {
        await this.runOnce(signal);
      } catch (e) {
        if (signal.aborted) break;
        this.d.log.error('scan failed', { error: messageOf(e) });
      }
      await this.d.clock.sleep(this.options.scanIntervalMs, signal).catch(() => undefined);
    }
  }

  /** One scan: provisioning, drains in progress, scale-up, scale-down, status. */
  async runOnce(signal: AbortSignal): Promise<LoopResult> {
    const ng = this.d.provider.nodeGroups;
    if (!ng || !this.drainer) throw new Error(`provider ${this.d.provider.name} has no node groups`);
    const now = this.d.clock.now();
    const decisions: Decision[] = [];
    const note = (kind: Decision['kind'], explanation: string): void => {
      decisions.push({ time: new Date(now).toISOString(), kind, explanation });
    };
    let groups = await this.groups(ng, signal);
    const nodes = this.nodes.list();
    const pods = this.pods.list();
    if (await this.provision(ng, groups, nodes, now, note, signal)) groups = await this.groups(ng, signal);
    await this.progressDrains(nodes, pods, now, note, signal);
    this.forgetGonePods(pods);
    const scaleUp = await this.scaleUp(ng, groups, nodes, pods, now, note, signal);
    const scaled = scaleUp.increase !== undefined;
    const scaleDown = scaled ? undefined : await this.scaleDown(groups, nodes, pods, now, note, signal);
    // Repeats of the previous entry (a pending pod no group can help, every scan) are not logged again.
    for (const x of decisions) {
      const prev = this.log[this.log.length - 1];
      if (prev?.kind !== x.kind || prev.explanation !== x.explanation) this.log.push(x);
    }
    this.log.splice(0, Math.max(0, this.log.length - DECISION_LOG_SIZE));
    await this.writeStatus(groups, nodes, scaleDown, now, signal).catch((e: unknown) => this.d.log.warn('status not written', { error: messageOf(e) }));
    return { scaleUp, ...(scaleDown ? { scaleDown } : {}), decisions };
  }

  private async groups(ng: NodeGroups, signal: AbortSignal): Promise<ScaleGroup[]> {
    const objects = new Map(this.nodeGroupObjects.list().map((o) => [o.metadata.name ?? '', o]));
    return (await ng.list(signal)).map((g) => {
      const o = objects.get(g.name);
      return { ...g, ...(o?.spec.pricePerHour !== undefined ? { pricePerHour: o.spec.pricePerHour } : {}), ...(o?.spec.priority !== undefined ? { priority: o.spec.priority } : {}) };
    });
  }

  private async provision(ng: NodeGroups, groups: ScaleGroup[], nodes: Node[], now: number, note: (k: Decision['kind'], e: string) => void, signal: AbortSignal): Promise<boolean> {
    const p = planProvisioning({ now, groups, nodes, firstSeen: this.firstSeen, backoff: this.backoff, options: this.options });
    this.firstSeen = p.firstSeen;
    this.backoff = p.backoff;
    for (const x of p.explanation) note('provisioning', x);
    for (const dec of p.decreases) {
      try {
        await ng.decreaseTargetSize(dec.group, dec.delta, signal);
      } catch (e) {
        this.d.log.warn('decrease target size failed, deleting the instances', { group: dec.group, error: messageOf(e) });
        if (dec.instances.length > 0) await ng.deleteNodes(dec.group, dec.instances, signal).catch((e2: unknown) => note('error', `group ${dec.group}: could not remove unregistered nodes: ${messageOf(e2)}`));
      }
    }
    return p.decreases.length > 0;
  }

  private async progressDrains(nodes: Node[], pods: Pod[], now: number, note: (k: Decision['kind'], e: string) => void, signal: AbortSignal): Promise<void> {
    if (!this.drainer) return;
    const r = await this.drainer.progress(new Map(nodes.map((n) => [n.metadata.name ?? '', n])), pods, now, signal);
    if (r.deleted.length > 0) {
      this.lastDeleteTime = now;
      note('scale-down', `drained node${r.deleted.length === 1 ? '' : 's'} ${r.deleted.join(', ')} removed`);
    }
    if (r.failed.length > 0) {
      this.lastFailTime = now;
      note('scale-down', `scale-down of ${r.failed.join(', ')} failed`);
    }
  }

  private async priorities(signal: AbortSignal): Promise<Record<number, string[]> | undefined> {
    if (this.options.expander !== 'priority' || this.options.priorities) return undefined;
    try {
      const cm = await this.d.client.get<ConfigMap>(configMapTarget, STATUS_NAMESPACE, PRIORITY_CONFIGMAP, { signal });
      return cm.data?.priorities ? parsePriorities(cm.data.priorities) : undefined;
    } catch (e) {
      if (!isNotFound(e)) this.d.log.warn('priority expander config unreadable', { error: messageOf(e) });
      return undefined;
    }
  }

  private async scaleUp(ng: NodeGroups, groups: ScaleGroup[], nodes: Node[], pods: Pod[], now: number, note: (k: Decision['kind'], e: string) => void, signal: AbortSignal): Promise<ScaleUpPlan> {
    const priorities = await this.priorities(signal);
    const plan = planScaleUp({
      now, nodes, pods, groups, daemonSets: this.daemonSets.list(), backoff: this.backoff, options: { ...this.options, ...(priorities ? { priorities } : {}) }, ...(this.d.rand ? { rand: this.d.rand } : {}),
    });
    for (const n of plan.notTriggered) this.explain(n.pod, 'NotTriggerScaleUp', n.message);
    const inc = plan.increase;
    if (!inc) {
      if (plan.pending > 0) note('scale-up', plan.explanation);
      return plan;
    }
    try {
      await ng.increase(inc.group, inc.delta, signal);
    } catch (e) {
      this.backoff[inc.group] = nextBackoff(this.backoff[inc.group], now, `scale-up failed: ${messageOf(e)}`, this.options);
      note('error', `${plan.explanation} failed: ${messageOf(e)}; group ${inc.group} backed off`);
      for (const p of plan.triggered) this.d.recorder.event(p, 'Warning', 'FailedToScaleUpGroup', `failed to scale up group ${inc.group}: ${messageOf(e)}`);
      const { increase: _failed, ...rest } = plan;
      return rest;
    }
    this.lastScaleUpTime = now;
    note('scale-up', plan.explanation);
    const msg = triggeredMessage(inc.group, inc.from, inc.to, inc.max);
    for (const p of plan.triggered) this.explain(p, 'TriggeredScaleUp', msg);
    return plan;
  }

  private forgetGonePods(pods: readonly Pod[]): void {
    const live = new Set(pods.map((p) => p.metadata.uid ?? `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`));
    for (const k of this.explained.keys()) if (!live.has(k)) this.explained.delete(k);
  }

  /** Records an event on a pod unless the same message was recorded for it last time. */
  private explain(pod: Pod, reason: string, message: string): void {
    const key = pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    if (this.explained.get(key) === `${reason}|${message}`) return;
    this.explained.set(key, `${reason}|${message}`);
    this.d.recorder.event(pod, 'Normal', reason, message);
  }

  private async scaleDown(groups: ScaleGroup[], nodes: Node[], pods: Pod[], now: number, note: (k: Decision['kind'], e: string) => void, signal: AbortSignal): Promise<ScaleDownPlan | undefined> {
    if (!this.drainer) return undefined;
    const plan = planScaleDown({
      now, nodes, pods, groups, unneededSince: this.unneededSince, deleting: this.drainer.nodes(), options: this.options, pdbs: this.pdbs.list(),
      ...(this.lastScaleUpTime !== undefined ? { lastScaleUpTime: this.lastScaleUpTime } : {}),
      ...(this.lastDeleteTime !== undefined ? { lastScaleDownDeleteTime: this.lastDeleteTime } : {}),
      ...(this.lastFailTime !== undefined ? { lastScaleDownFailTime: this.lastFailTime } : {}),
    });
    this.unneededSince = plan.unneededSince;
    for (const line of keptByBudgets(plan.nodes, this.keptByBudget)) note('scale-down', line);
    const byName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
    if (plan.removeEmpty.length > 0) {
      const list = plan.removeEmpty.flatMap((x) => {
        const node = byName.get(x.node);
        return node ? [{ node, group: x.group }] : [];
      });
      const r = await this.drainer.removeEmpty(list, now, signal);
      if (r.deleted.length > 0) this.lastDeleteTime = now;
      if (r.error) this.lastFailTime = now;
      note('scale-down', r.error ? `${plan.explanation} failed: ${r.error}` : plan.explanation);
    } else if (plan.drain) {
      const node = byName.get(plan.drain.node);
      if (node) await this.drainer.start(node, plan.drain.group, plan.drain.pods, now, signal);
      note('scale-down', plan.explanation);
    }
    return plan;
  }

  private async writeStatus(groups: ScaleGroup[], nodes: Node[], scaleDown: ScaleDownPlan | undefined, now: number, signal: AbortSignal): Promise<void> {
    const { text, transitions } = statusText({ now, nodes, groups, backoff: this.backoff, transitions: this.transitions, ...(scaleDown ? { scaleDown } : {}) });
    this.transitions = transitions;
    const data = { status: text, [DECISIONS_KEY]: JSON.stringify(this.log, null, 2) };
    const annotations = { [LAST_UPDATED_ANNOTATION]: text.split('\n')[0]?.replace(/^Cluster-autoscaler status at (.*):$/, '$1') ?? '' };
    try {
      await this.d.client.patch(configMapTarget, STATUS_NAMESPACE, STATUS_CONFIGMAP, { metadata: { annotations }, data }, 'merge', { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: STATUS_CONFIGMAP, namespace: STATUS_NAMESPACE, annotations }, data };
      await this.d.client.create(configMapTarget, cm, { signal });
    }
  }
}

export interface StartedClusterAutoscaler {
  autoscaler: ClusterAutoscaler;
  /** Resolves when the loop has stopped (after `signal` aborts); errors are logged, never thrown. */
  done: Promise<void>;
}

/** Starts the cluster autoscaler (and the informers it needs); it runs until `signal` aborts. Throws when the provider has no node groups. */
export function startClusterAutoscaler(o: ClusterAutoscalerDeps & { signal: AbortSignal }): StartedClusterAutoscaler {
  if (!o.provider.nodeGroups) throw new Error(`cluster autoscaler: provider ${o.provider.name} has no node groups`);
  const { signal, ...rest } = o;
  const autoscaler = new ClusterAutoscaler({ ...rest, log: o.log.child({ controller: 'cluster-autoscaler' }) });
  o.informers.start(signal);
  const done = autoscaler.run(signal).catch((e: unknown) => {
    if (!signal.aborted) o.log.error('controller stopped', { controller: autoscaler.name, error: messageOf(e) });
  });
  return { autoscaler, done };
}
