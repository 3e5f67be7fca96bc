/**
 * Service controller: a cloud load balancer for every `type: LoadBalancer` Service this provider serves.
 * The finalizer goes on before the first cloud call; steady state makes no mutating cloud call (a cached
 * hash of what was applied, or a read-only `plan` after a restart, decides whether `ensure` is needed).
 */
import type { Node, Service } from '../../api/index.js';
import { isNotFound } from '../../api/index.js';
import { backoffDelay } from '../../client/index.js';
import type { Controller, ControllerRunner, Informer, ReconcileResult } from '../../client/index.js';
import { isCloudNotFound } from '../errors.js';
import type { LoadBalancerStatus, LoadBalancers } from '../types.js';
import { makeRunner, nodesTarget, servicesTarget } from './context.js';
import type { CloudControllerContext } from './context.js';
import { backendKey, backendNodes, shouldSyncUpdatedNode } from './nodes.js';
import { LB_FINALIZER, decideService, hasFinalizer, ingressEqual, serviceHash, wantsLoadBalancer } from './service-decide.js';

export interface ServiceControllerOptions {
  /** Per-Service retry back-off; default 5 s doubling to 300 s. */
  backoff?: { baseMs: number; maxMs: number };
}

export class ServiceController implements Controller {
  readonly name = 'cloud-service';
  private readonly services: Informer<Service>;
  private readonly nodes: Informer<Node>;
  private readonly runner: ControllerRunner;
  private readonly classes: readonly string[];
  /** key → what this process last applied. Lost on restart, which only costs read-only calls. */
  private readonly applied = new Map<string, { svc: string; nodes: string }>();
  /** key → failed attempts at one state, and when the next may run: resyncs and node events wait for it too. */
  private readonly failures = new Map<string, { state: string; count: number; until: number }>();
  private readonly backoff: { baseMs: number; maxMs: number };
  private lastNodes = '';

