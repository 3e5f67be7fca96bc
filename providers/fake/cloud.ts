/**
 * `FakeCloud`: the in-memory cloud behind the fake provider — load balancers, volumes, instances, node
 * groups — with a call log, fault injection and `reset()`. Several provider instances may share one
 * FakeCloud: that is how a controller restart (a new provider on the same cloud) is modelled.
 */
import type { Clock } from '../../core/util/index.js';
import { systemClock } from '../../core/util/index.js';
import { Faults } from './faults.js';
import type { FaultRule } from './faults.js';
import type { LbRecord } from './lb-model.js';

export interface CallLogEntry {
  op: string;
  mutating: boolean;
  args: unknown;
  /** `ok` or the CloudError code. */
  outcome: string;
}

export interface VolumeRecord {
  id: string;
  key: string;
  sizeBytes: number;
  type: string;
  zone: string;
  tags: Record<string, string>;
  attachedTo: string[];
  path: string;
}

export type InstanceStatus = 'creating' | 'running' | 'stopped' | 'terminated';

export interface InstanceRecord {
  name: string;
  status: InstanceStatus;
  group?: string;
  instanceType?: string;
  zone?: string;
  error?: { class: 'OutOfResources' | 'Other'; code: string; message: string };
}

export interface FakeCloudOptions {
  clock?: Clock;
  /** Called after every successful mutating operation (e.g. to persist the state). */
  onChange?: () => Promise<void>;
}

export class FakeCloud {
  readonly clock: Clock;
  readonly faults = new Faults();
  readonly loadBalancers = new Map<string, LbRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  /** Instances the fake knows. A node it does not know is a running local instance. */
  readonly instances = new Map<string, InstanceRecord>();
  /** Node-group target sizes (the rest of a group comes from config and NodeGroup objects). */
  readonly targetSizes = new Map<string, number>();
  private log: CallLogEntry[] = [];
  private readonly onChange: (() => Promise<void>) | undefined;

  constructor(opts: FakeCloudOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.onChange = opts.onChange;
  }

  /** Every cloud operation so far, in order. */
  calls(): CallLogEntry[] {
    return [...this.log];
  }

  clearCalls(): void {
    this.log = [];
  }

  /** Injects a fault (see `FaultRule`): `{ op: 'createListener', error: 'Transient', times: 1 }`. */
  inject(rule: FaultRule): void {
    this.faults.add(rule);
  }

  /** Runs one cloud operation: faults first, then `fn`; logs it either way. */
  async call<T>(op: string, mutating: boolean, args: unknown, signal: AbortSignal, fn: () => T | Promise<T>): Promise<T> {
    const entry: CallLogEntry = { op, mutating, args, outcome: 'ok' };
    this.log.push(entry);
    try {
      signal.throwIfAborted();
      await this.faults.before(op, mutating, this.clock, signal);
      const out = await fn();
      if (mutating) await this.onChange?.();
      return out;
    } catch (e) {
      entry.outcome = (e as { code?: string }).code ?? 'error';
      throw e;
    }
  }

  /** Stops an instance (it still exists: stopped is not deleted). */
  stopInstance(name: string): void {
    this.instances.set(name, { ...this.instances.get(name), name, status: 'stopped' });
  }

  startInstance(name: string): void {
    this.instances.set(name, { ...this.instances.get(name), name, status: 'running' });
  }

  /** Deletes an instance: `exists` is false from now on. */
  terminateInstance(name: string): void {
    this.instances.set(name, { ...this.instances.get(name), name, status: 'terminated' });
  }

  /** Closes every listener and forgets all state, faults and calls. */
  async reset(): Promise<void> {
    await Promise.all([...this.loadBalancers.values()].map((lb) => lb.close()));
    this.loadBalancers.clear();
    this.volumes.clear();
    this.instances.clear();
    this.targetSizes.clear();
    this.faults.clear();
    this.log = [];
  }
}
