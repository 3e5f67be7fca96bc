/** The local nodes of `skiff up`: node agents in this process, each with its own loopback address and pod range. */
import { join } from 'node:path';
import { isNotFound, type ResourceList, type Taint } from '../api/index.js';
import type { EventRecorder, KubeClient, SharedInformerFactory } from '../client/index.js';
import { NodeAgent, ServiceProxy } from '../node/index.js';
import type { Clock, Logger } from '../util/index.js';
import { localNodeAddress } from './slot.js';

/** The taint a node registers with while a cloud provider has not initialised it yet. */
export const UNINITIALIZED_TAINT: Taint = { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' };

/** Indexes available to local nodes: pod ranges 127.(100+i).0.0/16 must stay within 127.255 (without a slot). */
const MAX_INDEX = 155;
/** With an address slot, node i is 127.1.S.i. */
const MAX_SLOT_INDEX = 254;

export interface LocalNodesOptions {
  count: number;
  cpu: string;
  memory: string;
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  dataDir: string;
  token: string;
  clock: Clock;
  log: Logger;
  /**
   * Register nodes with the `uninitialized` taint for the cloud node controller to initialise and remove.
   * Default true: `skiff up` always runs a cloud provider (the fake by default).
   */
  uninitializedTaint?: boolean;
  /** The address slot of this skiff (`takeSlot`): node i gets 127.1.S.i and pods 127.(100+S).i.0/24. */
  slot?: number;
}

/** What a node started by a cloud (a node group) looks like. */
export interface ExtraNodeSpec {
  capacity: ResourceList;
  labels?: Readonly<Record<string, string>>;
  taints?: readonly Taint[];
}

/** Node `i` (1-based): name `node-i`, address 127.0.1.i, pods from 127.(100+i).0.0/16. */
export function localNodeSpec(i: number): { name: string; address: string; podIPPrefix: string } {
  return { name: `node-${i}`, address: `127.0.1.${i}`, podIPPrefix: `127.${100 + i}` };
}

interface Running {
  index: number;
  agent: NodeAgent;
  stop: AbortController;
}

export class LocalNodes {
  private readonly running = new Map<string, Running>();
  private proxy: ServiceProxy | undefined;

  constructor(private readonly o: LocalNodesOptions) {}

  /** Whether a node agent named `name` runs here. */
  has(name: string): boolean {
    return this.running.has(name);
  }

  addresses(): string[] {
    return [...this.running.values()].map((r) => this.spec(r.index).address);
  }

  async start(signal: AbortSignal): Promise<void> {
    for (let i = 1; i <= this.o.count; i++) await this.add(i, signal);
    this.proxy = new ServiceProxy({ informers: this.o.informers, nodeAddresses: () => this.addresses(), log: this.o.log.child({ component: 'service-proxy' }) });
    this.proxy.start();
  }

  /** Starts node `i` as `node-i` with the configured capacity. */
  async add(i: number, signal: AbortSignal): Promise<NodeAgent> {
    return this.startAgent(i, localNodeSpec(i).name, { capacity: { cpu: this.o.cpu, memory: this.o.memory } }, signal);
  }

  /**
   * Starts one more node named `name` (a cloud's node group booting an instance) on the next free loopback
   * address, with the template's capacity, labels and taints. Rejects when the name is taken or no address is left.
   */
  async launch(name: string, spec: ExtraNodeSpec, signal: AbortSignal): Promise<NodeAgent> {
    if (this.running.has(name)) throw new Error(`node ${name} is already running`);
    const used = new Set([...this.running.values()].map((r) => r.index));
    let i = this.o.count + 1; // 1..count stay the base nodes' (a restarted base node gets its address back)
    while (used.has(i)) i++;
    if (i > (this.o.slot === undefined ? MAX_INDEX : MAX_SLOT_INDEX)) throw new Error(`no loopback address left for node ${name}`);
    return this.startAgent(i, name, spec, signal);
  }

  /** Stops node `name`: its pods stop, then its Node object is deleted. Unknown names are ignored. */
  async stopNode(name: string): Promise<void> {
    const r = this.running.get(name);
    if (!r) return;
    this.running.delete(name);
    r.stop.abort(new Error(`node ${name} stopped`));
    await r.agent.shutdown();
    try {
      await this.o.client.delete({ apiVersion: 'v1', plural: 'nodes', namespaced: false }, undefined, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private spec(i: number): { address: string; podIPPrefix: string } {
    return this.o.slot === undefined ? localNodeSpec(i) : localNodeAddress(this.o.slot, i);
  }

  private async startAgent(i: number, name: string, spec: ExtraNodeSpec, signal: AbortSignal): Promise<NodeAgent> {
    const { address, podIPPrefix } = this.spec(i);
    const taints = [...(spec.taints ?? []), ...(this.o.uninitializedTaint ?? true ? [UNINITIALIZED_TAINT] : [])];
    const { cpu = this.o.cpu, memory = this.o.memory, pods } = spec.capacity;
    const capacity = { cpu, memory, ...(pods ? { pods } : {}) };
    const stop = new AbortController();
    const agent = new NodeAgent({
      client: this.o.client,
      informers: this.o.informers,
      recorder: this.o.recorder,
      nodeName: name,
      address,
      podIPPrefix,
      capacity,
      ...(spec.labels ? { labels: { ...spec.labels } } : {}),
      ...(taints.length ? { taints } : {}),
      dataDir: join(this.o.dataDir, 'nodes', name),
      serverToken: this.o.token,
      clock: this.o.clock,
      log: this.o.log.child({ node: name }),
    });
    this.running.set(name, { index: i, agent, stop });
    try {
      await agent.start(AbortSignal.any([signal, stop.signal]));
    } catch (e) {
      this.running.delete(name);
      throw e;
    }
    return agent;
  }

  /** Stops every pod process and listener. */
  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.agent.shutdown()));
    await this.proxy?.stop();
  }
}
