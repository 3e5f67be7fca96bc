/** The fake cloud's instances are the local nodes: `fake://<node-name>`; a node it has no record of is a running instance. */
import { CloudError, LABEL_INSTANCE_TYPE, LABEL_ZONE } from '../../core/cloud/index.js';
import type { InstanceMetadata, Instances } from '../../core/cloud/index.js';
import type { Node, NodeAddress } from '../../core/api/index.js';
import type { FakeCloud, InstanceRecord } from './cloud.js';

export const FAKE_REGION = 'fake-region';
export const FAKE_ZONE = 'fake-zone-a';
export const FAKE_INSTANCE_TYPE = 'fake.standard';

/** The instance name behind a Node: from `fake://<name>`, else the node name. */
export function instanceName(node: Node): string {
  const id = node.spec?.providerID;
  return id?.startsWith('fake://') ? id.slice('fake://'.length) : (node.metadata.name ?? '');
}

export class FakeInstances implements Instances {
  constructor(private readonly cloud: FakeCloud) {}

  exists(node: Node, signal: AbortSignal): Promise<boolean> {
    return this.cloud.call('describeInstance', false, { name: instanceName(node) }, signal, () => this.record(node)?.status !== 'terminated');
  }

  shutdown(node: Node, signal: AbortSignal): Promise<boolean> {
    return this.cloud.call('describeInstance', false, { name: instanceName(node) }, signal, () => {
      const r = this.live(node);
      return r?.status === 'stopped';
    });
  }

  metadata(node: Node, signal: AbortSignal): Promise<InstanceMetadata> {
    return this.cloud.call('describeInstance', false, { name: instanceName(node) }, signal, (): InstanceMetadata => {
      const r = this.live(node);
      const name = instanceName(node);
      const labels = node.metadata.labels ?? {};
      const internal = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
      const addresses: NodeAddress[] = [{ type: 'InternalIP', address: internal }, { type: 'Hostname', address: name }];
      return {
        providerID: `fake://${name}`,
        instanceType: labels[LABEL_INSTANCE_TYPE] ?? r?.instanceType ?? FAKE_INSTANCE_TYPE,
        zone: labels[LABEL_ZONE] ?? r?.zone ?? FAKE_ZONE,
        region: FAKE_REGION,
        addresses,
        labels: r?.group ? { 'skiff.dev/node-group': r.group } : ({} as Record<string, string>),
      };
    });
  }

  private record(node: Node): InstanceRecord | undefined {
    return this.cloud.instances.get(instanceName(node));
  }

  /** The record, rejecting with NotFound for a terminated instance. */
  private live(node: Node): InstanceRecord | undefined {
    const r = this.record(node);
    if (r?.status === 'terminated') throw new CloudError('NotFound', `instance ${instanceName(node)} not found`);
    return r;
  }
}