  constructor(private readonly ctx: CloudControllerContext, private readonly lbs: LoadBalancers, opts: ServiceControllerOptions = {}) {
    this.services = ctx.informers.informerFor<Service>(servicesTarget);
    this.nodes = ctx.informers.informerFor<Node>(nodesTarget);
    this.classes = ctx.provider.capabilities.loadBalancers?.classes ?? [];
    this.backoff = opts.backoff ?? { baseMs: 5_000, maxMs: 300_000 };
    this.runner = makeRunner(ctx, this.name, (key, signal) => this.reconcile(key, signal), this.backoff);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (s: Service): void => {
      if (s.spec?.type === 'LoadBalancer' || hasFinalizer(s)) this.runner.enqueue(`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`);
    };
    const removeSvc = this.services.addHandlers({ onAdd: enqueue, onUpdate: (_a, b) => enqueue(b), onDelete: (s) => this.applied.delete(`${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`) });
    const nodesChanged = (): void => {
      const k = backendKey(backendNodes(this.nodes.list()));
      if (k === this.lastNodes) return;
      this.lastNodes = k;
      for (const s of this.services.list()) enqueue(s);
    };
    // A node update re-syncs only when it can change a backend (not readiness: health checks own that).
    const nodeUpdated = (old: Node, cur: Node): void => {
      if (shouldSyncUpdatedNode(old, cur)) nodesChanged();
    };
    const removeNodes = this.nodes.addHandlers({ onAdd: nodesChanged, onUpdate: nodeUpdated, onDelete: nodesChanged });
    try {
      await this.runner.run(signal);
    } finally {
      removeSvc();
      removeNodes();
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const svc = this.services.get(key);
    if (!svc) {
      this.applied.delete(key);
      return;
    }
    const nodes = backendNodes(this.nodes.list());
    const state = { svcHash: serviceHash(svc), nodesKey: backendKey(nodes) };
    const wants = wantsLoadBalancer(svc, this.classes);
    const fingerprint = `${wants}|${state.svcHash}|${state.nodesKey}`;
    const failed = this.failures.get(key);
    const now = this.ctx.clock.now();
    if (failed && failed.state === fingerprint && now < failed.until) return { requeueAfterMs: failed.until - now };
    let action = decideService({ wants, finalizer: hasFinalizer(svc), applied: this.applied.get(key), ...state });
    try {
      if (action.kind === 'add-finalizer') {
        await this.patchFinalizers(svc, [...(svc.metadata.finalizers ?? []), LB_FINALIZER], signal);
        action = { kind: 'check' };
      }
      switch (action.kind) {
        case 'delete':
          await this.delete(key, svc, signal);
          break;
        case 'check':
          await this.check(key, svc, nodes, state, signal);
          break;
        case 'ensure':
          await this.ensure(key, svc, nodes, state, signal);
          break;
        case 'update-hosts':
          await this.updateHosts(key, svc, nodes, state, signal);
          break;
        default:
          break;
      }
      this.failures.delete(key);
    } catch (e) {
      if (isNotFound(e)) return; // the Service went away; its deletion is reconciled next
      const count = (failed?.state === fingerprint ? failed.count : 0) + 1;
      this.failures.set(key, { state: fingerprint, count, until: now + backoffDelay(count - 1, this.backoff.baseMs, this.backoff.maxMs) });
      this.ctx.recorder.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Nothing known about this Service (first sight, or a restart): compare read-only before ensuring. */
  private async check(key: string, svc: Service, nodes: readonly Node[], state: { svcHash: string; nodesKey: string }, signal: AbortSignal): Promise<void> {
    if ((await this.lbs.plan(svc, nodes, signal)).length === 0) {
      const info = await this.lbs.get(svc, signal);
      if (info) return this.applyStatus(key, svc, info.status, state, signal);
    }
    return this.ensure(key, svc, nodes, state, signal);
  }

  private async ensure(key: string, svc: Service, nodes: readonly Node[], state: { svcHash: string; nodesKey: string }, signal: AbortSignal): Promise<void> {
    this.ctx.recorder.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
    const status = await this.lbs.ensure(svc, nodes, signal);
    this.ctx.recorder.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    await this.applyStatus(key, svc, status, state, signal);
  }

  private async updateHosts(key: string, svc: Service, nodes: readonly Node[], state: { svcHash: string; nodesKey: string }, signal: AbortSignal): Promise<void> {
    try {
      await this.lbs.updateHosts(svc, nodes, signal);
    } catch (e) {
      if (!isCloudNotFound(e)) throw e;
      return this.ensure(key, svc, nodes, state, signal);
    }
    this.ctx.recorder.event(svc, 'Normal', 'UpdatedLoadBalancer', `Updated load balancer with new hosts (${nodes.length})`);
    this.applied.set(key, { svc: state.svcHash, nodes: state.nodesKey });
  }

  private async applyStatus(key: string, svc: Service, status: LoadBalancerStatus, state: { svcHash: string; nodesKey: string }, signal: AbortSignal): Promise<void> {
    if (!ingressEqual(svc.status?.loadBalancer?.ingress, status.ingress)) {
      await this.ctx.client.patch(servicesTarget, svc.metadata.namespace, svc.metadata.name ?? '', { status: { loadBalancer: { ingress: status.ingress } } }, 'merge', { subresource: 'status', signal });
    }
    this.applied.set(key, { svc: state.svcHash, nodes: state.nodesKey });
  }

  private async delete(key: string, svc: Service, signal: AbortSignal): Promise<void> {
    this.ctx.recorder.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
    await this.lbs.ensureDeleted(svc, signal);
    this.ctx.recorder.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
    this.applied.delete(key);
    let rv = svc.metadata.resourceVersion;
    if (!svc.metadata.deletionTimestamp && (svc.status?.loadBalancer?.ingress ?? []).length > 0) {
      rv = (await this.ctx.client.patch<Service>(servicesTarget, svc.metadata.namespace, svc.metadata.name ?? '', { status: { loadBalancer: { ingress: null } } }, 'merge', { subresource: 'status', signal })).metadata.resourceVersion;
    }
    await this.patchFinalizers(svc, (svc.metadata.finalizers ?? []).filter((f) => f !== LB_FINALIZER), signal, rv);
  }

  private async patchFinalizers(svc: Service, finalizers: string[], signal: AbortSignal, rv = svc.metadata.resourceVersion): Promise<void> {
    await this.ctx.client.patch(servicesTarget, svc.metadata.namespace, svc.metadata.name ?? '', {
      metadata: { finalizers, resourceVersion: rv },
    }, 'merge', { signal });
  }
}
