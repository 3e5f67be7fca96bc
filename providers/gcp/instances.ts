/** InstancesV2 over Compute instances: stopped (TERMINATED/STOPPED) instances exist; deleted ones do not. */
import type { Node } from '../../core/api/index.js';
import { CloudError } from '../../core/cloud/index.js';
import type { InstanceMetadata, Instances } from '../../core/cloud/index.js';
import type { Gce } from './cloud.js';
import type { GcpConfig } from './config.js';
import { instanceMetadata, isShutdown } from './mapping.js';
import { findInstance } from './nodes.js';
import type { Resource } from './sdk.js';

export class GcpInstances implements Instances {
  constructor(private readonly gce: Gce, private readonly cfg: GcpConfig) {}

  private async must(node: Node, signal: AbortSignal): Promise<Resource> {
    const r = await findInstance(this.gce, this.cfg.zones, node, signal);
    if (!r) throw new CloudError('NotFound', `gcp: no instance for node ${node.metadata.name ?? ''}`);
    return r;
  }

  async exists(node: Node, signal: AbortSignal): Promise<boolean> {
    return (await findInstance(this.gce, this.cfg.zones, node, signal)) !== undefined;
  }

  async shutdown(node: Node, signal: AbortSignal): Promise<boolean> {
    return isShutdown((await this.must(node, signal)).status);
  }

  async metadata(node: Node, signal: AbortSignal): Promise<InstanceMetadata> {
    return instanceMetadata(this.cfg.project, await this.must(node, signal));
  }

  /** Every instance of the cluster (label `skiff-cluster`), across the configured zones, paginated. */
  async listCluster(signal: AbortSignal): Promise<InstanceMetadata[]> {
    const out: InstanceMetadata[] = [];
    for (const zone of this.cfg.zones) {
      const items = await this.gce.list({ zone }, 'instances', `labels.skiff-cluster = "${this.cfg.clusterName}"`, signal);
      out.push(...items.map((r) => instanceMetadata(this.cfg.project, r)));
    }
    return out;
  }
}
