/**
 * The scheduler loop, an API client: informers on Pods, Nodes and Services; one worker that takes a
 * pending pod, runs the pure `schedulePod` against the cached cluster, and binds it or marks it
 * Unschedulable. Unschedulable pods are retried when nodes or assigned pods change, and at the
 * latest after `unschedulableFlushMs` (Kubernetes' 5 minute unschedulable-queue flush).
 */
import type { Condition, Node, Pod, Service } from '../api/index.js';
import { ControllerRunner, EventRecorder, objectKey, splitKey } from '../client/index.js';
import type { Controller, EventType, Informer, KubeClient, SharedInformerFactory } from '../client/index.js';
import type { Clock, Logger } from '../util/index.js';
import { rfc3339 } from '../util/index.js';
import { buildNodeInfos } from './nodeinfo.js';
import { assignedPodFreedRoom, isPendingFor, nodeChangeMatters, pendingPodChanged } from './queue.js';
import { schedulePod } from './schedule.js';

/** Kubernetes' default scheduler name; also the events' `source.component`. */
export const SCHEDULER_NAME = 'default-scheduler';

/** What the scheduler needs of core/client's EventRecorder. */
export interface SchedulerRecorder {
  event(regarding: Pod, type: EventType, reason: string, message: string): void;
}

export interface SchedulerOptions {
  client: Pick<KubeClient, 'request' | 'patch' | 'create'>;
  informers: Pick<SharedInformerFactory, 'informerFor'>;
  clock: Clock;
  log: Logger;
  /** Where Scheduled / FailedScheduling events go; default: an EventRecorder on `client` as `default-scheduler`. */
  recorder?: SchedulerRecorder;
  /** Pods whose `spec.schedulerName` is this (or unset, for the default) are ours. */
  schedulerName?: string;
  /** Tie-break among equally good nodes; default: first by name. */
  rand?: () => number;
  /** Longest time an unschedulable pod waits for a retry; default 5 minutes. */
  unschedulableFlushMs?: number;
  /** How often the flush looks for such pods; default 30 s. */
  flushIntervalMs?: number;
}

const podsTarget = { apiVersion: 'v1', plural: 'pods', namespaced: true };
const nodesTarget = { apiVersion: 'v1', plural: 'nodes', namespaced: false };
const servicesTarget = { apiVersion: 'v1', plural: 'services', namespaced: true };

export function createScheduler(opts: SchedulerOptions): Controller {
  return new Scheduler(opts);
}

class Scheduler implements Controller {
  readonly name = 'scheduler';
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly services: Informer<Service>;
  private readonly runner: ControllerRunner;
  private readonly log: Logger;
  private readonly schedulerName: string;
  /** Pods bound by us that the informer has not shown assigned yet: key → node. */
  private readonly assumed = new Map<string, string>();
  /** Unschedulable pods: key → when they were last found unschedulable. */
  private readonly unschedulable = new Map<string, number>();
  private readonly recorder: SchedulerRecorder;

  constructor(private readonly opts: SchedulerOptions) {
    this.log = opts.log.child({ controller: 'scheduler' });
    this.schedulerName = opts.schedulerName ?? SCHEDULER_NAME;
    this.pods = opts.informers.informerFor<Pod>(podsTarget);
    this.nodes = opts.informers.informerFor<Node>(nodesTarget);
    this.services = opts.informers.informerFor<Service>(servicesTarget);
    this.recorder = opts.recorder ?? new EventRecorder({ client: opts.client, component: SCHEDULER_NAME, clock: opts.clock, log: this.log });
    this.runner = new ControllerRunner({ name: 'scheduler', reconcile: (key, signal) => this.scheduleOne(key, signal), clock: opts.clock, log: opts.log });
  }

  async start(signal: AbortSignal): Promise<void> {
    const removers = [this.watchPods(), this.watchNodes()];
    try {
      await Promise.all([this.pods.waitForSync(signal), this.nodes.waitForSync(signal), this.services.waitForSync(signal)]);
      await Promise.all([this.runner.run(signal), this.flushLoop(signal)]);
    } catch (e) {
      if (!signal.aborted) throw e;
    } finally {
      for (const remove of removers) remove();
    }
  }

