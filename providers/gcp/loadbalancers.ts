/** External (target pool) and internal (backend service) passthrough load balancers. */
import type { Node, Service } from '../../core/api/index.js';
import { CloudError, TAG_CLUSTER, TAG_OWNER_UID, defaultLoadBalancerName } from '../../core/cloud/index.js';
import type { LoadBalancerInfo, LoadBalancerStatus, LoadBalancers, PlannedChange } from '../../core/cloud/index.js';
import type { Gce } from './cloud.js';
import type { GcpConfig } from './config.js';
import { allRefs, desiredExternal, desiredInternal, kindOf } from './lb-desired.js';
import type { DesiredResource, LbContext } from './lb-desired.js';
import { describeStep, planSteps, refKey } from './lb-plan.js';
import type { Observed, Step } from './lb-plan.js';
import { lastSegment, ownedBy, ownerOf } from './mapping.js';
import { findInstance } from './nodes.js';
import type { Ref, Resource } from './sdk.js';

export const MAX_NAME = 63;

interface Snapshot {
  desired: DesiredResource[];
  stale: Ref[];
  obs: Observed;
}

export class GcpLoadBalancers implements LoadBalancers {
  constructor(private readonly gce: Gce, private readonly cfg: GcpConfig) {}

  name(svc: Service): string {
    return defaultLoadBalancerName(svc, MAX_NAME);
  }

  private ctx(instances: LbContext['instances'], tags: string[]): LbContext {
    const c = this.cfg;
    return { project: c.project, region: c.region, zones: c.zones, network: c.network, cluster: c.clusterName, tags, instances, ...(c.subnetwork ? { subnetwork: c.subnetwork } : {}) };
  }

  private async context(nodes: readonly Node[], signal: AbortSignal): Promise<LbContext> {
    const found: Resource[] = [];
    for (const n of nodes) {
      const r = await findInstance(this.gce, this.cfg.zones, n, signal);
      if (r) found.push(r);
    }
    const tags = this.cfg.nodeTags.length > 0 ? this.cfg.nodeTags
      : [...new Set(found.flatMap((r) => ((r.tags as { items?: string[] } | undefined)?.items ?? [])))].sort();
    return this.ctx(found.map((r) => ({ link: String(r.selfLink), zone: lastSegment(r.zone) })), tags);
  }

  /** Reads every resource this balancer may own; a name held by someone else is a Conflict. */
  private async observe(svc: Service, refs: readonly Ref[], signal: AbortSignal): Promise<Observed> {
    const resources = new Map<string, Resource>();
    const members = new Map<string, string[]>();
    const uid = svc.metadata.uid ?? '';
    for (const ref of refs) {
      const r = await this.gce.get(ref, signal);
      if (!r) continue;
      if (!ownedBy(r, this.cfg.clusterName, uid)) throw new CloudError('Conflict', `gcp: ${ref.collection}/${ref.name} exists and is not owned by this Service`, { retryable: false });
      resources.set(refKey(ref), r);
      if (ref.collection === 'targetPools') members.set(refKey(ref), (r.instances ?? []) as string[]);
      if (ref.collection === 'instanceGroups') {
        const items = await this.gce.read(ref, 'listInstances', { instanceGroupsListInstancesRequestResource: { instanceState: 'ALL' } }, signal);
        members.set(refKey(ref), items.map((i) => String(i.instance)));
      }
    }
    return { resources, members };
  }

