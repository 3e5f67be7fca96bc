/**
 * The fake cloud's node groups, from the cloud-config (`nodeGroups:`) and `skiff.dev/v1alpha1` NodeGroup
 * objects. `increase` boots real local nodes through the injected `NodeLauncher` after `bootDelaySeconds`.
 */
import { CloudError } from '../../core/cloud/index.js';
import type { NodeGroupInfo, NodeGroupInstance, NodeGroups, NodeTemplate } from '../../core/cloud/index.js';
import type { NodeGroup, Taint } from '../../core/api/index.js';
import type { Logger } from '../../core/util/index.js';
import type { FakeCloud, InstanceRecord } from './cloud.js';

/** Boots and stops a local node; the integrator implements it with skiff's node agent. */
export interface NodeLauncher {
  launch(name: string, template: NodeTemplate, signal: AbortSignal): Promise<void>;
  stop(name: string): Promise<void>;
}

export interface NodeGroupConfig {
  name: string;
  min: number;
  max: number;
  template: NodeTemplate;
  bootDelaySeconds: number;
}

export interface FakeNodeGroupOptions {
  cloud: FakeCloud;
  config: readonly NodeGroupConfig[];
  /** NodeGroup objects (e.g. an informer's `list`); groups there add to or override the config's. */
  objects?: () => readonly NodeGroup[];
  launcher?: NodeLauncher;
  log: Logger;
  /** Aborts pending boots when the provider closes. */
  signal: AbortSignal;
}

function str(v: unknown, d: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : d;
}

/** Parses the cloud-config `nodeGroups:` list. Pure. */
export function parseNodeGroups(raw: unknown): NodeGroupConfig[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((g): g is Record<string, unknown> => typeof g === 'object' && g !== null).map((g) => {
    const t = (typeof g.template === 'object' && g.template !== null ? g.template : {}) as Record<string, unknown>;
    return {
      name: str(g.name, 'default'),
      min: Number(g.min ?? 0),
      max: Number(g.max ?? 1),
      bootDelaySeconds: Number(g.bootDelaySeconds ?? 0),
      template: {
        capacity: { cpu: str(t.cpu, '2'), memory: str(t.memory, '4Gi'), pods: str(t.pods, '110') },
        labels: (t.labels ?? {}) as Record<string, string>,
        taints: (Array.isArray(t.taints) ? t.taints : []) as Taint[],
      },
    };
  });
}

function fromObject(o: NodeGroup): NodeGroupConfig {
  const t = o.spec.template ?? {};
  return {
    name: o.metadata.name ?? '', min: o.spec.minSize, max: o.spec.maxSize, bootDelaySeconds: 0,
    template: {
      capacity: t.capacity ?? { cpu: '2', memory: '4Gi', pods: '110' }, labels: t.labels ?? {}, taints: t.taints ?? [],
      ...(t.instanceType ? { instanceType: t.instanceType } : {}), ...(t.zone ? { zone: t.zone } : {}),
    },
  };
}

export class FakeNodeGroups implements NodeGroups {
  private seq = 0;

  constructor(private readonly o: FakeNodeGroupOptions) {}

  list(signal: AbortSignal): Promise<NodeGroupInfo[]> {
    return this.o.cloud.call('describeNodeGroups', false, {}, signal, () => {
      for (const g of this.groups()) this.fillToMin(g);
      return this.groups().map((g) => this.info(g));
    });
  }

  /**
   * A group the cloud has not sized yet starts at its minimum with that many instances booting, as
   * an Auto Scaling group or a managed instance group created with a minimum does.
   */
  private fillToMin(g: NodeGroupConfig): void {
    if (this.o.cloud.targetSizes.has(g.name)) return;
    const missing = g.min - this.members(g.name).length;
    this.o.cloud.targetSizes.set(g.name, Math.max(g.min, this.members(g.name).length));
    for (let i = 0; i < missing; i++) this.boot(g);
  }

  increase(group: string, delta: number, signal: AbortSignal): Promise<void> {
    return this.o.cloud.call('increaseNodeGroup', true, { group, delta }, signal, () => {
      const g = this.must(group);
      const target = this.target(g);
      if (delta <= 0) throw new CloudError('InvalidArgument', `delta must be positive, got ${delta}`);
      if (target + delta > g.max) throw new CloudError('InvalidArgument', `node group ${group}: size ${target + delta} exceeds max ${g.max}`);
      this.o.cloud.targetSizes.set(group, target + delta);
      for (let i = 0; i < delta; i++) this.boot(g);
    });
  }

