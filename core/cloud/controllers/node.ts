/**
 * Cloud node controller: initialises Nodes registered with the `uninitialized` taint — providerID,
 * instance-type/zone/region labels, cloud addresses — then removes the taint.
 */
import type { Node } from '../../api/index.js';
import { deepEqual, isNotFound } from '../../api/index.js';
import type { Controller, ControllerRunner, Informer, ReconcileResult } from '../../client/index.js';
import { isCloudNotFound } from '../errors.js';
import type { Instances } from '../types.js';
import { enqueueAll, makeRunner, nodesTarget } from './context.js';
import type { CloudControllerContext } from './context.js';
import { LABEL_INSTANCE_TYPE, LABEL_REGION, LABEL_ZONE, TAINT_UNINITIALIZED, hasTaint, mergeAddresses, withoutTaint } from './nodes.js';

export class NodeController implements Controller {
  readonly name = 'cloud-node';
  private readonly nodes: Informer<Node>;
  private readonly runner: ControllerRunner;

  constructor(private readonly ctx: CloudControllerContext, private readonly instances: Instances) {
    this.nodes = ctx.informers.informerFor<Node>(nodesTarget);
    this.runner = makeRunner(ctx, this.name, (key, signal) => this.reconcile(key, signal));
  }

  async start(signal: AbortSignal): Promise<void> {
    const remove = this.nodes.addHandlers(enqueueAll<Node>(this.runner, (n) => (hasTaint(n, TAINT_UNINITIALIZED) ? n.metadata.name : undefined)));
    try {
      await this.runner.run(signal);
    } finally {
      remove();
    }
  }

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    const node = this.nodes.get(name);
    if (!node || !hasTaint(node, TAINT_UNINITIALIZED) || node.metadata.deletionTimestamp) return;
    let meta;
    try {
      meta = await this.instances.metadata(node, signal);
    } catch (e) {
      if (!isCloudNotFound(e)) throw e;
      this.ctx.recorder.event(node, 'Warning', 'InstanceNotFound', 'no cloud instance for this node yet');
      return { requeueAfterMs: 10_000 };
    }
    const addresses = mergeAddresses(node.status?.addresses, meta.addresses);
    try {
      if (!deepEqual(addresses, node.status?.addresses ?? [])) {
        await this.ctx.client.patch(nodesTarget, undefined, name, { status: { addresses } }, 'merge', { subresource: 'status', signal });
      }
      const labels = { ...meta.labels, [LABEL_INSTANCE_TYPE]: meta.instanceType, [LABEL_ZONE]: meta.zone, [LABEL_REGION]: meta.region };
      await this.ctx.client.patch(nodesTarget, undefined, name, {
        metadata: { labels, resourceVersion: node.metadata.resourceVersion },
        spec: { providerID: meta.providerID, taints: withoutTaint(node.spec?.taints, TAINT_UNINITIALIZED) },
      }, 'merge', { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    this.ctx.log.info('node initialized', { node: name, providerID: meta.providerID });
  }
}