  private async snapshot(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<Snapshot> {
    const lb = this.name(svc);
    const c = await this.context(nodes, signal);
    const refs = allRefs(lb, c);
    const obs = await this.observe(svc, [...refs.shared, ...refs.external, ...refs.internal, refs.rule], signal);
    const kind = kindOf(svc);
    const address = obs.resources.get(refKey(refs.external[0] as Ref));
    const desired = kind === 'internal' ? desiredInternal(lb, svc, c) : desiredExternal(lb, svc, c, address ? String(address.address) : undefined);
    const want = new Set(desired.map((d) => refKey(d.ref)));
    const stale = [...refs.shared, ...refs.external, ...refs.internal].filter((r) => !want.has(refKey(r)));
    return { desired, stale, obs };
  }

  async plan(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<PlannedChange[]> {
    const s = await this.snapshot(svc, nodes, signal);
    return planSteps(s.desired, s.stale, s.obs).map(describeStep);
  }

  async ensure(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<LoadBalancerStatus> {
    const s = await this.snapshot(svc, nodes, signal);
    for (const step of planSteps(s.desired, s.stale, s.obs)) await this.apply(svc, step, signal);
    const info = await this.get(svc, signal);
    if (!info) throw new CloudError('Transient', `gcp: forwarding rule ${this.name(svc)} not visible after ensure`);
    return info.status;
  }

  private async apply(svc: Service, step: Step, signal: AbortSignal): Promise<void> {
    const owned = (r: Resource): boolean => ownedBy(r, this.cfg.clusterName, svc.metadata.uid ?? '');
    switch (step.action) {
      case 'delete':
        return this.gce.remove(step.ref, signal);
      case 'update':
        return this.gce.patch(step.d.ref, step.d.body, signal);
      case 'create':
        return this.gce.insert(step.d.ref, await this.fillAddress(step.d, signal), owned, signal);
      case 'add-members':
      case 'remove-members':
        return this.members(step.d.ref, step.action === 'add-members', step.members, signal);
    }
  }

  /** The external forwarding rule takes the address reserved earlier in the same ensure. */
  private async fillAddress(d: DesiredResource, signal: AbortSignal): Promise<Resource> {
    if (d.ref.collection !== 'forwardingRules' || d.body.IPAddress !== '') return d.body;
    const addr = await this.gce.get({ scope: d.ref.scope, collection: 'addresses', name: d.ref.name }, signal);
    if (!addr) throw new CloudError('Transient', `gcp: address ${d.ref.name} not visible yet`);
    return { ...d.body, IPAddress: addr.address };
  }

  private members(ref: Ref, add: boolean, links: readonly string[], signal: AbortSignal): Promise<void> {
    const instances = links.map((instance) => ({ instance }));
    if (ref.collection === 'targetPools') {
      return add
        ? this.gce.invoke(ref, 'addInstance', { targetPoolsAddInstanceRequestResource: { instances } }, signal)
        : this.gce.invoke(ref, 'removeInstance', { targetPoolsRemoveInstanceRequestResource: { instances } }, signal);
    }
    return add
      ? this.gce.invoke(ref, 'addInstances', { instanceGroupsAddInstancesRequestResource: { instances } }, signal)
      : this.gce.invoke(ref, 'removeInstances', { instanceGroupsRemoveInstancesRequestResource: { instances } }, signal);
  }

  async updateHosts(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<void> {
    if (!(await this.get(svc, signal))) throw new CloudError('NotFound', `gcp: no load balancer for ${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
    await this.ensure(svc, nodes, signal);
  }

  async ensureDeleted(svc: Service, signal: AbortSignal): Promise<void> {
    const refs = allRefs(this.name(svc), this.ctx([], []));
    const order = [refs.rule, ...[...refs.internal].reverse(), ...[...refs.external].reverse(), ...refs.shared];
    for (const ref of order) {
      const r = await this.gce.get(ref, signal);
      if (r && ownedBy(r, this.cfg.clusterName, svc.metadata.uid ?? '')) await this.gce.remove(ref, signal);
    }
  }

  private info(rule: Resource): LoadBalancerInfo {
    const tags = ownerOf(rule);
    return { name: String(rule.name), tags, status: { ingress: [{ ip: String(rule.IPAddress) }] } };
  }

  async get(svc: Service, signal: AbortSignal): Promise<LoadBalancerInfo | undefined> {
    const rule = await this.gce.get({ scope: { region: this.cfg.region }, collection: 'forwardingRules', name: this.name(svc) }, signal);
    return rule && ownedBy(rule, this.cfg.clusterName, svc.metadata.uid ?? '') ? this.info(rule) : undefined;
  }

  async list(signal: AbortSignal): Promise<LoadBalancerInfo[]> {
    const rules = await this.gce.list({ region: this.cfg.region }, 'forwardingRules', undefined, signal);
    return rules.filter((r) => { const o = ownerOf(r); return o[TAG_CLUSTER] === this.cfg.clusterName && !!o[TAG_OWNER_UID]; }).map((r) => this.info(r));
  }
}