  deleteNodes(group: string, nodeNames: readonly string[], signal: AbortSignal): Promise<void> {
    return this.o.cloud.call('deleteNodeGroupNodes', true, { group, nodeNames }, signal, async () => {
      const g = this.must(group);
      const members = nodeNames.map((n) => this.o.cloud.instances.get(n));
      if (members.some((m) => m?.group !== group || m.status === 'terminated')) throw new CloudError('InvalidArgument', `not all of ${nodeNames.join(', ')} belong to node group ${group}`);
      const target = this.target(g);
      if (target - nodeNames.length < g.min) throw new CloudError('InvalidArgument', `node group ${group}: size ${target - nodeNames.length} below min ${g.min}`);
      this.o.cloud.targetSizes.set(group, target - nodeNames.length);
      for (const n of nodeNames) {
        this.o.cloud.terminateInstance(n);
        await this.o.launcher?.stop(n);
      }
    });
  }

  decreaseTargetSize(group: string, delta: number, signal: AbortSignal): Promise<void> {
    return this.o.cloud.call('decreaseNodeGroupTargetSize', true, { group, delta }, signal, () => {
      const g = this.must(group);
      const target = this.target(g);
      const pending = this.members(group).filter((m) => m.status === 'creating');
      if (delta <= 0 || delta > pending.length) throw new CloudError('InvalidArgument', `node group ${group}: can only drop ${pending.length} unfulfilled nodes, asked ${delta}`);
      if (target - delta < g.min) throw new CloudError('InvalidArgument', `node group ${group}: size ${target - delta} below min ${g.min}`);
      this.o.cloud.targetSizes.set(group, target - delta);
      for (const m of pending.slice(-delta)) this.o.cloud.terminateInstance(m.name);
    });
  }

  private groups(): NodeGroupConfig[] {
    const byName = new Map(this.o.config.map((g) => [g.name, g]));
    for (const obj of this.o.objects?.() ?? []) byName.set(obj.metadata.name ?? '', fromObject(obj));
    return [...byName.values()];
  }

  private must(name: string): NodeGroupConfig {
    const g = this.groups().find((x) => x.name === name);
    if (!g) throw new CloudError('NotFound', `node group ${name} not found`);
    return g;
  }

  private members(group: string): InstanceRecord[] {
    return [...this.o.cloud.instances.values()].filter((i) => i.group === group && i.status !== 'terminated');
  }

  private target(g: NodeGroupConfig): number {
    return this.o.cloud.targetSizes.get(g.name) ?? Math.max(g.min, this.members(g.name).length);
  }

  private info(g: NodeGroupConfig): NodeGroupInfo {
    const instances: NodeGroupInstance[] = this.members(g.name).map((m) => ({
      name: m.name, providerID: `fake://${m.name}`, state: m.status === 'creating' ? 'creating' : 'running', ...(m.error ? { error: m.error } : {}),
    }));
    return { name: g.name, min: g.min, max: g.max, targetSize: this.target(g), instances, template: g.template };
  }

  /** Records a `creating` instance, then boots it after the group's delay (in the background). */
  private boot(g: NodeGroupConfig): void {
    let name: string;
    do name = `${g.name}-${(++this.seq).toString(36).padStart(4, '0')}`; while (this.o.cloud.instances.has(name));
    this.o.cloud.instances.set(name, { name, status: 'creating', group: g.name, ...(g.template.instanceType ? { instanceType: g.template.instanceType } : {}), ...(g.template.zone ? { zone: g.template.zone } : {}) });
    const run = async (): Promise<void> => {
      await this.o.cloud.clock.sleep(g.bootDelaySeconds * 1000, this.o.signal);
      if (this.o.cloud.instances.get(name)?.status !== 'creating') return;
      await this.o.launcher?.launch(name, g.template, this.o.signal);
      const r = this.o.cloud.instances.get(name);
      if (r?.status === 'creating') r.status = 'running';
    };
    run().catch((e: unknown) => {
      if (this.o.signal.aborted) return;
      const r = this.o.cloud.instances.get(name);
      if (r) r.error = { class: 'Other', code: 'LaunchFailed', message: (e as Error).message };
      this.o.log.warn('fake node boot failed', { node: name, error: (e as Error).message });
    });
  }
}
