/** Leader election on `coordination.k8s.io/v1` Leases (client-go's leaderelection, with the injected Clock). */
import { isAlreadyExists, isConflict, isNotFound } from '../api/index.js';
import type { Lease } from '../api/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { KubeClient } from './client.js';
import type { ResourceTarget } from './resource.js';

export const leaseTarget: ResourceTarget = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true };

export type LeaseDecision = 'create' | 'acquire' | 'renew' | 'wait';

/**
 * Pure: what `identity` should do with `lease`. Expiry is judged by the local time at which the
 * record was last seen to change (`observedAt`), never by the remote clock in `renewTime`.
 */
export function decideLease(lease: Lease | undefined, identity: string, now: number, observedAt: number, defaultDurationSeconds: number): LeaseDecision {
  if (!lease) return 'create';
  const holder = lease.spec?.holderIdentity ?? '';
  if (holder === identity) return 'renew';
  if (holder === '') return 'acquire';
  const duration = (lease.spec?.leaseDurationSeconds ?? defaultDurationSeconds) * 1000;
  return observedAt + duration <= now ? 'acquire' : 'wait';
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface LeaderElectorOptions {
  client: Pick<KubeClient, 'get' | 'create' | 'update'>;
  /** Lease namespace; default `kube-system`. */
  namespace?: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  /** Give the lease up when `run`'s signal aborts (default true). */
  releaseOnCancel?: boolean;
  clock: Clock;
  log: Logger;
  /** Called on becoming leader; `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
}

export class LeaderElector {
  private readonly o: Required<Omit<LeaderElectorOptions, 'onStoppedLeading'>> & Pick<LeaderElectorOptions, 'onStoppedLeading'>;
  private observed = '';
  private observedAt = 0;
  private leading = false;

  constructor(opts: LeaderElectorOptions) {
    this.o = { namespace: 'kube-system', leaseDurationSeconds: 15, renewDeadlineSeconds: 10, retryPeriodSeconds: 2, releaseOnCancel: true, ...opts };
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, leads, and campaigns again after losing the lease, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) return;
      await this.lead(signal);
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal)) return true;
      if (!(await this.sleep(this.o.retryPeriodSeconds * 1000, signal))) return false;
    }
    return false;
  }

  private async lead(signal: AbortSignal): Promise<void> {
    const ac = new AbortController();
    const onAbort = (): void => ac.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.leading = true;
    this.o.log.info('became leader', { lease: this.o.name, identity: this.o.identity });
    Promise.resolve()
      .then(() => this.o.onStartedLeading(ac.signal))
      .catch((e: unknown) => this.o.log.error('leader callback failed', { error: (e as Error).message }));
    let lastRenew = this.o.clock.now();
    while (await this.sleep(this.o.retryPeriodSeconds * 1000, signal)) {
      if (await this.tryAcquireOrRenew(signal)) lastRenew = this.o.clock.now();
      else if (this.o.clock.now() - lastRenew >= this.o.renewDeadlineSeconds * 1000) break;
    }
    signal.removeEventListener('abort', onAbort);
    ac.abort(new Error('leadership lost'));
    this.leading = false;
    if (signal.aborted && this.o.releaseOnCancel) await this.release();
    this.o.log.info('stopped leading', { lease: this.o.name, identity: this.o.identity });
    this.o.onStoppedLeading?.();
  }

  /** One attempt; true when this elector holds the lease afterwards. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    try {
      const lease = await this.read(signal);
      const now = this.o.clock.now();
      this.observe(lease, now);
      const decision = decideLease(lease, this.o.identity, now, this.observedAt, this.o.leaseDurationSeconds);
      if (decision === 'wait') return false;
      const written = decision === 'create'
        ? await this.o.client.create<Lease>(leaseTarget, this.newLease(now), { signal })
        : await this.o.client.update<Lease>(leaseTarget, this.nextLease(lease as Lease, decision, now), { signal });
      this.observe(written, now);
      return true;
    } catch (e) {
      if (!isConflict(e) && !isAlreadyExists(e) && !signal.aborted) {
        this.o.log.warn('lease update failed', { lease: this.o.name, error: (e as Error).message });
      }
      return false;
    }
  }

  private async read(signal: AbortSignal): Promise<Lease | undefined> {
    try {
      return await this.o.client.get<Lease>(leaseTarget, this.o.namespace, this.o.name, { signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private observe(lease: Lease | undefined, now: number): void {
    const rec = JSON.stringify(lease?.spec ?? null);
    if (rec !== this.observed) {
      this.observed = rec;
      this.observedAt = now;
    }
  }

  private newLease(now: number): Lease {
    return {
      apiVersion: leaseTarget.apiVersion,
      kind: 'Lease',
      metadata: { name: this.o.name, namespace: this.o.namespace },
      spec: { holderIdentity: this.o.identity, leaseDurationSeconds: this.o.leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
    };
  }

  private nextLease(lease: Lease, decision: 'acquire' | 'renew', now: number): Lease {
    const spec = { ...lease.spec, holderIdentity: this.o.identity, leaseDurationSeconds: this.o.leaseDurationSeconds, renewTime: microTime(now) };
    if (decision === 'acquire') {
      spec.acquireTime = microTime(now);
      spec.leaseTransitions = (lease.spec?.leaseTransitions ?? 0) + 1;
    }
    return { ...lease, spec };
  }

  /** Gives the lease up so another candidate can take it without waiting for expiry. */
  private async release(): Promise<void> {
    const signal = AbortSignal.timeout(5000);
    try {
      const lease = await this.read(signal);
      if (!lease || lease.spec?.holderIdentity !== this.o.identity) return;
      const now = this.o.clock.now();
      await this.o.client.update<Lease>(leaseTarget, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(now) } }, { signal });
    } catch (e) {
      this.o.log.warn('lease release failed', { lease: this.o.name, error: (e as Error).message });
    }
  }

  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.o.clock.sleep(ms, signal);
      return true;
    } catch {
      return false;
    }
  }
}
