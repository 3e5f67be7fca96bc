/**
 * The cloud component of `skiff up`: opens the cloud provider through the registry (built-ins: `fake`, `gcp`, `aws`),
 * installs its StorageClasses, runs the cloud controllers with their metrics on the control plane's
 * `/metrics`, applies NodeGroup `spec.desiredSize` through the provider, and waits until the local nodes
 * are initialised. With `--dry-run` it prints the plan (`planAll`) instead and stops skiff up.
 */
import { join } from 'node:path';
import { isAlreadyExists, type Node, type NodeGroup, type StorageClass } from '../../api/index.js';
import type { KubeClient } from '../../client/index.js';
import {
  loadCloudConfig, planAll, ProviderRegistry, startCloudControllers, TAINT_UNINITIALIZED,
  type CloudProvider, type NodeGroupInfo, type NodeGroups, type ServicePlan,
} from '../../cloud/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { fakeProviderFactory, fakeStorageClasses, FAKE_PROVISIONER, type FakeProvider, type NodeLauncher } from '../../../providers/fake/index.js';
import { UsageError } from '../args.js';
import type { LocalNodes } from '../local-nodes.js';
import { loadBalancerPrefix } from '../slot.js';
import type { UpContext } from './context.js';

/** The cluster name in every cloud resource's ownership tags. */
const CLUSTER_NAME = 'skiff';

const nodesTarget = { apiVersion: 'v1', plural: 'nodes', namespaced: false } as const;
const nodeGroupsTarget = { apiVersion: 'skiff.dev/v1alpha1', plural: 'nodegroups', namespaced: false } as const;
const storageClassesTarget = { apiVersion: 'storage.k8s.io/v1', plural: 'storageclasses', namespaced: false } as const;

