/** The fake cloud's load balancers: real TCP listeners on 127.0.100.0/24 forwarding to node ports, found by owner tags. */
import { CloudError, defaultLoadBalancerName, ownedBy, ownerTags } from '../../core/cloud/index.js';
import type { LoadBalancerInfo, LoadBalancerStatus, LoadBalancers, PlannedChange } from '../../core/cloud/index.js';
import type { Node, Service } from '../../core/api/index.js';
import type { FakeCloud } from './cloud.js';
import { LbRecord, lbHash } from './lb-model.js';
import type { DesiredLb, ListenerSpec, Scheme } from './lb-model.js';
import { desiredLb, planLb } from './lb-plan.js';

export const LB_NAME_MAX = 32;

export interface FakeLoadBalancerOptions {
  cloud: FakeCloud;
  clusterName: string;
  /** First three octets of the address pool; default `127.0.100`. */
  addressPrefix?: string;
  random?: () => number;
}

export class FakeLoadBalancers implements LoadBalancers {
  private readonly cloud: FakeCloud;

  constructor(private readonly o: FakeLoadBalancerOptions) {
    this.cloud = o.cloud;
  }

  name(svc: Service): string {
    return defaultLoadBalancerName(svc, LB_NAME_MAX);
  }

  async get(svc: Service, signal: AbortSignal): Promise<LoadBalancerInfo | undefined> {
    const lb = (await this.owned(svc, signal))[0];
    return lb && this.info(lb);
  }

  async list(signal: AbortSignal): Promise<LoadBalancerInfo[]> {
    const all = await this.describe({}, signal);
    return all.filter((lb) => ownedBy(lb.tags, this.o.clusterName)).map((lb) => this.info(lb));
  }

  async plan(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<PlannedChange[]> {
    const want = desiredLb(svc, nodes);
    const found = await this.owned(svc, signal);
    const extra = found.slice(1).map((lb): PlannedChange => ({ action: 'delete', resource: 'load-balancer', name: lb.name, detail: 'duplicate' }));
    return [...extra, ...planLb(this.name(svc), found[0]?.desired(), want)];
  }

  async ensure(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<LoadBalancerStatus> {
    const want = desiredLb(svc, nodes);
    const found = await this.owned(svc, signal);
    for (const dup of found.slice(1)) await this.deleteLb(dup, signal);
    let lb = found[0];
    if (lb && lb.scheme !== want.scheme) {
      await this.deleteLb(lb, signal);
      lb = undefined;
    }
    lb ??= await this.createLb(svc, want.scheme, signal);
    await this.syncListeners(lb, want.listeners, signal);
    await this.setTargets(lb, want.targets, signal);
    return status(lb);
  }

  async updateHosts(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<void> {
    const lb = (await this.owned(svc, signal))[0];
    if (!lb) throw new CloudError('NotFound', `no load balancer for service ${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
    await this.setTargets(lb, desiredLb(svc, nodes).targets, signal);
  }

  async ensureDeleted(svc: Service, signal: AbortSignal): Promise<void> {
    for (const lb of await this.owned(svc, signal)) await this.deleteLb(lb, signal);
  }

  private info(lb: LbRecord): LoadBalancerInfo {
    return { name: lb.name, tags: { ...lb.tags }, status: status(lb), hash: lbHash(lb.desired()) };
  }

  private describe(filter: Record<string, string>, signal: AbortSignal): Promise<LbRecord[]> {
    return this.cloud.call('describeLoadBalancers', false, filter, signal, () =>
      [...this.cloud.loadBalancers.values()].filter((lb) => Object.entries(filter).every(([k, v]) => lb.tags[k] === v)));
  }

  /** Found by the owner's UID tag — never by name or spec — oldest first. */
  private async owned(svc: Service, signal: AbortSignal): Promise<LbRecord[]> {
    const all = await this.describe({ 'skiff.dev/owner-uid': svc.metadata.uid ?? '' }, signal);
    return all.filter((lb) => ownedBy(lb.tags, this.o.clusterName, svc.metadata.uid ?? ''));
  }

  private createLb(svc: Service, scheme: Scheme, signal: AbortSignal): Promise<LbRecord> {
    const name = this.name(svc);
    const tags = ownerTags(this.o.clusterName, svc);
    return this.cloud.call('createLoadBalancer', true, { name, scheme, tags }, signal, () => {
      if (this.cloud.loadBalancers.has(name)) throw new CloudError('AlreadyExists', `load balancer ${name} exists`);
      const lb = new LbRecord(name, tags, scheme, this.allocate());
      this.cloud.loadBalancers.set(name, lb);
      return lb;
    });
  }

  private async deleteLb(lb: LbRecord, signal: AbortSignal): Promise<void> {
    await this.cloud.call('deleteLoadBalancer', true, { name: lb.name }, signal, async () => {
      this.cloud.loadBalancers.delete(lb.name);
      await lb.close();
    });
  }

  private async syncListeners(lb: LbRecord, want: readonly ListenerSpec[], signal: AbortSignal): Promise<void> {
    for (const [port, l] of [...lb.listeners]) {
      const w = want.find((x) => x.port === port);
      if (!w || w.nodePort !== l.spec.nodePort) await this.cloud.call('deleteListener', true, { name: lb.name, port }, signal, () => lb.removeListener(port));
    }
    for (const w of want) {
      if (lb.listeners.has(w.port)) continue;
      await this.cloud.call('createListener', true, { name: lb.name, ...w }, signal, () => this.listen(lb, w));
    }
  }

  /** Binds the listener; a fresh balancer whose address another process holds moves to a free one. */
  private async listen(lb: LbRecord, w: ListenerSpec): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await lb.addListener(w);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'EACCES') throw new CloudError('InvalidArgument', `cannot listen on ${lb.ip}:${w.port} (privileged port)`, { cause: e });
        if (code !== 'EADDRINUSE' || lb.listeners.size > 0 || attempt >= 8) throw new CloudError('Transient', `cannot listen on ${lb.ip}:${w.port}: ${code ?? ''}`, { cause: e });
        lb.ip = this.allocate();
      }
    }
  }

  private async setTargets(lb: LbRecord, targets: readonly string[], signal: AbortSignal): Promise<void> {
    if (lb.targets.join(',') === targets.join(',')) return;
    await this.cloud.call('setTargets', true, { name: lb.name, targets }, signal, () => { lb.targets = [...targets]; });
  }

  private allocate(): string {
    const used = new Set([...this.cloud.loadBalancers.values()].map((lb) => lb.ip));
    const rand = this.o.random ?? Math.random;
    const prefix = this.o.addressPrefix ?? '127.0.100';
    const start = Math.floor(rand() * 254);
    for (let i = 0; i < 254; i++) {
      const ip = `${prefix}.${((start + i) % 254) + 1}`;
      if (!used.has(ip)) return ip;
    }
    throw new CloudError('Quota', 'no free load-balancer address in the fake pool');
  }
}

function status(lb: LbRecord): LoadBalancerStatus {
  return { ingress: [{ ip: lb.ip }] };
}

export type { DesiredLb };
