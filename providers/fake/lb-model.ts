/** A fake load balancer: a loopback address, real listeners (one per Service port) and a target list. */
import { createHash } from 'node:crypto';
import { Forwarder } from './forwarder.js';

export type Scheme = 'internet-facing' | 'internal';

export interface ListenerSpec {
  port: number;
  nodePort: number;
}

/** The cloud-side shape a Service asks for. */
export interface DesiredLb {
  scheme: Scheme;
  listeners: ListenerSpec[];
  /** Backends, sorted: a node's InternalIP, or its instance name while it has reported no address (registered, failing health checks until it does). */
  targets: string[];
}

export function lbHash(d: DesiredLb): string {
  const canon = { s: d.scheme, l: [...d.listeners].sort((a, b) => a.port - b.port), t: [...d.targets].sort() };
  return createHash('sha256').update(JSON.stringify(canon)).digest('hex').slice(0, 16);
}

export class LbRecord {
  readonly listeners = new Map<number, { spec: ListenerSpec; fwd: Forwarder }>();
  targets: string[] = [];

  constructor(readonly name: string, readonly tags: Record<string, string>, readonly scheme: Scheme, public ip: string) {}

  desired(): DesiredLb {
    return { scheme: this.scheme, listeners: [...this.listeners.values()].map((l) => l.spec), targets: this.targets };
  }

  async addListener(spec: ListenerSpec): Promise<void> {
    const fwd = new Forwarder(this.ip, spec.port, () => this.targets.map((host) => ({ host, port: spec.nodePort })));
    await fwd.listen();
    this.listeners.set(spec.port, { spec, fwd });
  }

  /** Records a listener without binding it: a read-only view of a cloud another process runs. */
  recordListener(spec: ListenerSpec): void {
    this.listeners.set(spec.port, { spec, fwd: new Forwarder(this.ip, spec.port, () => []) });
  }

  async removeListener(port: number): Promise<void> {
    const l = this.listeners.get(port);
    this.listeners.delete(port);
    await l?.fwd.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => l.fwd.close()));
    this.listeners.clear();
  }
}