export interface OpenProviderOptions {
  /** A registered name (`fake`, `gcp`, `aws`) or a plug-in module path. */
  name: string;
  cloudConfigPath: string | undefined;
  /** Defaults merged under the file's keys (e.g. the fake's `addressPrefix` from the address slot). */
  defaults?: Record<string, unknown>;
  /** skiff's data directory; the provider keeps its state in `<dataDir>/cloud`. */
  dataDir: string;
  log: Logger;
  clock: Clock;
  launcher?: NodeLauncher;
  nodeGroupObjects?: () => readonly NodeGroup[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Creates the provider; a bad cloud-config or an unknown name is a one-line `UsageError`. */
export async function openProvider(o: OpenProviderOptions): Promise<CloudProvider> {
  let cloudConfig: Record<string, unknown>;
  try {
    cloudConfig = { ...o.defaults, ...(await loadCloudConfig(o.cloudConfigPath)) };
  } catch (e) {
    throw new UsageError(`--cloud-config: ${message(e)}`);
  }
  const registry = new ProviderRegistry();
  registry.register('fake', fakeProviderFactory({
    ...(o.launcher ? { launcher: o.launcher } : {}), ...(o.nodeGroupObjects ? { nodeGroupObjects: o.nodeGroupObjects } : {}),
  }));
  // The cloud SDKs take seconds to load: imported only when their provider is chosen.
  registry.register('gcp', async (opts) => (await import('../../../providers/gcp/index.js')).gcpProviderFactory(opts));
  registry.register('aws', async (opts) => (await import('../../../providers/aws/index.js')).awsProviderFactory(opts));
  try {
    return await registry.create(o.name, { cloudConfig, clusterName: CLUSTER_NAME, dataDir: join(o.dataDir, 'cloud'), log: o.log, clock: o.clock });
  } catch (e) {
    throw new UsageError(`cloud provider: ${message(e)}`);
  }
}

/**
 * Closes the provider. The fake's `close` leaves its balancers' listeners open (they are its cloud), which
 * would keep this process alive; they are saved on disk and re-opened by the next start, so they are closed
 * here, in this process only (`reset` drops the in-memory copy without touching the saved state).
 */
export async function closeProvider(p: CloudProvider): Promise<void> {
  await p.close?.();
  if (p.name === 'fake' && typeof (p as Partial<FakeProvider>).reset === 'function') await (p as FakeProvider).cloud.reset();
}

/** The plan as lines for a person: one block per Service, `+` create, `~` update, `-` delete. Pure. */
export function formatPlan(plans: readonly ServicePlan[]): string[] {
  if (plans.length === 0) return ['no cloud changes: the cloud matches the current objects'];
  const sign = { create: '+', update: '~', delete: '-' } as const;
  const out: string[] = [];
  let n = 0;
  for (const p of plans) {
    out.push(`service ${p.service}:`);
    for (const c of p.changes) out.push(`  ${sign[c.action]} ${c.action} ${c.resource} ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
    n += p.changes.length;
  }
  out.push(`plan: ${n} change${n === 1 ? '' : 's'} for ${plans.length} service${plans.length === 1 ? '' : 's'} (nothing was changed)`);
  return out;
}

/** Creates the provider's StorageClasses that are missing (the fake's `fake` default class). */
async function installStorageClasses(client: KubeClient, provider: CloudProvider, signal: AbortSignal): Promise<void> {
  const classes: StorageClass[] = provider.capabilities.volumes?.provisioner === FAKE_PROVISIONER ? fakeStorageClasses() : [];
  for (const sc of classes) {
    try {
      await client.create(storageClassesTarget, sc, { signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
}

/** A node group's instances boot as extra local nodes. */
function nodeLauncher(nodes: LocalNodes): NodeLauncher {
  return {
    launch: async (name, template, signal) => {
      await nodes.launch(name, { capacity: template.capacity, labels: template.labels, taints: template.taints }, signal);
    },
    stop: (name) => nodes.stopNode(name),
  };
}

/** What to ask of a group so its live instances match `desired` (within min/max). Pure. */
function desiredSizeAction(g: NodeGroupInfo, desired: number): { increase: number } | { remove: string[] } | undefined {
  const live = g.instances.length;
  if (desired > live) {
    const delta = Math.min(desired - live, g.max - g.targetSize);
    return delta > 0 ? { increase: delta } : undefined;
  }
  const removable = Math.min(live - desired, g.targetSize - g.min);
  if (removable <= 0) return undefined;
  return { remove: g.instances.map((i) => i.name).sort().reverse().slice(0, removable) };
}

/** Applies NodeGroup `spec.desiredSize` through the provider whenever a NodeGroup changes. */
function syncDesiredSizes(ctx: UpContext, groups: NodeGroups, objects: () => readonly NodeGroup[]): () => void {
  const log = ctx.log.child({ component: 'nodegroup-desired-size' });
  let chain = Promise.resolve();
  const once = async (): Promise<void> => {
    const infos = await groups.list(ctx.signal);
    for (const o of objects()) {
      const info = infos.find((g) => g.name === o.metadata.name);
      const desired = o.spec.desiredSize;
      if (!info || desired === undefined) continue;
      const act = desiredSizeAction(info, desired);
      if (act && 'increase' in act) await groups.increase(info.name, act.increase, ctx.signal);
      if (act && 'remove' in act) await groups.deleteNodes(info.name, act.remove, ctx.signal);
      if (act) log.info('node group resized', { group: info.name, desired, ...act });
    }
  };
  return () => {
    chain = chain.then(once).catch((e: unknown) => {
      if (!ctx.signal.aborted) log.warn('node group resize failed', { error: message(e) });
    });
  };
}

/**
 * After a restart, the node-group instances the cloud still runs get their node agents back (the fake
 * persists its instances; their agents lived in the previous process).
 */
async function relaunchGroupNodes(groups: NodeGroups, nodes: LocalNodes, ctx: UpContext): Promise<void> {
  for (const g of await groups.list(ctx.signal)) {
    for (const i of g.instances) {
      if (i.state !== 'running' || nodes.has(i.name)) continue;
      await nodes.launch(i.name, { capacity: g.template.capacity, labels: g.template.labels, taints: g.template.taints }, ctx.signal)
        .catch((e: unknown) => ctx.log.warn('node group node not restarted', { node: i.name, error: message(e) }));
    }
  }
}

/** Waits (bounded) until no node carries the `uninitialized` taint, so `skiff ready` means pods can schedule. */
async function waitForNodeInit(ctx: UpContext): Promise<void> {
  const deadline = ctx.clock.now() + 30_000;
  let told = false;
  while (!ctx.signal.aborted && ctx.clock.now() < deadline) {
    const nodes = await ctx.client.listAll<Node>(nodesTarget, { signal: ctx.signal });
    const waiting = nodes.items.filter((n) => n.spec?.taints?.some((t) => t.key === TAINT_UNINITIALIZED));
    if (waiting.length === 0) return;
    if (!told) ctx.progress(`waiting for the cloud to initialise ${waiting.length} node${waiting.length === 1 ? '' : 's'}…`);
    told = true;
    await ctx.clock.sleep(100, ctx.signal).catch(() => undefined);
  }
  if (!ctx.signal.aborted) ctx.log.warn('nodes still uninitialised; pods will not schedule on them until the cloud initialises them');
}

/** The `skiff up` component: see the file comment. */
export async function startCloud(ctx: UpContext): Promise<void> {
  const ngInformer = ctx.informers.informerFor<NodeGroup>(nodeGroupsTarget);
  const objects = (): readonly NodeGroup[] => ngInformer.list();
  const provider = await openProvider({
    name: ctx.cfg.provider, cloudConfigPath: ctx.cfg.cloudConfig, dataDir: ctx.dataDir,
    ...(ctx.slot !== undefined && ctx.cfg.provider === 'fake' ? { defaults: { addressPrefix: loadBalancerPrefix(ctx.slot) } } : {}), log: ctx.log.child({ component: 'cloud' }), clock: ctx.clock,
    ...(ctx.nodes ? { launcher: nodeLauncher(ctx.nodes) } : {}), nodeGroupObjects: objects,
  });
  ctx.onShutdown(() => closeProvider(provider));
  await installStorageClasses(ctx.client, provider, ctx.signal);
  if (ctx.cfg.dryRun) {
    for (const line of formatPlan(await planAll({ client: ctx.client, provider, signal: ctx.signal }))) ctx.progress(line);
    // A dry run ends here: stop skiff up as Ctrl-C would (exit code 0), and return only once the stop has
    // begun, so that no later component starts.
    const stopping = new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
    process.kill(process.pid, 'SIGTERM');
    await stopping;
    return;
  }
  const cc = startCloudControllers({
    client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('cloud-controller-manager'), provider, clock: ctx.clock,
    log: ctx.log, signal: ctx.signal, metrics: ctx.metrics, clusterName: CLUSTER_NAME,
  });
  ctx.onShutdown(() => cc.done);
  // Later components (cluster autoscaler, demo) use the provider as the controllers call it (counted).
  ctx.cloud = cc.provider;
  if (cc.provider.nodeGroups) {
    const resync = syncDesiredSizes(ctx, cc.provider.nodeGroups, objects);
    ngInformer.addHandlers({ onAdd: resync, onUpdate: resync });
  }
  ctx.informers.start(ctx.signal);
  if (ctx.nodes && provider.nodeGroups) {
    await ngInformer.waitForSync(ctx.signal);
    await relaunchGroupNodes(provider.nodeGroups, ctx.nodes, ctx);
  }
  if (provider.instances) await waitForNodeInit(ctx);
}
