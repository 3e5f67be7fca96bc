/**
 * Compute calls with skiff's resilience: one shared rate limiter, back-off retries of throttling and 5xx
 * (the client does not retry REST calls), every mutation waited on through its operation (polls are
 * rate-limited too), 409 on insert accepted after checking ownership, 404 on delete accepted.
 */
import { randomUUID } from 'node:crypto';
import { CloudError, isCloudError } from '../../core/cloud/index.js';
import type { Clock, Logger } from '../../core/util/index.js';
import { operationError, toCloudError } from './errors.js';
import type { ComputeApi, PendingOperation, Ref, Resource, Scope } from './sdk.js';

export interface GceOptions {
  api: ComputeApi;
  clock: Clock;
  log: Logger;
  qps: number;
  backoffMs: number;
  attempts: number;
  pollIntervalMs: number;
  maxPolls: number;
}

export const refName = (r: Ref): string => `${r.collection}/${r.name}`;

export class Gce {
  private nextSlot = 0;

  constructor(private readonly o: GceOptions) {}

  get project(): string {
    return this.o.api.project;
  }

  /** Waits for this call's turn under the shared limiter. */
  private async turn(signal: AbortSignal): Promise<void> {
    const now = this.o.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.o.qps;
    if (slot > now) await this.o.clock.sleep(slot - now, signal);
  }

  /** Runs `fn` under the limiter, retrying retryable errors with exponential back-off. */
  async retry<T>(what: string, fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.turn(signal);
      try {
        return await fn();
      } catch (raw) {
        const e = toCloudError(raw, what);
        if (!e.retryable || attempt >= this.o.attempts || signal.aborted) throw e;
        const wait = e.retryAfterMs ?? Math.min(30_000, this.o.backoffMs * 2 ** (attempt - 1));
        this.o.log.debug('gce call retried', { what, code: e.code, attempt, waitMs: wait });
        await this.o.clock.sleep(wait, signal);
      }
    }
  }

  async get(ref: Ref, signal: AbortSignal): Promise<Resource | undefined> {
    try {
      return await this.retry(`get ${refName(ref)}`, () => this.o.api.get(ref, signal), signal);
    } catch (e) {
      if (isCloudError(e, 'NotFound')) return undefined;
      throw e;
    }
  }

  list(scope: Scope, collection: string, filter: string | undefined, signal: AbortSignal): Promise<Resource[]> {
    return this.retry(`list ${collection}`, () => this.o.api.list(scope, collection, filter, signal), signal);
  }

  read(ref: Ref, method: string, params: Resource, signal: AbortSignal): Promise<Resource[]> {
    return this.retry(`${method} ${refName(ref)}`, () => this.o.api.read(ref, method, params, signal), signal);
  }

  /** Polls until DONE, pausing between polls; an operation error becomes a CloudError. */
  private async wait(what: string, op: PendingOperation, signal: AbortSignal): Promise<void> {
    let done = op.done;
    let error = op.error;
    for (let polls = 0; !done; polls++) {
      if (polls >= this.o.maxPolls) throw new CloudError('Transient', `${what}: operation ${op.name} still running after ${polls} polls`);
      if (polls > 0) await this.o.clock.sleep(this.o.pollIntervalMs, signal);
      const r = await this.retry(`wait ${op.name}`, () => this.o.api.poll(op, signal), signal);
      done = r.done;
      error = r.result.error;
    }
    if (error) throw operationError(what, error);
  }

  /** Starts a mutation and waits for it; retries both on retryable errors. */
  private async mutate(what: string, start: (attempt: number) => Promise<PendingOperation>, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const op = await this.retry(what, () => start(attempt), signal);
        await this.wait(what, op, signal);
        return;
      } catch (e) {
        const err = toCloudError(e, what);
        if (!err.retryable || attempt >= this.o.attempts || signal.aborted) throw err;
        await this.o.clock.sleep(Math.min(30_000, this.o.backoffMs * 2 ** (attempt - 1)), signal);
      }
    }
  }

  /**
   * Inserts `body` at `ref` with a `requestId` (reused while a retry may repeat the same request).
   * "Already exists" is success when `owned(existing)`; otherwise Conflict (someone else's resource).
   */
  async insert(ref: Ref, body: Resource, owned: (r: Resource) => boolean, signal: AbortSignal): Promise<void> {
    const what = `insert ${refName(ref)}`;
    let requestId = randomUUID();
    try {
      await this.mutate(what, (attempt) => {
        if (attempt > 1) requestId = randomUUID();
        return this.o.api.insert(ref, body, requestId, signal);
      }, signal);
    } catch (e) {
      if (!isCloudError(e, 'AlreadyExists')) throw e;
      const existing = await this.get(ref, signal);
      if (!existing || !owned(existing)) throw new CloudError('Conflict', `${what}: exists and is not owned by this cluster`, { retryable: false, cause: e });
    }
  }

  async remove(ref: Ref, signal: AbortSignal): Promise<void> {
    try {
      await this.mutate(`delete ${refName(ref)}`, () => this.o.api.remove(ref, signal), signal);
    } catch (e) {
      if (!isCloudError(e, 'NotFound')) throw e;
    }
  }

  patch(ref: Ref, body: Resource, signal: AbortSignal): Promise<void> {
    return this.mutate(`patch ${refName(ref)}`, () => this.o.api.patch(ref, body, signal), signal);
  }

  invoke(ref: Ref, method: string, params: Resource, signal: AbortSignal): Promise<void> {
    return this.mutate(`${method} ${refName(ref)}`, () => this.o.api.invoke(ref, method, params, signal), signal);
  }
}
