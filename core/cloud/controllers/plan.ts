/** `skiff plan`: the cloud changes the service controller would make now, per Service. Read-only. */
import type { Node, Service } from '../../api/index.js';
import type { KubeClient } from '../../client/index.js';
import type { CloudProvider, PlannedChange } from '../types.js';
import { nodesTarget, servicesTarget } from './context.js';
import { backendNodes } from './nodes.js';
import { wantsLoadBalancer } from './service-decide.js';

export interface ServicePlan {
  /** `namespace/name`. */
  service: string;
  changes: PlannedChange[];
}

export interface PlanAllOptions {
  client: Pick<KubeClient, 'listAll'>;
  provider: CloudProvider;
  signal?: AbortSignal;
}

/** Plans for every Service that has or should have a load balancer; Services with nothing to change are omitted. */
export async function planAll(opts: PlanAllOptions): Promise<ServicePlan[]> {
  const lbs = opts.provider.loadBalancers;
  if (!lbs) return [];
  const signal = opts.signal ?? new AbortController().signal;
  const reqOpts = opts.signal ? { signal: opts.signal } : {};
  const [services, nodes] = await Promise.all([
    opts.client.listAll<Service>(servicesTarget, reqOpts),
    opts.client.listAll<Node>(nodesTarget, reqOpts),
  ]);
  const backends = backendNodes(nodes.items);
  const classes = opts.provider.capabilities.loadBalancers?.classes ?? [];
  const out: ServicePlan[] = [];
  for (const svc of services.items) {
    const key = `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
    let changes: PlannedChange[];
    if (wantsLoadBalancer(svc, classes)) {
      changes = await lbs.plan(svc, backends, signal);
    } else {
      const lb = await lbs.get(svc, signal);
      changes = lb ? [{ action: 'delete', resource: 'load-balancer', name: lb.name }] : [];
    }
    if (changes.length) out.push({ service: key, changes });
  }
  return out;
}
