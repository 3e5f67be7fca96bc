/**
 * Instances (InstancesV2): looked up by the instance ID in the Node's providerID, else by its skiff.dev/node-name tag or private DNS
 * name. Lookups made in the same tick are batched into one DescribeInstances and cached for
 * `cacheMs`; stopped instances exist, terminated (or shutting-down) ones do not.
 */
import { TAG_NODE_NAME } from './volume-mapping.js';
import { CloudError } from '../../core/cloud/index.js';
import type { InstanceMetadata, Instances } from '../../core/cloud/index.js';
import type { Node } from '../../core/api/index.js';
import type { Clock } from '../../core/util/index.js';
import type { AwsSdk, Instance } from './sdk.js';
import { instanceMetadata, isGone, nodeInstanceId } from './mapping.js';

export interface AwsInstancesOptions {
  sdk: AwsSdk;
  clock: Clock;
  region: () => Promise<string>;
  cacheMs: number;
}

interface Pending {
  ids: Set<string>;
  done: Promise<void>;
}

export class AwsInstances implements Instances {
  private readonly cache = new Map<string, { at: number; inst: Instance | undefined }>();
  private pending: Pending | undefined;

  constructor(private readonly opts: AwsInstancesOptions) {}

  /** Instances by ID (undefined: no such instance, or terminated), one batched call for everything asked in this tick. */
  async byIds(ids: readonly string[], signal: AbortSignal): Promise<Map<string, Instance | undefined>> {
    const now = this.opts.clock.now();
    const stale = ids.filter((id) => { const c = this.cache.get(id); return !c || now - c.at >= this.opts.cacheMs; });
    if (stale.length) await this.batch(stale, signal);
    return new Map(ids.map((id) => [id, this.cache.get(id)?.inst]));
  }

  private batch(ids: readonly string[], signal: AbortSignal): Promise<void> {
    if (!this.pending) {
      const p: Pending = { ids: new Set(), done: Promise.resolve() };
      p.done = new Promise<void>((r) => setImmediate(r)).then(() => {
        this.pending = undefined;
        return this.fetch([...p.ids], signal);
      });
      this.pending = p;
    }
    for (const id of ids) this.pending.ids.add(id);
    return this.pending.done;
  }

  private async fetch(ids: string[], signal: AbortSignal): Promise<void> {
    const found = new Map<string, Instance>();
    for (let i = 0; i < ids.length; i += 200) {
      let token: string | undefined;
      do {
        const r = await this.opts.sdk.describeInstances({ Filters: [{ Name: 'instance-id', Values: ids.slice(i, i + 200) }], ...(token ? { NextToken: token } : {}) }, signal);
        for (const res of r.Reservations ?? []) for (const inst of res.Instances ?? []) if (inst.InstanceId) found.set(inst.InstanceId, inst);
        token = r.NextToken;
      } while (token);
    }
    const at = this.opts.clock.now();
    for (const id of ids) {
      const inst = found.get(id);
      this.cache.set(id, { at, inst: inst && !isGone(inst) ? inst : undefined });
    }
  }

  private async lookup(node: Node, signal: AbortSignal): Promise<Instance | undefined> {
    const id = nodeInstanceId(node);
    if (id) return (await this.byIds([id], signal)).get(id);
    // A node without a providerID is its instance's skiff.dev/node-name tag, else its private DNS name (as volumes look it up).
    const name = node.metadata.name ?? '';
    for (const Name of [`tag:${TAG_NODE_NAME}`, 'private-dns-name']) {
      const r = await this.opts.sdk.describeInstances({ Filters: [{ Name, Values: [name] }] }, signal);
      const found = (r.Reservations ?? []).flatMap((x) => x.Instances ?? []).find((i) => !isGone(i));
      if (found) return found;
    }
    return undefined;
  }

  private async must(node: Node, signal: AbortSignal): Promise<Instance> {
    const inst = await this.lookup(node, signal);
    if (!inst) throw new CloudError('NotFound', `no instance for node ${node.metadata.name ?? ''}`);
    return inst;
  }

  async exists(node: Node, signal: AbortSignal): Promise<boolean> {
    return (await this.lookup(node, signal)) !== undefined;
  }

  async shutdown(node: Node, signal: AbortSignal): Promise<boolean> {
    const s = (await this.must(node, signal)).State?.Name ?? '';
    return s === 'stopped' || s === 'stopping';
  }

  async metadata(node: Node, signal: AbortSignal): Promise<InstanceMetadata> {
    return instanceMetadata(await this.must(node, signal), await this.opts.region());
  }
}
