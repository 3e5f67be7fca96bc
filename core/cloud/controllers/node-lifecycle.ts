/**
 * Cloud node lifecycle: deletes Nodes whose instance no longer exists, taints shut-down ones
 * `node.cloudprovider.kubernetes.io/shutdown:NoSchedule` and removes the taint when they are back.
 * Stopped is not deleted: only `exists() === false` deletes a Node.
 */
import type { Node, Taint } from '../../api/index.js';
import { isNotFound } from '../../api/index.js';
import type { Controller, ControllerRunner, Informer, ReconcileResult } from '../../client/index.js';
import { rfc3339 } from '../../util/index.js';
import type { Instances } from '../types.js';
import { enqueueAll, makeRunner, nodesTarget } from './context.js';
import type { CloudControllerContext } from './context.js';
import { TAINT_SHUTDOWN, TAINT_UNINITIALIZED, hasTaint, withoutTaint } from './nodes.js';

export interface NodeLifecycleOptions {
  /** How often each node's instance is checked; default 10 s. */
  monitorPeriodMs?: number;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'cloud-node-lifecycle';
  private readonly nodes: Informer<Node>;
  private readonly runner: ControllerRunner;
  private readonly period: number;

  constructor(private readonly ctx: CloudControllerContext, private readonly instances: Instances, opts: NodeLifecycleOptions = {}) {
    this.nodes = ctx.informers.informerFor<Node>(nodesTarget);
    this.runner = makeRunner(ctx, this.name, (key, signal) => this.reconcile(key, signal));
    this.period = opts.monitorPeriodMs ?? 10_000;
  }

  async start(signal: AbortSignal): Promise<void> {
    const h = enqueueAll<Node>(this.runner, (n) => n.metadata.name);
    const remove = this.nodes.addHandlers({ onAdd: h.onAdd });
    try {
      await this.runner.run(signal);
    } finally {
      remove();
    }
  }

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    const node = this.nodes.get(name);
    if (!node) return;
    const id = node.spec?.providerID;
    if (id && !id.startsWith(`${this.ctx.provider.name}://`)) return; // another cloud's node
    if (hasTaint(node, TAINT_UNINITIALIZED)) return { requeueAfterMs: this.period };
    try {
      if (!(await this.instances.exists(node, signal))) {
        this.ctx.log.info('deleting node without instance', { node: name });
        this.ctx.recorder.event(node, 'Normal', 'DeletingNode', `Deleting node ${name} because its instance no longer exists`);
        await this.ctx.client.delete(nodesTarget, undefined, name, { preconditions: { uid: node.metadata.uid ?? '' }, signal });
        return;
      }
      const down = await this.instances.shutdown(node, signal);
      if (down !== hasTaint(node, TAINT_SHUTDOWN)) await this.setShutdownTaint(node, down, signal);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    return { requeueAfterMs: this.period };
  }

  private async setShutdownTaint(node: Node, down: boolean, signal: AbortSignal): Promise<void> {
    const rest = withoutTaint(node.spec?.taints, TAINT_SHUTDOWN);
    const taint: Taint = { key: TAINT_SHUTDOWN, effect: 'NoSchedule', timeAdded: rfc3339(this.ctx.clock.now()) };
    const taints = down ? [...rest, taint] : rest;
    await this.ctx.client.patch(nodesTarget, undefined, node.metadata.name ?? '', {
      metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints },
    }, 'merge', { signal });
    this.ctx.log.info(down ? 'node shut down, tainted' : 'node back, taint removed', { node: node.metadata.name });
  }
}
