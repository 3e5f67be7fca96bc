/** The local nodes of `skiff up`: N node agents in this process, each with its own loopback address and pod range. */
import { join } from 'node:path';
import type { EventRecorder, KubeClient, SharedInformerFactory } from '../client/index.js';
import { NodeAgent, ServiceProxy } from '../node/index.js';
import type { Clock, Logger } from '../util/index.js';

export interface LocalNodesOptions {
  count: number;
  cpu: string;
  memory: string;
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  dataDir: string;
  repoRoot: string;
  token: string;
  clock: Clock;
  log: Logger;
}

/** Node `i` (1-based): name `node-i`, address 127.0.1.i, pods from 127.(100+i).0.0/16. */
export function localNodeSpec(i: number): { name: string; address: string; podIPPrefix: string } {
  return { name: `node-${i}`, address: `127.0.1.${i}`, podIPPrefix: `127.${100 + i}` };
}

export class LocalNodes {
  private readonly agents: NodeAgent[] = [];
  private proxy: ServiceProxy | undefined;

  constructor(private readonly o: LocalNodesOptions) {}

  addresses(): string[] {
    return this.agents.map((_, i) => localNodeSpec(i + 1).address);
  }

  async start(signal: AbortSignal): Promise<void> {
    for (let i = 1; i <= this.o.count; i++) await this.add(i, signal);
    this.proxy = new ServiceProxy({ informers: this.o.informers, nodeAddresses: () => this.addresses(), log: this.o.log.child({ component: 'service-proxy' }) });
    this.proxy.start();
  }

  async add(i: number, signal: AbortSignal): Promise<NodeAgent> {
    const spec = localNodeSpec(i);
    const agent = new NodeAgent({
      client: this.o.client,
      informers: this.o.informers,
      recorder: this.o.recorder,
      nodeName: spec.name,
      address: spec.address,
      podIPPrefix: spec.podIPPrefix,
      capacity: { cpu: this.o.cpu, memory: this.o.memory },
      dataDir: join(this.o.dataDir, 'nodes', spec.name),
      repoRoot: this.o.repoRoot,
      serverToken: this.o.token,
      clock: this.o.clock,
      log: this.o.log.child({ node: spec.name }),
    });
    await agent.start(signal);
    this.agents.push(agent);
    return agent;
  }

  /** Stops every pod process and listener. */
  async stop(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.shutdown()));
    await this.proxy?.stop();
  }
}