  private watchPods(): () => void {
    return this.pods.addHandlers({
      onAdd: (pod) => {
        if (isPendingFor(pod, this.schedulerName)) this.runner.enqueue(objectKey(pod));
      },
      onUpdate: (oldPod, pod) => {
        const key = objectKey(pod);
        if (pod.spec.nodeName) this.assumed.delete(key);
        if (assignedPodFreedRoom(oldPod, pod)) this.retryUnschedulable('assigned pod finished');
        if (!isPendingFor(pod, this.schedulerName)) return;
        if (!this.unschedulable.has(key) || pendingPodChanged(oldPod, pod)) this.runner.enqueue(key);
      },
      onDelete: (pod) => {
        const key = objectKey(pod);
        this.assumed.delete(key);
        this.unschedulable.delete(key);
        if (pod.spec.nodeName) this.retryUnschedulable('assigned pod deleted');
      },
    });
  }

  private watchNodes(): () => void {
    return this.nodes.addHandlers({
      onAdd: () => this.retryUnschedulable('node added'),
      onUpdate: (oldNode, node) => {
        if (nodeChangeMatters(oldNode, node)) this.retryUnschedulable('node changed');
      },
    });
  }

  private retryUnschedulable(why: string): void {
    if (this.unschedulable.size === 0) return;
    this.log.debug('retrying unschedulable pods', { why, pods: this.unschedulable.size });
    for (const key of this.unschedulable.keys()) this.runner.enqueue(key);
  }

  /** Every `flushIntervalMs`, re-queues pods that have been unschedulable for `unschedulableFlushMs`. */
  private async flushLoop(signal: AbortSignal): Promise<void> {
    const maxAge = this.opts.unschedulableFlushMs ?? 5 * 60_000;
    const every = this.opts.flushIntervalMs ?? 30_000;
    while (!signal.aborted) {
      try {
        await this.opts.clock.sleep(every, signal);
      } catch {
        return;
      }
      const now = this.opts.clock.now();
      for (const [key, since] of this.unschedulable) {
        if (now - since >= maxAge) this.runner.enqueue(key);
      }
    }
  }

  /** The cluster as the informers (plus our not-yet-visible bindings) show it. */
  private clusterPods(): Pod[] {
    return this.pods.list().map((p) => {
      const node = p.spec.nodeName ? undefined : this.assumed.get(objectKey(p));
      return node ? { ...p, spec: { ...p.spec, nodeName: node } } : p;
    });
  }

  private async scheduleOne(key: string, signal: AbortSignal): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !isPendingFor(pod, this.schedulerName) || this.assumed.has(key)) {
      this.unschedulable.delete(key);
      return;
    }
    const infos = buildNodeInfos(this.nodes.list(), this.clusterPods());
    const result = schedulePod(pod, infos, { services: this.services.list(), rand: this.opts.rand });
    if (result.node === undefined) {
      this.unschedulable.set(key, this.opts.clock.now());
      await this.markUnschedulable(pod, result.message, signal);
      return;
    }
    this.unschedulable.delete(key);
    this.assumed.set(key, result.node);
    try {
      await this.bind(pod, result.node, signal);
    } catch (e) {
      this.assumed.delete(key);
      throw e;
    }
    const { namespace, name } = splitKey(key);
    this.log.info('pod bound', { pod: key, node: result.node });
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace ?? 'default'}/${name} to ${result.node}`);
  }

  private async bind(pod: Pod, node: string, signal: AbortSignal): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    await this.opts.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}/binding`, binding, { signal });
  }

  private async markUnschedulable(pod: Pod, message: string, signal: AbortSignal): Promise<void> {
    const key = objectKey(pod);
    this.log.info('pod unschedulable', { pod: key, message });
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const conditions = pod.status?.conditions ?? [];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old?.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return;
    const cond: Condition = {
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message,
      lastProbeTime: null, lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(this.opts.clock.now()),
    };
    const next = [...conditions.filter((c) => c.type !== 'PodScheduled'), cond];
    await this.opts.client.patch(podsTarget, pod.metadata.namespace, pod.metadata.name ?? '', { status: { conditions: next } }, 'merge', { subresource: 'status', signal });
  }
}
