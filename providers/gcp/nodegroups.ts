/** Managed instance groups named in the cloud-config, with min/max from there; template from the instance template. */
import { CloudError } from '../../core/cloud/index.js';
import type { NodeGroupInfo, NodeGroupInstance, NodeGroups } from '../../core/cloud/index.js';
import type { Gce } from './cloud.js';
import type { GcpConfig, NodeGroupConfig } from './config.js';
import { LINK_BASE, lastSegment, machineCapacity, providerID } from './mapping.js';
import type { Ref, Resource } from './sdk.js';

const stateOf = (action: unknown): NodeGroupInstance['state'] =>
  action === 'DELETING' || action === 'ABANDONING' ? 'deleting' : action === 'NONE' ? 'running' : 'creating';

export class GcpNodeGroups implements NodeGroups {
  constructor(private readonly gce: Gce, private readonly cfg: GcpConfig) {}

  private group(name: string): NodeGroupConfig {
    const g = this.cfg.nodeGroups.find((x) => x.name === name);
    if (!g) throw new CloudError('NotFound', `gcp: unknown node group ${name}`);
    return g;
  }

  private ref(g: NodeGroupConfig): Ref {
    return { scope: { zone: g.zone }, collection: 'instanceGroupManagers', name: g.name };
  }

  private async mig(g: NodeGroupConfig, signal: AbortSignal): Promise<Resource> {
    const m = await this.gce.get(this.ref(g), signal);
    if (!m) throw new CloudError('NotFound', `gcp: managed instance group ${g.zone}/${g.name} not found`);
    return m;
  }

  private async describe(g: NodeGroupConfig, signal: AbortSignal): Promise<NodeGroupInfo> {
    const m = await this.mig(g, signal);
    const managed = await this.gce.read(this.ref(g), 'listManagedInstances', {}, signal);
    const tpl = await this.gce.get({ scope: { global: true }, collection: 'instanceTemplates', name: lastSegment(m.instanceTemplate) }, signal);
    const props = (tpl?.properties ?? {}) as Resource;
    const machineType = lastSegment(props.machineType);
    return {
      name: g.name, min: g.min, max: g.max, targetSize: Number(m.targetSize ?? 0),
      instances: managed.map((i) => {
        const name = lastSegment(i.instance);
        return { name, providerID: providerID(this.cfg.project, g.zone, name), state: stateOf(i.currentAction) };
      }),
      template: { capacity: machineCapacity(machineType) ?? {}, labels: { ...((props.labels ?? {}) as Record<string, string>), 'topology.kubernetes.io/zone': g.zone }, taints: [], instanceType: machineType, zone: g.zone },
    };
  }

  async list(signal: AbortSignal): Promise<NodeGroupInfo[]> {
    const out: NodeGroupInfo[] = [];
    for (const g of this.cfg.nodeGroups) out.push(await this.describe(g, signal));
    return out;
  }

  private async resize(g: NodeGroupConfig, size: number, signal: AbortSignal): Promise<void> {
    await this.gce.invoke(this.ref(g), 'resize', { size }, signal);
  }

  async increase(group: string, delta: number, signal: AbortSignal): Promise<void> {
    const g = this.group(group);
    const size = Number((await this.mig(g, signal)).targetSize ?? 0) + delta;
    if (delta <= 0 || size > g.max) throw new CloudError('InvalidArgument', `gcp: ${group}: size ${size} beyond max ${g.max}`, { retryable: false });
    await this.resize(g, size, signal);
  }

  async decreaseTargetSize(group: string, delta: number, signal: AbortSignal): Promise<void> {
    const g = this.group(group);
    const size = Number((await this.mig(g, signal)).targetSize ?? 0) - delta;
    if (delta <= 0 || size < g.min) throw new CloudError('InvalidArgument', `gcp: ${group}: size ${size} below min ${g.min}`, { retryable: false });
    await this.resize(g, size, signal);
  }

  async deleteNodes(group: string, nodeNames: readonly string[], signal: AbortSignal): Promise<void> {
    const g = this.group(group);
    const size = Number((await this.mig(g, signal)).targetSize ?? 0) - nodeNames.length;
    if (size < g.min) throw new CloudError('InvalidArgument', `gcp: ${group}: size ${size} below min ${g.min}`, { retryable: false });
    const instances = nodeNames.map((n) => `${LINK_BASE}projects/${this.cfg.project}/zones/${g.zone}/instances/${n}`);
    await this.gce.invoke(this.ref(g), 'deleteInstances', { instanceGroupManagersDeleteInstancesRequestResource: { instances } }, signal);
  }
}
